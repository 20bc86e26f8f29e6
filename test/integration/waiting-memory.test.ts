// The look for runs waiting for a decision across a reload, under the fake vscode against the
// local API: the first activation reads the newest events of each recent idle session; a reload
// of the same profile (the same globalState) reads only the session that still waits, tells it
// again, and nothing stored names the token. Waits on the look itself, never on the clock.

import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateExtension, fake, until } from '../unit/harness';
import { FakeMemento } from '../fakes/vscode';

const TOKEN = 'pt-unit-waiting-memory-secret-5531';
/** Another account holding the very same sessions (same seed, same ids): only the account name can tell them apart. */
const TWIN = 'pt-unit-waiting-memory-twin-8802';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 30, quiet: true, accounts: [{ token: TWIN, seed: 30, seedOffset: 0 }] });
});
after(() => api.close());
afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

/** Activates on `globalState`, waits for the first load and the look that follows it; the sessions whose events it read. */
async function activateAndLook(globalState: FakeMemento, token = TOKEN): Promise<string[]> {
  api.resetRequests();
  ext = await activateExtension({ baseUrl: api.baseUrl, token, globalState });
  await until(() => ext!.hooks.services.store.state === 'ready' && !ext!.hooks.services.store.isLoading, 'the first load');
  await ext.hooks.waitingChecked();
  return api.requests.filter((r) => r.method === 'GET' && /\/sessions\/[^/]+\/events$/.test(r.path)).map((r) => r.path.replace(/^.*\/sessions\/([^/]+)\/events$/, '$1'));
}

test('a reload reads the events of the waiting session only: the sessions found not waiting are remembered while their updated_at stays', async () => {
  const waiting = api.sessions().waitingSessionId()!;
  const globalState = new FakeMemento();
  const first = await activateAndLook(globalState);
  assert.ok(first.includes(waiting) && first.length > 2, `the first look reads every recent idle session (${first.length})`);
  assert.equal(api.requests.filter((r) => /\/sessions$/.test(r.path)).length, 1, 'one page of idle sessions says which can wait');
  ext!.dispose();
  ext = undefined;

  const reload = await activateAndLook(globalState);
  assert.deepEqual(reload, [waiting], 'only the session that waits is read again');
  await until(() => fake.shown.some((s) => s.message.includes('Waiting for your decision')), 'the waiting run is told again after the reload');

  const stored = JSON.stringify([...globalState.data]);
  assert.ok(!stored.includes(TOKEN) && !stored.includes(TOKEN.slice(3, 15)), 'nothing stored names the token');
});

test('another account on the same profile, even one with the same session ids, reads every recent idle session again', async () => {
  const globalState = new FakeMemento();
  const first = await activateAndLook(globalState);
  ext!.dispose();
  ext = undefined;
  const twin = await activateAndLook(globalState, TWIN);
  assert.deepEqual([...twin].sort(), [...first].sort(), 'what the first account learned is not used for the second');
  assert.ok(!JSON.stringify([...globalState.data]).includes(TWIN), 'nothing stored names the second token either');
});
