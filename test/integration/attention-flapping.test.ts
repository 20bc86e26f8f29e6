// Notify once per problem (issue 19 item 10), in the extension under the fake vscode against the
// local API: deployments flapping between active and paused after an error notify once each until
// the user has seen the notification.

import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { invalidate } from '../local-api/model';
import { type Activated, activateConnected, fake } from '../unit/harness';
import type { Deployment } from '../../src/api';

const TOKEN = 'pt-unit-flapping-secret-0193';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 40, quiet: true });
});
after(() => api.close());
afterEach(() => {
  ext?.dispose();
  ext = undefined;
  api.reseed(40);
});

function setPausedOnError(id: string, paused: boolean): void {
  const rec = api.account(TOKEN).record(id)!;
  rec.status = paused ? 'paused' : 'active';
  rec.paused_reason = paused ? { type: 'error', error: { type: 'environment_not_found_error' } } : null;
  invalidate(rec);
}

function healthyActive(e: Activated, n: number): Deployment[] {
  return e.hooks.services.store.deployments.filter((d) => d.status === 'active' && !d.archived_at && !d.stats?.consecutive_failures).slice(0, n);
}

const pausedNotices = (): number => fake.shown.filter((s) => s.message.includes('was paused after an error')).length;

/** The user has not looked at the notifications yet: they stay open (their promise never settles). */
const leaveOpen = (): void => {
  for (let i = 0; i < 50; i++) fake.answers.push((() => new Promise(() => undefined)) as unknown as () => undefined);
};

test('three deployments flapping between active and paused-on-error over 10 loads notify once each while the user has not looked', async () => {
  ext = await activateConnected(api, TOKEN);
  const targets = healthyActive(ext, 3);
  assert.equal(targets.length, 3);
  leaveOpen();
  for (let load = 0; load < 10; load++) {
    for (const t of targets) setPausedOnError(t.id, load % 2 === 0);
    await ext.hooks.services.store.refresh();
  }
  assert.equal(pausedNotices(), 3);
});

test('a deployment paused after an error again after the user closed its notification notifies again', async () => {
  ext = await activateConnected(api, TOKEN);
  const [target] = healthyActive(ext, 1);
  setPausedOnError(target!.id, true);
  await ext.hooks.services.store.refresh(); // notified, and closed (the fake answers undefined)
  assert.equal(pausedNotices(), 1);
  setPausedOnError(target!.id, false);
  await ext.hooks.services.store.refresh();
  setPausedOnError(target!.id, true);
  await ext.hooks.services.store.refresh();
  assert.equal(pausedNotices(), 2);
});
