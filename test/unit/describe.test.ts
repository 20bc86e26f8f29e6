import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { accessibilityText, contextTokens, descriptionText, rowTexts, scheduleText, detailRows, kindOf, needsAttention, pausedReasonText, runTriggerText } from '../../src/deployments/model/describe';
import { errorTypeText } from '../../src/common/errorTypes';
import { formatTime, relativeTime, runTimeText } from '../../src/common/timeText';
import { failureText, reasonText } from '../../src/common/errorText';
import { QoderApiError, QoderError } from '../../src/api';
import { fixture, run } from './fixtures';

test('describe: kind and context tokens for every fixture', () => {
  const cases: [string, string, string][] = [
    ['active', 'active', 'deployment active archivable pausable runnable'],
    ['paused', 'paused', 'deployment paused archivable resumable'],
    ['paused-error', 'attention', 'deployment paused archivable resumable attention'],
    ['archived', 'archived', 'deployment archived'],
    ['manual', 'active', 'deployment active archivable pausable runnable manual'],
    ['active-legacy', 'active', 'deployment active archivable pausable runnable'],
  ];
  for (const [name, kind, tokens] of cases) {
    const d = fixture(name);
    assert.equal(kindOf(d), kind, name);
    assert.equal(contextTokens(d), tokens, name);
  }
});

test('describe: archived deployments are never archivable, pausable, resumable or runnable', () => {
  const d = fixture('archived');
  for (const tok of ['archivable', 'pausable', 'resumable', 'runnable']) assert.doesNotMatch(contextTokens(d), new RegExp(`\\b${tok}\\b`));
  // Even an archived deployment that was paused when archived.
  const p = fixture('archived', { status: 'paused', paused_reason: { type: 'manual' } });
  assert.doesNotMatch(contextTokens(p), /\b(archivable|resumable)\b/);
});

test('describe: short description is the problem first, never the word "active", then schedule in words (time zone) · next run', () => {
  const now = Date.parse('2026-07-14T21:30:00Z');
  assert.equal(descriptionText(fixture('active'), undefined, { now }), 'At 08:30, Monday through Friday (Asia/Shanghai) · next in 3 hr.');
  assert.equal(descriptionText(fixture('active'), undefined, { now, locale: 'zh-cn' }), '周一至周五 08:30 (Asia/Shanghai) · next 3小时后');
  assert.match(descriptionText(fixture('paused')), /^paused · /);
  assert.doesNotMatch(descriptionText(fixture('paused'), undefined, { now }), /next/, 'a paused deployment has no next run');
  assert.match(descriptionText(fixture('paused-error')), /^paused: environment archived · At /);
  assert.equal(descriptionText(fixture('manual')), 'manual only');
  assert.match(descriptionText(fixture('archived')), /^archived /);
  assert.match(descriptionText(fixture('active'), 'Archiving…'), /^Archiving… At 08:30/);
  for (const n of ['active', 'manual', 'active-legacy']) assert.doesNotMatch(descriptionText(fixture(n)), /\bactive\b/);
});

test('describe: consecutive failures need attention and show in the description', () => {
  const d = fixture('active-legacy');
  const failing = { ...d, stats: { ...d.stats, consecutive_failures: 3 } };
  assert.equal(needsAttention(d), false);
  assert.equal(needsAttention(failing), true);
  assert.equal(kindOf(failing), 'attention');
  assert.match(descriptionText(failing), /3 failed in a row/);
  assert.equal(needsAttention({ ...failing, archived_at: '2026-07-14T00:00:00Z' }), false, 'archived ones need nothing');
});

test('describe: paused reasons in words, unknown ones generic', () => {
  assert.equal(pausedReasonText(fixture('paused')), 'paused by a user');
  assert.equal(pausedReasonText(fixture('paused-error')), 'paused automatically: the environment was archived');
  assert.equal(errorTypeText('brand_new_thing_error'), 'brand new thing');
  assert.equal(pausedReasonText(fixture('active')), undefined);
});

