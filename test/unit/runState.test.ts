import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { factsOfEvent, isFailure, isLive, isOver, runState, sessionState, stateIcon, stateText, type RunState } from '../../src/runs/model/runState';
import { runRowText } from '../../src/runs/model/runRow';
import { isSettled, SessionStatusCache } from '../../src/agentSessions/model/sessionCache';
import type { Session, SessionEvent } from '../../src/api/sessions';
import { run } from './fixtures';

const words = (s: RunState) => stateText(s);

test('run state: every documented session status in words (sessions-api §4.2)', () => {
  assert.equal(words(sessionState({ status: 'running' })), 'running');
  assert.equal(words(sessionState({ status: 'processing' })), 'running');
  assert.equal(words(sessionState({ status: 'rescheduling' })), 'running (rescheduling)');
  assert.equal(words(sessionState({ status: 'canceling' })), 'stopping');
  assert.equal(words(sessionState({ status: 'cancelled' })), 'cancelled');
  assert.equal(words(sessionState({ status: 'idle' })), 'done');
  assert.equal(words(sessionState({ status: 'terminated' })), 'failed: ended by an error');
  assert.equal(words(sessionState({ status: 'archived' })), 'archived', 'an unknown status is shown verbatim');
});

test('run state: every stop reason of an idle session (§5.4); a cancelled turn is never "done"', () => {
  assert.equal(words(sessionState({ status: 'idle', stopReason: 'end_turn' })), 'done');
  assert.equal(sessionState({ status: 'idle', stopReason: 'cancelled' }).kind, 'cancelled');
  assert.equal(words(sessionState({ status: 'idle', stopReason: 'cancelled' })), 'cancelled');
  assert.equal(words(sessionState({ status: 'idle', stopReason: 'requires_action' })), 'waiting for your decision');
  assert.equal(words(sessionState({ status: 'idle', stopReason: 'retries_exhausted' })), 'failed: retries exhausted');
  assert.equal(words(sessionState({ status: 'idle', stopReason: 'budget_reached' })), 'failed: budget reached');
  assert.equal(words(sessionState({ status: 'idle', stopReason: 'something_new' })), 'something_new');
});

test('run state: a waiting-for-decision flag from the events wins over the status', () => {
  assert.equal(sessionState({ status: 'running', waitingForDecision: true }).kind, 'waiting');
});

test('run state: a terminated session says why when the last session.error is known, in short and long words', () => {
  const s = sessionState({ status: 'terminated', errorType: 'model_overloaded_error' });
  assert.equal(stateText(s), 'failed: model overloaded');
  assert.equal(sessionState({ status: 'terminated', errorType: 'organization_disabled_error' }).cause, 'organization_disabled_error');
  assert.equal(stateText(sessionState({ status: 'terminated', errorType: 'organization_disabled_error' }), true), 'failed: the organization is disabled');
});

test('run state: a run that could not start says why, keeps the server message, and is a failure', () => {
  const r = run('schedule-failed');
  const s = runState(r, undefined);
  assert.equal(s.kind, 'notStarted');
  assert.equal(stateText(s), 'could not start: environment archived');
  assert.equal(stateText(s, true), 'could not start: the environment was archived');
  assert.equal(s.message, r.error?.message);
  assert.ok(isFailure(s) && isOver(s) && !isLive(s));
});

test('run state: a run with a session takes its session state; "started" until that is known', () => {
  const r = run('manual');
  assert.equal(runState(r, undefined).kind, 'started');
  assert.equal(runState(r, { status: 'idle', stopReason: 'cancelled' }).kind, 'cancelled');
  assert.equal(runState(r, { status: 'terminated' }).kind, 'failed');
});

test('run state: runs of the old API shape use their own status', () => {
  const legacy = { ...run('manual'), session_id: null, error: null };
  assert.equal(runState({ ...legacy, status: 'completed' }, undefined).kind, 'done');
  assert.equal(runState({ ...legacy, status: 'failed' }, undefined).kind, 'failed');
  assert.equal(runState({ ...legacy, status: 'running' }, undefined).kind, 'running');
  assert.equal(stateText(runState({ ...legacy, status: 'skipped' }, undefined)), 'could not start: skipped');
  assert.equal(stateText(runState({ ...legacy, status: undefined }, undefined)), 'unknown');
});

test('run state: failures, finished and live runs are told apart (cancelled is over, not a failure)', () => {
  const cancelled = sessionState({ status: 'idle', stopReason: 'cancelled' });
  assert.ok(isOver(cancelled) && !isFailure(cancelled) && !isLive(cancelled));
  const waiting = sessionState({ status: 'idle', stopReason: 'requires_action' });
  assert.ok(!isOver(waiting) && isLive(waiting));
  assert.ok(isFailure(sessionState({ status: 'terminated' })));
  assert.ok(!isFailure(sessionState({ status: 'idle' })));
});

