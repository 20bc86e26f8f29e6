// Property tests (fast-check): whatever the server sends, parsing yields a typed result or a
// typed QoderError, never an unhandled exception.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDeployment, parseListPage, parseRun, QoderError } from '../../src/api';
import { fixtureJson } from './fixtures';

function parsesOrTypedError(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof QoderError && e.kind === 'invalid_response') return true;
    throw e;
  }
}

const deep = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 40 }, fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), tie('node'), { maxKeys: 3 })),
})).node;

const anyValue = fc.oneof(
  fc.jsonValue(),
  deep,
  fc.string({ minLength: 10_000, maxLength: 20_000 }),
  fc.constantFrom(null, undefined, 0, -1, NaN, Infinity, true, '', [], {}, '__proto__', 'dep_', 'dep_../x'),
);

const base = fixtureJson('deployment-active.json');
const fields = [...Object.keys(base), 'schedule.expression', 'schedule.upcoming_runs_at', 'paused_reason', 'agent.version', 'metadata.cas_config'];

/** The active fixture with one field (or a nested one) replaced by anything. */
const mutatedDeployment = fc.record({ field: fc.constantFrom(...fields), value: anyValue, extra: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }) }).map(({ field, value, extra }) => {
  const d: Record<string, unknown> = structuredClone(base);
  const [a, b] = field.split('.');
  if (b) {
    const inner = (typeof d[a] === 'object' && d[a] !== null ? { ...(d[a] as object) } : {}) as Record<string, unknown>;
    inner[b] = value;
    d[a] = inner;
  } else d[a] = value;
  return { ...extra, ...d };
});

test('fuzz: random JSON bodies as a deployment', () => {
  fc.assert(fc.property(anyValue, (v) => parsesOrTypedError(() => parseDeployment(v))), { numRuns: 300 });
});

test('fuzz: a real deployment with any field of any type, plus unknown fields', () => {
  fc.assert(fc.property(mutatedDeployment, (d) => parsesOrTypedError(() => {
    const parsed = parseDeployment(d);
    // A parsed deployment is safe to render: the strings the UI reads are strings.
    assert.equal(typeof parsed.name, 'string');
    assert.equal(typeof parsed.id, 'string');
    assert.ok(parsed.schedule === null || Array.isArray(parsed.schedule.upcoming_runs_at));
  })), { numRuns: 400 });
});

test('fuzz: list envelopes with random pages and items', () => {
  const page = fc.record({
    data: fc.oneof(fc.array(fc.oneof(mutatedDeployment, anyValue), { maxLength: 8 }), anyValue),
    has_more: fc.oneof(fc.boolean(), anyValue),
    next_page: fc.oneof(fc.string(), fc.constant(null), anyValue),
    first_id: fc.oneof(fc.string(), fc.constant(null)),
    last_id: fc.oneof(fc.string(), fc.constant(null)),
  }, { requiredKeys: [] });
  fc.assert(fc.property(fc.oneof(page, anyValue), (p) => parsesOrTypedError(() => {
    const r = parseListPage(p, parseDeployment);
    assert.ok(Array.isArray(r.data));
    assert.ok(Array.isArray(r.invalid));
  })), { numRuns: 300 });
});

test('fuzz: runs of any shape', () => {
  const run = fixtureJson('run-legacy.json');
  const mutated = fc.record({ field: fc.constantFrom(...Object.keys(run)), value: anyValue }).map(({ field, value }) => ({ ...run, [field]: value }));
  fc.assert(fc.property(fc.oneof(mutated, anyValue), (r) => parsesOrTypedError(() => parseRun(r))), { numRuns: 300 });
});
