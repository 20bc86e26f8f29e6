// The real QoderClient against the local API over loopback: sending events (202 and every 4xx
// the local API documents), GET /sessions with its filters, files (list, get, content as a 200
// or a 302 link, an expired link minted again) and the storage route, which refuses our token
// and records every request so we can assert the token never reached it. Also the two bugs a
// real SDK found: events ignored created_at[gte], and a live session's active_seconds stayed 0.
// Live turns run at test speed; tests wait on the stream's events, never on the clock.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QoderApiError, QoderClient, type SessionEvent } from '../../src/api';
import { customToolError, toolConfirmation, userInterrupt, userMessage } from '../../src/api/interaction';
import { SessionActions } from '../../src/api/sessionActions';
import { pendingState } from '../../src/agentSessions/model/pending';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { WAITING_CALLS } from '../local-api/sessions';
import { assertError, call, clock, FIXED_NOW } from '../local-api/test-helpers';

const TOKEN = 'pt-contract-interaction-SECRET-4242';
let api: LocalApi;
const time = clock(FIXED_NOW);

before(async () => {
  api = await startLocalApi({ token: TOKEN, seed: 30, quiet: true, now: time.now, liveSessionMs: 200, heartbeatMs: 40 });
});
after(() => api.close());
beforeEach(() => {
  api.clearFaults();
  api.reseed(30);
  api.resetRequests();
  api.setFileLinks({ mode: '200', ttlMs: 3_600_000, expireNext: 0 });
});

function client(): QoderClient {
  return new QoderClient({ baseUrl: api.baseUrl, token: TOKEN, random: () => 0, sleep: async () => undefined, minPageIntervalMs: 0 });
}

/** The session actions over a client (what the interaction chunk uses). */
const act = (c: QoderClient): SessionActions => new SessionActions(c);

async function history(c: QoderClient, id: string): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for await (const p of c.listSessionEvents(id)) out.push(...p.data);
  return out;
}

/** Follow the stream from `after` until an idle event satisfying `done` arrives. */
async function until(c: QoderClient, id: string, afterId: string, done: (ev: SessionEvent) => boolean): Promise<SessionEvent[]> {
  const seen: SessionEvent[] = [];
  const ac = new AbortController();
  for await (const ev of c.streamSessionEvents(id, { lastEventId: afterId, signal: ac.signal })) {
    seen.push(ev);
    if (done(ev)) break;
  }
  ac.abort();
  return seen;
}

const endTurn = (ev: SessionEvent): boolean => ev.type === 'session.status_idle' && (ev.stop_reason as { type?: string } | undefined)?.type !== 'requires_action';

async function finishedSessionWithFiles(c: QoderClient): Promise<{ id: string; files: Awaited<ReturnType<SessionActions['listFiles']>> }> {
  for await (const page of act(c).listSessions({ status: 'idle', limit: 50 })) {
    for (const s of page.data) {
      if (s.id === api.sessions().waitingSessionId()) continue;
      const files = await act(c).listFiles(s.id);
      if (files.some((f) => f.mime_type === 'image/png') && files.some((f) => f.mime_type === 'text/markdown')) return { id: s.id, files };
    }
  }
  throw new Error('no seeded session delivered a text and a binary file');
}

describe('seed: a run that waits for a decision', () => {
  it('the latest run of the first deployment with a session waits on two Bash calls; the session is stored as idle', async () => {
    const c = client();
    const id = api.sessions().waitingSessionId();
    assert.ok(id);
    let latest;
    for (const d of (await c.listAllDeployments()).deployments) {
      latest = (await c.listRunsPage(d.id, { limit: 1 })).data[0];
      if (latest?.session_id) break;
    }
    assert.equal(latest?.session_id, id);
    assert.equal((await c.getSession(id)).status, 'idle');
    const state = pendingState(await history(c, id));
    assert.deepEqual(state?.calls.map((x) => [x.name, (x.input as { command: string }).command]), WAITING_CALLS.map((w) => [w.name, w.input.command]));
  });
});

