// Issue 19 items 1, 3, 4 and 5: the real client (node-fetch) following a session's event stream
// from hostile servers on 127.0.0.1. Every hostile loop is bounded in bytes and connections,
// and tests wait on what the server saw, never on the clock.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { QoderClient, type SessionEvent, type StreamState } from '../../src/api';

const TOKEN = 'pt-contractHostileStream0123456789';
const SESSION = 'sess_019f0aa1e8027b5fa1c64d9e3b0a8f12';
const MiB = 1024 * 1024;

let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/cloud`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(sleeps: number[] = []): QoderClient {
  return new QoderClient({
    baseUrl: base,
    token: TOKEN,
    random: () => 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const isStream = (req: IncomingMessage): boolean => req.url?.includes('/events/stream') === true;
const frame = (id: string, type: string): string => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ id, type })}\n\n`;
const FINAL = frame('evt_final', 'session.status_terminated');

function listPage(res: ServerResponse, events: { id: string; type: string }[]): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data: events, first_id: events[0]?.id ?? null, last_id: events.at(-1)?.id ?? null, has_more: false, next_page: null }));
}

function openSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
}

async function collect(it: AsyncIterable<SessionEvent>): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of it) ids.push(e.id);
  return ids;
}

describe('issue 19: the session stream against hostile servers', () => {
  it('item 1: data lines of 1 MiB alternating with comment lines are one pending frame: the connection is dropped near 8 MiB, not buffered on', async () => {
    let written = 0;
    let streams = 0;
    const firstClosed = new Promise<void>((resolve) => {
      handler = (req, res) => {
        if (!isStream(req)) return listPage(res, []);
        streams++;
        if (streams > 1) {
          openSse(res);
          res.end(FINAL);
          return;
        }
        openSse(res);
        res.write('id: evt_big\nevent: agent.message\n');
        const line = `data: ${'x'.repeat(MiB)}\n: keep-alive\n`;
        const pump = (): void => {
          // Bounded: at most 64 MiB, then the frame is ended anyway.
          while (!res.destroyed && written < 64 * MiB) {
            written += line.length;
            if (!res.write(line)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end('\n');
        };
        res.on('close', () => resolve());
        pump();
      };
    });
    const states: StreamState[] = [];
    const ids = await collect(client().streamSessionEvents(SESSION, { lastEventId: 'evt_0', onState: (s) => states.push(s) }));
    await firstClosed;
    assert.deepEqual(ids, ['evt_final']);
    const dropped = states.find((s) => s.kind === 'reconnecting');
    assert.ok(dropped && dropped.kind === 'reconnecting' && /8 MiB/.test(dropped.reason), JSON.stringify(states));
    assert.ok(written < 24 * MiB, `the client kept reading one frame: ${Math.round(written / MiB)} MiB written`);
  });

  it('item 3: with no cursor, a reconnect after a stream that dropped before any event lists the history again, so an event written meanwhile is shown', async () => {
    let streams = 0;
    let lists = 0;
    const headers: (string | undefined)[] = [];
    handler = (req, res) => {
      if (!isStream(req)) {
        lists++;
        // Empty while the first stream was open; one event once it dropped.
        return listPage(res, streams < 2 ? [] : [{ id: 'evt_meanwhile', type: 'agent.message' }]);
      }
      streams++;
      headers.push(req.headers['last-event-id'] as string | undefined);
      openSse(res);
      // The first connection drops before any event; the second (tail-only, §7.3) only sees the end.
      res.end(streams === 1 ? '' : FINAL);
    };
    const ids = await collect(client().streamSessionEvents(SESSION));
    assert.deepEqual(ids, ['evt_meanwhile', 'evt_final']);
    assert.deepEqual(headers, [undefined, undefined]);
    assert.equal(lists, 2);
  });

  for (const [what, badId] of [
    ['CR/LF', 'evt_1\r\nX-Injected: yes'],
    ['non-Latin-1 characters', 'evt_会话'],
    ['20 KB', `evt_${'a'.repeat(20_000)}`],
  ] as const) {
    it(`item 4: an event id with ${what} is skipped as malformed and the reconnect resumes from the last usable cursor`, async () => {
      let streams = 0;
      const resumedFrom: (string | undefined)[] = [];
      handler = (req, res) => {
        if (!isStream(req)) return listPage(res, []);
        streams++;
        resumedFrom.push(req.headers['last-event-id'] as string | undefined);
        openSse(res);
        if (streams === 1) {
          res.end(`${frame('evt_good', 'agent.message')}event: agent.message\ndata: ${JSON.stringify({ id: badId, type: 'agent.message' })}\n\n`);
        } else {
          res.end(FINAL);
        }
      };
      const malformed: string[] = [];
      const ids = await collect(client().streamSessionEvents(SESSION, { lastEventId: 'evt_0', maxAttempts: 3, onMalformed: (r) => malformed.push(r) }));
      assert.deepEqual(ids, ['evt_good', 'evt_final']);
      assert.deepEqual(resumedFrom, ['evt_0', 'evt_good']);
      assert.equal(malformed.length, 1);
      assert.match(malformed[0]!, /cannot be resumed from/);
      assert.ok(malformed[0]!.length < 200, 'the report does not carry the id itself');
    });
  }

  it('item 5: 503 with Retry-After: 0 waits the capped back-off (never 0), and 20 refusals in a row do not end live following', async () => {
    let streams = 0;
    handler = (req, res) => {
      if (!isStream(req)) return listPage(res, []);
      streams++;
      if (streams <= 20) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } }));
        return;
      }
      openSse(res);
      res.end(FINAL);
    };
    const sleeps: number[] = [];
    const ids = await collect(client(sleeps).streamSessionEvents(SESSION, { lastEventId: 'evt_0' }));
    assert.deepEqual(ids, ['evt_final']);
    assert.equal(sleeps.length, 20);
    assert.deepEqual(sleeps.slice(0, 6), [500, 1000, 2000, 4000, 8000, 10_000]);
    assert.ok(sleeps.every((ms) => ms >= 500 && ms <= 10_000), sleeps.join(','));
    // 30 failed attempts (the limit) now span minutes, not milliseconds.
    assert.ok(sleeps.reduce((a, b) => a + b, 0) >= 150_000);
  });
});
