// Notify once per problem (issue 19 item 10): a flapping deployment is told about once until the
// user has seen it or it stayed fixed for an hour. The clock is a plain counter, not the wall clock.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ProblemMemory } from '../../src/attention/model/problemMemory';

const change = (id: string) => ({ deployment: { id }, kind: 'paused_on_error' as const });

test('three deployments flapping between active and paused-on-error over 10 looks are told about once each', () => {
  let now = 0;
  const memory = new ProblemMemory({ now: () => now });
  let told = 0;
  for (let look = 0; look < 10; look++) {
    now += 60_000;
    const paused = look % 2 === 0;
    const ids = ['dep_a', 'dep_b', 'dep_c'];
    // Each look where they went paused again reports all three as newly paused (what AttentionWatch does).
    told += memory.select(paused ? ids.map(change) : [], new Set(paused ? ids : [])).length;
  }
  assert.equal(told, 3);
});

test('a problem the user has seen is told again when it comes back', () => {
  let now = 0;
  const memory = new ProblemMemory({ now: () => now });
  assert.equal(memory.select([change('dep_a')], new Set(['dep_a'])).length, 1);
  memory.seen('dep_a');
  now += 60_000;
  assert.equal(memory.select([], new Set()).length, 0);
  now += 60_000;
  assert.equal(memory.select([change('dep_a')], new Set(['dep_a'])).length, 1, 'seen, then back: told again');
  now += 60_000;
  assert.equal(memory.select([change('dep_a')], new Set(['dep_a'])).length, 0, 'not seen yet: not told twice');
});

test('a problem that stayed fixed for an hour is new when it comes back, one fixed for less is not', () => {
  let now = 0;
  const memory = new ProblemMemory({ now: () => now, quietMs: 60 * 60_000 });
  memory.select([change('dep_a')], new Set(['dep_a']));
  now += 1_000;
  memory.select([], new Set()); // fixed from here
  now += 59 * 60_000;
  assert.equal(memory.select([change('dep_a')], new Set(['dep_a'])).length, 0, 'fixed for 59 minutes: the same problem');
  now += 1_000;
  memory.select([], new Set()); // fixed again from here
  now += 60 * 60_000;
  memory.select([], new Set()); // an hour later, still fixed: the problem is over
  now += 1_000;
  assert.equal(memory.select([change('dep_a')], new Set(['dep_a'])).length, 1);
});

test('other deployments are told about while one is remembered, and a reset forgets everything', () => {
  const memory = new ProblemMemory({ now: () => 0 });
  assert.equal(memory.select([change('dep_a')], new Set(['dep_a'])).length, 1);
  assert.deepEqual(memory.select([change('dep_a'), change('dep_b')], new Set(['dep_a', 'dep_b'])).map((c) => c.deployment.id), ['dep_b']);
  memory.reset();
  assert.equal(memory.select([change('dep_a')], new Set(['dep_a'])).length, 1);
});