describe('POST /sessions/{id}/events', () => {
  it('allow one (202, echo with id), the idle is re-emitted with the remainder; deny the other with a reason; the turn runs on', async () => {
    const c = client();
    const id = api.sessions().waitingSessionId()!;
    const [a, b] = pendingState(await history(c, id))!.calls;
    const echo = await act(c).sendSessionEvents(id, [toolConfirmation(a!.id, 'allow')]);
    assert.equal(echo[0]?.type, 'user.tool_confirmation');
    assert.match(echo[0]!.id, /^evt_/);
    assert.equal(api.requests.at(-1)?.status, 202);
    const mid = pendingState(await history(c, id));
    assert.deepEqual(mid?.calls.map((x) => x.id), [b!.id]);
    const deny = await act(c).sendSessionEvents(id, [toolConfirmation(b!.id, 'deny', 'No PRs from scheduled runs')]);
    const rest = await until(c, id, deny[0]!.id, endTurn);
    assert.equal(rest[0]?.type, 'session.status_running');
    const results = rest.filter((e) => e.type === 'agent.tool_result');
    assert.deepEqual(results.map((r) => [r.tool_use_id, r.is_error]), [[a!.id, false], [b!.id, true]]);
    assert.match(JSON.stringify(results[1]!.content), /No PRs from scheduled runs/);
    assert.equal(pendingState(await history(c, id)), undefined);
  });

  it('a stale id (already answered) is a 409; re-reading shows what is still pending', async () => {
    const c = client();
    const id = api.sessions().waitingSessionId()!;
    const [a, b] = pendingState(await history(c, id))!.calls;
    await act(c).sendSessionEvents(id, [toolConfirmation(a!.id, 'allow')]);
    const err = await act(c).sendSessionEvents(id, [toolConfirmation(a!.id, 'deny')]).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof QoderApiError && err.status === 409 && err.type === 'conflict_error');
    assert.deepEqual(pendingState(await history(c, id))?.calls.map((x) => x.id), [b!.id]);
  });

  it('answers both at once in one request', async () => {
    const c = client();
    const id = api.sessions().waitingSessionId()!;
    const calls = pendingState(await history(c, id))!.calls;
    const echo = await act(c).sendSessionEvents(id, calls.map((x) => toolConfirmation(x.id, 'allow')));
    assert.equal(echo.length, 2);
    await until(c, id, echo[1]!.id, endTurn);
  });

  it('user.message on an idle session: 202, the agent answers in a new turn that streams in', async () => {
    const c = client();
    const { id } = await finishedSessionWithFiles(c);
    const echo = await act(c).sendSessionEvents(id, [userMessage('also check the staging manifests')]);
    assert.deepEqual(echo[0]?.content, [{ type: 'text', text: 'also check the staging manifests' }]);
    const turn = await until(c, id, echo[0]!.id, endTurn);
    assert.equal(turn[0]?.type, 'session.status_running');
    assert.ok(turn.filter((e) => e.type === 'agent.message').length >= 2);
    assert.match(JSON.stringify(turn), /staging manifests/);
  });

  it('user.message while running or waiting is a 409; user.interrupt on a running turn ends it cancelled', async () => {
    const c = client();
    const waiting = api.sessions().waitingSessionId()!;
    assertErr(await act(c).sendSessionEvents(waiting, [userMessage('hi')]).catch((e: unknown) => e), 409);
    const { id } = await finishedSessionWithFiles(c);
    const echo = await act(c).sendSessionEvents(id, [userMessage('go on')]);
    assertErr(await act(c).sendSessionEvents(id, [userMessage('again')]).catch((e: unknown) => e), 409);
    const stop = await act(c).sendSessionEvents(id, [userInterrupt()]);
    assert.equal(stop[0]?.type, 'user.interrupt');
    const tail = await until(c, id, echo[0]!.id, (e) => e.type === 'session.status_idle');
    assert.equal((tail.at(-1)!.stop_reason as { type: string }).type, 'cancelled');
    assertErr(await act(c).sendSessionEvents(id, [userInterrupt()]).catch((e: unknown) => e), 409);
  });

  it('4xx: no wrapper, string content, empty array, deny_message with allow, wrong answer type, unknown session', async () => {
    const id = api.sessions().waitingSessionId()!;
    const calls = pendingState(await history(client(), id))!.calls;
    assertError(await call(api, 'POST', `/sessions/${id}/events`, { token: TOKEN, body: { type: 'user.interrupt' } }), 400, 'invalid_request_error', 'events');
    assertError(await call(api, 'POST', `/sessions/${id}/events`, { token: TOKEN, body: { events: [] } }), 400, 'invalid_request_error', 'events');
    assertError(await call(api, 'POST', `/sessions/${id}/events`, { token: TOKEN, body: { events: [{ type: 'user.message', content: 'hi' }] } }), 400, 'invalid_request_error', 'events[0].content');
    assertError(await call(api, 'POST', `/sessions/${id}/events`, { token: TOKEN, body: { events: [{ type: 'user.tool_confirmation', tool_use_id: calls[0]!.id, result: 'allow', deny_message: 'x' }] } }), 400, 'invalid_request_error', 'events[0].deny_message');
    assertError(await call(api, 'POST', `/sessions/${id}/events`, { token: TOKEN, body: { events: [customToolError(calls[0]!.id, 'no')] } }), 400, 'invalid_request_error', 'events[0].type');
    assertError(await call(api, 'POST', '/sessions/sess_0000000000000000000000000000dead/events', { token: TOKEN, body: { events: [userInterrupt()] } }), 404, 'not_found_error');
    assertError(await call(api, 'POST', `/sessions/${id}/events`, { token: 'pt-wrong-token-123456', body: { events: [userInterrupt()] } }), 401, 'authentication_error');
  });
});

