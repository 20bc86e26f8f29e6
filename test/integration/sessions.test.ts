// The real QoderClient against the local API over loopback: sessions, events, the SSE stream
// (resume, 400 fallback, each stream fault), cancel, agents and environments, and the token
// on the stream path. Live sessions run at test speed (liveSessionMs) and tests wait on
// events, never on the clock.

import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QoderApiError, QoderClient, QoderError, type SessionEvent, type StreamState } from '../../src/api';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { assertError, call, clock, FIXED_NOW } from '../local-api/test-helpers';

const TOKEN = 'pt-contract-sessions-SECRET-0077';
const SESSION_KEYS = [
  'agent', 'archived_at', 'created_at', 'deployment_id', 'environment_id', 'environment_variables', 'id', 'metadata',
  'outcome_evaluations', 'resources', 'stats', 'status', 'title', 'type', 'updated_at', 'usage', 'vault_ids',
];
const EVENT_FIELDS: Record<string, string[]> = {
  'user.message': ['content'],
  'session.status_running': [],
  'span.model_request_start': [],
  'agent.thinking': [],
  'agent.tool_use': ['evaluated_permission', 'input', 'name'],
  'agent.tool_result': ['content', 'is_error', 'tool_use_id'],
  'span.model_request_end': ['is_error', 'model_request_start_id', 'model_usage'],
  'agent.message': ['content'],
  'session.status_idle': ['stop_reason'],
  'session.error': ['error'],
  'session.status_terminated': [],
  // interaction-and-files.md §4.1 and §5.1 (delivered files; outcome checks on every third session)
  'agent.artifact_delivered': ['content_type', 'file_id', 'original_filename', 'size'],
  'span.outcome_evaluation_start': ['iteration', 'outcome_id'],
  'span.outcome_evaluation_end': ['explanation', 'iteration', 'outcome_evaluation_start_id', 'outcome_id', 'result'],
};

let api: LocalApi;

before(async () => {
  api = await startLocalApi({ token: TOKEN, seed: 30, quiet: true, now: clock(FIXED_NOW).now, liveSessionMs: 400, heartbeatMs: 40 });
});
after(() => api.close());
beforeEach(() => {
  api.clearFaults();
  api.reseed(30);
  api.resetRequests();
});

function client(): QoderClient {
  return new QoderClient({ baseUrl: api.baseUrl, token: TOKEN, random: () => 0, sleep: async () => undefined });
}

/** Sessions of seeded runs, first of each outcome found. */
/** Every page of a deployment's runs, through listRunsPage. */
async function* runPages(c: ReturnType<typeof client>, id: string) {
  let page = await c.listRunsPage(id, { limit: 100 });
  yield page;
  while (page.has_more && page.next_page) {
    page = await c.listRunsPage(id, { limit: 100, page: page.next_page });
    yield page;
  }
}

async function seededSessions(): Promise<{ idle: string; terminated: string; depId: string; version: number }> {
  const c = client();
  let idle: string | undefined;
  let terminated: string | undefined;
  let depId = '';
  let version = 0;
  const { deployments } = await c.listAllDeployments({ include_archived: true });
  for (const d of deployments) {
    for await (const page of runPages(c, d.id)) {
      for (const run of page.data) {
        // The seed's run waiting for a decision is idle too, but its turn stopped half-way.
        if (!run.session_id || run.session_id === api.sessions().waitingSessionId()) continue;
        const s = await c.getSession(run.session_id);
        if (s.status === 'idle' && !idle) {
          idle = s.id;
          depId = d.id;
          version = run.agent?.version ?? d.agent.version;
        }
        if (s.status === 'terminated') terminated ??= s.id;
        if (idle && terminated) return { idle, terminated, depId, version };
      }
    }
  }
  assert.fail('seed has no idle and terminated sessions');
}

async function allEvents(c: QoderClient, id: string, limit?: number): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for await (const page of c.listSessionEvents(id, limit === undefined ? undefined : { limit })) out.push(...page.data);
  return out;
}

