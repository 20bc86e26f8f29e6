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
