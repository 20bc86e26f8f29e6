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
