// Activates the real extension against the fake vscode, for unit tests.

import { fake, FakeMemento, FakeSecretStorage, ExtensionMode, Uri } from '../fakes/vscode';
import { start, type TestHooks } from '../../src/extension';
import { secretKey } from '../../src/connection/tokenStore';
import type { FetchLike } from '../../src/api';

export interface Activated {
  hooks: TestHooks;
  secrets: FakeSecretStorage;
  globalState: FakeMemento;
  dispose(): void;
}

export interface ActivateOptions {
  baseUrl?: string;
  token?: string;
  showArchived?: boolean;
  /** Answers every request of the extension's clients (no socket is opened). */
  fetch?: FetchLike;
  /** Extra tokens in SecretStorage, by base URL. */
  tokens?: Record<string, string>;
  secrets?: FakeSecretStorage;
  /** globalState; the same one again models a reload of the same profile (a fresh one by default). */
  globalState?: FakeMemento;
  /** User settings, by full key. */
  settings?: Record<string, unknown>;
}

export async function activateExtension(opts: ActivateOptions = {}): Promise<Activated> {
  fake.reset();
  for (const [k, v] of Object.entries(opts.settings ?? {})) fake.settings.global.set(k, v);
  if (opts.baseUrl !== undefined) fake.settings.global.set('qoder.apiBaseUrl', opts.baseUrl);
  if (opts.showArchived) fake.settings.global.set('qoder.showArchived', true);
  const secrets = opts.secrets ?? new FakeSecretStorage();
  for (const [url, token] of Object.entries(opts.tokens ?? {})) secrets.data.set(secretKey(url), token);
  if (opts.token) secrets.data.set(secretKey(opts.baseUrl ?? 'https://api.qoder.com/api/v1/cloud'), opts.token);
  const subscriptions: { dispose(): unknown }[] = [];
  const globalState = opts.globalState ?? new FakeMemento();
  const context = {
    subscriptions,
    secrets,
    globalState,
    extensionMode: ExtensionMode.Test,
    extensionUri: Uri.from({ scheme: 'file', path: '/extension' }),
    extension: { packageJSON: { version: '0.0.0-test' } },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const hooks = await start(context as any, { fetch: opts.fetch });
  if (!hooks) throw new Error('activate() returned no test hooks in Test mode');
  return {
    hooks,
    secrets,
    globalState,
    dispose: () => {
      for (const d of subscriptions.reverse()) d.dispose();
    },
  };
}

/** Activates against a running local API with a token, waits for the first load, forgets its requests. */
export async function activateConnected(api: { baseUrl: string; resetRequests(): void }, token: string): Promise<Activated> {
  const ext = await activateExtension({ baseUrl: api.baseUrl, token });
  await ext.hooks.services.store.refresh();
  // The look for runs waiting for a decision that follows a complete load, before counting.
  await ext.hooks.waitingChecked();
  api.resetRequests();
  return ext;
}

/** Runs a registered command through the fake, as VS Code would. */
export const cmd = (id: string, ...args: unknown[]): Promise<void> => fake.commands.get(id)!(...args) as Promise<void>;

/** Waits until `cond` holds, polling the event loop (no fixed sleeps). */
export async function until(cond: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export { fake };
