// Issue 13: what the user sees first. Texts and ordering (pure model code), the typed archive
// confirmation, network errors in words, filter counts and the typing debounce.

import { test, mock } from 'node:test';
import * as assert from 'node:assert/strict';
import { runHealth } from '../../src/runs/model/runHealth';
import { accessibilityText, descriptionText, detailRows, shownName, lastRunText, problemText, sortDeployments } from '../../src/deployments/model/describe';
import { archiveCase, archiveConfirmation, runConfirmation, typedConfirmation, typedMismatch } from '../../src/deployments/model/confirm';
import { failureText, problemKind, reasonText } from '../../src/common/errorText';
import { Debouncer, statusCounts } from '../../src/deployments/model/filter';
import { detailsTitle, withKeysFirst } from '../../src/deployments/model/details';
import { titleSafe } from '../../src/common/display';
import { regionOf } from '../../src/deployments/viewState';
import { bestMatch } from '../../src/platform/ui';
import { QoderApiError, QoderError } from '../../src/api';
import { fixture, run } from './fixtures';

const failing = (n: number, over: Record<string, unknown> = {}) => {
  const d = fixture('active-legacy', over);
  return { ...d, stats: { ...d.stats, consecutive_failures: n } };
};

test('row: a failing deployment starts with "4 failed in a row", and so does its accessibility label', () => {
  const d = failing(4, { name: '每日构建巡检' });
  assert.match(descriptionText(d), /^4 failed in a row · At 08:30/);
  assert.match(accessibilityText(d), /^4 failed in a row, 每日构建巡检, active, At 08:30/);
});

test('row: paused on error starts with "paused: <reason in a few words>"; the reason is said once', () => {
  const d = fixture('paused-error');
  const text = descriptionText(d);
  assert.match(text, /^paused: environment archived · /);
  assert.equal(text.match(/paused/g)?.length, 1);
  assert.match(accessibilityText(d), /^paused: environment archived, /);
});

test('order: needs attention first, then newest first; archived last with their original name', () => {
  const old = fixture('active', { id: 'dep_old', name: 'old', created_at: '2026-01-01T00:00:00Z' });
  const recent = fixture('active', { id: 'dep_new', name: 'new', created_at: '2026-06-01T00:00:00Z' });
  const bad = failing(2, { id: 'dep_bad', name: 'bad', created_at: '2025-01-01T00:00:00Z' });
  const stuck = fixture('paused-error', { id: 'dep_stuck', name: 'stuck', created_at: '2025-02-01T00:00:00Z' });
  const gone = fixture('archived', { id: 'dep_gone', name: 'k8s-lint_archived_1712345678', created_at: '2026-12-01T00:00:00Z' });
  const sorted = sortDeployments([old, gone, bad, recent, stuck]);
  assert.deepEqual(sorted.map((d) => d.id), ['dep_stuck', 'dep_bad', 'dep_new', 'dep_old', 'dep_gone']);
  assert.equal(shownName(gone), 'k8s-lint');
  assert.equal(shownName(recent), 'new');
});

test('tooltip: the problem line comes first, then whether the last run succeeded; a pause reason once', () => {
  const d = fixture('paused-error');
  const rows = detailRows(d, { locale: 'en' });
  assert.equal(rows[0].label, 'Needs attention');
  assert.equal(rows[0].value, 'Paused automatically: the environment was archived.');
  assert.equal(rows[0].first, true);
  const all = rows.map((r) => r.value).join('\n');
  assert.equal(all.match(/environment was archived/g)?.length, rows.some((r) => r.label === 'Last run') ? 2 : 1, 'the reason in the problem line (and the last run), never in a Paused row as well');
  assert.equal(rows.some((r) => r.label === 'Paused'), false);
  assert.equal(problemText(failing(4)), 'The last 4 runs failed.');
  assert.equal(problemText(fixture('active')), undefined);
});

