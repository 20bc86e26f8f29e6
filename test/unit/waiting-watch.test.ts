// The look for runs waiting for a decision (WaitingWatch): a round that is under way when the
// connection changes (or the host is disposed) sends nothing more and keeps nothing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { WaitingWatch } from '../../src/agentSessions/model/waitingWatch';
import { REMEMBERED_LOOKS, WAITING_MEMORY_KEY, waitingMemory, type WaitingMemory } from '../../src/agentSessions/model/waitingMemory';
import { FakeMemento } from '../fakes/vscode';
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

// ---------------------------------------------------------------- the idle list and the memory

const T0 = '2026-12-06T10:00:00Z';
const runOf = (i: number, createdAt = T0): DeploymentRun => ({ id: `run_${i}`, deployment_id: `dep_${i}`, session_id: `sess_${i}`, created_at: createdAt }) as unknown as DeploymentRun;
const notWaiting = [{ id: 'evt_2', type: 'session.status_idle', stop_reason: { type: 'end_turn' } }];
const waitingEvents = [
  { id: 'evt_2', type: 'session.status_idle', stop_reason: { type: 'requires_action', event_ids: ['evt_1'] } },
  { id: 'evt_1', type: 'agent.tool_use', name: 'Bash', input: { command: 'ls' }, evaluated_permission: 'ask' },
];

function fixture(opts: { runs: DeploymentRun[]; idle?: () => { data: { id: string; created_at: string; updated_at: string }[]; has_more?: boolean; invalid?: unknown[] }; waiting?: Set<string>; memory?: () => WaitingMemory | undefined; now?: () => number }) {
  const asked: string[] = [];
  const watch = new WaitingWatch(() => ({
    recentRuns: () => Promise.resolve({ data: opts.runs, has_more: false, invalid: [] } as never),
    ...(opts.idle ? { idleSessions: () => Promise.resolve({ has_more: false, invalid: [], ...opts.idle!() } as never) } : {}),
    newestEvents: (sid) => {
      asked.push(sid);
      return Promise.resolve((opts.waiting?.has(sid) ? waitingEvents : notWaiting) as never);
    },
  }), { memory: opts.memory, now: opts.now, recheckMs: 1_000 });
  return { watch, asked };
}

test('a run whose session is missing from the idle list costs no request: only an idle session can wait', async () => {
  const { watch, asked } = fixture({ runs: [runOf(1), runOf(2), runOf(3)], idle: () => ({ data: [{ id: 'sess_2', created_at: T0, updated_at: T0 }] }), waiting: new Set(['sess_2']) });
  const found = await watch.check();
  assert.deepEqual(asked, ['sess_2']);
  assert.deepEqual(found.map((w) => w.sessionId), ['sess_2']);
});

test('an idle session found not waiting is asked again only when its updated_at in the idle list changes, however many rounds pass', async () => {
  let now = 0;
  let updated = T0;
  const { watch, asked } = fixture({ runs: [runOf(1)], idle: () => ({ data: [{ id: 'sess_1', created_at: T0, updated_at: updated }] }), now: () => now });
  await watch.check();
  now = 60_000; // long past recheckMs
  await watch.check();
  assert.deepEqual(asked, ['sess_1'], 'unchanged: not asked again');
  updated = '2026-12-06T10:07:00.000001Z';
  await watch.check();
  assert.deepEqual(asked, ['sess_1', 'sess_1'], 'changed: asked again at once, not after recheckMs');
});

test('the idle list cannot be read: every candidate is asked, as without it', async () => {
  const asked: string[] = [];
  const watch = new WaitingWatch(() => ({
    recentRuns: () => Promise.resolve({ data: [runOf(1), runOf(2)], has_more: false, invalid: [] } as never),
    idleSessions: () => Promise.reject(new Error('503')),
    newestEvents: (sid) => {
      asked.push(sid);
      return Promise.resolve(notWaiting as never);
    },
  }));
  await watch.check();
  assert.deepEqual(asked, ['sess_1', 'sess_2']);
});

test('a partial idle list speaks only for runs started after its oldest session (a minute of slack); an unreadable item speaks for none', async () => {
  const runs = [runOf(1, '2026-12-06T12:00:00Z'), runOf(2, '2026-12-06T10:00:30Z'), runOf(3, '2026-12-06T08:00:00Z')];
  const listed = [{ id: 'sess_9', created_at: '2026-12-06T10:00:00Z', updated_at: T0 }];
  const partial = fixture({ runs, idle: () => ({ data: listed, has_more: true }) });
  await partial.watch.check();
  assert.deepEqual(partial.asked, ['sess_2', 'sess_3'], 'sess_1 started well after the oldest listed idle session, so it is not idle');
  const unreadable = fixture({ runs, idle: () => ({ data: listed, has_more: false, invalid: [{ index: 1, reason: 'bad' }] }) });
  await unreadable.watch.check();
  assert.deepEqual(unreadable.asked, ['sess_1', 'sess_2', 'sess_3']);
});

