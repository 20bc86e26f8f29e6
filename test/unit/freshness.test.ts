// The refresh strategy of issue 22, each mechanism on a fake clock: the runs feed high-water
// mark, the first-page stop, the wake-up after upcoming_runs_at, a failed run's one re-read, and
// reconciliation finding a change made elsewhere.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDeployment, parseRun } from '../../src/api/parse';
import type { Deployment, DeploymentRun } from '../../src/api/types';
import { RecheckRotation, RunsFeed, earliestDue, newAboveKnown, nextFeedDelay, type WakeOptions } from '../../src/deployments/model/freshness';
import { ChangeWatch, WATCH, type WatchSource, type WatchStore } from '../../src/deployments/model/changeWatch';
import { DeploymentStore } from '../../src/deployments/model/deploymentStore';
import { deploymentJson } from '../fakes/api';

const T0 = Date.parse('2026-12-06T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function dep(n: number, patch: Record<string, unknown> = {}): Deployment {
  return parseDeployment(deploymentJson(n, patch));
}

function run(n: number, deployment: number, at: number, patch: Record<string, unknown> = {}): DeploymentRun {
  return parseRun({
    id: `drun_${n.toString(16).padStart(32, '0')}`,
    type: 'deployment_run',
    deployment_id: `dep_${deployment.toString(16).padStart(32, '0')}`,
    agent: { id: 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b', type: 'agent', version: 1 },
    created_at: iso(at),
    session_id: 'sesn_019f0b2a5c3e7d81b4a09e6f2c7d15a3',
    error: null,
    trigger_context: { type: 'schedule', scheduled_at: iso(at) },
    ...patch,
  });
}

test('runs feed: the mark is the newest created_at answered, and gte runs of the same second come back once', () => {
  const feed = new RunsFeed();
  assert.equal(feed.since, undefined);
  // First answer: history, only sets the mark.
  assert.deepEqual(feed.accept([run(2, 1, T0 + 1_000), run(1, 1, T0)]), []);
  assert.equal(feed.since, iso(T0 + 1_000));
  // Two runs in the mark's second: one known (sent again because of gte), one committed late.
  const fresh = feed.accept([run(3, 2, T0 + 1_000), run(2, 1, T0 + 1_000)]);
  assert.deepEqual(fresh.map((r) => r.id), [run(3, 2, 0).id]);
  assert.equal(feed.since, iso(T0 + 1_000));
  // The same answer again brings nothing new.
  assert.deepEqual(feed.accept([run(3, 2, T0 + 1_000), run(2, 1, T0 + 1_000)]), []);
  // A later second moves the mark; the new runs come oldest first.
  const later = feed.accept([run(5, 1, T0 + 3_000), run(4, 3, T0 + 2_000), run(3, 2, T0 + 1_000)]);
  assert.deepEqual(later.map((r) => r.id), [run(4, 0, 0).id, run(5, 0, 0).id]);
  assert.equal(feed.since, iso(T0 + 3_000));
});

test('runs feed: an account without runs at the first read: every later run is news', () => {
  const feed = new RunsFeed();
  assert.deepEqual(feed.accept([]), []);
  assert.equal(feed.primed, true);
  assert.deepEqual(feed.accept([run(1, 1, T0)]).map((r) => r.id), [run(1, 0, 0).id]);
  assert.equal(feed.since, iso(T0));
});

test('runs feed: the mark never comes from the local clock, and an older run answered is not news', () => {
  const feed = new RunsFeed();
  feed.accept([run(1, 1, T0)]);
  assert.deepEqual(feed.accept([run(9, 1, T0 - 5_000)]), []);
  assert.equal(feed.since, iso(T0));
  // An empty answer keeps the mark.
  assert.deepEqual(feed.accept([]), []);
  assert.equal(feed.since, iso(T0));
});

test('first-page stop: the deployments above the first known id are new; no known id means read on', () => {
  const page = [dep(30), dep(29), dep(28), dep(27)];
  const known = new Set([dep(28).id, dep(27).id]);
  const found = newAboveKnown(page, (id) => known.has(id));
  assert.deepEqual(found.fresh.map((d) => d.name), ['deployment-30', 'deployment-29']);
  assert.equal(found.complete, true);
  assert.equal(newAboveKnown(page, () => false).complete, false);
});

const wake: WakeOptions = { minGapMs: 30_000, idleMs: 60_000, emptyPolls: 0, maxIdleMs: 240_000, lagMs: 2_000, jitterMs: 3_000 };

test('wake-up: just after the earliest upcoming_runs_at (lag plus jitter), never sooner than the minimum gap', () => {
  const list = [
    dep(1, { schedule: { type: 'cron', expression: '* * * * *', timezone: 'UTC', upcoming_runs_at: [iso(T0 - 60_000), iso(T0 + 45_000)], last_run_at: null } }),
    dep(2, { schedule: { type: 'cron', expression: '* * * * *', timezone: 'UTC', upcoming_runs_at: [iso(T0 + 50_000)], last_run_at: null } }),
    // Paused and archived deployments do not fire.
    dep(3, { status: 'paused', paused_reason: { type: 'manual' }, schedule: { type: 'cron', expression: '* * * * *', timezone: 'UTC', upcoming_runs_at: [iso(T0 + 35_000)], last_run_at: null } }),
  ];
  const due = earliestDue(list, T0);
  assert.equal(due, T0 + 45_000);
  assert.equal(nextFeedDelay(T0, due, wake, () => 0), 47_000);
  assert.equal(nextFeedDelay(T0, due, wake, () => 1), 50_000);
  // Due very soon: still the minimum gap.
  assert.equal(nextFeedDelay(T0, T0 + 1_000, wake, () => 0), 30_000);
});

test('wake-up: nothing due backs off from the idle wait, doubling per empty poll up to the cap', () => {
  assert.equal(nextFeedDelay(T0, undefined, wake, () => 0), 60_000);
  assert.equal(nextFeedDelay(T0, undefined, { ...wake, emptyPolls: 1 }, () => 0), 120_000);
  assert.equal(nextFeedDelay(T0, undefined, { ...wake, emptyPolls: 5 }, () => 0), 240_000);
  // Due later than the idle wait: the idle wait wins.
  assert.equal(nextFeedDelay(T0, T0 + 3_600_000, wake, () => 0), 60_000);
});

test('recheck rotation: one row per period, round robin over the rows looked at', () => {
  const r = new RecheckRotation(60_000);
  assert.equal(r.next(T0, ['a', 'b']), 'a');
  assert.equal(r.next(T0 + 59_999, ['a', 'b']), undefined);
  assert.equal(r.next(T0 + 60_000, ['a', 'b']), 'b');
  assert.equal(r.next(T0 + 120_000, ['a', 'b']), 'a');
  assert.equal(r.next(T0 + 180_000, []), undefined);
});

/** A fake API behind the watch: counts each kind of request; the clock moves only when told. */
function harness(opts: { deployments: Deployment[]; lookedAt?: string[] }) {
  let now = T0;
  const server = new Map(opts.deployments.map((d) => [d.id, d]));
  const serverRuns: DeploymentRun[] = [];
  const calls: string[] = [];
  const source: WatchSource = {
    runsSince: async (since) => {
      calls.push(`runs ${since ?? '-'}`);
      const from = since === undefined ? -Infinity : Date.parse(since);
      return serverRuns.filter((r) => Date.parse(r.created_at) >= from).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    },
    deploymentPages: async function* () {
      const all = [...server.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
      for (let i = 0; i < all.length; i += 2) {
        calls.push('page');
        yield all.slice(i, i + 2);
      }
    },
    getDeployment: async (id) => {
      calls.push(`get ${id}`);
      return server.get(id);
    },
    sessionStatus: async (id) => {
      calls.push(`session ${id}`);
      return 'idle';
    },
  };
  const store = new DeploymentStore({ now: () => now });
  store.setSource({ listAll: async () => ({ deployments: [...server.values()].sort((a, b) => b.created_at.localeCompare(a.created_at)), invalid: [] }) });
  let walks = 0;
  const watch = new ChangeWatch(
    source,
    store as WatchStore,
    {
      fullWalk: async () => {
        walks++;
        calls.push('walk');
        await store.refresh({ fresh: true });
      },
    },
    () => ({ freshnessMs: 60_000, backgroundMs: 10 * 60_000 }),
    () => opts.lookedAt ?? [],
    () => now,
    () => 0,
  );
  return {
    store,
    watch,
    server,
    serverRuns,
    calls,
    walks: () => walks,
    advance: (ms: number) => void (now += ms),
    now: () => now,
    async load() {
      await store.refresh();
      watch.walked(now);
    },
  };
}

test('watch: a run that failed to start is final at once; its deployment is re-read with one GET and shows paused', async () => {
  const h = harness({ deployments: [dep(1, { created_at: '2026-07-01T00:00:01Z' }), dep(2)] });
  await h.load();
  await h.watch.tick({ visible: true, focused: true }); // primes the feed mark
  h.calls.length = 0;
  h.advance(60_000);
  h.serverRuns.push(run(7, 1, h.now() - 10_000, { session_id: null, error: { type: 'environment_not_found_error', message: 'gone' } }));
  h.server.set(dep(1).id, dep(1, { created_at: '2026-07-01T00:00:01Z', status: 'paused', paused_reason: { type: 'error', error: { type: 'environment_not_found_error' } } }));
  await h.watch.tick({ visible: false, focused: true });
  assert.deepEqual(h.calls.filter((c) => c.startsWith('get')), [`get ${dep(1).id}`], 'one GET: the deployment of the failed run');
  assert.ok(!h.calls.includes('walk'));
  assert.equal(h.store.get(dep(1).id)?.status, 'paused');
  assert.equal(h.walks(), 0);
});

test('watch: a run with a session updates its row (last run) without any deployment request', async () => {
  const h = harness({ deployments: [dep(1)] });
  await h.load();
  await h.watch.tick({ visible: true, focused: true });
  h.calls.length = 0;
  h.advance(60_000);
  h.serverRuns.push(run(8, 1, h.now() - 5_000));
  await h.watch.tick({ visible: true, focused: true });
  assert.deepEqual(h.calls.filter((c) => c !== 'page'), ['runs -'], 'only the feed was read (the account had no run before), besides page 1 for new deployments');
  assert.equal(h.store.get(dep(1).id)?.schedule?.last_run_at, iso(h.now() - 5_000));
});

test('watch: new deployments are read from page 1 and the read stops at the first known id', async () => {
  const list = [1, 2, 3, 4, 5, 6].map((n) => dep(n, { created_at: `2026-07-01T00:00:0${n}Z` }));
  const h = harness({ deployments: list });
  await h.load();
  h.advance(WATCH.newDeploymentsVisibleMs);
  h.server.set(dep(7).id, dep(7, { created_at: '2026-07-02T00:00:00Z' }));
  h.calls.length = 0;
  await h.watch.tick({ visible: true, focused: true });
  assert.equal(h.calls.filter((c) => c === 'page').length, 1, 'one page read: the second id on it was known');
  assert.ok(h.store.get(dep(7).id), 'the new deployment is shown');
  assert.equal(h.walks(), 0);
});

test('watch: the feed wakes just after the earliest upcoming run, and backs off when nothing is due', async () => {
  const due = T0 + 8 * 60_000;
  const h = harness({ deployments: [dep(1, { schedule: { type: 'cron', expression: '10 12 * * *', timezone: 'UTC', upcoming_runs_at: [iso(due)], last_run_at: null } })] });
  await h.load();
  const first = await h.watch.tick({ visible: false, focused: true });
  // Hidden: the idle wait is the background setting (10 min) capped by the due time + lag.
  assert.equal(h.watch.dueTimes({ visible: false, focused: true }).feed, due + WATCH.hidden.lagMs);
  assert.ok(first <= due + WATCH.hidden.lagMs - T0);
  h.advance(due + WATCH.hidden.lagMs - T0);
  h.calls.length = 0;
  await h.watch.tick({ visible: false, focused: true });
  assert.deepEqual(h.calls.filter((c) => c.startsWith('runs')).length, 1);
  // Nothing due any more: the next read is the idle wait away, then doubles.
  const afterIdle = h.watch.dueTimes({ visible: false, focused: true }).feed - h.now();
  assert.equal(afterIdle, 10 * 60_000);
  h.advance(afterIdle);
  await h.watch.tick({ visible: false, focused: true });
  assert.equal(h.watch.dueTimes({ visible: false, focused: true }).feed - h.now(), 20 * 60_000);
});

test('watch: reconciliation finds a change made elsewhere, at most every 30 minutes and only while visible and focused', async () => {
  const h = harness({ deployments: [dep(1), dep(2)] });
  await h.load();
  let found: { changed: string[] } | undefined;
  const watch = h.watch as unknown as { events: { onReconciled?: (f: { changed: string[] }) => void } };
  watch.events.onReconciled = (f) => (found = f);
  // Paused in the web console: no run, no new deployment; only re-reading can see it.
  h.server.set(dep(2).id, dep(2, { status: 'paused', paused_reason: { type: 'manual' }, updated_at: '2026-07-02T00:00:00Z' }));
  h.advance(WATCH.reconcileEveryMs - 1);
  await h.watch.tick({ visible: true, focused: true });
  assert.equal(h.walks(), 0, 'not before 30 minutes');
  h.advance(1);
  await h.watch.tick({ visible: false, focused: true });
  await h.watch.tick({ visible: true, focused: false });
  assert.equal(h.walks(), 0, 'not while hidden or unfocused');
  await h.watch.tick({ visible: true, focused: true });
  assert.equal(h.walks(), 1);
  assert.deepEqual(found?.changed, [dep(2).id]);
  assert.equal(h.store.get(dep(2).id)?.status, 'paused');
  await h.watch.tick({ visible: true, focused: true });
  assert.equal(h.walks(), 1, 'the next one is 30 minutes later');
});

test('watch: the rows looked at are re-read one by one, so a pause made elsewhere shows without a walk', async () => {
  const h = harness({ deployments: [dep(1), dep(2)], lookedAt: [dep(2).id] });
  await h.load();
  await h.watch.tick({ visible: true, focused: true });
  h.server.set(dep(2).id, dep(2, { status: 'paused', paused_reason: { type: 'manual' }, updated_at: '2026-07-02T00:00:00Z' }));
  h.advance(WATCH.recheckEveryMs);
  h.calls.length = 0;
  await h.watch.tick({ visible: true, focused: true });
  assert.ok(h.calls.includes(`get ${dep(2).id}`));
  assert.equal(h.store.get(dep(2).id)?.status, 'paused');
  assert.equal(h.walks(), 0);
});

test('watch: an answer to a tick from before a connection change (reset) changes nothing', async () => {
  const h = harness({ deployments: [dep(1), dep(2)], lookedAt: [dep(2).id] });
  await h.load();
  await h.watch.tick({ visible: true, focused: true });
  h.server.set(dep(2).id, dep(2, { status: 'paused', paused_reason: { type: 'manual' } }));
  h.advance(WATCH.recheckEveryMs);
  const inFlight = h.watch.tick({ visible: true, focused: true });
  h.watch.reset(); // signed in to another account while the re-read was on its way
  await inFlight;
  assert.equal(h.store.get(dep(2).id)?.status, 'active', 'the old connection\'s answer was dropped');
});

test('watch: qoder.autoRefreshSeconds below the gap makes the feed read that often (the view as fresh as asked)', async () => {
  const h = harness({ deployments: [dep(1)] });
  (h.watch as unknown as { settings: () => { freshnessMs: number; backgroundMs: number } }).settings = () => ({ freshnessMs: 5_000, backgroundMs: 600_000 });
  await h.load();
  await h.watch.tick({ visible: true, focused: true });
  assert.equal(h.watch.dueTimes({ visible: true, focused: true }).feed - h.now(), 5_000);
});
