import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Poller, type PollOutcome, type Timers } from '../../src/common/poller';

/** Manual clock: timers fire only when the test advances time. */
function manualTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++seq;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
    now: () => now,
  };
  return {
    timers,
    pending: () => [...pending.values()].map((p) => p.at - now),
    async advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, p]) => p.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        now = due[1].at;
        pending.delete(due[0]);
        due[1].fn();
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      }
      now = target;
    },
  };
}

function setup(opts: { interval?: number; outcomes?: PollOutcome[] } = {}) {
  const clock = manualTimers();
  let active = true;
  let interval = opts.interval ?? 60_000;
  let last: number | undefined = 0;
  const outcomes = [...(opts.outcomes ?? [])];
  const polls: number[] = [];
  const poller = new Poller({
    intervalMs: () => interval,
    isActive: () => active,
    lastUpdated: () => last,
    timers: clock.timers,
    poll: async () => {
      polls.push(clock.timers.now());
      const o = outcomes.shift() ?? { ok: true };
      if (o.ok) last = clock.timers.now();
      return o;
    },
  });
  return {
    clock, poller, polls,
    setActive: (a: boolean) => { active = a; poller.update(); },
    setInterval: (ms: number) => { interval = ms; poller.update(); },
  };
}

test('poller: polls every interval while active', async () => {
  const { clock, poller, polls } = setup();
  poller.update();
  await clock.advance(180_000);
  assert.deepEqual(polls, [60_000, 120_000, 180_000]);
  poller.dispose();
});

test('poller: stops when the view is hidden or the window loses focus, resumes when due', async () => {
  const { clock, poller, polls, setActive } = setup();
  poller.update();
  await clock.advance(60_000);
  setActive(false);
  await clock.advance(600_000);
  assert.equal(polls.length, 1, 'no polling while inactive');
  assert.deepEqual(clock.pending(), [], 'no timer left behind');
  setActive(true);
  await clock.advance(0);
  assert.equal(polls.length, 2, 'overdue: refreshes at once when seen again');
  poller.dispose();
});

test('poller: backs off on errors and honours Retry-After, then recovers', async () => {
  const { clock, poller, polls } = setup({ outcomes: [{ ok: false }, { ok: false }, { ok: false, retryAfterMs: 900_000 }, { ok: true }] });
  poller.update();
  await clock.advance(60_000); // fail 1 → next in 120 s
  assert.equal(poller.scheduledIn, 120_000);
  await clock.advance(120_000); // fail 2 → next in 240 s
  assert.equal(poller.scheduledIn, 240_000);
  await clock.advance(240_000); // 429 with Retry-After 900 s
  assert.equal(poller.scheduledIn, 900_000);
  await clock.advance(900_000); // ok → back to the interval
  assert.equal(poller.scheduledIn, 60_000);
  assert.equal(polls.length, 4);
  poller.dispose();
});

test('poller: before the first load it waits a whole interval', async () => {
  const clock = manualTimers();
  let polls = 0;
  const poller = new Poller({ intervalMs: () => 60_000, isActive: () => true, lastUpdated: () => undefined, timers: clock.timers, poll: async () => { polls++; return { ok: true }; } });
  poller.update();
  assert.equal(poller.scheduledIn, 60_000);
  await clock.advance(59_999);
  assert.equal(polls, 0);
  poller.dispose();
});

test('poller: 0 turns it off; dispose leaves no timer', async () => {
  const { clock, poller, polls, setInterval } = setup();
  poller.update();
  setInterval(0);
  await clock.advance(600_000);
  assert.equal(polls.length, 0);
  setInterval(5_000);
  await clock.advance(0);
  assert.equal(polls.length, 1, 'turned back on while overdue: polls at once');
  await clock.advance(5_000);
  assert.equal(polls.length, 2);
  poller.dispose();
  assert.deepEqual(clock.pending(), []);
});
