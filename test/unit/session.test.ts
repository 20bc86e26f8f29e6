// Session and settings wiring: a failing SecretStorage, and the Show/Hide Archived scope.

import { test, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Activated, activateExtension, cmd, fake } from './harness';
import { FakeSecretStorage } from '../fakes/vscode';
import { FakeApi, deploymentJson } from '../fakes/api';
import { secretKey } from '../../src/connection/tokenStore';
import { Regions } from '../../src/platform/constants';

const GLOBAL = Regions[0].baseUrl;
let ext: Activated | undefined;

afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

test('session: a SecretStorage that rejects once does not stick reload(), shows one error and leaves no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const api = new FakeApi({ [new URL(GLOBAL).origin]: [deploymentJson(1)] });
    const secrets = new FakeSecretStorage();
    secrets.data.set(secretKey(GLOBAL), 'pt-unit-session-0001');
    let failures = 1;
    const realGet = secrets.get.bind(secrets);
    secrets.get = (key: string) => (failures-- > 0 ? Promise.reject(new Error('keychain locked')) : realGet(key));
    ext = await activateExtension({ baseUrl: GLOBAL, fetch: api.fetch, secrets });
    assert.equal(fake.shown.filter((s) => s.kind === 'error').length, 1, 'the failure is shown once');
    await ext.hooks.services.connection.reload();
    assert.equal(ext.hooks.services.connection.hasToken, true, 'a later reload reads the token');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('hide archived writes the scope that holds the value: a workspace-level showArchived is turned off', async () => {
  ext = await activateExtension({});
  fake.settings.workspace.set('qoder.showArchived', true);
  fake.configListeners.fire({ affectsConfiguration: (k: string) => k === 'qoder.showArchived' || k === 'qoder' });
  assert.equal(ext.hooks.services.store.showsArchived, true);
  await cmd('qoder.hideArchived');
  assert.equal(ext.hooks.services.store.showsArchived, false);
  assert.equal(fake.settings.workspace.get('qoder.showArchived'), false);
  await cmd('qoder.showArchived');
  assert.equal(ext.hooks.services.store.showsArchived, true);
});