function assertErr(e: unknown, status: number): void {
  assert.ok(e instanceof QoderApiError, `expected an API error, got ${String(e)}`);
  assert.equal(e.status, status);
}

describe('GET /sessions', () => {
  it('filters by deployment, status and creation time, newest first, and pages with next_page', async () => {
    const c = client();
    let dep;
    let runs: { session_id: string | null }[] = [];
    for (const d of (await c.listAllDeployments()).deployments) {
      dep = d;
      runs = (await c.listRunsPage(d.id, { limit: 100 })).data.filter((r) => r.session_id);
      if (runs.length >= 3 && runs.length < 100) break;
    }
    assert.ok(dep && runs.length >= 3);
    const all: string[] = [];
    for await (const page of act(c).listSessions({ deployment_id: dep.id, limit: 2 })) all.push(...page.data.map((s) => s.id));
    assert.deepEqual(all, runs.map((r) => r.session_id));
    const idle: string[] = [];
    for await (const page of act(c).listSessions({ deployment_id: dep.id, status: 'terminated' })) idle.push(...page.data.map((s) => s.id));
    for (const sid of idle) assert.equal((await c.getSession(sid)).status, 'terminated');
    const cut = (await c.getSession(all[1]!)).created_at;
    const recent: string[] = [];
    for await (const page of act(c).listSessions({ deployment_id: dep.id, created_at_gte: cut.replace(/\.\d+Z$/, 'Z') })) recent.push(...page.data.map((s) => s.id));
    assert.deepEqual(recent, all.slice(0, 2));
    const q = api.requests.find((r) => r.path.endsWith('/sessions') && r.query.statuses === 'terminated');
    assert.ok(q, 'statuses sent as one plain parameter');
  });

  it('4xx: limit over 100, unknown status, bad time, bad cursor', async () => {
    assertError(await call(api, 'GET', '/sessions?limit=101', { token: TOKEN }), 400, 'invalid_request_error', 'limit');
    assertError(await call(api, 'GET', '/sessions?statuses=sleeping', { token: TOKEN }), 400, 'invalid_request_error', 'statuses');
    assertError(await call(api, 'GET', '/sessions?created_at%5Bgte%5D=yesterday', { token: TOKEN }), 400, 'invalid_request_error', 'created_at[gte]');
    assertError(await call(api, 'GET', '/sessions?page=sess_nope', { token: TOKEN }), 400, 'invalid_request_error', 'page');
  });
});