test('tooltip: "Last run: could not start: the organization is disabled, 17 hr ago" from the newest fetched run, in the state vocabulary', () => {
  const now = Date.parse('2026-07-15T12:00:00Z');
  const d = fixture('active');
  const r = { ...run('schedule-failed'), deployment_id: d.id, created_at: '2026-07-14T19:00:00Z', error: { type: 'organization_disabled_error', message: 'x' } };
  runHealth.setRuns(d.id, [r], false);
  assert.equal(lastRunText(d, { now }), 'could not start: the organization is disabled, 17 hr. ago');
  const cancelled = { ...run('manual'), id: 'drun_cancelled', deployment_id: d.id, created_at: '2026-07-15T10:00:00Z', error: null, session_id: 'sess_cancelled' };
  runHealth.setSessions({ get: (id) => (id === 'sess_cancelled' ? { status: 'idle', stopReason: 'cancelled' } : undefined) });
  runHealth.setRuns(d.id, [cancelled, r], false);
  assert.equal(lastRunText(d, { now }), 'cancelled, 2 hr. ago', 'a cancelled run is not "succeeded"');
  runHealth.clear();
  runHealth.setSessions({ get: () => undefined });
});

test('archive modal: active, paused and manual-only each say what actually stops', () => {
  const active = fixture('active');
  const paused = fixture('paused');
  const manual = fixture('manual');
  assert.deepEqual([archiveCase(active), archiveCase(paused), archiveCase(manual)], ['scheduled', 'paused', 'manual']);
  assert.match(archiveConfirmation([active]).detail, /These will not happen:/);
  const p = archiveConfirmation([paused]).detail;
  assert.match(p, /It is paused, so no runs are scheduled/);
  assert.doesNotMatch(p, /These will not happen/);
  assert.match(archiveConfirmation([manual]).detail, /manual-only deployment: it has no scheduled runs/);
});

test('archive modal: the new name sits on its own line and a time stays with its zone', () => {
  const d = fixture('active', { name: 'k8s-manifest-lint-2' });
  const lines = archiveConfirmation([d], { locale: 'en' }).detail.split('\n');
  assert.ok(lines.includes('  k8s\u2011manifest\u2011lint\u20112_archived_<timestamp>'), 'no-break hyphens: ' + lines.join('\n'));
  const run = lines.find((l) => l.includes('Asia/Shanghai'))!;
  assert.match(run, /\(\d\d:\d\d\u00a0Asia\/Shanghai\)$/, 'no-break space between time and zone');
});

test('archive modal: a multi-selection says which is active, paused and manual-only', () => {
  const detail = archiveConfirmation([fixture('active', { name: 'a1' }), fixture('paused', { name: 'p1' }), fixture('manual', { name: 'm1' })]).detail;
  assert.match(detail, /Active: their scheduled runs stop:\n {2}• a1/);
  assert.match(detail, /Paused: no runs are scheduled; they can no longer be resumed:\n {2}• p1/);
  assert.match(detail, /Manual only: no scheduled runs; they can no longer be run:\n {2}• m1/);
});

test('typed confirmation: the name for one, the number for several; nothing matches until exact', () => {
  const one = typedConfirmation([fixture('active', { name: 'nightly-audit' })]);
  assert.equal(one.expected, 'nightly-audit');
  assert.equal(typedMismatch('nightly', one.expected), 'That does not match “nightly-audit”. Nothing has been archived.');
  assert.equal(typedMismatch('', one.expected), 'Type “nightly-audit” to confirm.');
  assert.equal(typedMismatch(' nightly-audit ', one.expected), undefined);
  const many = typedConfirmation([fixture('active'), fixture('paused'), fixture('manual')]);
  assert.equal(many.expected, '3');
});

test('run now: a modal question that names the deployment', () => {
  const c = runConfirmation(fixture('active', { name: 'nightly-audit' }));
  assert.equal(c.message, 'Run “nightly-audit” now?');
  assert.match(c.detail, /starts a new agent session/);
});

