// The shared request budget (issue 22): GET <= 50/s per host, writes <= 20/s, and a host's
// Retry-After pausing every request to it. Fake clock: sleeping moves it, nothing waits for real.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RequestBudget, MAX_HOST_PAUSE_MS } from '../../src/api/budget';

/** A clock whose sleeps resolve in time order when the test lets them run. */
function fakeClock() {
  let now = 0;
  const sleepers: { at: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const entry = { at: now + ms, resolve, reject };
        sleepers.push(entry);
        signal?.addEventListener('abort', () => {
          sleepers.splice(sleepers.indexOf(entry), 1);
          reject(signal.reason);
        }, { once: true });
      }),
    /** Runs every sleep due up to `to`, in order, letting the awakened code continue. */
    async runUntil(to: number) {
      for (;;) {
        await new Promise((r) => setImmediate(r));
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > to) break;
        sleepers.shift();
        now = next.at;
        next.resolve();
      }
      now = Math.max(now, to);
      await new Promise((r) => setImmediate(r));
    },
  };
}

const HOST = 'https://api.qoder.com';

test('budget: at most 50 GETs start in any second to one host; the 51st waits for the window', async () => {
  const clock = fakeClock();
  const budget = new RequestBudget({ now: clock.now, sleep: clock.sleep });
  const started: number[] = [];
  const all = Array.from({ length: 60 }, () => budget.acquire(HOST, 'GET').then(() => started.push(clock.now())));
  await clock.runUntil(5_000);
  await Promise.all(all);
  assert.equal(started.filter((t) => t === 0).length, 50);
  assert.equal(started.filter((t) => t === 1_000).length, 10);
  assert.equal(budget.waited, 10);
});

test('budget: writes have their own limit of 20 a second, and another host is not slowed', async () => {
  const clock = fakeClock();
  const budget = new RequestBudget({ now: clock.now, sleep: clock.sleep });
  const writes: number[] = [];
  const other: number[] = [];
  const all = [
    ...Array.from({ length: 25 }, () => budget.acquire(HOST, 'POST').then(() => writes.push(clock.now()))),
    ...Array.from({ length: 50 }, () => budget.acquire('https://api.qoder.sh', 'GET').then(() => other.push(clock.now()))),
  ];
  await clock.runUntil(5_000);
  await Promise.all(all);
  assert.equal(writes.filter((t) => t === 0).length, 20);
  assert.equal(writes.filter((t) => t === 1_000).length, 5);
  assert.deepEqual([...new Set(other)], [0]);
});

test('budget: a Retry-After pauses every request to that host (GET and POST), not only the one that got it', async () => {
  const clock = fakeClock();
  const budget = new RequestBudget({ now: clock.now, sleep: clock.sleep });
  budget.pauseHost(HOST, 30_000);
  assert.equal(budget.pausedUntil(HOST), 30_000);
  assert.equal(budget.pausedUntil('https://api.qoder.sh'), undefined);
  const started: Record<string, number> = {};
  const all = [
    budget.acquire(HOST, 'GET').then(() => (started.get = clock.now())),
    budget.acquire(HOST, 'POST').then(() => (started.post = clock.now())),
    budget.acquire('https://api.qoder.sh', 'GET').then(() => (started.other = clock.now())),
  ];
  await clock.runUntil(60_000);
  await Promise.all(all);
  assert.deepEqual(started, { other: 0, get: 30_000, post: 30_000 });
  // A shorter pause asked later does not shorten it; a huge one is capped.
  budget.pauseHost(HOST, 10 ** 9);
  assert.equal(budget.pausedUntil(HOST), clock.now() + MAX_HOST_PAUSE_MS);
});

test('budget: a caller abort while waiting rejects and takes no slot', async () => {
  const clock = fakeClock();
  const budget = new RequestBudget({ now: clock.now, sleep: clock.sleep });
  budget.pauseHost(HOST, 5_000);
  const abort = new AbortController();
  const waiting = budget.acquire(HOST, 'GET', abort.signal);
  abort.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
});