async function liveSession(c: QoderClient): Promise<{ sessionId: string; depId: string }> {
  const { deployments } = await c.listAllDeployments({ status: 'active' });
  const dep = deployments[0]!;
  const run = await c.runDeployment(dep.id);
  assert.ok(run.session_id, 'a manual run starts a session');
  return { sessionId: run.session_id, depId: dep.id };
}

/** Collect stream events until one matches `until` (then stop reading). */
async function collect(stream: AsyncIterable<SessionEvent>, until: (e: SessionEvent) => boolean): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for await (const e of stream) {
    out.push(e);
    if (until(e)) break;
  }
  return out;
}

const isIdle = (e: SessionEvent): boolean => e.type === 'session.status_idle' || e.type === 'session.status_terminated';

describe('sessions: GET /sessions/{id}, events, agents, environments', () => {
  it('a seeded run session has exactly the 17 documented keys and a documented status', async () => {
    const { idle, terminated } = await seededSessions();
    for (const id of [idle, terminated]) {
      const res = await call(api, 'GET', `/sessions/${id}`, { token: TOKEN });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json as object).sort(), SESSION_KEYS);
      assert.ok(['idle', 'running', 'rescheduling', 'terminated'].includes((res.json as { status: string }).status));
    }
  });

  it("a session's embedded agent is the agent at the run's version, and names come back for its ids", async () => {
    const c = client();
    const { idle, version } = await seededSessions();
    const s = await c.getSession(idle);
    assert.equal(s.agent?.version, version);
    const agent = await c.getAgent(s.agent!.id, version);
    assert.equal(agent.version, version);
    assert.equal(agent.name, s.agent?.name);
    assert.notEqual(agent.name, agent.id);
    const env = await c.getEnvironment(s.environment_id!);
    assert.notEqual(env.name, env.id);
    assert.equal(env.config_type, 'cloud');
    const latest = await c.getAgent(s.agent!.id);
    assert.ok((latest.version ?? 0) >= version);
  });

  it('agent and environment answers have the documented 15 and 9 keys; an unknown version is 404', async () => {
    const c = client();
    const { idle } = await seededSessions();
    const s = await c.getSession(idle);
    const agent = await call(api, 'GET', `/agents/${s.agent!.id}`, { token: TOKEN });
    assert.equal(Object.keys(agent.json as object).length, 15);
    const env = await call(api, 'GET', `/environments/${s.environment_id}`, { token: TOKEN });
    assert.equal(Object.keys(env.json as object).length, 9);
    assertError(await call(api, 'GET', `/agents/${s.agent!.id}?version=999`, { token: TOKEN }), 404, 'not_found_error');
    const err = await c.getAgent('agent_00000000000000000000000000000000').catch((e: unknown) => e);
    assert.ok(err instanceof QoderApiError && err.status === 404);
  });

  it('bad session, agent and environment ids are refused before any request', async () => {
    const c = client();
    api.resetRequests();
    for (const p of [c.getSession('../deployments'), c.getAgent('env_123'), c.getEnvironment('agent_1'), c.cancelSession('sess_a/b'), c.getAgent('agent_1', 0)]) {
      const e = await p.catch((x: unknown) => x);
      assert.ok(e instanceof QoderError && e.kind === 'config', String(e));
    }
    await assert.rejects(async () => {
      for await (const _ of c.listSessionEvents('sess_?x')) void _;
    }, (e: unknown) => e instanceof QoderError && e.kind === 'config');
    assert.throws(() => c.streamSessionEvents('sess_1', { lastEventId: 'evt_1\r\nX-Evil: 1' }), (e: unknown) => e instanceof QoderError && e.kind === 'config');
    assert.equal(api.requests.length, 0);
  });

  it('the events list walks ascending pages with only documented fields and a realistic transcript', async () => {
    const c = client();
    const { idle, terminated } = await seededSessions();
    const events = await allEvents(c, idle, 5);
    const pages = api.requests.filter((r) => r.path.endsWith('/events')).length;
    assert.ok(pages >= 4, `walked ${pages} pages`);
    assert.deepEqual(events.map((e) => e.processed_at), [...events.map((e) => e.processed_at)].sort());
    for (const e of events) {
      const allowed = EVENT_FIELDS[e.type];
      assert.ok(allowed, `documented type ${e.type}`);
      assert.deepEqual(Object.keys(e).sort(), ['id', 'processed_at', 'type', ...allowed].sort(), e.type);
    }
    assert.equal(events[0]!.type, 'user.message');
    const tools = events.filter((e) => e.type === 'agent.tool_use').map((e) => e.name);
    assert.deepEqual(tools, ['Bash', 'Read', 'Grep', 'WebFetch']);
    const uses = new Set(events.filter((e) => e.type === 'agent.tool_use').map((e) => e.id));
    for (const r of events.filter((e) => e.type === 'agent.tool_result')) assert.ok(uses.has(r.tool_use_id as string));
    const report = events.find((e) => e.type === 'agent.message');
    assert.match(JSON.stringify(report), /## Report[\s\S]*\| # \| Title/);
    assert.deepEqual(events.at(-1)!.stop_reason, { type: 'end_turn' });
    const failed = await allEvents(c, terminated);
    assert.deepEqual(failed.slice(-2).map((e) => e.type), ['session.error', 'session.status_terminated']);
  });

  it('the events list rejects limit above 100 and two cursors with 400', async () => {
    const { idle } = await seededSessions();
    assertError(await call(api, 'GET', `/sessions/${idle}/events?limit=101`, { token: TOKEN }), 400, 'invalid_request_error', 'limit');
    const first = (await call(api, 'GET', `/sessions/${idle}/events?limit=2`, { token: TOKEN })).json as { last_id: string; next_page: string };
    assertError(await call(api, 'GET', `/sessions/${idle}/events?page=${first.next_page}&after_id=${first.last_id}`, { token: TOKEN }), 400, 'invalid_request_error');
  });

  it('listSessionEvents after an event returns only what follows it', async () => {
    const c = client();
    const { idle } = await seededSessions();
    const events = await allEvents(c, idle);
    const after3: SessionEvent[] = [];
    for await (const page of c.listSessionEvents(idle, { after_id: events[2]!.id, limit: 4 })) after3.push(...page.data);
    assert.deepEqual(after3.map((e) => e.id), events.slice(3).map((e) => e.id));
  });

  it('an unknown session is 404 not_found_error', async () => {
    const e = await client().getSession('sess_019f0c3e7a1b7d24b9e05f6a2c8d4e13').catch((x: unknown) => x);
    assert.ok(e instanceof QoderApiError && e.status === 404 && e.type === 'not_found_error');
  });
});

