// The one path every mutation takes (archive, pause, resume, run now) and the races it closes:
// answers from an old connection, list walks older than a mutation, double confirmations.
// The real extension under the fake vscode, against an in-memory API (no socket).

import { test, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Activated, activateExtension, cmd, fake, until } from './harness';
import { FakeApi, deploymentJson } from '../fakes/api';
import { Regions } from '../../src/platform/constants';

const GLOBAL = Regions[0].baseUrl;
const CHINA = Regions[1].baseUrl;
const originOf = (url: string) => new URL(url).origin;
let ext: Activated | undefined;

afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

async function connected(api: FakeApi, opts: { tokens?: Record<string, string> } = {}): Promise<Activated> {
  ext = await activateExtension({ baseUrl: GLOBAL, token: 'pt-unit-mutations-A-0001', fetch: api.fetch, tokens: opts.tokens });
  await ext.hooks.services.store.refresh();
  assert.equal(ext.hooks.services.store.state, 'ready');
  return ext;
}

const store = () => ext!.hooks.services.store;
const dropLines = () => fake.logLines.filter((l) => /connection changed/i.test(l));

test('a pause answered after the token was cleared is dropped: the signed-out view shows no row, one log line says so', async () => {
  const api = new FakeApi({ [originOf(GLOBAL)]: [deploymentJson(1), deploymentJson(2)] });
  await connected(api);
  const held = api.hold('POST', '/pause');
  const pausing = cmd('qoder.pauseDeployment', deploymentJson(1).id);
  await held.arrived;
  await cmd('qoder.clearToken');
  assert.equal(store().state, 'signedOut');
  held.release();
  await pausing;
  assert.equal(store().state, 'signedOut');
  assert.deepEqual(store().deployments, [], 'no row from the old connection');
  assert.equal(dropLines().length, 1);
});

test('a pause answered after a switch to another region is dropped: region B never shows region A’s deployment', async () => {
  const a = deploymentJson(1);
  const b = deploymentJson(2);
  const api = new FakeApi({ [originOf(GLOBAL)]: [a], [originOf(CHINA)]: [b] });
  await connected(api, { tokens: { [CHINA]: 'pt-unit-mutations-B-0002' } });
  const held = api.hold('POST', '/pause');
  const pausing = cmd('qoder.pauseDeployment', a.id);
  await held.arrived;
  fake.pickAnswers.push((items) => items.find((i: { baseUrl: string }) => i.baseUrl === CHINA));
  await cmd('qoder.switchRegion');
  await store().refresh();
  assert.deepEqual(store().deployments.map((d) => d.id), [b.id]);
  held.release();
  await pausing;
  assert.deepEqual(store().deployments.map((d) => d.id), [b.id], 'region A’s row is not mixed into region B');
  assert.equal(dropLines().length, 1);
});

test('a list walk that started before a pause cannot flip the paused row back to active', async () => {
  const d = deploymentJson(1);
  const api = new FakeApi({ [originOf(GLOBAL)]: [d, deploymentJson(2)] });
  await connected(api);
  const heldList = api.hold('GET', /\/deployments$/);
  const walking = store().refresh();
  await heldList.arrived; // the walk's answer is computed now: still active
  await cmd('qoder.pauseDeployment', d.id);
  assert.equal(store().get(d.id as string)?.status, 'paused');
  heldList.release();
  await walking;
  assert.equal(store().get(d.id as string)?.status, 'paused', 'the older copy did not replace the newer one');
  assert.match(ext!.hooks.tree.getTreeItem(ext!.hooks.tree.nodeFor(d.id as string)).contextValue ?? '', /\bresumable\b/);
});

test('archive: a second invocation while the confirmation for the same deployment is open shows no second modal', async () => {
  const d = deploymentJson(1);
  const api = new FakeApi({ [originOf(GLOBAL)]: [d] });
  await connected(api);
  let answer!: (v: string | undefined) => void;
  fake.answers.push(() => new Promise<string | undefined>((resolve) => (answer = resolve)) as unknown as string);
  const first = cmd('qoder.archiveDeployment', d.id);
  await until(() => fake.shown.some((s) => s.options?.modal === true), 'the first modal');
  await cmd('qoder.archiveDeployment', d.id);
  answer('Archive');
  await first;
  assert.equal(fake.shown.filter((s) => s.options?.modal === true).length, 1, 'one modal');
  assert.equal(api.requests.filter((r) => r.method === 'POST').length, 1, 'one POST');
});

test('run now: a second invocation while the question for the same deployment is open asks nothing', async () => {
  const d = deploymentJson(1);
  const api = new FakeApi({ [originOf(GLOBAL)]: [d] });
  await connected(api);
  let answer!: (v: string | undefined) => void;
  fake.answers.push(() => new Promise<string | undefined>((resolve) => (answer = resolve)) as unknown as string);
  const first = cmd('qoder.runDeployment', d.id);
  await until(() => fake.shown.some((s) => s.items.includes('Run Now')), 'the first question');
  await cmd('qoder.runDeployment', d.id);
  answer('Run Now');
  await first;
  assert.equal(fake.shown.filter((s) => s.items.includes('Run Now')).length, 1, 'asked once');
  assert.equal(api.requests.filter((r) => r.method === 'POST').length, 1, 'one POST');
});
