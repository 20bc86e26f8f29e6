// The shared request budget (issue 22): GET <= 50/s per host, writes <= 20/s, and a host's
// Retry-After pausing every request to it. Fake clock: sleeping moves it, nothing waits for real.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RequestBudget, MAX_HOST_PAUSE_MS } from '../../src/api/budget';
import { QoderApiError, QoderClient, type ResponseLike } from '../../src/api';
import { BASE, DEP_ID, TOKEN, json, response } from './client-fakes';

const DEPLOYMENT = { id: DEP_ID, type: 'deployment', name: 'nightly', status: 'active', schedule: null };

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

test('budget in the client: a 429 + Retry-After on one request holds back every other request to that host, from any client', async () => {
  const clock = fakeClock();
  const budget = new RequestBudget({ now: clock.now, sleep: clock.sleep });
  const sent: { at: number; who: string }[] = [];
  const answer = (who: string, first: ResponseLike) => {
    let calls = 0;
    return async (url: string): Promise<ResponseLike> => {
      sent.push({ at: clock.now(), who: `${who} ${new URL(url).pathname.split('/').slice(-1)[0]}` });
      return calls++ === 0 ? first : json(DEPLOYMENT);
    };
  };
  // The background watch gets the 429; the foreground client (another instance) shares the budget.
  const background = new QoderClient({ baseUrl: BASE, token: TOKEN, fetch: answer('background', response({ status: 429, headers: { 'retry-after': '30' } })), budget, sleep: clock.sleep, now: clock.now, retries: 0 });
  const foreground = new QoderClient({ baseUrl: BASE, token: TOKEN, fetch: answer('foreground', json(DEPLOYMENT)), budget, sleep: clock.sleep, now: clock.now });
  await assert.rejects(background.getDeployment(DEP_ID), (e: unknown) => e instanceof QoderApiError && e.status === 429);
  const get = foreground.getDeployment(DEP_ID);
  const pause = foreground.pauseDeployment(DEP_ID);
  await clock.runUntil(29_999);
  assert.equal(sent.length, 1, 'nothing else was sent during the pause');
  await clock.runUntil(60_000);
  await Promise.all([get, pause]);
  assert.deepEqual(sent.map((s) => s.at), [0, 30_000, 30_000]);
});

test('budget in the client: a request waiting for the host pause is not timed out by it', async () => {
  const clock = fakeClock();
  const budget = new RequestBudget({ now: clock.now, sleep: clock.sleep });
  budget.pauseHost(new URL(BASE).origin, 45_000);
  const client = new QoderClient({ baseUrl: BASE, token: TOKEN, fetch: async () => json(DEPLOYMENT), budget, sleep: clock.sleep, now: clock.now, timeoutMs: 1_000 });
  const got = client.getDeployment(DEP_ID);
  await clock.runUntil(45_000);
  assert.equal((await got).id, DEP_ID);
});
