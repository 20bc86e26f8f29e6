// The details document: read-only (it never writes to the store) and live (it announces changes).

import { test, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Activated, activateExtension } from './harness';
import { FakeApi, deploymentJson } from '../fakes/api';
import { Regions } from '../../src/platform/constants';
import { DetailsProvider, detailsUri } from '../../src/deployments/detailsDocument';

const GLOBAL = Regions[0].baseUrl;
let ext: Activated | undefined;

afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

async function connected(api: FakeApi): Promise<Activated> {
  ext = await activateExtension({ baseUrl: GLOBAL, token: 'pt-unit-details-0001', fetch: api.fetch });
  await ext.hooks.services.store.refresh();
  return ext;
}

test('details: reading a document does not write to the store', async () => {
  const d = deploymentJson(1);
  const api = new FakeApi({ [new URL(GLOBAL).origin]: [d] });
  await connected(api);
  const store = ext!.hooks.services.store;
  const before = store.get(d.id as string);
  let changes = 0;
  store.onDidChange(() => changes++);
  const provider = new DetailsProvider(ext!.hooks.services);
  const text = await provider.provideTextDocumentContent(detailsUri(d.id as string));
  assert.equal(JSON.parse(text).id, d.id);
  assert.equal(store.get(d.id as string), before, 'the store row is untouched');
  assert.equal(changes, 0, 'no store event');
});

test('details: an open document is told to reload when its deployment changes in the store', async () => {
  const d = deploymentJson(1);
  const api = new FakeApi({ [new URL(GLOBAL).origin]: [d, deploymentJson(2)] });
  await connected(api);
  const store = ext!.hooks.services.store;
  const provider = new DetailsProvider(ext!.hooks.services) as DetailsProvider & { onDidChange?: (l: (u: { path: string }) => void) => { dispose(): void } };
  assert.equal(typeof provider.onDidChange, 'function', 'the provider has onDidChange');
  const uri = detailsUri(d.id as string);
  await provider.provideTextDocumentContent(uri);
  const changed: string[] = [];
  provider.onDidChange!((u: { path: string }) => changed.push(u.path));
  const paused = { ...store.get(d.id as string)!, status: 'paused' };
  store.replace(paused, store.ticket());
  assert.deepEqual(changed, [uri.path]);
});