describe('sessions: live stream', () => {
  it('a run now session streams every event once, in order, to end_turn (tail-only stream merged with history)', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    const events = await collect(c.streamSessionEvents(sessionId), isIdle);
    const listed = await allEvents(c, sessionId);
    assert.deepEqual(events.map((e) => e.id), listed.map((e) => e.id));
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    assert.equal((await c.getSession(sessionId)).status, 'idle');
  });

  it('a new stream without Last-Event-ID is tail-only: a finished session sends nothing but heartbeats', async () => {
    const { idle } = await seededSessions();
    const ac = new AbortController();
    const r = await fetch(`${api.baseUrl}/sessions/${idle}/events/stream`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' }, signal: ac.signal });
    assert.equal(r.status, 200);
    const reader = r.body!.getReader();
    let text = '';
    while (!text.includes(': heartbeat\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    assert.doesNotMatch(text, /^id:/m);
  });

  it('a dropped connection resumes with Last-Event-ID and delivers each event exactly once', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    api.injectStreamFault({ kind: 'drop', afterEvents: 3 });
    const states: StreamState[] = [];
    const events = await collect(c.streamSessionEvents(sessionId, { onState: (s) => states.push(s) }), isIdle);
    const listed = await allEvents(c, sessionId);
    assert.deepEqual(events.map((e) => e.id), listed.map((e) => e.id));
    const streams = api.requests.filter((r) => r.path.endsWith('/events/stream'));
    assert.ok(streams.length >= 2, 'reconnected');
    assert.equal(streams[0]!.headers['last-event-id'], undefined);
    assert.ok(typeof streams[1]!.headers['last-event-id'] === 'string' && listed.some((e) => e.id === streams[1]!.headers['last-event-id']));
    assert.ok(states.some((s) => s.kind === 'reconnecting'));
  });

  it('resuming from a known event replays only what follows it', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    await collect(c.streamSessionEvents(sessionId), isIdle);
    const listed = await allEvents(c, sessionId);
    const ac = new AbortController();
    const got: SessionEvent[] = [];
    for await (const e of c.streamSessionEvents(sessionId, { lastEventId: listed[4]!.id, signal: ac.signal })) {
      got.push(e);
      if (isIdle(e)) ac.abort();
    }
    assert.deepEqual(got.map((e) => e.id), listed.slice(5).map((e) => e.id));
  });

  it('a 400 for an unknown Last-Event-ID falls back to listing the history, then follows the stream', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    const states: StreamState[] = [];
    const events = await collect(c.streamSessionEvents(sessionId, { lastEventId: 'evt_doesnotexist', onState: (s) => states.push(s) }), isIdle);
    const listed = await allEvents(c, sessionId);
    assert.deepEqual(events.map((e) => e.id), listed.map((e) => e.id));
    assert.ok(states.some((s) => s.kind === 'fallback'));
    const first = api.requests.find((r) => r.path.endsWith('/events/stream'));
    assert.equal(first?.status, 400);
  });

  it('a stalled stream (heartbeats only) delivers the held events later on the same connection', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    api.injectStreamFault({ kind: 'stall', ms: 600 });
    const events = await collect(c.streamSessionEvents(sessionId), isIdle);
    assert.equal(events.at(-1)!.type, 'session.status_idle');
    assert.equal(api.requests.filter((r) => r.path.endsWith('/events/stream')).length, 1);
  });

  it('a silent connection is dropped after the idle timeout and resumed', async () => {
    const quiet = await startLocalApi({ token: TOKEN, seed: 0, quiet: true, heartbeatMs: 60_000 });
    try {
      // heartbeats every minute: a 200 ms idle timeout must drop and reconnect
      const qc = new QoderClient({ baseUrl: quiet.baseUrl, token: TOKEN, sleep: async () => undefined });
      const dep = quiet.account().add({});
      const run = await qc.runDeployment(dep.id as string);
      const states: StreamState[] = [];
      const ac = new AbortController();
      const got: SessionEvent[] = [];
      for await (const e of qc.streamSessionEvents(run.session_id!, { idleTimeoutMs: 200, signal: ac.signal, onState: (s) => {
        states.push(s);
        if (s.kind === 'reconnecting') ac.abort();
      } })) got.push(e);
      assert.ok(states.some((s) => s.kind === 'reconnecting'));
    } finally {
      await quiet.close();
    }
  });

  it('a malformed frame is reported and skipped; the events around it arrive', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    api.injectStreamFault({ kind: 'malformed' });
    const bad: string[] = [];
    const events = await collect(c.streamSessionEvents(sessionId, { onMalformed: (r) => bad.push(r) }), isIdle);
    const listed = await allEvents(c, sessionId);
    assert.deepEqual(events.map((e) => e.id), listed.map((e) => e.id));
    assert.equal(bad.length, 1);
  });

  it('the stream stops after session.status_terminated without reconnecting', async () => {
    const c = client();
    const { terminated } = await seededSessions();
    const listed = await allEvents(c, terminated);
    api.resetRequests();
    const got: SessionEvent[] = [];
    for await (const e of c.streamSessionEvents(terminated, { lastEventId: listed.at(-3)!.id })) got.push(e);
    assert.deepEqual(got.map((e) => e.type), ['session.error', 'session.status_terminated']);
    assert.equal(api.requests.filter((r) => r.path.endsWith('/events/stream')).length, 1);
  });

  it('aborting ends the iterator quietly and closes the connection', async () => {
    const c = client();
    const { idle } = await seededSessions();
    const ac = new AbortController();
    const states: StreamState[] = [];
    const it = c.streamSessionEvents(idle, { signal: ac.signal, onState: (s) => {
      states.push(s);
      if (s.kind === 'open') setImmediate(() => ac.abort());
    } });
    const got: SessionEvent[] = [];
    for await (const e of it) got.push(e);
    assert.equal(states.at(-1)?.kind, 'closed');
  });
});

