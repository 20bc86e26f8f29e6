// The session event stream against a scripted fetch: the events-stream.txt fixture replayed
// byte for byte (drop and resume), parsing details (split chunks, CRLF, missing id/type,
// comments, heartbeats), dedupe, back-off and the session parsers. No network, no sleeping.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  parseAgent,
  parseCancelAck,
  parseEnvironment,
  parseSession,
  QoderClient,
  type FetchInit,
  type ResponseLike,
  type SessionEvent,
  type StreamState,
} from '../../src/api';
import { streamBackoffMs } from '../../src/api/sessionStream';

const DIR = path.resolve(__dirname, '../fixtures/sessions');
const BASE = 'https://api.qoder.com/api/v1/cloud';
const TOKEN = 'pt-UNITSTREAM0123456789';
const SESSION = 'sess_019f0aa1e8027b5fa1c64d9e3b0a8f12';

function fixtureJson(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));
}

/** The two connections of events-stream.txt, annotations removed. */
function connections(): string[] {
  const text = fs.readFileSync(path.join(DIR, 'events-stream.txt'), 'utf8');
  return text
    .split(/^# >>> connection \d.*$/m)
    .slice(1)
    .map((part) => part.split('\n').filter((l) => !l.startsWith('#')).join('\n').replace(/^\n+/, ''));
}

function sseResponse(chunks: string[], status = 200): ResponseLike {
  return {
    status,
    headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? 'text/event-stream; charset=utf-8' : null) },
    text: async () => chunks.join(''),
    body: (async function* () {
      for (const c of chunks) yield new TextEncoder().encode(c);
    })(),
  };
}

function jsonResponse(body: unknown, status = 200): ResponseLike {
  return { status, headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? 'application/json' : null) }, text: async () => JSON.stringify(body) };
}

interface Seen {
  url: string;
  init: FetchInit;
}

function client(handler: (call: Seen, n: number) => ResponseLike, sleeps: number[] = []): { c: QoderClient; calls: Seen[] } {
  const calls: Seen[] = [];
  const c = new QoderClient({
    baseUrl: BASE,
    token: TOKEN,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return handler({ url, init }, calls.length - 1);
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
  });
  return { c, calls };
}

