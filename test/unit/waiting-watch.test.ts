// The look for runs waiting for a decision (WaitingWatch): a round that is under way when the
// connection changes (or the host is disposed) sends nothing more and keeps nothing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { WaitingWatch } from '../../src/agentSessions/model/waitingWatch';
import type { DeploymentRun } from '../../src/api/types';

test('reset() during a round: no further session is asked and the round keeps nothing', async () => {
  const runs = Array.from({ length: 5 }, (_, i) => ({ id: `run_${i}`, deployment_id: `dep_${i}`, session_id: `sess_${i}`, created_at: '2026-12-06T10:00:00Z' }) as unknown as DeploymentRun);
  const asked: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const watch = new WaitingWatch(() => ({
    recentRuns: () => Promise.resolve({ data: runs, has_more: false } as never),
    newestEvents: async (sid) => {
      asked.push(sid);
      await gate;
      return [];
    },
  }));
  const round = watch.check();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(asked, ['sess_0']);
  watch.reset(); // another account, or the extension host shuts down
  release();
  assert.deepEqual(await round, []);
  assert.deepEqual(asked, ['sess_0'], 'no session of the old connection is asked after the reset');
  assert.deepEqual(watch.waiting, []);
});

test('one request tells an idle session\'s state and how its last turn ended; asked again only when its updated_at changes', async () => {
  let now = 0;
  const asked: string[] = [];
  const idle = { id: 'evt_9', type: 'session.status_idle', stop_reason: { type: 'end_turn' } };
  const watch = new WaitingWatch(() => ({
    recentRuns: () => Promise.resolve({ data: [], has_more: false } as never),
    newestEvents: async (sid) => {
      asked.push(sid);
      return [idle, { id: 'evt_8', type: 'agent.message' }] as never;
    },
  }), { now: () => now, recheckMs: 1_000 });
  const look = await watch.idleLook('sess_a', '2026-12-06T10:00:00Z');
  assert.equal(look.state, undefined);
  assert.deepEqual(look.lastIdle, idle);
  now = 60_000; // long past recheckMs, but the session did not change
  assert.deepEqual(await watch.idleLook('sess_a', '2026-12-06T10:00:00Z'), look);
  assert.deepEqual(asked, ['sess_a']);
  await watch.idleLook('sess_a', '2026-12-06T10:05:00Z');
  assert.deepEqual(asked, ['sess_a', 'sess_a'], 'a new updated_at is asked again');
});