describe('sessions: cancel', () => {
  it('cancel answers 202 with the three-key acknowledgement, then the turn ends idle/cancelled and nothing follows', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    const ac = new AbortController();
    const got: SessionEvent[] = [];
    let cancelled = false;
    for await (const e of c.streamSessionEvents(sessionId, { signal: ac.signal })) {
      got.push(e);
      if (!cancelled && e.type === 'agent.tool_use') {
        cancelled = true;
        const raw = await call(api, 'POST', `/sessions/${sessionId}/cancel`, { token: TOKEN });
        assert.equal(raw.status, 202);
        assert.deepEqual(raw.json, { id: sessionId, status: 'canceling', type: 'session' });
      }
      if (isIdle(e)) break;
    }
    assert.deepEqual(got.at(-1)!.stop_reason, { type: 'cancelled' });
    assert.equal((await c.getSession(sessionId)).status, 'idle');
    const listed = await allEvents(c, sessionId);
    assert.equal(listed.at(-1)!.id, got.at(-1)!.id, 'nothing follows the cancelled idle event');
    const again = await c.cancelSession(sessionId);
    assert.equal(again.httpStatus, 200);
    assert.equal(again.status, 'canceling');
  });

  it('cancelSession on a running session returns 202 through the client', async () => {
    const c = client();
    const { sessionId } = await liveSession(c);
    const ack = await c.cancelSession(sessionId);
    assert.equal(ack.httpStatus, 202);
    assert.equal(ack.id, sessionId);
  });
});