test('network errors in words: "api.qoder.com.cn could not be reached (DNS lookup failed)"', () => {
  const dns = new QoderError('network', 'GET /deployments failed: getaddrinfo ENOTFOUND api.qoder.com.cn', 'GET /deployments', { host: 'api.qoder.com.cn', code: 'ENOTFOUND' });
  assert.equal(reasonText(dns), 'api.qoder.com.cn could not be reached (DNS lookup failed)');
  assert.doesNotMatch(failureText('Checking the token', dns), /getaddrinfo|ENOTFOUND/);
  const refused = new QoderError('network', 'x', undefined, { host: 'h:1', code: 'ECONNREFUSED' });
  assert.equal(reasonText(refused), 'h:1 could not be reached (the connection was refused)');
  assert.equal(problemKind(dns), 'dns');
  assert.equal(problemKind(refused), 'refused');
  assert.equal(problemKind(new QoderApiError({ status: 401, type: 'authentication_error', message: 'no' })), 'rejected');
  assert.equal(problemKind(new QoderError('network', 'x', undefined, { code: 'CERT_HAS_EXPIRED' })), 'tls');
  assert.equal(problemKind(new QoderError('timeout', 'x')), 'timeout');
});

test('welcome view host: global, china or custom', () => {
  assert.equal(regionOf('https://api.qoder.com/api/v1/cloud'), 'global');
  assert.equal(regionOf('https://api.qoder.com.cn/api/v1/cloud/'), 'china');
  assert.equal(regionOf('http://127.0.0.1:3000/api/v1/cloud'), 'custom');
});

test('status filter counts: "Needs attention (n)" and the others', () => {
  const counts = statusCounts([fixture('active'), failing(2), fixture('paused'), fixture('paused-error'), fixture('archived')]);
  assert.deepEqual(counts, { all: 5, active: 2, paused: 2, attention: 2 });
});

test('name filter: applies once typing pauses (debounced), not on every key', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const applied: string[] = [];
    const d = new Debouncer<string>(200, (v) => applied.push(v));
    d.schedule('n');
    d.schedule('ni');
    mock.timers.tick(199);
    assert.deepEqual(applied, []);
    d.schedule('nig');
    mock.timers.tick(200);
    assert.deepEqual(applied, ['nig']);
    d.schedule('x');
    d.dispose();
    mock.timers.tick(1000);
    assert.deepEqual(applied, ['nig'], 'a disposed debouncer drops the pending call');
  } finally {
    mock.timers.reset();
  }
});

test('pickers: the item a plain Enter takes for the typed text (exact, then prefix, then contains)', () => {
  const items = [{ label: 'k8s-manifest-lint-2' }, { label: 'my-k8s-manifest-lint' }, { label: 'k8s-manifest-lint' }];
  assert.equal(bestMatch(items, 'k8s-manifest-lint')?.label, 'k8s-manifest-lint');
  assert.equal(bestMatch(items, 'K8S-MANI')?.label, 'k8s-manifest-lint-2');
  assert.equal(bestMatch(items, 'my-')?.label, 'my-k8s-manifest-lint');
  assert.equal(bestMatch(items, 'zz'), undefined);
  assert.equal(bestMatch(items, '')?.label, 'k8s-manifest-lint-2', 'nothing typed: the first, as highlighted');
});

test('details documents: titled by name; id, name, status, schedule first', () => {
  assert.equal(detailsTitle('nightly-audit'), 'nightly-audit · details');
  assert.equal(titleSafe('a/b\u202e'), 'a∕b');
  const raw = { agent: 1, created_at: 2, schedule: 3, status: 4, name: 5, id: 6, z: 7 };
  assert.deepEqual(Object.keys(withKeysFirst(raw)), ['id', 'name', 'status', 'schedule', 'agent', 'created_at', 'z']);
});