test('run state: each state has its own picture; cancelled is not the green check', () => {
  const kinds: RunState[] = [{ kind: 'started' }, { kind: 'running' }, { kind: 'stopping' }, { kind: 'waiting' }, { kind: 'done' }, { kind: 'cancelled' }, { kind: 'failed' }, { kind: 'unknown' }];
  const ids = kinds.map((k) => stateIcon(k).id);
  assert.equal(new Set(ids).size, ids.length);
  assert.notEqual(stateIcon({ kind: 'cancelled' }).color, stateIcon({ kind: 'done' }).color);
});

test('run row: words only, no glyph a screen reader reads as "ballot x" or "check mark"', () => {
  const now = Date.parse(run('manual').created_at) + 60_000;
  const cancelled = runRowText(run('manual'), { status: 'idle', stopReason: 'cancelled', durationSeconds: 15, at: 0, credits: null, outcomes: [] }, { now });
  assert.match(cancelled, /^cancelled · 15 s · manual · /);
  const failed = runRowText(run('schedule-failed'), undefined, { now });
  assert.match(failed, /^could not start: environment archived · scheduled · /);
  const waiting = runRowText(run('manual'), { status: 'idle', stopReason: 'requires_action', durationSeconds: 15, at: 0, credits: null, outcomes: [] }, { now });
  assert.match(waiting, /^waiting for your decision · manual · /, 'no duration while the run is not over');
  for (const text of [cancelled, failed, waiting]) assert.doesNotMatch(text, /[✓✗●○■⏸↻–]/u);
});

test('session cache: settled means terminated, or idle after a turn that did not stop for a decision', () => {
  assert.ok(isSettled({ status: 'terminated' }));
  assert.ok(isSettled({ status: 'idle', stopReason: 'cancelled' }));
  assert.ok(!isSettled({ status: 'idle', stopReason: 'requires_action' }));
  assert.ok(!isSettled({ status: 'idle', waitingForDecision: true }));
  assert.ok(!isSettled({ status: 'running' }));
});

test('session cache: facts from the newest idle or error event', () => {
  const ev = (x: Record<string, unknown>): SessionEvent => ({ id: 'evt_1', ...x }) as SessionEvent;
  assert.deepEqual(factsOfEvent(ev({ type: 'session.status_idle', stop_reason: { type: 'cancelled' } })), { stopReason: 'cancelled' });
  assert.deepEqual(factsOfEvent(ev({ type: 'session.error', error: { type: 'model_overloaded_error', message: 'x' } })), { errorType: 'model_overloaded_error' });
  assert.deepEqual(factsOfEvent(ev({ type: 'session.status_idle', stop_reason: 'weird' })), {});
  assert.deepEqual(factsOfEvent(undefined), {});
});

function session(id: string, status: string): Session {
  return { id, status, title: '', agent: null, environment_id: null, deployment_id: null, created_at: '', updated_at: '2026-12-06T10:00:00Z', archived_at: null, total_credits: null, active_seconds: null, duration_seconds: 12, raw: {} };
}

test('session cache: an idle session is asked how its turn ended (one event), so a cancelled run reads "cancelled"', async () => {
  const cache = new SessionStatusCache();
  const asked: string[] = [];
  const changed = new Promise<string>((resolve) => cache.onDidChange(resolve));
  cache.setSource({
    getSession: async (id) => session(id, 'idle'),
    lastEvent: async (_id, type) => {
      asked.push(type);
      return { id: 'evt_1', type, stop_reason: { type: 'cancelled' } };
    },
  });
  cache.request('sess_a');
  assert.equal(await changed, 'sess_a');
  assert.deepEqual(asked, ['session.status_idle']);
  assert.equal(runState(run('manual'), cache.get('sess_a')).kind, 'cancelled');
  cache.dispose();
});

test('session cache: an idle session on screen costs one events request: the waiting look also gives how its last turn ended', async () => {
  const cache = new SessionStatusCache();
  const asked: string[] = [];
  const changed = new Promise<string>((resolve) => cache.onDidChange(resolve));
  cache.setSource({
    getSession: async (id) => session(id, 'idle'),
    idleLook: async (id, updatedAt) => {
      asked.push(`look ${id} ${updatedAt}`);
      return { lastIdle: { id: 'evt_1', type: 'session.status_idle', stop_reason: { type: 'cancelled' } } };
    },
    lastEvent: async (_id, type) => {
      asked.push(type);
      return { id: 'evt_1', type, stop_reason: { type: 'cancelled' } };
    },
  });
  cache.request('sess_c');
  assert.equal(await changed, 'sess_c');
  assert.deepEqual(asked, ['look sess_c 2026-12-06T10:00:00Z']);
  assert.equal(runState(run('manual'), cache.get('sess_c')).kind, 'cancelled');
  cache.dispose();
});

test('session cache: a terminated session is asked for its last error; a failed lookup still gives the status', async () => {
  const cache = new SessionStatusCache();
  const changed = new Promise<string>((resolve) => cache.onDidChange(resolve));
  cache.setSource({
    getSession: async (id) => session(id, 'terminated'),
    lastEvent: async () => {
      throw new Error('offline');
    },
  });
  cache.request('sess_b');
  await changed;
  assert.equal(stateText(runState(run('manual'), cache.get('sess_b'))), 'failed: ended by an error');
  cache.dispose();
});
