// The schedule lens: words (the tree's cronstrue wording, en and zh-CN), next 5 runs in the
// deployment's zone and local time (croner), and the problems shown as diagnostics.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronProblem, isKnownTimeZone, nextRuns, scheduleHelp, scheduleProblems } from '../../src/editing/model/cronSchedule';
import { cronWords } from '../../src/deployments/model/describe';

/** Tuesday 2026-07-14 12:00 UTC = 20:00 in Shanghai. */
const NOW = Date.parse('2026-07-14T12:00:00Z');

describe('cron lens', () => {
  it('computes the next 5 runs in the deployment zone (weekdays 08:30 Shanghai)', () => {
    const runs = nextRuns('30 8 * * 1-5', 'Asia/Shanghai', 5, NOW).map((d) => d.toISOString());
    assert.deepEqual(runs, ['2026-07-15T00:30:00.000Z', '2026-07-16T00:30:00.000Z', '2026-07-17T00:30:00.000Z', '2026-07-20T00:30:00.000Z', '2026-07-21T00:30:00.000Z']);
  });

  it('follows wall-clock time across a DST change (New York, 09:00 daily)', () => {
    const runs = nextRuns('0 9 * * *', 'America/New_York', 3, Date.parse('2026-03-07T20:00:00Z')).map((d) => d.toISOString());
    assert.deepEqual(runs, ['2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-10T13:00:00.000Z']);
  });

  it('uses OR for day-of-month and day-of-week like POSIX cron', () => {
    const runs = nextRuns('0 0 13 * 5', 'UTC', 3, Date.parse('2026-07-01T00:00:00Z')).map((d) => d.toISOString().slice(0, 10));
    assert.deepEqual(runs, ['2026-07-03', '2026-07-10', '2026-07-13']);
  });

  it('writes words like the tree and the runs in both zones (en)', () => {
    const help = scheduleHelp({ expression: '30 8 * * 1-5', timezone: 'Asia/Shanghai' }, { words: cronWords, locale: 'en', now: NOW, localZone: 'Europe/Berlin' });
    assert.ok(help);
    assert.equal(help.words, `${cronWords('30 8 * * 1-5', 'en')} (Asia/Shanghai)`);
    assert.equal(help.words, 'At 08:30, Monday through Friday (Asia/Shanghai)');
    assert.equal(help.zoned.length, 5);
    assert.match(help.zoned[0] ?? '', /Wed.*Jul.*15.*08:30/);
    assert.match(help.local?.[0] ?? '', /Wed.*Jul.*15.*02:30/);
  });

  it('writes words and runs in Chinese for zh-cn', () => {
    const help = scheduleHelp({ expression: '30 8 * * 1-5', timezone: 'Asia/Shanghai' }, { words: cronWords, locale: 'zh-cn', now: NOW, localZone: 'UTC' });
    assert.ok(help);
    assert.equal(help.words, '周一至周五 08:30 (Asia/Shanghai)');
    assert.match(help.zoned[0] ?? '', /7月15日.*周三.*08:30/);
    assert.match(help.local?.[0] ?? '', /7月15日.*周三.*00:30/);
  });

  it('leaves out local times when the local zone shows the same wall clock', () => {
    const help = scheduleHelp({ expression: '0 * * * *', timezone: 'UTC' }, { words: cronWords, now: NOW, localZone: 'Etc/UTC' });
    assert.equal(help?.local, undefined);
  });

  it('gives no help for an invalid expression or an unknown zone', () => {
    assert.equal(scheduleHelp({ expression: '61 * * * *', timezone: 'UTC' }, { words: cronWords, now: NOW }), undefined);
    assert.equal(scheduleHelp({ expression: '0 * * * *', timezone: 'Mars/Olympus' }, { words: cronWords, now: NOW }), undefined);
  });
});

describe('schedule problems', () => {
  const bad = ['', '* * * *', '0 0 9 * * *', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', '0 0 L * *', '0 0 * * 5#2', '0 0 ? * *', '@daily', '*/0 * * * *', '0 0 * * FOO'];
  for (const expression of bad) {
    it(`rejects "${expression}"`, () => {
      assert.ok(cronProblem(expression), expression);
      assert.deepEqual(scheduleProblems({ type: 'cron', expression, timezone: 'UTC' }).map((p) => p.field), ['schedule.expression']);
    });
  }
  const good = ['* * * * *', '30 8 * * 1-5', '0 9 * * 7', '*/15 8-18 * JAN-MAR MON-FRI', '0,30 9 1,15 * *', '5 4 * * sun'];
  for (const expression of good) {
    it(`accepts "${expression}"`, () => assert.equal(cronProblem(expression), undefined));
  }
  it('names the field that is out of range', () => {
    assert.match(cronProblem('0 25 * * *') ?? '', /hour.*0–23/);
  });
  it('knows IANA zones and rejects unknown ones', () => {
    assert.equal(isKnownTimeZone('Asia/Shanghai'), true);
    assert.equal(isKnownTimeZone('UTC'), true);
    assert.equal(isKnownTimeZone('Mars/Olympus'), false);
    assert.equal(isKnownTimeZone(''), false);
    assert.deepEqual(scheduleProblems({ type: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus' }).map((p) => p.field), ['schedule.timezone']);
  });
  it('accepts null (manual only) and rejects a non-object schedule', () => {
    assert.deepEqual(scheduleProblems(null), []);
    assert.deepEqual(scheduleProblems('0 9 * * *').map((p) => p.field), ['schedule']);
  });
});
