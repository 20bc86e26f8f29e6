// Runs in a fresh process: loads dist/extension.js (the shipped bundle) on the fake `vscode`,
// records every require() the bundle makes — at load, during activate() with the view hidden,
// and once the view is shown — and counts the local API requests of each phase.
// Prints one JSON object on stdout. Usage: node --import tsx bench/bundle-probe.ts <bundle>
// (BENCH_LOAD_ONLY=1: only the load, for more samples of it)

import './vscode-fake';
import Module from 'node:module';
import * as path from 'node:path';
import { startLocalApi } from '../test/local-api/server';
import { fake, FakeMemento, FakeSecretStorage, ExtensionMode, window as fakeWindow } from '../test/fakes/vscode';
import { secretKey } from '../src/connection/tokenStore';

type Phase = 'load' | 'activate' | 'view';

async function main(): Promise<void> {
  const bundle = path.resolve(process.argv[2] ?? 'dist/extension.js');
  const token = 'pt-bench-probe';
  const api = await startLocalApi({ port: 0, token, seed: Number(process.env.BENCH_N ?? 1000), quiet: true, warm: true });

  const required: Record<Phase, string[]> = { load: [], activate: [], view: [] };
  let phase: Phase = 'load';
  const M = Module as unknown as { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown };
  const load = M._load;
  M._load = function (request, parent, isMain) {
    if (parent?.filename === bundle && !required[phase].includes(request)) required[phase].push(request);
    return load.call(this, request, parent, isMain);
  };

  let t = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(bundle) as { activate(ctx: unknown): Promise<{ services: { store: { state: string; isLoading: boolean; deployments: readonly unknown[] } } } | undefined> };
  const loadMs = performance.now() - t;
  if (process.env.BENCH_LOAD_ONLY === '1') {
    await api.close();
    process.stdout.write(JSON.stringify({ loadMs }) + '\n');
    return;
  }

  phase = 'activate';
  fake.reset();
  fake.settings.global.set('qoder.apiBaseUrl', api.baseUrl);
  // Notifications off, so nothing loads before the view opens (background loads are measured in archive.ts).
  fake.settings.global.set('qoder.notifications', 'off');
  const secrets = new FakeSecretStorage();
  secrets.data.set(secretKey(api.baseUrl), token);
  const original = fakeWindow.createTreeView;
  fakeWindow.createTreeView = (id: string, options: unknown) => {
    const v = original.call(fakeWindow, id, options);
    v.visible = false; // the view has not been opened yet
    return v;
  };
  const subscriptions: { dispose(): unknown }[] = [];
  api.resetRequests();
  t = performance.now();
  const hooks = await ext.activate({ subscriptions, secrets, globalState: new FakeMemento(), extensionMode: ExtensionMode.Test, extension: { packageJSON: { version: '0.0.0-bench' } } });
  const activateMs = performance.now() - t;
  await new Promise((r) => setTimeout(r, 250));
  const requestsBeforeView = api.requests.length;

  phase = 'view';
  t = performance.now();
  fake.views[0].setVisible(true);
  const store = hooks!.services.store;
  const deadline = Date.now() + 60_000;
  while (!(store.state === 'ready' && !store.isLoading) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const firstLoadMs = performance.now() - t;
  const requestsAfterView = api.requests.length - requestsBeforeView;
  const listed = store.deployments.length;

  for (const d of subscriptions.reverse()) d.dispose();
  fakeWindow.createTreeView = original;
  await api.close();
  process.stdout.write(JSON.stringify({ required, loadMs, activateMs, firstLoadMs, requestsBeforeView, requestsAfterView, listed }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`[bundle probe] ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
