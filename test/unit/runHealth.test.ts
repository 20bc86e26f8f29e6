import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runHealth, RunHealthBook } from '../../src/runs/model/runHealth';
import { healthOf, sessionsToAsk } from '../../src/runs/model/streak';
import { accessibilityText, consecutiveFailures, contextTokens, descriptionText, kindOf, needsAttention, problemText, sortDeployments } from '../../src/deployments/model/describe';
import { matchesFilter, statusCounts } from '../../src/deployments/model/filter';
import { AttentionWatch, attentionList } from '../../src/attention/model/attention';
import { attentionMessage } from '../../src/attention/attentionView';
import type { SessionFacts } from '../../src/runs/model/runState';
import type { DeploymentRun } from '../../src/api';
import { fixture, run } from './fixtures';

const DEP = run('manual').deployment_id;
let n = 0;
/** A run that started session `sid`. */
function started(sid: string): DeploymentRun {
  n++;
  return { ...run('manual'), id: `drun_${n}`, deployment_id: DEP, session_id: sid, error: null };
}
/** A run that could not start. */
function notStarted(type = 'skill_not_found_error'): DeploymentRun {
  n++;
  return { ...run('schedule-failed'), id: `drun_${n}`, deployment_id: DEP, session_id: null, error: { type, message: 'Skill missing' } };
}
const facts = (m: Record<string, SessionFacts>) => (id: string) => m[id];

test('run health: runs that could not start count in a row, newest first, until a run that finished well', () => {
  const runs = [notStarted(), notStarted(), notStarted(), started('sess_ok'), notStarted()];
  const h = healthOf(runs, facts({ sess_ok: { status: 'idle', stopReason: 'end_turn' } }));
  assert.equal(h.streak, 3);
  assert.equal(h.last?.state.kind, 'notStarted');
  assert.equal(h.lastFailure?.run.id, runs[0].id);
  assert.equal(h.streakAtLeast, false);
});

test('run health: a terminated session is a failure; a cancelled run and a live one neither break nor extend the streak', () => {
  const runs = [started('sess_run'), started('sess_cancel'), started('sess_dead'), notStarted(), started('sess_ok')];
  const h = healthOf(runs, facts({
    sess_run: { status: 'running' },
    sess_cancel: { status: 'idle', stopReason: 'cancelled' },
    sess_dead: { status: 'terminated' },
    sess_ok: { status: 'idle' },
  }));
  assert.equal(h.streak, 2);
  assert.equal(h.last?.state.kind, 'running');
  assert.equal(h.lastFailure?.run.id, runs[2].id);
});

test('run health: the count stops at a run whose session is not known yet (never guesses), and says "at least" only at the end of a longer history', () => {
  const unknown = healthOf([notStarted(), started('sess_unknown'), notStarted()], facts({}));
  assert.equal(unknown.streak, 1);
  assert.equal(unknown.streakAtLeast, false);
  const all = healthOf([notStarted(), notStarted()], facts({}), true);
  assert.equal(all.streak, 2);
  assert.equal(all.streakAtLeast, true);
  const none = healthOf([], facts({}), true);
  assert.equal(none.streak, 0);
  assert.equal(none.last, undefined);
});

test('run health: asks only for the sessions it needs, newest first, up to the first run that finished well', () => {
  const runs = [notStarted(), started('sess_a'), started('sess_b'), started('sess_c')];
  assert.deepEqual(sessionsToAsk(runs, facts({})), ['sess_a', 'sess_b', 'sess_c']);
  assert.deepEqual(sessionsToAsk(runs, facts({ sess_a: { status: 'terminated' }, sess_b: { status: 'idle' } })), []);
  assert.deepEqual(sessionsToAsk(runs, facts({}), 2), ['sess_a', 'sess_b']);
});

test('run health book: fires when a deployment\'s health changes (runs loaded, a session settled), not when it stays the same', () => {
  const book = new RunHealthBook();
  const known: Record<string, SessionFacts> = {};
  book.setSessions({ get: (id) => known[id] });
  const fired: string[] = [];
  book.onDidChange((id) => fired.push(id));
  const runs = [started('sess_x'), notStarted(), notStarted()];
  assert.deepEqual(book.setRuns(DEP, runs, false), ['sess_x']);
  assert.equal(book.streak(DEP), 0, 'the newest run is not known yet');
  known.sess_x = { status: 'terminated' };
  book.sessionChanged('sess_x');
  assert.equal(book.streak(DEP), 3);
  book.sessionChanged('sess_x');
  assert.deepEqual(fired, [DEP, DEP], 'no event when nothing changed');
  book.addRun(notStarted());
  assert.equal(book.streak(DEP), 4, 'a new failed run extends it');
  assert.equal(book.streak('dep_other'), undefined, 'no runs fetched: unknown, not 0');
  book.clear();
  assert.equal(book.streak(DEP), undefined, 'a new connection forgets every account\'s runs');
  book.dispose();
});