test('describe: tooltip rows carry id, agent and version, environment, schedule, next runs, last run, stats', () => {
  const rows = detailRows(fixture('active-legacy'), { locale: 'en-US', timeZone: 'UTC' });
  const byLabel = new Map(rows.map((r) => [r.label, r.value]));
  assert.equal(byLabel.get('ID'), 'dep_019f0a6c2e4b7f18a3d95c0e61b7f24d');
  assert.equal(byLabel.get('Agent'), 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b (version 3)');
  assert.equal(byLabel.get('Environment'), 'env_019ec8d21f5a7b0c84e6d3f9a2b15c70');
  assert.equal(byLabel.get('Cron'), '30 8 * * 1-5');
  assert.equal(byLabel.get('Time zone'), 'Asia/Shanghai');
  assert.match(byLabel.get('Next runs') ?? '', /Jul 15, 2026, 12:30 AM \(08:30 Asia\/Shanghai\)/);
  assert.equal(rows.find((r) => r.label === 'Next runs')?.list?.length, 5, 'five next runs');
  assert.match(byLabel.get('Last run at') ?? '', /Jul 14, 2026/);
  assert.match(byLabel.get('Last run') ?? '', /^succeeded, /, 'no failures in a row: the last run succeeded');
  assert.equal(byLabel.get('Run statistics'), '9 total, 0 failed, 0 failed in a row');
  assert.equal(byLabel.get('Schedule'), 'At 08:30, Monday through Friday (Asia/Shanghai)');
  assert.equal(byLabel.has('Runs'), false, '"Runs" is not a schedule label (it read like a count)');
});

test('describe: next runs are shown in the given local time zone', () => {
  const now = Date.parse('2026-07-14T21:30:00Z');
  const rows = detailRows(fixture('active'), { locale: 'en-US', timeZone: 'America/New_York', now });
  const next = rows.find((r) => r.label === 'Next runs')?.list ?? [];
  assert.equal(next[0], 'in 3 hr. — Jul 14, 2026, 8:30 PM (08:30 Asia/Shanghai)', 'relative, then local (New York), then the deployment\'s own zone');
});

test('describe: manual-only and paused deployments read as such', () => {
  const manual = detailRows(fixture('manual'));
  assert.equal(manual.find((r) => r.label === 'Schedule')?.value, 'manual only (runs when triggered)');
  const paused = detailRows(fixture('paused'));
  assert.ok(paused.some((r) => r.label === 'Next runs (when resumed)'));
});

test('describe: how a run was triggered, in words', () => {
  assert.equal(runTriggerText(run('manual')), 'manual');
  assert.equal(runTriggerText(run('schedule-failed')), 'scheduled');
});

test('describe: unreadable cron falls back to the expression; relative times in both directions', () => {
  const d = fixture('active', { schedule: { type: 'cron', expression: 'not a cron', timezone: 'UTC', upcoming_runs_at: [] } });
  assert.equal(scheduleText(d), 'not a cron (UTC)');
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(relativeTime('2026-01-01T00:02:00Z', { now }), 'in 2 min.');
  assert.equal(relativeTime('2025-12-31T22:00:00Z', { now }), '2 hr. ago');
  assert.equal(relativeTime('2026-01-03T00:00:00Z', { now }), 'in 2 days');
  assert.equal(relativeTime('garbage', { now }), 'garbage');
});

test('describe: relative times remembered by words keep each locale, unit and direction apart', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(relativeTime('2026-01-01T03:00:00Z', { now }), 'in 3 hr.');
  assert.equal(relativeTime('2026-01-01T03:00:00Z', { now, locale: 'zh-cn' }), '3小时后');
  assert.equal(relativeTime('2026-01-01T03:00:00Z', { now }), 'in 3 hr.', 'the Chinese text did not replace the English one');
  assert.equal(relativeTime('2026-01-01T00:03:00Z', { now }), 'in 3 min.');
  assert.equal(relativeTime('2025-12-31T21:00:00Z', { now }), '3 hr. ago');
  assert.equal(relativeTime('2026-01-04T00:00:00Z', { now }), 'in 3 days');
  assert.equal(relativeTime('2026-01-01T03:00:00Z', { now: now + 3 * 3600_000 }), 'now', 'the same instant asked later reads from the new clock');
});

test('describe: times remembered by their text keep each zone and language apart; bad input reads as before', () => {
  const at = '2026-01-01T03:00:00Z';
  assert.equal(formatTime(at, { locale: 'en', timeZone: 'UTC' }), 'Jan 1, 2026, 3:00 AM');
  assert.equal(formatTime(at, { locale: 'en', timeZone: 'Asia/Shanghai' }), 'Jan 1, 2026, 11:00 AM');
  assert.match(formatTime(at, { locale: 'zh-cn', timeZone: 'UTC' }), /^2026年1月1日/);
  assert.equal(formatTime(at, { locale: 'en', timeZone: 'UTC' }), 'Jan 1, 2026, 3:00 AM', 'the other zones and languages did not replace it');
  assert.equal(runTimeText(at, 'Asia/Shanghai', { locale: 'en', timeZone: 'UTC', now: Date.parse('2026-01-01T00:00:00Z') }), 'in 3 hr. — Jan 1, 2026, 3:00 AM (11:00 Asia/Shanghai)');
  assert.equal(runTimeText(at, 'Europe/Berlin', { locale: 'en', timeZone: 'UTC', now: Date.parse('2026-01-01T00:00:00Z') }), 'in 3 hr. — Jan 1, 2026, 3:00 AM (04:00 Europe/Berlin)');
  assert.equal(formatTime(at, { timeZone: 'Not/AZone' }), '2026-01-01T03:00:00.000Z', 'an unknown zone falls back to ISO');
  assert.equal(formatTime('garbage'), 'garbage');
  assert.equal(runTimeText('garbage', 'UTC', {}), 'garbage — garbage', 'no time of day for what is not a time');
});

test('describe: the description and spoken label of a row come from one pass and match the separate texts', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  for (const name of ['active', 'paused', 'paused-error', 'manual', 'archived', 'active-legacy']) {
    for (const pending of [undefined, 'Archiving…']) {
      const row = rowTexts(fixture(name), pending, { now });
      assert.equal(row.description, descriptionText(fixture(name), pending, { now }), name);
      assert.equal(row.accessibility, accessibilityText(fixture(name), pending, { now }), name);
      assert.equal(/(^|, )active(, |$)/.test(row.accessibility), fixture(name).status === 'active' && name !== 'archived', `${name}: the label says active for an active deployment only`);
    }
  }
});

test('error text: branches on status, keeps the request id', () => {
  const e401 = new QoderApiError({ status: 401, type: 'authentication_error', message: 'Invalid API key or token.', requestId: 'req-1' });
  assert.match(failureText('Loading deployments', e401), /^Loading deployments failed: Qoder rejected the Personal Access Token \(401\).*\(Request ID: req-1\)$/);
  const e429 = new QoderApiError({ status: 429, type: 'http_429', message: 'x', retryAfterSeconds: 30 });
  assert.match(reasonText(e429), /try again in 30 s/);
  const e502 = new QoderApiError({ status: 502, type: 'http_502', message: 'HTTP 502 Bad Gateway' });
  assert.match(reasonText(e502), /server error \(502\)/);
  assert.match(reasonText(new QoderError('timeout', 'GET /deployments timed out after 30 s')), /did not answer in time/);
  assert.match(reasonText(new QoderError('network', 'ECONNRESET')), /could not be reached/);
});