describe('files and the storage route', () => {
  it('lists a session\'s files (text and binary), matching agent.artifact_delivered; GET /files/{id}', async () => {
    const c = client();
    const { id, files } = await finishedSessionWithFiles(c);
    const delivered = (await history(c, id)).filter((e) => e.type === 'agent.artifact_delivered').map((e) => e.file_id).sort();
    assert.deepEqual(files.map((f) => f.id).sort(), delivered);
    for (const f of files) {
      assert.equal(f.scope_id, id);
      assert.equal((await act(c).getFile(f.id)).filename, f.filename);
    }
    assertError(await call(api, 'GET', '/files/file_0000000000000000000000000000dead', { token: TOKEN }), 404, 'not_found_error');
    assertError(await call(api, 'GET', '/files/file_0000000000000000000000000000dead/content', { token: TOKEN }), 404, 'not_found_error');
    assertError(await call(api, 'GET', '/files?scope_id=sess_0000000000000000000000000000dead', { token: TOKEN }), 404, 'not_found_error');
  });

  it('downloads text and binary through a 200 link, without our token at storage', async () => {
    const c = client();
    const { files } = await finishedSessionWithFiles(c);
    const md = files.find((f) => f.mime_type === 'text/markdown')!;
    const png = files.find((f) => f.mime_type === 'image/png')!;
    const text = await act(c).downloadFile(md.id);
    assert.equal(text.link.httpStatus, 200);
    assert.match(text.bytes.toString('utf8'), /^# /);
    const bin = await act(c).downloadFile(png.id);
    assert.deepEqual([...bin.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(bin.bytes.byteLength, png.size_bytes);
    assertTokenNeverAtStorage(2);
  });

  it('a 302 content link is read (Location and body), not followed with the token', async () => {
    api.setFileLinks({ mode: '302' });
    const c = client();
    const { files } = await finishedSessionWithFiles(c);
    const raw = await fetch(`${api.baseUrl}/files/${files[0]!.id}/content`, { headers: { authorization: `Bearer ${TOKEN}` }, redirect: 'manual' });
    assert.equal(raw.status, 302);
    assert.match(raw.headers.get('location') ?? '', /\/__storage\/files\//);
    const d = await act(c).downloadFile(files[0]!.id);
    assert.equal(d.link.httpStatus, 302);
    assert.equal(d.bytes.byteLength, files[0]!.size_bytes);
    assertTokenNeverAtStorage(1);
  });

  it('an expired link: storage answers 403, the client mints a new link and gets the file', async () => {
    const c = client();
    const { files } = await finishedSessionWithFiles(c);
    api.resetRequests();
    api.setFileLinks({ expireNext: 1 });
    const before = api.storageRequests().length;
    const d = await act(c).downloadFile(files[0]!.id);
    assert.equal(d.bytes.byteLength, files[0]!.size_bytes);
    assert.deepEqual(api.storageRequests().slice(before).map((r) => r.status), [403, 200]);
    assert.equal(api.requests.filter((r) => r.path.endsWith('/content')).length, 2);
  });

  it('storage refuses a request that carries an Authorization header (400), and records it', async () => {
    const c = client();
    const { files } = await finishedSessionWithFiles(c);
    const link = await act(c).getFileContentLink(files[0]!.id);
    const refused = await fetch(link.url, { headers: { authorization: 'Bearer pt-someone-else-999999' } });
    assert.equal(refused.status, 400);
    const ok = await fetch(link.url);
    assert.equal(ok.status, 200);
    const recorded = api.storageRequests().slice(-2);
    assert.deepEqual(recorded.map((r) => [r.status, r.authorization !== undefined]), [[400, true], [200, false]]);
  });
});

/** The storage route saw `n` or more requests, none with our token anywhere (header, query, path). */
function assertTokenNeverAtStorage(n: number): void {
  const seen = api.storageRequests();
  assert.ok(seen.length >= n);
  for (const r of seen) {
    assert.equal(r.authorization, undefined);
    assert.ok(!JSON.stringify(r).includes(TOKEN));
    assert.ok(!JSON.stringify(r).includes(TOKEN.slice(3)));
  }
}

describe('bugs found by a real SDK', () => {
  it('GET /sessions/{id}/events honours created_at[gte] (it returned everything)', async () => {
    const c = client();
    const id = api.sessions().waitingSessionId()!;
    const all = await history(c, id);
    const cut = all[5]!.processed_at!;
    const page = await act(c).listSessionEventsPage(id, { created_at_gte: cut, limit: 100 });
    assert.deepEqual(page.data.map((e) => e.id), all.filter((e) => Date.parse(e.processed_at!) >= Date.parse(cut)).map((e) => e.id));
    assert.ok(page.data.length < all.length);
  });

  it('a live session\'s stats.active_seconds grows while it runs (it stayed 0)', async () => {
    const c = client();
    const dep = (await c.listAllDeployments()).deployments.find((d) => d.status === 'active')!;
    const run = await c.runDeployment(dep.id);
    const first = await c.getSession(run.session_id!);
    time.advance(7_000);
    const later = await c.getSession(run.session_id!);
    assert.equal(later.status, 'running');
    assert.ok(later.active_seconds! > first.active_seconds!, `${later.active_seconds} > ${first.active_seconds}`);
    assert.ok(later.active_seconds! >= 7);
  });
});
