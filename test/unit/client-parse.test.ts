import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { QoderError, parseDeployment, parseListPage, parseRun } from '../../src/api';
import { FIXTURES, fixture, fixtureNames } from './client-fakes';

function assertInvalid(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof QoderError, `expected QoderError, got ${String(e)}`);
    assert.equal(e.kind, 'invalid_response');
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('fixtures', () => {
  test('the fixture folder resolves from test/unit', () => {
    assert.ok(fs.existsSync(FIXTURES), FIXTURES);
    assert.ok(fixtureNames().length >= 20);
  });

  test('every deployment-*.json parses', () => {
    const names = fixtureNames().filter((n) => n.startsWith('deployment-'));
    assert.equal(names.length, 6);
    for (const n of names) {
      const raw = fixture(n) as Record<string, unknown>;
      const d = parseDeployment(raw);
      assert.equal(d.id, raw.id, n);
      assert.equal(d.type, 'deployment');
      assert.equal(d, raw, `${n}: the deployment is the server's object itself (one object)`);
      assert.equal(typeof d.name, 'string');
      assert.match(d.agent.id, /^agent_/);
    }
  });

  test('every run-*.json parses', () => {
    const names = fixtureNames().filter((n) => n.startsWith('run-'));
    assert.equal(names.length, 3);
    for (const n of names) {
      const raw = fixture(n) as Record<string, unknown>;
      const r = parseRun(raw);
      assert.equal(r.id, raw.id, n);
      assert.equal(r.deployment_id, raw.deployment_id);
      assert.equal(r.raw, raw);
    }
  });

  test('every list page parses without invalid items', () => {
    for (const [n, item] of [
      ['list-page.json', parseDeployment],
      ['list-page-empty.json', parseDeployment],
      ['runs-list-page.json', parseRun],
    ] as const) {
      const raw = fixture(n) as { data: unknown[]; has_more: boolean; next_page: string | null };
      const p = parseListPage<unknown>(raw, item);
      assert.equal(p.data.length, raw.data.length, n);
      assert.deepEqual(p.invalid, []);
      assert.equal(p.has_more, raw.has_more);
      assert.equal(p.next_page, raw.next_page);
    }
    const empty = parseListPage(fixture('list-page-empty.json'), parseDeployment);
    assert.deepEqual([empty.first_id, empty.last_id, empty.next_page, empty.has_more], [null, null, null, false]);
  });
});

