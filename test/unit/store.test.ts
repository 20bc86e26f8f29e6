import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DeploymentStore, type DeploymentSource, type LoadResult } from '../../src/deployments/model/deploymentStore';
import { RunStore } from '../../src/runs/model/runStore';
import { QoderApiError, type Deployment, type DeploymentRun, type ListPage } from '../../src/api';
import { fixture, run, variant } from './fixtures';

/** A source whose walks are resolved by the test, one at a time. */
function scripted() {
  const calls: { includeArchived: boolean; signal: AbortSignal; resolve: (r: LoadResult) => void; reject: (e: unknown) => void }[] = [];
  const source: DeploymentSource = {
    listAll: (includeArchived, signal) => new Promise((resolve, reject) => calls.push({ includeArchived, signal, resolve, reject })),
  };
  return { source, calls };
}

const tick = () => new Promise((r) => setImmediate(r));
const ok = (deployments: Deployment[]): LoadResult => ({ deployments, invalid: [] });

test('store: signed out until a source is set, then loading, then ready', async () => {
  const store = new DeploymentStore();
  assert.equal(store.state, 'signedOut');
  const { source, calls } = scripted();
  store.setSource(source);
  assert.equal(store.state, 'loading');
  const p = store.refresh();
  assert.equal(calls.length, 1);
  calls[0].resolve(ok([fixture('active'), fixture('paused')]));
  await p;
  assert.equal(store.state, 'ready');
  assert.deepEqual(store.deployments.map((d) => d.id), [fixture('active').id, fixture('paused').id]);
  assert.equal(store.get(fixture('paused').id)?.status, 'paused');
});

test('store: an empty account reads as empty, not error', async () => {
  const store = new DeploymentStore();
  const { source, calls } = scripted();
  store.setSource(source);
  const p = store.refresh();
  calls[0].resolve(ok([]));
  await p;
  assert.equal(store.state, 'empty');
});

test('store: concurrent refreshes join one walk', async () => {
  const store = new DeploymentStore();
  const { source, calls } = scripted();
  store.setSource(source);
  const ps = Array.from({ length: 20 }, () => store.refresh());
  assert.equal(calls.length, 1);
  calls[0].resolve(ok([fixture('active')]));
  await Promise.all(ps);
  assert.equal(store.walks, 1);
});

test('store: a fresh refresh during a walk runs exactly one more walk afterwards', async () => {
  const store = new DeploymentStore();
  const { source, calls } = scripted();
  store.setSource(source);
  const first = store.refresh();
  const fresh = [store.refresh({ fresh: true }), store.refresh({ fresh: true }), store.refresh({ fresh: true })];
  calls[0].resolve(ok([fixture('active')]));
  await tick();
  assert.equal(calls.length, 2, 'one follow-up walk for three fresh requests');
  calls[1].resolve(ok([fixture('active'), fixture('paused')]));
  await Promise.all([first, ...fresh]);
  assert.equal(store.deployments.length, 2, 'ends in the state of the last walk');
  assert.equal(store.walks, 2);
});

test('store: a failed refresh keeps the list and marks it stale', async () => {
  let now = 1000;
  const store = new DeploymentStore({ now: () => now });
  const { source, calls } = scripted();
  store.setSource(source);
  const p1 = store.refresh();
  calls[0].resolve(ok([fixture('active')]));
  await p1;
  now = 2000;
  const p2 = store.refresh();
  const err = new QoderApiError({ status: 503, type: 'api_error', message: 'down' });
  calls[1].reject(err);
  await p2;
  assert.equal(store.state, 'ready');
  assert.equal(store.stale, true);
  assert.equal(store.error, err);
  assert.equal(store.deployments.length, 1, 'the list already shown is kept');
  assert.equal(store.lastUpdated, 1000, 'last good load time is kept');
});

test('store: a failed first load is an error state, and a retry clears it', async () => {
  const store = new DeploymentStore();
  const { source, calls } = scripted();
  store.setSource(source);
  const p = store.refresh();
  calls[0].reject(new Error('boom'));
  await p;
  assert.equal(store.state, 'error');
  const p2 = store.refresh();
  calls[1].resolve(ok([fixture('active')]));
  await p2;
  assert.equal(store.state, 'ready');
  assert.equal(store.error, undefined);
  assert.equal(store.stale, false);
});

