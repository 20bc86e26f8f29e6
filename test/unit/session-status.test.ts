// Session status re-checks (issue 19 item 9): which statuses are final, and when a status
// cache stops asking. Fake timers only: nothing here waits on the wall clock.
import { test, mock } from 'node:test';
import * as assert from 'node:assert/strict';
import { SessionStatusCache } from '../../src/agentSessions/model/sessionCache';
import type { Session } from '../../src/api/sessions';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function session(id: string, status: string): Session {
  return { id, status } as unknown as Session;
}

/** A cache whose source answers `status` for every id and counts the questions. */
function cacheAnswering(status: (id: string) => string) {
  const asked: string[] = [];
  const cache = new SessionStatusCache({ ttlMs: 15_000 });
  cache.setSource({
    getSession: (id) => {
      asked.push(id);
      return Promise.resolve(session(id, status(id)));
    },
  });
  return { cache, asked };
}

for (const status of ['cancelled', 'archived', 'terminated', 'idle']) {
  test(`a session whose status is ${status} is not asked again, however long the row stays`, async (t) => {
    t.after(() => mock.timers.reset());
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const { cache, asked } = cacheAnswering(() => status);
    cache.request('sess_1');
    await flush();
    assert.equal(cache.get('sess_1')?.status, status);
    for (let i = 0; i < 10; i++) {
      mock.timers.tick(15_000);
      await flush();
      cache.request('sess_1');
      await flush();
    }
    assert.deepEqual(asked, ['sess_1']);
    cache.dispose();
  });
}

test('a running session is not asked again while no row can be seen, and is asked as soon as one can', async (t) => {
  t.after(() => mock.timers.reset());
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { cache, asked } = cacheAnswering(() => 'running');
  cache.request('sess_1');
  await flush();
  cache.setActive(false);
  for (let i = 0; i < 8; i++) {
    mock.timers.tick(15_000);
    await flush();
  }
  assert.deepEqual(asked, ['sess_1'], 'two minutes hidden or unfocused: no question');
  cache.setActive(true);
  await flush();
  assert.deepEqual(asked, ['sess_1', 'sess_1'], 'shown again: the overdue status is asked at once');
  mock.timers.tick(15_000);
  await flush();
  assert.equal(asked.length, 3, 'and then every 15 s again');
  cache.dispose();
});

test('a running session that turns cancelled stops being asked', async (t) => {
  t.after(() => mock.timers.reset());
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let status = 'running';
  const { cache, asked } = cacheAnswering(() => status);
  cache.request('sess_1');
  await flush();
  status = 'cancelled';
  mock.timers.tick(15_000);
  await flush();
  assert.equal(cache.get('sess_1')?.status, 'cancelled');
  for (let i = 0; i < 10; i++) {
    mock.timers.tick(15_000);
    await flush();
  }
  assert.equal(asked.length, 2);
  cache.dispose();
});

test('at most maxFollowed running sessions are followed: the ones whose rows were drawn last', async (t) => {
  t.after(() => mock.timers.reset());
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const asked: string[] = [];
  const cache = new SessionStatusCache({ ttlMs: 15_000, maxFollowed: 3 });
  cache.setSource({ getSession: (id) => (asked.push(id), Promise.resolve(session(id, 'running'))) });
  for (const id of ['sess_1', 'sess_2', 'sess_3', 'sess_4', 'sess_5']) {
    cache.request(id);
    await flush();
  }
  asked.length = 0;
  mock.timers.tick(15_000);
  await flush();
  assert.deepEqual([...asked].sort(), ['sess_3', 'sess_4', 'sess_5']);
  // A row drawn again (its status is stale) joins the followed set and the oldest one leaves it.
  cache.request('sess_1');
  await flush();
  asked.length = 0;
  mock.timers.tick(15_000);
  await flush();
  assert.deepEqual([...asked].sort(), ['sess_1', 'sess_4', 'sess_5']);
  assert.equal(cache.get('sess_2')?.status, 'running', 'a session no longer followed keeps its last known status');
  cache.dispose();
});