describe('parseDeployment details', () => {
  test('[new] active: schedule, no stats, metadata kept', () => {
    const d = parseDeployment(fixture('deployment-active.json'));
    assert.equal(d.status, 'active');
    assert.equal(d.schedule?.expression, '30 8 * * 1-5');
    assert.equal(d.schedule?.timezone, 'Asia/Shanghai');
    assert.equal(d.schedule?.upcoming_runs_at.length, 5);
    assert.equal(d.schedule?.last_run_at, '2026-07-14T00:30:04Z');
    assert.equal(d.stats, null);
    assert.deepEqual(d.metadata, { team: 'platform' });
    assert.equal(d.paused_reason, null);
    assert.equal(d.archived_at, null);
    assert.deepEqual(d.agent, { id: 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b', type: 'agent', version: 3 });
  });

  test('[old] legacy: cas_config.stats becomes stats, string content tolerated', () => {
    const d = parseDeployment(fixture('deployment-active-legacy.json'));
    assert.deepEqual(d.stats, {
      total_runs: 9,
      total_failures: 0,
      consecutive_failures: 0,
      next_trigger_at: '2026-07-15T00:30:00Z',
      last_triggered_at: '2026-07-14T00:30:04Z',
    });
    const events = d.initial_events as Array<{ content: unknown }>;
    assert.equal(typeof events[0]?.content, 'string');
  });

  test('paused manual / paused error / archived / manual-only', () => {
    assert.deepEqual(parseDeployment(fixture('deployment-paused.json')).paused_reason, { type: 'manual' });
    assert.deepEqual(parseDeployment(fixture('deployment-paused-error.json')).paused_reason, {
      type: 'error',
      error: { type: 'environment_archived_error' },
    });
    const archived = parseDeployment(fixture('deployment-archived.json'));
    assert.equal(archived.archived_at, '2026-07-10T06:12:45Z');
    assert.deepEqual(archived.schedule?.upcoming_runs_at, []);
    assert.equal(parseDeployment(fixture('deployment-manual.json')).schedule, null);
  });

  test('missing last_run_at → null, description null → ""', () => {
    const raw = fixture('deployment-active.json') as Record<string, unknown>;
    const schedule = { ...(raw.schedule as Record<string, unknown>) };
    delete schedule.last_run_at;
    const d = parseDeployment({ ...raw, schedule, description: null, brand_new_field: { x: 1 } });
    assert.equal(d.schedule?.last_run_at, null);
    assert.equal(d.description, '');
    assert.deepEqual(d.brand_new_field, { x: 1 });
  });

  test('rejects items without id/name, with a non-dep id, or of another type', () => {
    const good = fixture('deployment-manual.json') as Record<string, unknown>;
    assertInvalid(() => parseDeployment({ ...good, id: undefined }), /id/);
    assertInvalid(() => parseDeployment({ ...good, id: 42 }), /id/);
    assertInvalid(() => parseDeployment({ ...good, id: 'drun_019f0b2a5c3e7d81b4a09e6f2c7d15a3' }), /not a dep_ id/);
    assertInvalid(() => parseDeployment({ ...good, id: 'dep_../../x' }), /not a dep_ id/);
    assertInvalid(() => parseDeployment({ ...good, name: null }), /name/);
    assertInvalid(() => parseDeployment({ ...good, type: 'deployment_run' }), /type/);
    assertInvalid(() => parseDeployment({ ...good, schedule: 'daily' }), /schedule/);
    assertInvalid(() => parseDeployment({ ...good, schedule: { type: 'cron', timezone: 'UTC' } }), /expression/);
    for (const v of [null, undefined, 1, 'x', [], true]) assertInvalid(() => parseDeployment(v));
  });

  test('wrong types in optional fields fall back to defaults', () => {
    const d = parseDeployment({
      id: 'dep_019f0a6c2e4b7f18a3d95c0e61b7f24d',
      name: 'n',
      description: 5,
      agent: 'agent_x',
      environment_id: {},
      status: 7,
      paused_reason: 'manual',
      archived_at: 12,
      created_at: [],
      updated_at: null,
      metadata: ['not', 'a', 'map'],
      schedule: { expression: '* * * * *', timezone: 'UTC', upcoming_runs_at: ['a', 1, null], last_run_at: 3 },
    });
    assert.equal(d.description, '');
    assert.deepEqual(d.agent, { id: '', type: 'agent', version: 0 });
    assert.equal(d.environment_id, '');
    assert.equal(d.status, '');
    assert.equal(d.paused_reason, null);
    assert.equal(d.archived_at, null);
    assert.equal(d.created_at, '');
    assert.deepEqual(d.metadata, {});
    assert.equal(d.stats, null);
    assert.deepEqual(d.schedule?.upcoming_runs_at, ['a']);
    assert.equal(d.schedule?.last_run_at, null);
  });

  test('garbage stats values are dropped, not crashed on', () => {
    const d = parseDeployment({
      id: 'dep_abc',
      name: 'n',
      metadata: { cas_config: { stats: { total_runs: 'many', total_failures: 2, next_trigger_at: 5 } } },
    });
    assert.deepEqual(d.stats, { total_failures: 2 });
    assert.equal(parseDeployment({ id: 'dep_abc', name: 'n', metadata: { cas_config: { stats: null } } }).stats, null);
  });
});

describe('parseRun details', () => {
  test('[new] manual and failed schedule runs', () => {
    const m = parseRun(fixture('run-manual.json'));
    assert.deepEqual(m.trigger_context, { type: 'manual' });
    assert.equal(m.session_id, 'sess_019f0b2a5c4176e0a2d9f83b6c1e4a57');
    assert.equal(m.error, null);
    assert.equal(m.status, undefined);
    const f = parseRun(fixture('run-schedule-failed.json'));
    assert.equal(f.session_id, null);
    assert.equal(f.error?.type, 'environment_archived_error');
    assert.match(f.error?.message ?? '', /archived/);
    assert.deepEqual(f.trigger_context, { type: 'schedule', scheduled_at: '2026-07-13T01:00:00Z' });
  });

  test('[old] legacy run keeps status and raw extras', () => {
    const r = parseRun(fixture('run-legacy.json'));
    assert.equal(r.status, 'completed');
    assert.equal(r.created_at, '2026-07-14T02:07:51.168452Z');
    assert.equal((r.raw.cas_run_extras as { attempt: number }).attempt, 1);
  });

  test('created_at falls back to triggered_at; odd trigger_context/error tolerated', () => {
    const r = parseRun({
      id: 'drun_1',
      deployment_id: 'dep_1',
      triggered_at: '2026-01-01T00:00:00Z',
      trigger_context: 'manual',
      error: { message: 7 },
      agent: null,
      session_id: 9,
    });
    assert.equal(r.created_at, '2026-01-01T00:00:00Z');
    assert.deepEqual(r.trigger_context, { type: 'unknown' });
    assert.equal(r.error, null);
    assert.equal(r.agent, null);
    assert.equal(r.session_id, null);
    assert.deepEqual(parseRun({ id: 'drun_1', deployment_id: 'dep_1', error: { type: 'x' } }).error, { type: 'x', message: '' });
  });

  test('rejects runs without a drun_ id or a dep_ deployment_id', () => {
    assertInvalid(() => parseRun({ id: 'dep_1', deployment_id: 'dep_1' }), /drun_/);
    assertInvalid(() => parseRun({ id: 'drun_1' }), /deployment_id/);
    assertInvalid(() => parseRun({ id: 'drun_1', deployment_id: '../x' }), /deployment_id/);
    assertInvalid(() => parseRun({ id: 'drun_1', deployment_id: 'dep_1', type: 'deployment' }), /type/);
    assertInvalid(() => parseRun([]));
  });
});

describe('parseListPage', () => {
  test('one bad item is reported in invalid, the rest parse', () => {
    const raw = fixture('list-page.json') as { data: unknown[] };
    const body = {
      ...raw,
      data: [raw.data[0], { id: 'dep_bad', name: 12 }, 'not an object', { id: 'oops' }, raw.data[1]],
    };
    const p = parseListPage(body, parseDeployment);
    assert.deepEqual(
      p.data.map((d) => d.id),
      ['dep_019f0b12d9e57a6c8b01f3e4a7d26c5b', 'dep_019f0a6c2e4b7f18a3d95c0e61b7f24d'],
    );
    assert.equal(p.invalid.length, 3);
    assert.deepEqual(
      p.invalid.map((i) => [i.index, i.id]),
      [
        [1, 'dep_bad'],
        [2, undefined],
        [3, 'oops'],
      ],
    );
    assert.match(p.invalid[0]?.reason ?? '', /name/);
    assert.match(p.invalid[2]?.reason ?? '', /not a dep_ id/);
  });

  test('a body that is not an object with a data array throws invalid_response', () => {
    for (const body of [null, undefined, 'x', [], {}, { data: {} }, { data: null }, { items: [] }]) {
      assertInvalid(() => parseListPage(body, parseDeployment), /list response/);
    }
  });

  test('wrong-typed envelope fields become null / false', () => {
    const p = parseListPage({ data: [], first_id: 1, last_id: {}, has_more: 'yes', next_page: false }, parseDeployment);
    assert.deepEqual([p.first_id, p.last_id, p.has_more, p.next_page], [null, null, false, null]);
  });

  test('parseItem throwing a non-QoderError is still captured', () => {
    const p = parseListPage({ data: [1] }, () => {
      throw new TypeError('boom');
    });
    assert.deepEqual(p.invalid, [{ index: 0, reason: 'boom' }]);
  });
});

describe('defensive parsing (deterministic mini-fuzz)', () => {
  // Small LCG so failures are reproducible without an extra dependency.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const weird = (r: () => number): unknown => {
    const pool: unknown[] = [null, undefined, 0, -1, NaN, '', 'x', true, [], [1, 'a'], {}, { type: 5 }, { id: 'agent_1', version: 'v' }];
    return pool[Math.floor(r() * pool.length)];
  };

  test('mutating any field of any fixture never throws anything but QoderError', () => {
    const r = rng(42);
    const bases = fixtureNames()
      .filter((n) => n.startsWith('deployment-') || n.startsWith('run-'))
      .map((n) => [n, fixture(n) as Record<string, unknown>] as const);
    for (let i = 0; i < 2000; i++) {
      const [name, base] = bases[Math.floor(r() * bases.length)]!;
      const obj: Record<string, unknown> = JSON.parse(JSON.stringify(base));
      const keys = Object.keys(obj);
      for (let k = 0; k < 3; k++) obj[keys[Math.floor(r() * keys.length)]!] = weird(r);
      const parse: (x: unknown) => unknown = name.startsWith('run-') ? parseRun : parseDeployment;
      try {
        parse(obj);
      } catch (e) {
        assert.ok(e instanceof QoderError, `${name} mutated → ${String(e)}`);
        assert.equal(e.kind, 'invalid_response');
      }
      const listed = parseListPage({ data: [obj, weird(r)] }, parse);
      assert.equal(listed.data.length + listed.invalid.length, 2);
    }
  });
});
