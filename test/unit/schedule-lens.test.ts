// The schedule CodeLens and diagnostics on a *.deployment.json document (fake vscode).

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { env, EventEmitter, Uri } from '../fakes/vscode';
import { cronWords } from '../../src/deployments/model/describe';
import { findSchedule, ScheduleLens } from '../../src/editing/scheduleLens';
import type { DeploymentFiles } from '../../src/editing/deploymentFiles';

function doc(text: string, path = '/deployments/dep_1/x.deployment.json') {
  return {
    uri: Uri.from({ scheme: 'qoder', path }),
    getText: () => text,
    positionAt(offset: number) {
      const before = text.slice(0, offset).split('\n');
      return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
    },
  };
}

const files = { archivedAt: () => null, hasDraft: () => false } as unknown as DeploymentFiles;
const text = (expression: string, timezone = 'Asia/Shanghai') =>
  `{\n  "name": "x",\n  "schedule": {\n    "type": "cron",\n    "expression": "${expression}",\n    "timezone": "${timezone}"\n  }\n}\n`;

test('lens: finds the schedule strings while the JSON is half typed', () => {
  const spot = findSchedule('{ "schedule": { "type": "cron", "expression": "0 9 * * 1-5", "timezone": "UT');
  assert.equal(spot?.line, 0);
  assert.equal(spot?.expression?.value, '0 9 * * 1-5');
  assert.equal(spot?.timezone, undefined);
  assert.equal(findSchedule('{"schedule": null}')?.isNull, true);
});

test('lens: one lens of words above "schedule" (fits the default width), the next runs in its tooltip and the hover, in English and Chinese', () => {
  const lens = new ScheduleLens(files, { cronWords }, new EventEmitter<void>() as never);
  try {
    const lenses = lens.provideCodeLenses(doc(text('30 8 * * 1-5')) as never);
    assert.equal(lenses[0]?.range.start.line, 2);
    assert.equal(lenses[0]?.command?.title, '$(calendar) At 08:30, Monday through Friday (Asia/Shanghai)');
    assert.equal(lenses.length, 1, 'no lens of next runs, which the default width cuts');
    assert.match(lenses[0]?.command?.tooltip ?? '', /^Next \(Asia\/Shanghai\): (\w{3}, \w{3} \d+, 08:30 · ){4}\w{3}, \w{3} \d+, 08:30$/m);
    const hover = lens.provideHover(doc(text('30 8 * * 1-5')) as never, { line: 4, character: 20 } as never);
    const shown = hover?.contents as unknown as { value: string }[] | { value: string } | undefined;
    const value = (Array.isArray(shown) ? shown.map((m) => m.value).join('\n') : (shown?.value ?? '')).replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(value, /At 08:30, Monday through Friday/);
    assert.match(value, /Next \(Asia\/Shanghai\): (\w{3}, \w{3} \d+, 08:30 · ){4}/);
    assert.equal(lens.provideHover(doc(text('30 8 * * 1-5')) as never, { line: 0, character: 1 } as never), undefined, 'no hover outside the schedule');
    env.language = 'zh-cn';
    const zh = lens.provideCodeLenses(doc(text('30 8 * * 1-5')) as never);
    assert.equal(zh[0]?.command?.title, '$(calendar) 周一至周五 08:30 (Asia/Shanghai)');
    assert.match(zh[0]?.command?.tooltip ?? '', /周/);
  } finally {
    env.language = 'en';
    lens.dispose();
  }
});

test('lens: an invalid cron or unknown zone is an error diagnostic on that string, and the lens says why', () => {
  const lens = new ScheduleLens(files, { cronWords }, new EventEmitter<void>() as never);
  try {
    const bad = doc(text('0 9 * *'));
    lens.check(bad as never);
    const diagnostics = (lens as unknown as { diagnostics: { get(u: Uri): { message: string; severity: number; range: { start: { line: number; character: number }; end: { character: number } } }[] } }).diagnostics.get(bad.uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.severity, 0, 'Error');
    assert.match(diagnostics[0]?.message ?? '', /5 fields/);
    assert.deepEqual([diagnostics[0]?.range.start.line, diagnostics[0]?.range.start.character, diagnostics[0]?.range.end.character], [4, 19, 26]);
    assert.match(lens.provideCodeLenses(bad as never)[0]?.command?.title ?? '', /^\$\(error\) A cron expression has 5 fields/);

    const zone = doc(text('0 9 * * *', 'Mars/Olympus'));
    lens.check(zone as never);
    const zoneDiagnostics = (lens as unknown as { diagnostics: { get(u: Uri): { message: string }[] } }).diagnostics.get(zone.uri);
    assert.match(zoneDiagnostics[0]?.message ?? '', /Unknown time zone "Mars\/Olympus"/);

    const good = doc(text('0 9 * * *'));
    lens.check(good as never);
    assert.deepEqual((lens as unknown as { diagnostics: { get(u: Uri): unknown[] } }).diagnostics.get(good.uri), []);
  } finally {
    lens.dispose();
  }
});
