// Schedules in Chinese (issue 21 item 7): natural wording, full-width punctuation.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cronWords } from '../../src/deployments/model/describe';

const zh = (expression: string): string | null => cronWords(expression, 'zh-cn');

test('cron zh-CN: a weekly schedule reads "每周日 22:00", not "在22:00, 仅星期日"', () => {
  assert.equal(zh('0 22 * * 0'), '每周日 22:00');
  assert.equal(zh('0 0 * * 7'), '每周日 00:00');
});

test('cron zh-CN: weekdays, daily, several times a day and a list of days', () => {
  assert.equal(zh('0 9 * * 1-5'), '周一至周五 09:00');
  assert.equal(zh('30 8 * * MON-FRI'), '周一至周五 08:30');
  assert.equal(zh('0 3 * * *'), '每天 03:00');
  assert.equal(zh('0 9,17 * * *'), '每天 09:00 和 17:00');
  assert.equal(zh('0 9 * * 1,3,5'), '周一、周三和周五 09:00');
});

test('cron zh-CN: days of the month and months', () => {
  assert.equal(zh('0 0 1 * *'), '每月 1 日 00:00');
  assert.equal(zh('5 4 1,15 * *'), '每月 1 日和 15 日 04:05');
  assert.equal(zh('0 0 1 1 *'), '每年一月 1 日 00:00');
  assert.equal(zh('0 8 * 1-6 1'), '一月至六月的每周一 08:00');
});

test('cron zh-CN: intervals in minutes and hours', () => {
  assert.equal(zh('*/30 * * * *'), '每 30 分钟');
  assert.equal(zh('0 * * * *'), '每小时整点');
  assert.equal(zh('30 * * * *'), '每小时的第 30 分钟');
  assert.equal(zh('0 */2 * * *'), '每 2 小时整点');
  assert.equal(zh('*/5 9-17 * * 1-5'), '周一至周五，09:00 至 17:59 之间每 5 分钟');
});

test('cron zh-CN: a shape without its own wording keeps cronstrue’s, with full-width commas and no doubled spaces', () => {
  const words = zh('0 9 1-7 * 1') ?? '';
  assert.ok(words.includes('，') && !words.includes(',') && !/ {2}/.test(words), words);
  assert.equal(zh('not a cron'), null);
});

test('cron: English wording is unchanged', () => {
  assert.equal(cronWords('0 22 * * 0', 'en'), 'At 22:00, only on Sunday');
});
