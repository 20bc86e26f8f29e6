// The real QoderClient (default node:http transport) against the local API over loopback:
// every endpoint, every documented error type, long walks, and each injected fault kind.
// Retry waits go through an injected `sleep`, so nothing here really waits for Retry-After
// or backoff; only the short per-attempt timeouts of the hang cases cost wall time.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QoderApiError, QoderClient, QoderError, type Deployment, type QoderClientOptions } from '../../src/api';
import { startLocalApi, type LocalApi, type RecordedRequest } from '../local-api/server';
import { clock, FIXED_NOW } from '../local-api/test-helpers';

const TOKEN = 'pt-contract-client-SECRET-0042';
const BIG = 'pt-contract-client-BIG-0043';
const REVOKE_WALK = 'pt-contract-client-REVOKED-0044';
const SEED = 120;
const BIG_SEED = 1000;

let api: LocalApi;
let sleeps: number[];

before(async () => {
  api = await startLocalApi({
    token: TOKEN,
    seed: SEED,
    quiet: true,
    now: clock(FIXED_NOW).now,
    accounts: [
      { token: BIG, seed: BIG_SEED, seedOffset: 7 },
      { token: REVOKE_WALK, seed: 350, seedOffset: 9 },
    ],
  });
});
after(() => api.close());
beforeEach(() => {
  api.clearFaults();
  api.reseed(SEED);
  api.resetRequests();
  sleeps = [];
});