function split(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function take(it: AsyncIterable<SessionEvent>, n: number): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for await (const e of it) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

const EMPTY = { data: [], first_id: null, has_more: false, last_id: null, next_page: null };

const listed = [
  ...(fixtureJson('events-list-page.json') as { data: SessionEvent[] }).data,
  ...(fixtureJson('events-list-page-2.json') as { data: SessionEvent[] }).data,
];

describe('session stream: the events-stream.txt fixture', () => {
  it('replays the drop and resumes with Last-Event-ID of the last complete frame; 11 events, same as the list', async () => {
    const [first, second] = connections();
    const sleeps: number[] = [];
    let conn = 0;
    const { c, calls } = client((call) => (call.url.includes('/events/stream') ? sseResponse(split(conn++ === 0 ? first! : second!, 7)) : jsonResponse(EMPTY)), sleeps);
    const states: StreamState[] = [];
    const events = await take(c.streamSessionEvents(SESSION, { onState: (s) => states.push(s) }), 11);
    assert.deepEqual(events, listed);
    const streams = calls.filter((x) => x.url.includes('/events/stream'));
    assert.equal(streams.length, 2);
    assert.equal(streams[0]!.init.headers['Last-Event-ID'], undefined);
    assert.equal(streams[1]!.init.headers['Last-Event-ID'], 'evt_019f0aa230de769ba088d341bbde3270');
    assert.equal(streams[1]!.init.headers.Accept, 'text/event-stream');
    assert.equal(streams[1]!.init.headers.Authorization, `Bearer ${TOKEN}`);
    assert.equal(streams[1]!.url, `${BASE}/sessions/${SESSION}/events/stream`);
    assert.deepEqual(sleeps, [500]);
    assert.deepEqual(states.map((s) => s.kind), ['open', 'reconnecting', 'open']);
  });

  it('a frame cut by the drop is not checkpointed: the resume starts after the last whole frame', async () => {
    const [first] = connections();
    const cut = first!.slice(0, first!.indexOf('id: evt_019f0aa230de769ba088d341bbde3270') + 60);
    let conn = 0;
    const { c, calls } = client((call) => (call.url.includes('/events/stream') ? sseResponse(conn++ === 0 ? [cut] : []) : jsonResponse(EMPTY)));
    const got: SessionEvent[] = [];
    await (async () => {
      for await (const e of c.streamSessionEvents(SESSION, { maxAttempts: 3 })) got.push(e);
    })().catch(() => undefined);
    assert.equal(got.length, 5);
    const streams = calls.filter((x) => x.url.includes('/events/stream'));
    assert.equal(streams[1]!.init.headers['Last-Event-ID'], 'evt_019f0aa230c57cfc9f3b4f1c277379e2');
  });
});

describe('session stream: parsing', () => {
  it('fills a missing id and type from the id: and event: lines, with CRLF line ends', async () => {
    const frame = 'id: evt_a1\r\nevent: agent.message\r\ndata: {"content":[{"type":"text","text":"hi"}]}\r\n\r\n';
    const { c } = client(() => sseResponse([frame]));
    const [e] = await take(c.streamSessionEvents(SESSION, { lastEventId: 'evt_0' }), 1);
    assert.equal(e!.id, 'evt_a1');
    assert.equal(e!.type, 'agent.message');
  });

  it('ignores comments, heartbeat and ping frames, empty data and [DONE]', async () => {
    const chunks = [': heartbeat\n\n', 'event: heartbeat\ndata: {}\n\n', 'event: ping\ndata: \n\n', 'data: [DONE]\n\n', 'id: evt_b\nevent: agent.thinking\ndata: {"id":"evt_b","type":"agent.thinking"}\n\n'];
    const { c } = client(() => sseResponse(chunks));
    const [e] = await take(c.streamSessionEvents(SESSION, { lastEventId: 'evt_0' }), 1);
    assert.equal(e!.id, 'evt_b');
  });

  it('drops a boundary replay of an event it already delivered', async () => {
    const frame = (id: string): string => `id: ${id}\nevent: agent.thinking\ndata: {"id":"${id}","type":"agent.thinking"}\n\n`;
    const { c } = client((_c, n) => sseResponse(n === 0 ? [frame('evt_1'), frame('evt_2')] : [frame('evt_2'), frame('evt_3')]));
    const got = await take(c.streamSessionEvents(SESSION, { lastEventId: 'evt_0' }), 3);
    assert.deepEqual(got.map((e) => e.id), ['evt_1', 'evt_2', 'evt_3']);
  });

  it("asks the caller's isKnown instead of remembering ids itself", async () => {
    const frame = (id: string): string => `id: ${id}\nevent: agent.thinking\ndata: {"id":"${id}","type":"agent.thinking"}\n\n`;
    const { c } = client(() => sseResponse([frame('evt_1'), frame('evt_2'), frame('evt_3')]));
    const got = await take(c.streamSessionEvents(SESSION, { lastEventId: 'evt_0', isKnown: (id) => id === 'evt_2' }), 2);
    assert.deepEqual(got.map((e) => e.id), ['evt_1', 'evt_3']);
  });

  it('reports a frame whose data is not JSON and keeps going', async () => {
    const bad: string[] = [];
    const { c } = client(() => sseResponse(['id: evt_x\nevent: agent.message\ndata: {"content":\n\n', 'id: evt_y\nevent: agent.thinking\ndata: {}\n\n', 'id: evt_z\ndata: {"type":"agent.thinking"}\n\n']));
    const [e] = await take(c.streamSessionEvents(SESSION, { lastEventId: 'evt_0', onMalformed: (r) => bad.push(r) }), 1);
    assert.equal(e!.id, 'evt_z');
    assert.equal(bad.length, 1);
  });

  it('stops after session.deleted without reconnecting', async () => {
    const { c, calls } = client(() => sseResponse(['id: evt_d\nevent: session.deleted\ndata: {"id":"evt_d","type":"session.deleted"}\n\n']));
    const got: SessionEvent[] = [];
    for await (const e of c.streamSessionEvents(SESSION, { lastEventId: 'evt_0' })) got.push(e);
    assert.equal(got.length, 1);
    assert.equal(calls.length, 1);
  });

  it('a 401 is final; a 503 is retried with growing back-off', async () => {
    const sleeps: number[] = [];
    const { c, calls } = client((_c, n) => (n < 3 ? jsonResponse({ type: 'error', error: { type: 'api_error', message: 'busy' } }, 503) : jsonResponse({ type: 'error', error: { type: 'authentication_error', message: 'no' } }, 401)), sleeps);
    await assert.rejects(take(c.streamSessionEvents(SESSION), 1), (e: unknown) => (e as { status?: number }).status === 401);
    assert.equal(calls.length, 4);
    assert.deepEqual(sleeps, [500, 1000, 2000]);
  });

  it('a 2xx that is not an event stream is an invalid response, not retried', async () => {
    const { c, calls } = client(() => jsonResponse({ data: [] }));
    await assert.rejects(take(c.streamSessionEvents(SESSION, { lastEventId: 'evt_0' }), 1), (e: unknown) => (e as { kind?: string }).kind === 'invalid_response');
    assert.equal(calls.length, 1);
  });

  it('back-off doubles from 0.5 s, is capped at 10 s and jittered to 50–100 %', () => {
    assert.equal(streamBackoffMs(0, () => 1), 500);
    assert.equal(streamBackoffMs(3, () => 1), 4000);
    assert.equal(streamBackoffMs(20, () => 1), 10_000);
    assert.equal(streamBackoffMs(20, () => 0), 5_000);
  });
});

describe('session parsers (fixtures)', () => {
  it('parses sessions, agent, environment and the cancel acknowledgement', () => {
    const idle = parseSession(fixtureJson('session-idle.json'));
    assert.equal(idle.status, 'idle');
    assert.equal(idle.total_credits, 0.57);
    assert.equal(idle.agent?.name, 'widgets-maintainer');
    assert.equal(idle.agent?.version, 3);
    assert.equal(idle.duration_seconds, 34.6);
    assert.equal(parseSession(fixtureJson('session-terminated.json')).status, 'terminated');
    const agent = parseAgent(fixtureJson('agent.json'));
    assert.equal(agent.model, 'ultimate');
    assert.equal(parseEnvironment(fixtureJson('environment.json')).name, 'widgets-ci');
    assert.deepEqual(parseCancelAck(fixtureJson('session-cancel-ack.json'), 202), { id: SESSION, status: 'canceling', httpStatus: 202 });
  });

  it('rejects a session without a sess_ id or status', () => {
    assert.throws(() => parseSession({ id: 'dep_1', status: 'idle' }));
    assert.throws(() => parseSession({ id: SESSION }));
  });
});

describe('session stream: issue 19 item 2 (an unterminated line)', () => {
  /** CPU (user + system, ms) this process spent consuming `chunks` as one connection, then a final event. */
  async function cpuToConsume(chunks: string[]): Promise<number> {
    const final = 'id: evt_end\nevent: session.status_terminated\ndata: {"id":"evt_end","type":"session.status_terminated"}\n\n';
    const { c } = client(() => sseResponse([...chunks, final]));
    const before = process.cpuUsage();
    for await (const e of c.streamSessionEvents(SESSION, { lastEventId: 'evt_0' })) void e;
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  }

  it('6 MiB dripped 1 KiB at a time without a line break costs about the CPU of the same bytes in lines (each byte scanned once, not once per chunk)', async () => {
    const KiB = 1024;
    const head = 'id: evt_d\nevent: agent.message\n';
    const unterminated = [head, 'data: ', ...Array.from({ length: 6 * KiB }, () => 'x'.repeat(KiB)), '\n\n'];
    const lined = [head, ...Array.from({ length: 6 * KiB }, () => `data: ${'x'.repeat(KiB - 7)}\n`), '\n'];
    await cpuToConsume(lined); // warm-up
    const withBreaks = await cpuToConsume(lined);
    const without = await cpuToConsume(unterminated);
    // A CPU ratio, not a wall-clock figure: the re-scanning parser needed over 20 times as much.
    assert.ok(without < Math.max(4 * withBreaks, 200), `unterminated ${Math.round(without)} ms vs with line breaks ${Math.round(withBreaks)} ms of CPU`);
  });
});