test('store: a new source discards the old walk (rapid token change)', async () => {
  const store = new DeploymentStore();
  const a = scripted();
  const b = scripted();
  store.setSource(a.source);
  const pa = store.refresh();
  store.setSource(b.source);
  assert.equal(a.calls[0].signal.aborted, true, 'the old walk is aborted');
  const pb = store.refresh();
  b.calls[0].resolve(ok([fixture('paused')]));
  await pb;
  a.calls[0].resolve(ok([fixture('active')]));
  await pa;
  await tick();
  assert.deepEqual(store.deployments.map((d) => d.id), [fixture('paused').id], 'never the old token\'s data');
});

test('store: replace puts an update in place; an archived copy leaves when archived are hidden', async () => {
  const store = new DeploymentStore();
  const { source, calls } = scripted();
  store.setSource(source);
  const p = store.refresh();
  const a = variant('active', 1);
  const b = variant('active', 2);
  calls[0].resolve(ok([a, b]));
  await p;
  let changes = 0;
  store.onDidChange(() => changes++);
  store.replace({ ...a, status: 'paused' }, store.ticket());
  assert.equal(store.get(a.id)?.status, 'paused');
  assert.deepEqual(store.deployments.map((d) => d.id), [a.id, b.id], 'order kept');
  store.replace({ ...b, archived_at: '2026-07-14T00:00:00Z' }, store.ticket());
  assert.equal(store.get(b.id), undefined);
  assert.deepEqual(store.deployments.map((d) => d.id), [a.id]);
  assert.equal(changes, 2);
});

test('store: with archived shown, an archived copy stays, and the walk asks for archived', async () => {
  const store = new DeploymentStore({ includeArchived: true });
  const { source, calls } = scripted();
  store.setSource(source);
  const p = store.refresh();
  assert.equal(calls[0].includeArchived, true);
  const a = variant('active', 1);
  calls[0].resolve(ok([a]));
  await p;
  store.replace({ ...a, archived_at: '2026-07-14T00:00:00Z' }, store.ticket());
  assert.ok(store.get(a.id)?.archived_at);
});

test('store: hiding archived drops them at once and reloads without them', async () => {
  const store = new DeploymentStore({ includeArchived: true });
  const { source, calls } = scripted();
  store.setSource(source);
  const p = store.refresh();
  calls[0].resolve(ok([fixture('active'), fixture('archived')]));
  await p;
  assert.equal(store.deployments.length, 2);
  const p2 = store.setIncludeArchived(false);
  assert.equal(store.deployments.length, 1, 'hidden before the reload answers');
  assert.equal(calls[1].includeArchived, false);
  calls[1].resolve(ok([fixture('active')]));
  await p2;
});

test('store: beginAction guards a second action on the same deployment', () => {
  const store = new DeploymentStore();
  assert.equal(store.beginAction('dep_1', 'Archiving…'), true);
  assert.equal(store.beginAction('dep_1', 'Archiving…'), false);
  assert.equal(store.pendingAction('dep_1'), 'Archiving…');
  assert.equal(store.beginAction('dep_2', 'Pausing…'), true);
  store.endAction('dep_1');
  assert.equal(store.pendingAction('dep_1'), undefined);
  assert.equal(store.beginAction('dep_1', 'Archiving…'), true);
});

test('store: unreadable items count from the last complete walk only, never become rows, and are forgotten on another connection', async () => {
  const store = new DeploymentStore();
  const { source, calls } = scripted();
  store.setSource(source);
  const good = fixture('active');
  const unreadable = [{ index: 1, id: 'dep_broken', reason: 'missing name' }];
  const first = store.refresh();
  calls[0]!.resolve({ deployments: [good], invalid: unreadable });
  await first;
  assert.deepEqual(store.deployments.map((d) => d.id), [good.id], 'only readable deployments are rows');
  assert.deepEqual(store.invalid, unreadable);
  // A failed walk says nothing new about what could be read: the last complete walk's count stays.
  const failed = store.refresh();
  calls[1]!.reject(new QoderApiError({ status: 503, type: 'api_error', message: 'down' }));
  await failed;
  assert.deepEqual(store.invalid, unreadable);
  // The next complete walk read everything: the count goes.
  const clean = store.refresh();
  calls[2]!.resolve(ok([good]));
  await clean;
  assert.deepEqual(store.invalid, []);
  // Another connection starts from nothing, even mid-way.
  const again = store.refresh();
  calls[3]!.resolve({ deployments: [good], invalid: unreadable });
  await again;
  store.setSource(scripted().source);
  assert.deepEqual(store.invalid, []);
});