function client(opts: Partial<QoderClientOptions> = {}): QoderClient {
  return new QoderClient({
    baseUrl: api.baseUrl,
    token: TOKEN,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...opts,
  });
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

/** The token (of any account used here) appears nowhere in what an error can show. */
function assertNoToken(e: unknown): void {
  const err = e as Error;
  const texts = [err.message, err.stack ?? '', String(e), JSON.stringify(e), (e as QoderApiError).param ?? '', (e as QoderApiError).requestId ?? ''];
  for (const t of [TOKEN, BIG, REVOKE_WALK]) {
    for (const s of texts) assert.equal(s.includes(t), false, `token leaked into: ${s.slice(0, 200)}`);
  }
}

const apiRequests = (method?: string, suffix?: string): RecordedRequest[] =>
  api.requests.filter((r) => (method === undefined || r.method === method) && (suffix === undefined || r.path.endsWith(suffix)));

/**
 * A QoderApiError with this status/type whose request id is the one the server answered the
 * last such request with (the server echoes ours in the header and the envelope).
 */
function assertApiError(e: unknown, status: number, type: string, operation?: RegExp): QoderApiError {
  assert.ok(e instanceof QoderApiError, `expected QoderApiError, got ${String(e)}`);
  assert.equal(e.kind, 'api');
  assert.equal(e.status, status);
  assert.equal(e.type, type);
  assert.ok(e.message.length > 0);
  if (operation) assert.match(e.operation ?? '', operation);
  const answered = api.requests.filter((r) => r.status === status);
  assert.ok(answered.length > 0, 'the server recorded the failing request');
  assert.ok(e.requestId, 'the request id is on the error');
  assert.equal(e.requestId, answered.at(-1)!.requestId, 'the request id is the one the server answered with');
  assertNoToken(e);
  return e;
}

function assertQoderError(e: unknown, kind: QoderError['kind'], operation: RegExp): QoderError {
  assert.ok(e instanceof QoderError, `expected QoderError, got ${String(e)}`);
  assert.equal(e.kind, kind, `kind ${e.kind}: ${e.message}`);
  assert.match(e.operation ?? '', operation);
  assert.match(e.message, operation, 'the message names the operation');
  assertNoToken(e);
  return e;
}

const ids = (xs: readonly object[]): string[] => xs.map((x) => String((x as { id?: unknown }).id));
const serverList = (token = TOKEN, includeArchived = false) => api.account(token).list({ include_archived: includeArchived });
const firstWhere = (pred: (d: Record<string, unknown>) => boolean): string => {
  const d = serverList(TOKEN, true).find(pred);
  assert.ok(d, 'seed has a matching deployment');
  return String(d.id);
};
const activeId = () => firstWhere((d) => d.archived_at === null && d.status === 'active');
const pausedId = () => firstWhere((d) => d.archived_at === null && d.status === 'paused');
const archivedId = () => firstWhere((d) => d.archived_at !== null);

// ---------------------------------------------------------------------------------------

describe('QoderClient × local API: endpoints', () => {
  it('listAllDeployments: the default list, exactly as the server holds it, newest first', async () => {
    const r = await client().listAllDeployments();
    assert.deepEqual(ids(r.deployments), ids(serverList()));
    assert.equal(r.invalid.length, 0);
    assert.ok(r.deployments.every((d) => d.archived_at === null));
    assert.equal(r.requests, Math.ceil(serverList().length / 100));
    assert.equal(api.requests.length, r.requests);
    assert.ok(api.requests.every((q) => q.query.limit === '100' && q.query.include_archived === undefined));
  });

  it('filters: include_archived, status, agent_id, created_at[gte|lte] are sent and honoured', async () => {
    const c = client();
    const all = serverList(TOKEN, true);
    assert.ok(all.some((d) => d.archived_at !== null), 'seed has archived deployments');

    const withArchived = await c.listAllDeployments({ include_archived: true });
    assert.deepEqual(ids(withArchived.deployments), ids(all));
    assert.equal(api.requests.at(-1)!.query.include_archived, 'true');

    for (const status of ['active', 'paused'] as const) {
      const got = await c.listAllDeployments({ status });
      assert.equal(api.requests.at(-1)!.query.status, status);
      const want = all.filter((d) => d.archived_at === null && d.status === status);
      assert.ok(want.length > 0);
      assert.deepEqual(ids(got.deployments), ids(want));
    }

    const agentId = String((all[3]!.agent as { id: string }).id);
    const byAgent = await c.listAllDeployments({ agent_id: agentId });
    assert.equal(api.requests.at(-1)!.query.agent_id, agentId);
    assert.deepEqual(ids(byAgent.deployments), ids(all.filter((d) => d.archived_at === null && (d.agent as { id: string }).id === agentId)));
    assert.ok(byAgent.deployments.length > 0 && byAgent.deployments.length < serverList().length);

    const live = serverList();
    const lte = String(live[10]!.created_at);
    const gte = String(live[40]!.created_at);
    const window = await c.listAllDeployments({ created_at_gte: gte, created_at_lte: lte });
    const last = api.requests.at(-1)!;
    assert.equal(last.query['created_at[gte]'], gte);
    assert.equal(last.query['created_at[lte]'], lte);
    const within = live.filter((d) => Date.parse(String(d.created_at)) >= Date.parse(gte) && Date.parse(String(d.created_at)) <= Date.parse(lte));
    assert.equal(within.length, 31);
    assert.deepEqual(ids(window.deployments), ids(within));

    const combined = await c.listAllDeployments({ include_archived: true, status: 'paused', created_at_lte: lte });
    assert.deepEqual(ids(combined.deployments), ids(all.filter((d) => d.status === 'paused' && Date.parse(String(d.created_at)) <= Date.parse(lte))));
  });

  it('listDeployments: yields page by page with the given limit, cursors from next_page', async () => {
    const want = ids(serverList());
    const pages: Deployment[][] = [];
    for await (const page of client().listDeployments({ limit: 7 })) pages.push(page.data);
    assert.deepEqual(pages.flat().map((d) => d.id), want);
    assert.equal(pages.length, Math.ceil(want.length / 7));
    assert.ok(pages.slice(0, -1).every((p) => p.length === 7));
    assert.equal(api.requests[0]!.query.page, undefined);
    for (let i = 1; i < api.requests.length; i++) assert.equal(api.requests[i]!.query.page, pages[i - 1]!.at(-1)!.id);
  });

  it('walks 1,000 deployments: each exactly once, in ⌈N/100⌉ requests', async () => {
    const big = client({ token: BIG });
    const all = await big.listAllDeployments({ include_archived: true });
    assert.equal(all.deployments.length, BIG_SEED);
    assert.equal(new Set(ids(all.deployments)).size, BIG_SEED, 'no duplicates');
    assert.deepEqual(ids(all.deployments), ids(serverList(BIG, true)));
    assert.equal(all.requests, 10);
    assert.equal(api.requests.length, 10);
    assert.equal(new Set(api.requests.map((r) => r.query.page ?? '')).size, 10, 'no cursor requested twice');

    api.resetRequests();
    const live = await big.listAllDeployments();
    const n = serverList(BIG).length;
    assert.ok(n > 500 && n < BIG_SEED);
    assert.equal(live.deployments.length, n);
    assert.equal(new Set(ids(live.deployments)).size, n);
    assert.deepEqual(ids(live.deployments), ids(serverList(BIG)));
    assert.equal(live.requests, Math.ceil(n / 100));
    assert.equal(api.requests.length, Math.ceil(n / 100));
  });

  it('getDeployment returns the server’s copy', async () => {
    const id = pausedId();
    const d = await client().getDeployment(id);
    const s = api.account().get(id)!;
    assert.equal(d.id, id);
    assert.equal(d.name, s.name);
    assert.equal(d.status, 'paused');
    assert.deepEqual(d.raw, s);
  });

  it('archive, pause, unpause and run change the server state and return the new object', async () => {
    const c = client();
    const a = activeId();
    const paused = await c.pauseDeployment(a);
    assert.equal(paused.status, 'paused');
    assert.equal(paused.paused_reason?.type, 'manual');
    assert.equal(api.account().get(a)!.status, 'paused');

    const resumed = await c.resumeDeployment(a);
    assert.equal(resumed.status, 'active');
    assert.equal(resumed.paused_reason, null);
    assert.equal(api.account().get(a)!.status, 'active');

    const before = api.account().runs(a).length;
    const run = await c.runDeployment(a);
    assert.equal(run.deployment_id, a);
    assert.equal(run.trigger_context.type, 'manual');
    assert.equal(api.account().runs(a).length, before + 1);
    assert.equal(api.account().runs(a)[0]!.id, run.id);

    const name = String(api.account().get(a)!.name);
    const archived = await c.archiveDeployment(a);
    assert.ok(archived.archived_at);
    assert.match(archived.name, new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_archived_\\d+$`));
    assert.equal(api.account().get(a)!.archived_at, archived.archived_at);
    assert.equal(ids(await c.listAllDeployments().then((r) => r.deployments)).includes(a), false, 'gone from the default list');

    assert.deepEqual(
      apiRequests('POST').map((r) => r.path.split('/').slice(-1)[0]),
      ['pause', 'unpause', 'run', 'archive'],
      'one POST per call, none retried',
    );
    assert.ok(apiRequests('POST').every((r) => r.headers['content-type'] === 'application/json'));
  });

  it('listRunsPage pages with next_page; getRun finds one', async () => {
    const c = client();
    const id = serverList().map((d) => String(d.id)).find((x) => api.account().runs(x).length > 25);
    assert.ok(id, 'seed has a deployment with more than 25 runs');
    const want = ids(api.account().runs(id));

    api.resetRequests();
    const p1 = await c.listRunsPage(id);
    assert.equal(api.requests[0]!.query.limit, '20');
    assert.deepEqual(ids(p1.data), want.slice(0, 20));
    assert.equal(p1.has_more, true);
    assert.equal(p1.next_page, want[19]);
    const p2 = await c.listRunsPage(id, { page: p1.next_page! });
    assert.equal(api.requests[1]!.query.page, want[19]);
    assert.deepEqual(ids(p2.data), want.slice(20, 40));

    const run = await c.getRun(id, want[3]!);
    assert.equal(run.id, want[3]);
    assert.equal(run.deployment_id, id);
  });
});

// ---------------------------------------------------------------------------------------

describe('QoderClient × local API: documented errors', () => {
  it('400 invalid_request_error: bad created_at, bad cursor; limit 0 is refused before sending', async () => {
    const c = client();
    const e1 = assertApiError(await rejection(c.listAllDeployments({ created_at_gte: 'yesterday' })), 400, 'invalid_request_error', /^GET \/deployments$/);
    assert.equal(e1.param, 'created_at[gte]');
    assert.equal(api.requests.length, 1, '400 is not retried');

    const id = activeId();
    const e2 = assertApiError(await rejection(c.listRunsPage(id, { page: 'drun_doesnotexist0000' })), 400, 'invalid_request_error');
    assert.equal(e2.param, 'page');

    api.resetRequests();
    const e3 = await rejection(c.listAllDeployments({ limit: 0 }));
    assert.ok(e3 instanceof QoderError);
    assert.equal(e3.kind, 'config');
    assert.match(e3.message, /limit.*between 1 and 100, got 0/);
    assertNoToken(e3);
    assert.equal(api.requests.length, 0, 'nothing was sent');

    api.injectFault({ route: 'GET /deployments', kind: 'status', status: 400, message: 'limit must be between 1 and 100' });
    const e4 = assertApiError(await rejection(c.listAllDeployments()), 400, 'invalid_request_error');
    assert.match(e4.message, /limit must be between 1 and 100/);
  });

  it('401 authentication_error: a wrong token, not retried, and the token is not echoed', async () => {
    const wrong = 'pt-wrong-token-9999';
    const c = client({ token: wrong });
    const e = assertApiError(await rejection(c.listAllDeployments()), 401, 'authentication_error');
    assert.equal(api.requests.length, 1);
    for (const s of [e.message, e.stack ?? '', String(e)]) assert.equal(s.includes(wrong), false);
  });

  it('403 permission_error (fault)', async () => {
    api.injectFault({ route: 'GET /deployments/:id', kind: 'status', status: 403 });
    assertApiError(await rejection(client().getDeployment(activeId())), 403, 'permission_error', /^GET \/deployments\/dep_/);
    assert.equal(api.requests.length, 1, '403 is not retried');
  });

  it('404 not_found_error: unknown deployment and unknown run', async () => {
    const c = client();
    assertApiError(await rejection(c.getDeployment('dep_00000000000000000000000000000000')), 404, 'not_found_error');
    assertApiError(await rejection(c.archiveDeployment('dep_00000000000000000000000000000000')), 404, 'not_found_error');
    assertApiError(await rejection(c.getRun(activeId(), 'drun_00000000000000000000000000000000')), 404, 'not_found_error');
    assert.equal(api.requests.length, 3, '404 is not retried');
  });

  it('409 conflict_error: pause a paused, unpause an active, archive an archived, run a paused deployment', async () => {
    const c = client();
    const cases: [string, () => Promise<unknown>][] = [
      ['pause', () => c.pauseDeployment(pausedId())],
      ['unpause', () => c.resumeDeployment(activeId())],
      ['archive', () => c.archiveDeployment(archivedId())],
      ['run', () => c.runDeployment(pausedId())],
    ];
    for (const [verb, call] of cases) {
      api.resetRequests();
      const e = assertApiError(await rejection(call()), 409, 'conflict_error', new RegExp(`^POST /deployments/dep_\\w+/${verb}$`));
      assert.ok(e.message.length > 0);
      assert.equal(api.requests.length, 1, `${verb}: 409 is not retried`);
    }
  });

  it('500 api_error: a GET is retried then fails with the envelope; a POST is not retried', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'status', status: 500, times: 3 });
    const e = assertApiError(await rejection(client().listAllDeployments()), 500, 'api_error');
    assert.equal(e.message, 'Internal server error.');
    assert.equal(api.requests.length, 3, 'first try + 2 retries');
    assert.deepEqual(sleeps, [500, 1000], 'backoff between the tries');

    api.resetRequests();
    const id = activeId();
    api.injectFault({ route: 'POST /deployments/:id/pause', kind: 'status', status: 500 });
    assertApiError(await rejection(client().pauseDeployment(id)), 500, 'api_error');
    assert.equal(api.requests.length, 1);
    assert.equal(api.account().get(id)!.status, 'active');
  });

  it('501 feature_not_available (fault) names the type and is not repeated for a POST', async () => {
    const id = activeId();
    api.injectFault({ route: 'POST /deployments/:id/run', kind: 'status', status: 501, errorType: 'feature_not_available', message: 'Manual runs are not available in this region.' });
    const e = assertApiError(await rejection(client().runDeployment(id)), 501, 'feature_not_available');
    assert.match(e.message, /not available in this region/);
    assert.equal(api.requests.length, 1);
  });
});

// ---------------------------------------------------------------------------------------

describe('QoderClient × local API: faults', () => {
  it('500 once on a list page: retried, and the walk completes', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'status', status: 500 });
    const r = await client().listAllDeployments();
    assert.deepEqual(ids(r.deployments), ids(serverList()));
    assert.equal(api.requests.length, 3, '2 pages + 1 retry');
    assert.equal(r.requests, 3);
  });

  it('502 HTML page: a readable error without markup, request id from the header', async () => {
    api.injectFault({ route: 'GET /deployments/:id', kind: 'html', times: 3 });
    const e = assertApiError(await rejection(client().getDeployment(activeId())), 502, 'http_502');
    assert.match(e.message, /502 Bad Gateway/);
    assert.doesNotMatch(e.message, /[<>]/);
    assert.equal(api.requests.length, 3);
    // once only: retried and fine
    api.injectFault({ route: 'GET /deployments/:id', kind: 'html' });
    assert.equal((await client().getDeployment(activeId())).id, activeId());
  });

  it('503: a GET retries through it; a POST archive reports it and is not archived', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'status', status: 503 });
    assert.deepEqual(ids((await client().listAllDeployments()).deployments), ids(serverList()));
    api.resetRequests();
    const id = activeId();
    api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'status', status: 503 });
    assertApiError(await rejection(client().archiveDeployment(id)), 503, 'api_error');
    assert.equal(api.requests.length, 1, 'a POST is not retried on 503');
    assert.equal(api.account().get(id)!.archived_at, null);
  });

  it('429 with Retry-After on a list page: waits as asked, retries, succeeds', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'rate_limit', retryAfter: 7, skip: 1 });
    const r = await client({ minPageIntervalMs: 0 }).listAllDeployments(); // only the retry's wait is recorded
    assert.deepEqual(ids(r.deployments), ids(serverList()));
    assert.deepEqual(sleeps, [7000], 'the requested wait, not the backoff');
    assert.deepEqual(api.requests.map((q) => q.status), [200, 429, 200]);
    assert.equal(api.requests[1]!.query.page, api.requests[2]!.query.page, 'the same page again');
  });

  it('429 persisting on a list: fails after the retries with the server’s wait on the error', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'rate_limit', retryAfter: 2, times: 3 });
    const e = assertApiError(await rejection(client().listAllDeployments()), 429, 'http_429');
    assert.equal(e.retryAfterSeconds, 2);
    assert.deepEqual(sleeps, [2000, 2000]);
  });

  it('429 on POST archive: retried (the server did not process it), archived exactly once', async () => {
    const id = activeId();
    api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'rate_limit', retryAfter: 3 });
    const d = await client().archiveDeployment(id);
    assert.ok(d.archived_at);
    assert.deepEqual(apiRequests('POST', '/archive').map((r) => r.status), [429, 200]);
    assert.deepEqual(sleeps, [3000]);
    const server = api.account().get(id)!;
    assert.equal(server.archived_at, d.archived_at);
    assert.equal(String(server.name).split('_archived_').length, 2, 'archived (renamed) once');

    // A 429 that persists: the retries are bounded and nothing is archived.
    api.resetRequests();
    sleeps = [];
    const other = activeId();
    api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'rate_limit', retryAfter: 1, times: -1 });
    const e = assertApiError(await rejection(client().archiveDeployment(other)), 429, 'http_429');
    assert.equal(e.retryAfterSeconds, 1);
    assert.equal(apiRequests('POST', '/archive').length, 3, 'first try + the client’s 2 retries, no more');
    assert.deepEqual(sleeps, [1000, 1000]);
    assert.equal(api.account().get(other)!.archived_at, null);
  });

  it('a hang past the timeout: kind timeout; a GET is retried, a POST is not (and is not processed)', async () => {
    const c = client({ timeoutMs: 150 });
    api.injectFault({ route: 'GET /deployments', kind: 'delay', delayMs: 60_000, times: 3 });
    const e = assertQoderError(await rejection(c.listAllDeployments()), 'timeout', /^GET \/deployments/);
    assert.match(e.message, /timed out after 0\.15 s/);
    assert.equal(api.requests.length, 3, 'retried twice');
    assert.deepEqual(sleeps, [500, 1000]);

    api.resetRequests();
    api.injectFault({ route: 'GET /deployments', kind: 'delay', delayMs: 60_000 });
    assert.deepEqual(ids((await c.listAllDeployments()).deployments), ids(serverList()), 'one hang, then fine');

    api.resetRequests();
    const id = activeId();
    api.injectFault({ route: 'POST /deployments/:id/pause', kind: 'delay', delayMs: 60_000 });
    assertQoderError(await rejection(c.pauseDeployment(id)), 'timeout', /^POST \/deployments\/dep_\w+\/pause/);
    assert.equal(api.requests.length, 1, 'a POST that may have been processed is not repeated');
    assert.equal(api.requests[0]!.status, 0, 'never answered');
    assert.equal(api.account().get(id)!.status, 'active', 'the server gave up with the connection');
  });

  it('a connection reset: kind network; GET retried, POST not', async () => {
    api.injectFault({ route: 'GET /deployments/:id', kind: 'reset', times: 3 });
    const e = assertQoderError(await rejection(client().getDeployment(activeId())), 'network', /^GET \/deployments\/dep_/);
    assert.ok(!(e instanceof QoderApiError));
    assert.equal(api.requests.length, 3);

    api.resetRequests();
    api.injectFault({ route: 'GET /deployments/:id', kind: 'reset' });
    assert.equal((await client().getDeployment(activeId())).id, activeId());
    assert.equal(api.requests.length, 2);

    api.resetRequests();
    api.injectFault({ route: 'POST /deployments/:id/unpause', kind: 'reset' });
    assertQoderError(await rejection(client().resumeDeployment(pausedId())), 'network', /^POST /);
    assert.equal(api.requests.length, 1);
  });

  it('truncated JSON: invalid_response naming the operation, not retried', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'truncated', skip: 1 });
    const e = assertQoderError(await rejection(client().listAllDeployments()), 'invalid_response', /^GET \/deployments/);
    assert.match(e.message, /not valid JSON/);
    assert.equal(api.requests.length, 2);

    const id = activeId();
    api.injectFault({ route: 'GET /deployments/:id', kind: 'truncated' });
    assertQoderError(await rejection(client().getDeployment(id)), 'invalid_response', new RegExp(`^GET /deployments/${id}`));
  });

  it('wrong-shape JSON: invalid_response naming the operation (list, get and a POST)', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'wrong_shape' });
    const e1 = assertQoderError(await rejection(client().listAllDeployments()), 'invalid_response', /^GET \/deployments/);
    assert.match(e1.message, /no "data" array/);

    const id = activeId();
    api.injectFault({ route: 'GET /deployments/:id', kind: 'wrong_shape', body: { id, name: 42 } });
    assertQoderError(await rejection(client().getDeployment(id)), 'invalid_response', /^GET \/deployments\/dep_/);

    api.resetRequests();
    api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'wrong_shape' });
    const e3 = assertQoderError(await rejection(client().archiveDeployment(id)), 'invalid_response', new RegExp(`^POST /deployments/${id}/archive`));
    assert.match(e3.message, /unexpected response/);
    assert.equal(api.requests.length, 1, 'not repeated: the server did process it');
    assert.ok(api.account().get(id)!.archived_at, 'the server archived it; only the answer was garbage');
  });

  it('401 mid-walk: the token revoked between pages stops the walk with authentication_error', async () => {
    const c = client({ token: REVOKE_WALK });
    const seen: string[] = [];
    let pages = 0;
    const e = await rejection(
      (async () => {
        for await (const page of c.listDeployments()) {
          pages++;
          seen.push(...page.data.map((d) => d.id));
          if (pages === 2) api.revoke(REVOKE_WALK);
        }
      })(),
    );
    assertApiError(e, 401, 'authentication_error', /^GET \/deployments$/);
    assert.equal(pages, 2);
    assert.deepEqual(seen, ids(serverList(REVOKE_WALK)).slice(0, 200));
    assert.deepEqual(api.requests.map((r) => r.status), [200, 200, 401], 'the 401 is not retried');
  });

  it('a cursor refused with 400 on page 3: the error surfaces and pages 1–2 are not requested again', async () => {
    const c = client({ token: BIG });
    api.injectFault({ route: 'GET /deployments', kind: 'status', status: 400, skip: 2, message: 'Invalid or expired cursor: page' });
    const e = assertApiError(await rejection(c.listAllDeployments({ include_archived: true })), 400, 'invalid_request_error');
    assert.match(e.message, /expired cursor/);
    assert.equal(api.requests.length, 3);
    const cursors = api.requests.map((r) => r.query.page);
    assert.equal(cursors[0], undefined);
    assert.equal(new Set(cursors).size, 3, 'each page requested once');
    assert.deepEqual(api.requests.map((r) => r.status), [200, 200, 400]);
  });
});