test('failure streak: a deployment whose fetched runs keep failing needs attention, leads its row with the streak and sorts first', () => {
  const d = fixture('active', { id: DEP });
  const healthy = fixture('active', { id: 'dep_healthy', name: 'healthy', created_at: '2099-01-01T00:00:00Z' });
  assert.equal(needsAttention(d), false, 'nothing known: the legacy stats (none) decide');
  runHealth.setRuns(DEP, [notStarted(), notStarted(), notStarted(), notStarted(), notStarted(), notStarted()], false);
  try {
    assert.equal(consecutiveFailures(d), 6);
    assert.equal(needsAttention(d), true);
    assert.equal(kindOf(d), 'attention');
    assert.match(descriptionText(d), /^6 failed in a row · /);
    assert.match(accessibilityText(d), /^6 failed in a row, /);
    assert.match(String(contextTokens(d)), /\battention\b/);
    assert.equal(problemText(d), 'The last 6 runs failed.');
    assert.deepEqual(sortDeployments([healthy, d]).map((x) => x.id), [DEP, 'dep_healthy']);
    assert.equal(matchesFilter(d, { status: 'attention' }), true, 'the "needs attention" filter shows it');
    assert.equal(statusCounts([d, healthy]).attention, 1);
    assert.deepEqual(attentionList([d, healthy]).map((x) => x.id), [DEP], 'the status bar counts it');
    runHealth.setRuns(DEP, [notStarted(), notStarted()], true);
    assert.match(descriptionText(d), /^2\+ failed in a row/, 'more runs exist beyond those fetched');
    runHealth.setRuns(DEP, [notStarted()], false);
    assert.match(descriptionText(d), /^last run failed · /);
  } finally {
    runHealth.clear();
  }
});

test('failure streak: a run that did well ends it, even when the legacy stats still count failures', () => {
  const d = fixture('active', { id: DEP });
  const legacy = { ...d, stats: { consecutive_failures: 3 } } as typeof d;
  assert.equal(needsAttention(legacy), true);
  runHealth.setSessions({ get: (id) => (id === 'sess_ok' ? { status: 'idle', stopReason: 'end_turn' } : undefined) });
  runHealth.setRuns(DEP, [started('sess_ok'), notStarted()], false);
  try {
    assert.equal(needsAttention(legacy), false);
    assert.equal(kindOf(legacy), 'active');
  } finally {
    runHealth.clear();
    runHealth.setSessions({ get: () => undefined });
  }
});

test('deployment row: the newest run, when it is not simply done or failed, shows in words ("last run cancelled")', () => {
  const d = fixture('active', { id: DEP });
  runHealth.setSessions({ get: (id) => (id === 'sess_c' ? { status: 'idle', stopReason: 'cancelled' } : id === 'sess_w' ? { status: 'idle', stopReason: 'requires_action' } : undefined) });
  try {
    runHealth.setRuns(DEP, [started('sess_c')], false);
    assert.match(descriptionText(d), /^last run cancelled · /);
    assert.match(accessibilityText(d), /last run: cancelled, /);
    runHealth.setRuns(DEP, [started('sess_w')], false);
    assert.match(descriptionText(d), /^last run waiting for your decision · /);
  } finally {
    runHealth.clear();
    runHealth.setSessions({ get: () => undefined });
  }
});

test('deployment row: a last run whose session state is not known yet is not called "started" (it may have finished long ago): no last-run part, and the label gives only its time', () => {
  const d = fixture('active', { id: DEP });
  runHealth.setSessions({ get: (id) => (id === 'sess_live' ? { status: 'running' } : undefined) });
  try {
    runHealth.setRuns(DEP, [started('sess_not_asked_yet')], false);
    assert.doesNotMatch(descriptionText(d), /last run/);
    assert.doesNotMatch(accessibilityText(d), /started/);
    assert.match(accessibilityText(d), /last run: [^,]*ago|last run: /);
    runHealth.setRuns(DEP, [started('sess_live')], false);
    assert.match(descriptionText(d), /^last run running · /, 'once known, in words');
  } finally {
    runHealth.clear();
    runHealth.setSessions({ get: () => undefined });
  }
});

test('attention watch: the first streak counted from runs is a baseline; a later rise is news, once', () => {
  const d = fixture('active', { id: DEP });
  const watch = new AttentionWatch();
  watch.update([d]);
  try {
    runHealth.setRuns(DEP, [notStarted(), notStarted()], false);
    assert.deepEqual(watch.updateOne(d), [], 'runs fetched for the first time: what was already failing is not news');
    runHealth.addRun(notStarted());
    const changes = watch.updateOne(d);
    assert.equal(changes.length, 1);
    assert.equal(changes[0].kind, 'failures');
    assert.equal(changes[0].failures, 3);
    assert.deepEqual(watch.updateOne(d), [], 'the same state is not reported twice');
    assert.deepEqual(watch.update([d]), [], 'nor by the next load');
  } finally {
    runHealth.clear();
  }
});

test('the failure notification: one failed run reads "its last run failed", more are counted "N times in a row", "N or more" when older runs were not fetched (as the row says "N+")', () => {
  const d = fixture('active', { id: DEP, name: 'nightly-audit' });
  assert.equal(attentionMessage({ deployment: d, kind: 'failures', failures: 1 }), '“nightly-audit”: its last run failed.');
  assert.equal(attentionMessage({ deployment: d, kind: 'failures', failures: 3 }), '“nightly-audit” failed 3 times in a row.');
  runHealth.setRuns(DEP, [notStarted(), notStarted()], true);
  try {
    assert.match(descriptionText(d), /^2\+ failed in a row/);
    assert.equal(attentionMessage({ deployment: d, kind: 'failures', failures: 2 }), '“nightly-audit” failed 2 or more times in a row.');
  } finally {
    runHealth.clear();
  }
});