test('a reload (a new watch on the same memory) does not ask sessions whose updated_at is unchanged; a changed or waiting one is asked', async () => {
  const memento = new FakeMemento();
  const memory = () => waitingMemory(memento, 'account-a');
  const idle = [1, 2, 3].map((i) => ({ id: `sess_${i}`, created_at: T0, updated_at: T0 }));
  const waiting = new Set(['sess_3']);
  const first = fixture({ runs: [runOf(1), runOf(2), runOf(3)], idle: () => ({ data: idle }), waiting, memory });
  await first.watch.check();
  assert.deepEqual(first.asked, ['sess_1', 'sess_2', 'sess_3']);
  (idle[1] as { updated_at: string }).updated_at = '2026-12-06T10:09:00Z';
  const reload = fixture({ runs: [runOf(1), runOf(2), runOf(3)], idle: () => ({ data: idle }), waiting, memory });
  const found = await reload.watch.check();
  assert.deepEqual(reload.asked, ['sess_2', 'sess_3'], 'sess_2 changed; sess_3 waited, and a waiting session is always asked');
  assert.deepEqual(found.map((w) => w.sessionId), ['sess_3']);
  // How the remembered session's last turn ended still reaches its run row without a request.
  assert.deepEqual((await reload.watch.idleLook('sess_1', T0)).lastIdle?.stop_reason, { type: 'end_turn' });
  assert.deepEqual(reload.asked, ['sess_2', 'sess_3']);
});

test('a terminated session is remembered as final: a reload never asks it, even when no idle list speaks for it', async () => {
  const memento = new FakeMemento();
  const memory = () => waitingMemory(memento, 'a');
  const terminated = [{ id: 'evt_3', type: 'session.status_terminated' }];
  const source = (asked: string[]) => () => ({
    recentRuns: () => Promise.resolve({ data: [runOf(1)], has_more: false, invalid: [] } as never),
    newestEvents: (sid: string) => {
      asked.push(sid);
      return Promise.resolve(terminated as never);
    },
  });
  const first: string[] = [];
  await new WaitingWatch(source(first), { memory }).check();
  const reload: string[] = [];
  await new WaitingWatch(source(reload), { memory }).check();
  assert.deepEqual([first, reload], [['sess_1'], []]);
});

test('another account never uses what was remembered for the first; one account is kept at a time', async () => {
  const memento = new FakeMemento();
  const idle = [{ id: 'sess_1', created_at: T0, updated_at: T0 }];
  await fixture({ runs: [runOf(1)], idle: () => ({ data: idle }), memory: () => waitingMemory(memento, 'account-a') }).watch.check();
  const other = fixture({ runs: [runOf(1)], idle: () => ({ data: idle }), memory: () => waitingMemory(memento, 'account-b') });
  await other.watch.check();
  assert.deepEqual(other.asked, ['sess_1']);
  assert.equal((memento.get(WAITING_MEMORY_KEY) as { account: string }).account, 'account-b', 'one account at a time: the newest replaces it');
});

test('after a reset (another connection) the watch reads the memory of the new account, not what it knew of the old one', async () => {
  const memento = new FakeMemento();
  let account = 'account-a';
  const idle = [{ id: 'sess_1', created_at: T0, updated_at: T0 }];
  const memory = () => waitingMemory(memento, account);
  await fixture({ runs: [runOf(1)], idle: () => ({ data: idle }), memory }).watch.check();
  const f = fixture({ runs: [runOf(1)], idle: () => ({ data: idle }), memory });
  await f.watch.check();
  assert.deepEqual(f.asked, [], 'account a remembered sess_1');
  account = 'account-b';
  f.watch.reset();
  await f.watch.check();
  assert.deepEqual(f.asked, ['sess_1'], 'account b knows nothing yet');
});

test('stored looks that are not ours (wrong shapes, huge strings, another account) are ignored without throwing; at most 500 are kept', async () => {
  const memento = new FakeMemento();
  await memento.update(WAITING_MEMORY_KEY, { account: 'a', looks: [null, 7, { sessionId: 'sess_1' }, { sessionId: 'x'.repeat(300), updatedAt: T0 }, { sessionId: 'sess_2', updatedAt: T0, stopReason: 5 }, { sessionId: 'sess_4', final: 'yes' }, { sessionId: 'sess_3', updatedAt: T0 }, { sessionId: 'sess_5', final: true }] });
  assert.deepEqual(waitingMemory(memento, 'a').load(), [{ sessionId: 'sess_3', updatedAt: T0 }, { sessionId: 'sess_5', final: true }]);
  await memento.update(WAITING_MEMORY_KEY, 'garbage');
  assert.deepEqual(waitingMemory(memento, 'a').load(), []);
  const many = Array.from({ length: 700 }, (_, i) => ({ sessionId: `sess_${i}`, updatedAt: T0 }));
  waitingMemory(memento, 'a').save(many);
  assert.equal(waitingMemory(memento, 'a').load().length, REMEMBERED_LOOKS);
});