describe('sessions: the token on the stream path', () => {
  it('an error answer that echoes the token is redacted in the thrown error and the states', async () => {
    const { idle } = await seededSessions();
    api.injectFault({ route: 'GET /sessions/:id/events/stream', kind: 'status', status: 403, errorType: 'permission_error', message: `token ${TOKEN} has no access` });
    const states: StreamState[] = [];
    const logs: string[] = [];
    const c = new QoderClient({ baseUrl: api.baseUrl, token: TOKEN, onRequest: (e) => logs.push(JSON.stringify(e)) });
    const e = await (async () => {
      for await (const _ of c.streamSessionEvents(idle, { onState: (s) => states.push(s) })) void _;
    })().catch((x: unknown) => x);
    assert.ok(e instanceof QoderApiError && e.status === 403);
    assert.ok(!String((e as Error).message).includes(TOKEN));
    assert.ok(!JSON.stringify(states).includes(TOKEN));
    assert.ok(!logs.join('\n').includes(TOKEN));
    assert.ok(logs.length > 0);
  });

  it('a redirect of the stream to another origin is not followed, so the token never reaches it', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(': hi\n\n');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`;
    const redirector = createServer((_req, res) => {
      res.writeHead(307, { location: otherUrl });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const c = new QoderClient({ baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/api/v1/cloud`, token: TOKEN });
      const e = await (async () => {
        for await (const _ of c.streamSessionEvents('sess_019f0aa1e8027b5fa1c64d9e3b0a8f12')) void _;
      })().catch((x: unknown) => x);
      assert.ok(e instanceof QoderError, String(e));
      assert.ok(!String((e as Error).message).includes(TOKEN));
      assert.equal(seen.length, 0);
    } finally {
      other.close();
      redirector.close();
    }
  });
});