function runsPage(runs: DeploymentRun[], next: string | null): ListPage<DeploymentRun> {
  return { data: runs, first_id: runs[0]?.id ?? null, last_id: runs.at(-1)?.id ?? null, has_more: next !== null, next_page: next, invalid: [] };
}

test('run store: first page once, "load more" locked against double loads, no duplicates', async () => {
  const calls: { id: string; page?: string; resolve: (p: ListPage<DeploymentRun>) => void }[] = [];
  const runs = new RunStore(2);
  runs.setSource({ listRunsPage: (id, filter) => new Promise((resolve) => calls.push({ id, page: filter.page, resolve })) });
  const e1 = runs.ensure('dep_a');
  const e2 = runs.ensure('dep_a');
  assert.equal(calls.length, 1);
  const r1 = run('manual');
  const r2 = run('schedule-failed');
  calls[0].resolve(runsPage([r1, r2], r2.id));
  await Promise.all([e1, e2]);
  assert.equal(runs.get('dep_a')?.runs.length, 2);
  assert.equal(runs.get('dep_a')?.hasMore, true);
  const m1 = runs.loadMore('dep_a');
  const m2 = runs.loadMore('dep_a');
  assert.equal(calls.length, 2, 'a double click loads one page');
  assert.equal(calls[1].page, r2.id);
  const r3 = { ...run('legacy'), id: 'drun_019f0b2a5c3e7d81b4a09e6f2c7d15ff' };
  calls[1].resolve(runsPage([r2, r3], null));
  await Promise.all([m1, m2]);
  assert.deepEqual(runs.get('dep_a')?.runs.map((r) => r.id), [r1.id, r2.id, r3.id], 'a repeated run is not listed twice');
  assert.equal(runs.get('dep_a')?.hasMore, false);
  await runs.loadMore('dep_a');
  assert.equal(calls.length, 2, 'nothing more to load');
});

test('run store: an error is kept for display and a retry after invalidate refetches', async () => {
  let fail = true;
  let n = 0;
  const runs = new RunStore();
  runs.setSource({ listRunsPage: async () => { n++; if (fail) throw new Error('nope'); return runsPage([run('manual')], null); } });
  await runs.ensure('dep_a');
  assert.ok(runs.get('dep_a')?.error);
  fail = false;
  runs.invalidate('dep_a');
  await runs.ensure('dep_a');
  assert.equal(runs.get('dep_a')?.error, undefined);
  assert.equal(n, 2);
});

test('store: the first load shows rows as pages arrive; a later refresh never shows a partial list', async () => {
  const store = new DeploymentStore();
  const a = variant('active', 1);
  const b = variant('active', 2);
  const c = variant('active', 3);
  let page: ((soFar: readonly Deployment[]) => void) | undefined;
  let finish: ((r: LoadResult) => void) | undefined;
  store.setSource({
    listAll: (_inc, _signal, onPage) => new Promise((resolve) => {
      page = onPage;
      finish = resolve;
    }),
  });
  const first = store.refresh();
  page!([a]);
  assert.deepEqual(store.deployments.map((d) => d.id), [a.id], 'first page shown at once');
  assert.equal(store.state, 'loading', 'still loading');
  page!([a, b]);
  assert.equal(store.deployments.length, 2);
  finish!(ok([a, b, c]));
  await first;
  assert.equal(store.state, 'ready');
  assert.equal(store.deployments.length, 3);

  const second = store.refresh({ fresh: true });
  page!([a]);
  assert.equal(store.deployments.length, 3, 'a refresh keeps the whole list until it completes');
  finish!(ok([a, b]));
  await second;
  assert.deepEqual(store.deployments.map((d) => d.id), [a.id, b.id]);
});

test('store: pages of an old token\'s walk are ignored', async () => {
  const store = new DeploymentStore();
  let oldPage: ((soFar: readonly Deployment[]) => void) | undefined;
  store.setSource({ listAll: (_i, _s, onPage) => { oldPage = onPage; return new Promise(() => undefined); } });
  void store.refresh();
  store.setSource({ listAll: () => new Promise(() => undefined) });
  void store.refresh();
  oldPage!([fixture('active')]);
  assert.equal(store.deployments.length, 0);
});
