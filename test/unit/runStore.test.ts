// RunStore: invalidation is announced, a failed first page is fetched again, and the request
// can be cancelled.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RunStore, type RunSource } from '../../src/runs/model/runStore';
import type { DeploymentRun, ListPage } from '../../src/api';

const ID = 'dep_019f0a6c2e4b7f18a3d95c0e61b7f24d';
const page = (): ListPage<DeploymentRun> => ({ data: [], first_id: null, last_id: null, has_more: false, next_page: null, invalid: [] });

test('runs: invalidate() fires onDidChange for that deployment, so an expanded row reloads', async () => {
  const runs = new RunStore();
  runs.setSource({ listRunsPage: async () => page() });
  await runs.ensure(ID);
  const fired: string[] = [];
  runs.onDidChange((id) => fired.push(id));
  runs.invalidate(ID);
  assert.deepEqual(fired, [ID]);
});

test('runs: after a failed first page, retrying (Load more / the error row) asks again instead of keeping the error forever', async () => {
  let calls = 0;
  const runs = new RunStore();
  runs.setSource({
    listRunsPage: async () => {
      calls++;
      if (calls === 1) throw new Error('network down');
      return page();
    },
  });
  await runs.ensure(ID);
  assert.ok(runs.get(ID)?.error);
  await runs.ensure(ID);
  assert.equal(calls, 1, 'a view asking again does not retry in a loop');
  await runs.loadMore(ID);
  assert.equal(calls, 2);
  assert.equal(runs.get(ID)?.error, undefined);
});

test('runs: the page request gets an AbortSignal, aborted when the runs are invalidated', async () => {
  const signals: (AbortSignal | undefined)[] = [];
  const source: RunSource = {
    listRunsPage: (_id, _filter, signal) => {
      signals.push(signal);
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    },
  };
  const runs = new RunStore();
  runs.setSource(source);
  const loading = runs.ensure(ID);
  assert.ok(signals[0] instanceof AbortSignal, 'a signal is passed down');
  runs.invalidate(ID);
  assert.equal(signals[0]?.aborted, true);
  await loading;
});
