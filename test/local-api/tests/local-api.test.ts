// Contract tests of the local Deployments API (test/local-api) with raw fetch:
// auth, errors, paging, filters, lifecycle, runs, upcoming runs, seed data.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CronExpressionParser } from 'cron-parser';
import { pastFires } from '../cron';
import { startLocalApi, type LocalApi } from '../server';
import { assertError, assertPageShape, call, clock, FIXED_NOW, isSortedDesc, TOKEN, walk, type Dep, type Page, type Run } from '../test-helpers';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('local API: auth, errors, request ids', () => {
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ seed: 30, quiet: true, now: clock(FIXED_NOW).now, accounts: [{ token: 'pt-other', seed: 5 }] });
  });
  after(() => api.close());

  it('binds to 127.0.0.1 and exposes the documented base URL', () => {
    assert.match(api.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cloud$/);
    assert.equal(api.baseUrl, `${api.origin}/api/v1/cloud`);
    assert.ok(api.port > 0);
  });

  it('rejects a missing Bearer token with the 401 envelope', async () => {
    const env = assertError(await call(api, 'GET', '/deployments', { token: null }), 401, 'authentication_error');
    assert.equal(env.error.message, 'Invalid API key or token.');
  });

  it('rejects a wrong token, a malformed header and x-api-key', async () => {
    assertError(await call(api, 'GET', '/deployments', { token: 'pt-nope' }), 401, 'authentication_error');
    assertError(await call(api, 'GET', '/deployments', { token: null, headers: { authorization: TOKEN } }), 401, 'authentication_error');
    assertError(await call(api, 'GET', '/deployments', { token: null, headers: { 'x-api-key': TOKEN } }), 401, 'authentication_error');
    // x-api-key is not supported at all, even next to a valid Bearer token.
    assertError(await call(api, 'GET', '/deployments', { headers: { 'x-api-key': TOKEN } }), 401, 'authentication_error');
    const res = await call(api, 'GET', '/deployments');
    assert.equal(res.status, 200);
  });

  it('keeps each token’s data separate and honours revocation', async () => {
    const mine = (await call(api, 'GET', '/deployments?limit=100&include_archived=true')).json as Page;
    const other = (await call(api, 'GET', '/deployments?limit=100&include_archived=true', { token: 'pt-other' })).json as Page;
    assert.equal(mine.data.length, 30);
    assert.equal(other.data.length, 5);
    const mineIds = new Set(mine.data.map((d) => d.id));
    assert.ok(other.data.every((d) => !mineIds.has(d.id)));
    assertError(await call(api, 'GET', `/deployments/${other.data[0]!.id}`), 404, 'not_found_error');
    const rv = await call(api, 'POST', '/__local/revoke', { token: null, body: { token: 'pt-other' } });
    assert.equal(rv.status, 200);
    assertError(await call(api, 'GET', '/deployments', { token: 'pt-other' }), 401, 'authentication_error');
    assert.equal((await call(api, 'GET', '/deployments')).status, 200);
  });

  it('echoes x-request-id in the error body and header, else generates a UUID', async () => {
    const withId = await call(api, 'GET', '/deployments/dep_00000000000000000000000000000000', { headers: { 'x-request-id': 'req-abc-123' } });
    const env = assertError(withId, 404, 'not_found_error');
    assert.equal(env.request_id, 'req-abc-123');
    assert.equal(withId.headers.get('x-request-id'), 'req-abc-123');
    const gen = assertError(await call(api, 'GET', '/deployments/dep_00000000000000000000000000000000'), 404, 'not_found_error');
    assert.match(gen.request_id, UUID_RE);
    const ok = await call(api, 'GET', '/deployments', { headers: { 'x-request-id': 'req-ok' } });
    assert.equal(ok.headers.get('x-request-id'), 'req-ok');
    assert.equal(ok.headers.get('content-type'), 'application/json');
  });

  it('answers unknown routes and unsupported methods with a 404 envelope', async () => {
    assertError(await call(api, 'GET', '/nope'), 404, 'not_found_error');
    assertError(await call(api, 'DELETE', `/deployments/${api.account().list()[0]!.id}`), 404, 'not_found_error');
    assertError(await call(api, 'POST', `/deployments/${api.account().list()[0]!.id}/resume`), 404, 'not_found_error');
    assertError(await call(api, 'GET', 'http://127.0.0.1:' + api.port + '/v2/whatever', { token: null }), 404, 'not_found_error');
  });

  it('rejects malformed JSON bodies on POST', async () => {
    const env = assertError(await call(api, 'POST', '/deployments', { rawBody: '{"name": ' }), 400, 'invalid_request_error');
    assert.equal(env.error.message, 'Request body must be valid JSON.');
    const id = api.account().list()[0]!.id;
    assertError(await call(api, 'POST', `/deployments/${id}`, { rawBody: 'not json' }), 400, 'invalid_request_error');
  });

  it('records requests without the authorization header', async () => {
    api.resetRequests();
    await call(api, 'GET', '/deployments?limit=2', { headers: { 'x-request-id': 'rec-1' } });
    await call(api, 'GET', '/deployments', { token: 'bad' });
    assert.equal(api.requests.length, 2);
    const [a, b] = api.requests;
    assert.deepEqual([a!.method, a!.path, a!.query, a!.status, a!.authorized, a!.requestId], ['GET', '/api/v1/cloud/deployments', { limit: '2' }, 200, true, 'rec-1']);
    assert.equal(a!.headers.authorization, undefined);
    assert.equal(b!.status, 401);
    assert.equal(b!.authorized, false);
    const viaHttp = (await call(api, 'GET', '/__local/requests', { token: null })).json as unknown[];
    assert.equal(viaHttp.length, 2);
  });
});

describe('local API: listing and paging (1,000 seeded)', () => {
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ seed: 1000, quiet: true, now: clock(FIXED_NOW).now });
  });
  after(() => api.close());

  it('walks every visible deployment exactly once, newest first, with page cursors', async () => {
    const { items, pages } = await walk<Dep>(api, '/deployments?limit=100');
    const visible = api.account().list();
    assert.equal(items.length, visible.length);
    assert.ok(visible.length > 850 && visible.length < 960, `visible=${visible.length}`);
    assert.equal(pages, Math.ceil(visible.length / 100));
    assert.equal(new Set(items.map((d) => d.id)).size, items.length);
    assert.ok(items.every((d) => d.archived_at === null));
    assert.ok(isSortedDesc(items.map((d) => d.created_at)), 'created_at desc');
    assert.ok(isSortedDesc(items.map((d) => d.id)), 'id order = time order');
    assert.deepEqual(items.map((d) => d.id), visible.map((d) => d.id));
  });

  it('gives the same walk with after_id, and include_archived=true shows all 1,000', async () => {
    const byPage = await walk<Dep>(api, '/deployments?limit=100');
    const byAfter = await walk<Dep>(api, '/deployments?limit=100', 'after_id');
    assert.deepEqual(byAfter.items.map((d) => d.id), byPage.items.map((d) => d.id));
    const all = await walk<Dep>(api, '/deployments?limit=100&include_archived=true');
    assert.equal(all.items.length, 1000);
    assert.equal(new Set(all.items.map((d) => d.id)).size, 1000);
    assert.ok(isSortedDesc(all.items.map((d) => d.id)));
  });

  it('encodes the creation time in the id (UUIDv7-like)', async () => {
    const p = (await call(api, 'GET', '/deployments?limit=50')).json as Page;
    for (const d of p.data) {
      assert.match(d.id, /^dep_[0-9a-f]{32}$/);
      const ms = parseInt(d.id.slice(4, 16), 16);
      assert.equal(Math.floor(ms / 1000) * 1000, Date.parse(d.created_at));
    }
  });

  it('validates limit: default 20, 1–100, 400 otherwise', async () => {
    const def = (await call(api, 'GET', '/deployments')).json as Page;
    assert.equal(def.data.length, 20);
    assert.equal(((await call(api, 'GET', '/deployments?limit=1')).json as Page).data.length, 1);
    assert.equal(((await call(api, 'GET', '/deployments?limit=100')).json as Page).data.length, 100);
    for (const bad of ['0', '-1', '101', '1000', '1.5', 'abc', '']) {
      const env = assertError(await call(api, 'GET', `/deployments?limit=${bad}`), 400, 'invalid_request_error', 'limit');
      assert.match(env.error.message, /limit/);
    }
    const dep = api.account().list()[0]!.id;
    assertError(await call(api, 'GET', `/deployments/${dep}/runs?limit=0`), 400, 'invalid_request_error', 'limit');
    assertError(await call(api, 'GET', `/deployment_runs?limit=101`), 400, 'invalid_request_error', 'limit');
  });

  it('caps limit at 100 in limitMode "cap"', async () => {
    const capped = await startLocalApi({ seed: 150, quiet: true, limitMode: 'cap' });
    try {
      const p = (await call(capped, 'GET', '/deployments?limit=500&include_archived=true')).json as Page;
      assert.equal(p.data.length, 100);
      assert.equal(p.has_more, true);
      assertError(await call(capped, 'GET', '/deployments?limit=0'), 400, 'invalid_request_error', 'limit');
    } finally {
      await capped.close();
    }
  });

  it('rejects bad cursor combinations and unknown or garbage cursors', async () => {
    const [a, b] = api.account().list();
    assertError(await call(api, 'GET', `/deployments?before_id=${a!.id}&after_id=${b!.id}`), 400, 'invalid_request_error');
    assertError(await call(api, 'GET', `/deployments?page=${a!.id}&after_id=${b!.id}`), 400, 'invalid_request_error', 'page');
    assertError(await call(api, 'GET', `/deployments?page=${a!.id}&before_id=${b!.id}`), 400, 'invalid_request_error', 'page');
    assertError(await call(api, 'GET', '/deployments?page=garbage'), 400, 'invalid_request_error', 'page');
    assertError(await call(api, 'GET', '/deployments?after_id=dep_0123456789abcdef0123456789abcdef'), 400, 'invalid_request_error', 'after_id');
    assertError(await call(api, 'GET', '/deployments?before_id=xyz'), 400, 'invalid_request_error', 'before_id');
  });

  it('pages backwards with before_id and returns the empty envelope with nulls', async () => {
    const visible = api.account().list();
    const pivot = visible[250]!.id;
    const back = (await call(api, 'GET', `/deployments?limit=10&before_id=${pivot}`)).json as Page;
    assertPageShape(back);
    assert.deepEqual(back.data.map((d) => d.id), visible.slice(240, 250).map((d) => d.id));
    assert.equal(back.has_more, true);
    const top = (await call(api, 'GET', `/deployments?limit=10&before_id=${visible[3]!.id}`)).json as Page;
    assert.deepEqual(top.data.map((d) => d.id), visible.slice(0, 3).map((d) => d.id));
    assert.equal(top.has_more, false);
    const empty = await call(api, 'GET', `/deployments?before_id=${visible[0]!.id}`);
    assert.deepEqual(empty.json, { data: [], first_id: null, has_more: false, last_id: null, next_page: null });
    const lastPage = (await call(api, 'GET', `/deployments?after_id=${visible[visible.length - 1]!.id}`)).json as Page;
    assert.deepEqual(lastPage, { data: [], first_id: null, has_more: false, last_id: null, next_page: null });
  });

  it('filters by status, agent_id and created_at[gte]/[lte] (encoded or raw brackets)', async () => {
    const all = api.account().all();
    const paused = await walk<Dep>(api, '/deployments?limit=100&status=paused');
    assert.deepEqual(paused.items.map((d) => d.id), all.filter((d) => d.status === 'paused' && d.archived_at === null).map((d) => d.id));
    assert.ok(paused.items.length > 50);
    const pausedAll = await walk<Dep>(api, '/deployments?limit=100&status=paused&include_archived=true');
    assert.ok(pausedAll.items.length > paused.items.length, 'archived paused deployments exist');
    assertError(await call(api, 'GET', '/deployments?status=archived'), 400, 'invalid_request_error', 'status');
    assertError(await call(api, 'GET', '/deployments?include_archived=yes'), 400, 'invalid_request_error', 'include_archived');

    const agentId = (all[0]!.agent as { id: string }).id;
    const byAgent = await walk<Dep>(api, `/deployments?limit=100&agent_id=${agentId}`);
    assert.ok(byAgent.items.length > 0);
    assert.ok(byAgent.items.every((d) => d.agent.id === agentId));
    assert.equal(byAgent.items.length, all.filter((d) => (d.agent as { id: string }).id === agentId && d.archived_at === null).length);

    const visible = api.account().list();
    const gte = visible[400]!.created_at as string;
    const lte = visible[100]!.created_at as string;
    const ranged = await walk<Dep>(api, `/deployments?limit=100&created_at%5Bgte%5D=${encodeURIComponent(gte)}&created_at%5Blte%5D=${encodeURIComponent(lte)}`);
    assert.deepEqual(ranged.items.map((d) => d.id), visible.slice(100, 401).map((d) => d.id));
    const raw = await walk<Dep>(api, `/deployments?limit=100&created_at[gte]=${gte}`);
    assert.equal(raw.items.length, 401);
    assertError(await call(api, 'GET', '/deployments?created_at%5Bgte%5D=yesterday'), 400, 'invalid_request_error', 'created_at[gte]');
    assertError(await call(api, 'GET', '/deployments?status=paused&page=nope'), 400, 'invalid_request_error', 'page');
  });

  it('emits deployments with the documented keys in alphabetical order', async () => {
    const p = (await call(api, 'GET', '/deployments?limit=100&include_archived=true')).json as Page;
    for (const d of p.data) {
      const keys = Object.keys(d);
      assert.deepEqual(keys, [...keys].sort());
      for (const k of ['agent', 'archived_at', 'created_at', 'description', 'environment_id', 'id', 'initial_events', 'metadata', 'name', 'paused_reason', 'resources', 'schedule', 'status', 'type', 'updated_at', 'vault_ids']) {
        assert.ok(k in d, `missing ${k}`);
      }
      assert.equal(d.type, 'deployment');
      assert.ok(['active', 'paused'].includes(d.status));
      assert.equal(d.paused_reason !== null, d.status === 'paused');
      assert.match(d.created_at, ISO_Z);
      assert.match(d.updated_at, ISO_Z);
      assert.ok(d.updated_at >= d.created_at);
      if (d.schedule) assert.deepEqual(Object.keys(d.schedule), [...Object.keys(d.schedule)].sort());
    }
  });
});

describe('local API: lifecycle with an injected clock', () => {
  const clk = clock(FIXED_NOW);
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ seed: 0, quiet: true, now: clk.now });
  });
  after(() => api.close());

  async function create(extra: Record<string, unknown> = {}): Promise<Dep> {
    const res = await call(api, 'POST', '/deployments', {
      body: {
        name: 'issue-triage-weekdays',
        agent: 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b',
        environment_id: 'env_019ec8d21f5a7b0c84e6d3f9a2b15c70',
        initial_events: [{ type: 'user.message', content: [{ type: 'text', text: 'Triage.' }] }],
        schedule: { type: 'cron', expression: '30 8 * * 1-5', timezone: 'Asia/Shanghai' },
        metadata: { team: 'platform' },
        ...extra,
      },
    });
    assert.equal(res.status, 200, res.text);
    return res.json as Dep;
  }

  it('computes upcoming_runs_at for "30 8 * * 1-5" Asia/Shanghai exactly', async () => {
    clk.set(FIXED_NOW);
    const d = await create();
    assert.equal(d.status, 'active');
    assert.equal(d.paused_reason, null);
    assert.equal(d.created_at, '2026-07-14T12:00:00Z');
    assert.equal(d.agent.version, 3, 'agent string resolves to the latest version');
    assert.deepEqual(d.schedule, {
      expression: '30 8 * * 1-5',
      timezone: 'Asia/Shanghai',
      type: 'cron',
      upcoming_runs_at: ['2026-07-15T00:30:00Z', '2026-07-16T00:30:00Z', '2026-07-17T00:30:00Z', '2026-07-20T00:30:00Z', '2026-07-21T00:30:00Z'],
    });
    assert.equal('last_run_at' in d.schedule!, false, 'omitted before the first run');
    // Stale upcoming times are recomputed on read.
    clk.set('2026-07-16T06:00:00Z');
    const later = (await call(api, 'GET', `/deployments/${d.id}`)).json as Dep;
    assert.deepEqual(later.schedule!.upcoming_runs_at, ['2026-07-17T00:30:00Z', '2026-07-20T00:30:00Z', '2026-07-21T00:30:00Z', '2026-07-22T00:30:00Z', '2026-07-23T00:30:00Z']);
    clk.set(FIXED_NOW);
  });

  it('follows wall-clock time across a DST change (America/New_York)', async () => {
    clk.set('2026-03-06T12:00:00Z');
    const d = await create({ name: 'dst-check', schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'America/New_York' } });
    assert.deepEqual(d.schedule!.upcoming_runs_at, ['2026-03-06T14:00:00Z', '2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z', '2026-03-10T13:00:00Z']);
    clk.set(FIXED_NOW);
  });

  it('validates create bodies', async () => {
    const base = { name: 'x', agent: 'agent_1', environment_id: 'env_1', initial_events: [{ type: 'user.message', content: 'hi' }] };
    const missing = assertError(await call(api, 'POST', '/deployments', { body: { ...base, name: undefined } }), 400, 'invalid_request_error', 'name');
    assert.equal(missing.error.message, 'Missing required field: name');
    assertError(await call(api, 'POST', '/deployments', { body: { ...base, name: '' } }), 400, 'invalid_request_error', 'name');
    assertError(await call(api, 'POST', '/deployments', { body: { ...base, initial_events: [] } }), 400, 'invalid_request_error', 'initial_events');
    assertError(await call(api, 'POST', '/deployments', { body: { ...base, schedule: { type: 'cron', expression: '0 0 * *', timezone: 'UTC' } } }), 400, 'invalid_request_error', 'schedule.expression');
    assertError(await call(api, 'POST', '/deployments', { body: { ...base, schedule: { type: 'cron', expression: '@daily', timezone: 'UTC' } } }), 400, 'invalid_request_error', 'schedule.expression');
    assertError(await call(api, 'POST', '/deployments', { body: { ...base, schedule: { type: 'cron', expression: '0 0 L * *', timezone: 'UTC' } } }), 400, 'invalid_request_error', 'schedule.expression');
    assertError(await call(api, 'POST', '/deployments', { body: { ...base, schedule: { type: 'cron', expression: '0 0 * * *', timezone: 'Mars/Olympus' } } }), 400, 'invalid_request_error', 'schedule.timezone');
    const manual = await call(api, 'POST', '/deployments', { body: base });
    assert.equal(manual.status, 200);
    const m = manual.json as Dep;
    assert.equal(m.schedule, null);
    assert.deepEqual([m.resources, m.vault_ids, m.metadata, m.environment_variables, m.description], [[], [], {}, '', '']);
  });

  it('archives: rename with unix seconds of now(), archived_at/updated_at, empty upcoming, status kept, hidden, 409 twice', async () => {
    clk.set(FIXED_NOW);
    const d = await create({ name: 'to-archive' });
    clk.set('2026-07-15T03:04:05Z');
    const res = await call(api, 'POST', `/deployments/${d.id}/archive`);
    assert.equal(res.status, 200);
    const a = res.json as Dep;
    const secs = Math.floor(Date.parse('2026-07-15T03:04:05Z') / 1000);
    assert.equal(a.name, `to-archive_archived_${secs}`);
    assert.equal(a.archived_at, '2026-07-15T03:04:05Z');
    assert.equal(a.updated_at, '2026-07-15T03:04:05Z');
    assert.equal(a.status, 'active');
    assert.equal(a.paused_reason, null);
    assert.deepEqual(a.schedule!.upcoming_runs_at, []);
    const listed = (await call(api, 'GET', '/deployments?limit=100')).json as Page;
    assert.ok(!listed.data.some((x) => x.id === d.id));
    const withArchived = (await call(api, 'GET', '/deployments?limit=100&include_archived=true')).json as Page;
    assert.ok(withArchived.data.some((x) => x.id === d.id));
    assert.equal(((await call(api, 'GET', `/deployments/${d.id}`)).json as Dep).archived_at, a.archived_at);
    const again = assertError(await call(api, 'POST', `/deployments/${d.id}/archive`), 409, 'conflict_error');
    assert.match(again.error.message, /already archived/);
    for (const action of ['pause', 'unpause', 'run']) assertError(await call(api, 'POST', `/deployments/${d.id}/${action}`), 409, 'conflict_error');
    assertError(await call(api, 'POST', `/deployments/${d.id}`, { body: { name: 'revive' } }), 409, 'conflict_error');
    // The original name can be reused.
    assert.equal((await create({ name: 'to-archive' })).name, 'to-archive');
    clk.set(FIXED_NOW);
  });

  it('pause / unpause / run follow the 409 rules; unpause recomputes upcoming from now', async () => {
    clk.set(FIXED_NOW);
    const d = await create({ name: 'lifecycle' });
    assertError(await call(api, 'POST', `/deployments/${d.id}/unpause`), 409, 'conflict_error');
    const p = (await call(api, 'POST', `/deployments/${d.id}/pause`)).json as Dep;
    assert.equal(p.status, 'paused');
    assert.deepEqual(p.paused_reason, { type: 'manual' });
    assert.equal(p.schedule!.upcoming_runs_at.length, 5, 'paused deployments still list upcoming runs');
    assertError(await call(api, 'POST', `/deployments/${d.id}/pause`), 409, 'conflict_error');
    assertError(await call(api, 'POST', `/deployments/${d.id}/run`), 409, 'conflict_error');
    clk.set('2026-07-22T01:00:00Z'); // a week later
    const u = (await call(api, 'POST', `/deployments/${d.id}/unpause`)).json as Dep;
    assert.equal(u.status, 'active');
    assert.equal(u.paused_reason, null);
    assert.equal(u.updated_at, '2026-07-22T01:00:00Z');
    assert.deepEqual(u.schedule!.upcoming_runs_at, ['2026-07-23T00:30:00Z', '2026-07-24T00:30:00Z', '2026-07-27T00:30:00Z', '2026-07-28T00:30:00Z', '2026-07-29T00:30:00Z']);
    const r = await call(api, 'POST', `/deployments/${d.id}/run`, { body: {} });
    assert.equal(r.status, 200);
    const run = r.json as Run;
    assert.match(run.id, /^drun_[0-9a-f]{32}$/);
    assert.equal(run.type, 'deployment_run');
    assert.equal(run.deployment_id, d.id);
    assert.deepEqual(run.trigger_context, { type: 'manual' });
    assert.equal(run.created_at, '2026-07-22T01:00:00Z');
    assert.ok((run.session_id === null) !== (run.error === null), 'session_id xor error');
    assert.deepEqual(Object.keys(run), ['agent', 'created_at', 'deployment_id', 'error', 'id', 'session_id', 'trigger_context', 'type']);
    const after = (await call(api, 'GET', `/deployments/${d.id}`)).json as Dep;
    assert.equal(after.schedule!.last_run_at, '2026-07-22T01:00:00Z');
    assert.deepEqual((await call(api, 'GET', `/deployments/${d.id}/runs/${run.id}`)).json, run);
    assert.deepEqual((await call(api, 'GET', `/deployment_runs/${run.id}`)).json, run);
    const runs = (await call(api, 'GET', `/deployments/${d.id}/runs`)).json as Page<Run>;
    assert.equal(runs.data[0]!.id, run.id);
    assertError(await call(api, 'POST', '/deployments/dep_0123456789abcdef0123456789abcdef/pause'), 404, 'not_found_error');
    assertError(await call(api, 'GET', `/deployments/${d.id}/runs/drun_0123456789abcdef0123456789abcdef`), 404, 'not_found_error');
    assertError(await call(api, 'GET', '/deployment_runs/drun_0123456789abcdef0123456789abcdef'), 404, 'not_found_error');
    clk.set(FIXED_NOW);
  });

  it('updates with merge-patch semantics', async () => {
    const d = await create({ name: 'to-update', description: 'old', metadata: { team: 'a', owner: 'b' } });
    clk.advance(60_000);
    const res = await call(api, 'POST', `/deployments/${d.id}`, { body: { description: null, metadata: { owner: null, tier: 'gold' }, schedule: { type: 'cron', expression: '0 * * * *', timezone: 'UTC' } } });
    assert.equal(res.status, 200, res.text);
    const u = res.json as Dep;
    assert.equal(u.name, 'to-update');
    assert.equal(u.description, '');
    assert.deepEqual(u.metadata, { team: 'a', tier: 'gold' });
    assert.equal(u.schedule!.upcoming_runs_at[0], '2026-07-14T13:00:00Z');
    assert.equal(u.updated_at, '2026-07-14T12:01:00Z');
    assertError(await call(api, 'POST', `/deployments/${d.id}`, { body: { name: '' } }), 400, 'invalid_request_error', 'name');
    assertError(await call(api, 'POST', `/deployments/${d.id}`, { body: { schedule: { type: 'cron', expression: '99 * * * *', timezone: 'UTC' } } }), 400, 'invalid_request_error');
    clk.set(FIXED_NOW);
  });

  it('replays Idempotency-Key requests and rejects reuse with another body', async () => {
    const body = { name: 'idem', agent: 'agent_1', environment_id: 'env_1', initial_events: [{ type: 'user.message', content: 'x' }] };
    const a = await call(api, 'POST', '/deployments', { body, headers: { 'idempotency-key': 'k-1' } });
    const b = await call(api, 'POST', '/deployments', { body, headers: { 'idempotency-key': 'k-1' } });
    assert.equal(a.status, 200);
    assert.deepEqual(b.json, a.json);
    assertError(await call(api, 'POST', '/deployments', { body: { ...body, name: 'other' }, headers: { 'idempotency-key': 'k-1' } }), 409, 'conflict_error');
    assert.equal(api.account().all().filter((d) => d.name === 'idem').length, 1);
  });

  it('keeps an Idempotency-Key 24 hours, then the same key makes a new deployment', async () => {
    const body = { name: 'idem-24h', agent: 'agent_1', environment_id: 'env_1', initial_events: [{ type: 'user.message', content: 'x' }] };
    const a = await call(api, 'POST', '/deployments', { body, headers: { 'idempotency-key': 'k-24h' } });
    clk.advance(24 * 3600_000 - 1000);
    assert.deepEqual((await call(api, 'POST', '/deployments', { body, headers: { 'idempotency-key': 'k-24h' } })).json, a.json, 'replayed within 24 h');
    clk.advance(1000);
    const c = await call(api, 'POST', '/deployments', { body, headers: { 'idempotency-key': 'k-24h' } });
    assert.notEqual((c.json as { id: string }).id, (a.json as { id: string }).id, 'a new deployment after 24 h');
    clk.set(FIXED_NOW);
  });

  it('stores metadata keys named like Object.prototype members as data', async () => {
    const d = api.account().add({ name: 'meta-keys' });
    const u = await call(api, 'POST', `/deployments/${d.id as string}`, { rawBody: '{"metadata":{"__proto__":"p","constructor":"c"}}' });
    assert.equal(u.status, 200);
    assert.match(u.text, /"__proto__":"p"/);
    const v = await call(api, 'POST', `/deployments/${d.id as string}`, { body: { metadata: { constructor: null } } });
    assert.doesNotMatch(v.text, /"constructor"/);
    assert.match(v.text, /"__proto__":"p"/);
  });
});

describe('local API: runs', () => {
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ seed: 300, quiet: true, now: clock(FIXED_NOW).now });
  });
  after(() => api.close());

  it('pages a deployment’s runs newest first, each exactly once', async () => {
    const store = api.account();
    const dep = store.all().map((d) => ({ d, n: store.runs(d.id as string).length })).sort((a, b) => b.n - a.n)[0]!;
    assert.ok(dep.n >= 10, `busiest deployment has ${dep.n} runs`);
    assert.ok(dep.n <= 30);
    const { items, pages } = await walk<Run>(api, `/deployments/${dep.d.id}/runs?limit=3`);
    assert.equal(items.length, dep.n);
    assert.equal(pages, Math.ceil(dep.n / 3));
    assert.equal(new Set(items.map((r) => r.id)).size, dep.n);
    assert.ok(isSortedDesc(items.map((r) => r.id)));
    assert.ok(isSortedDesc(items.map((r) => r.created_at)));
    assert.ok(items.every((r) => r.deployment_id === dep.d.id));
    const byAfter = await walk<Run>(api, `/deployments/${dep.d.id}/runs?limit=4`, 'after_id');
    assert.deepEqual(byAfter.items.map((r) => r.id), items.map((r) => r.id));
    const mid = items[5]!.id;
    const back = (await call(api, 'GET', `/deployments/${dep.d.id}/runs?limit=2&before_id=${mid}`)).json as Page<Run>;
    assert.deepEqual(back.data.map((r) => r.id), [items[3]!.id, items[4]!.id]);
    assertError(await call(api, 'GET', `/deployments/${dep.d.id}/runs?page=drun_0123456789abcdef0123456789abcdef`), 400, 'invalid_request_error', 'page');
    assertError(await call(api, 'GET', '/deployments/dep_0123456789abcdef0123456789abcdef/runs'), 404, 'not_found_error');
    const windowed = (await call(api, 'GET', `/deployments/${dep.d.id}/runs?limit=100&triggered_before=${encodeURIComponent(items[2]!.created_at)}`)).json as Page<Run>;
    assert.ok(windowed.data.every((r) => r.created_at < items[2]!.created_at));
  });

  it('lists all runs with filters; unknown deployment_id gives an empty page', async () => {
    const all = await walk<Run>(api, '/deployment_runs?limit=100');
    assert.ok(all.items.length > 1000);
    assert.equal(new Set(all.items.map((r) => r.id)).size, all.items.length);
    assert.ok(isSortedDesc(all.items.map((r) => r.id)));
    const manual = await walk<Run>(api, '/deployment_runs?limit=100&trigger_type=manual');
    assert.ok(manual.items.length > 0 && manual.items.every((r) => r.trigger_context.type === 'manual'));
    const failed = await walk<Run>(api, '/deployment_runs?limit=100&has_error=true');
    assert.ok(failed.items.length > 0 && failed.items.every((r) => r.error !== null && r.session_id === null));
    const ok = await walk<Run>(api, '/deployment_runs?limit=100&has_error=false');
    assert.equal(failed.items.length + ok.items.length, all.items.length);
    const one = all.items[17]!;
    const scoped = await walk<Run>(api, `/deployment_runs?limit=100&deployment_id=${one.deployment_id}`);
    assert.ok(scoped.items.some((r) => r.id === one.id));
    assert.deepEqual((await call(api, 'GET', `/deployment_runs/${one.id}`)).json, one);
    const none = (await call(api, 'GET', '/deployment_runs?deployment_id=dep_0123456789abcdef0123456789abcdef')).json;
    assert.deepEqual(none, { data: [], first_id: null, has_more: false, last_id: null, next_page: null });
    assertError(await call(api, 'GET', '/deployment_runs?trigger_type=cron'), 400, 'invalid_request_error', 'trigger_type');
  });
});

describe('local API: shapes', () => {
  const isOld = (d: Dep): boolean => !('environment_variables' in d) || d.metadata.cas_config !== undefined;
  const oldRun = (r: Record<string, unknown>): boolean => ['status', 'triggered_at', 'completed_at', 'duration_ms', 'cas_run_extras'].some((k) => k in r);

  it('serves only the current shapes by default: every deployment has environment_variables, no run has an old field', async () => {
    const api = await startLocalApi({ seed: 300, quiet: true, now: clock(FIXED_NOW).now });
    try {
      const all = (await call(api, 'GET', '/__local/deployments', { token: null })).json as Dep[];
      assert.equal(all.filter(isOld).length, 0);
      const runs = all.flatMap((d) => api.account().runs(d.id as string));
      assert.ok(runs.length > 100);
      assert.equal(runs.filter(oldRun).length, 0);
    } finally {
      await api.close();
    }
  });

  it('legacyShapes (CLI --legacy-shapes) brings the old deployment and run shapes back', async () => {
    const api = await startLocalApi({ seed: 300, quiet: true, now: clock(FIXED_NOW).now, legacyShapes: true });
    try {
      const all = (await call(api, 'GET', '/__local/deployments', { token: null })).json as Dep[];
      const old = all.filter(isOld);
      assert.ok(old.length > 0);
      assert.ok(old.flatMap((d) => api.account().runs(d.id as string)).some(oldRun));
    } finally {
      await api.close();
    }
  });
});

describe('local API: seed data (with the old shapes)', () => {
  const now = Date.parse(FIXED_NOW);
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ seed: 1000, quiet: true, now: clock(FIXED_NOW).now, legacyShapes: true });
  });
  after(() => api.close());

  it('is deterministic for the same seed and clock, different per account', async () => {
    const twin = await startLocalApi({ seed: 1000, quiet: true, now: clock(FIXED_NOW).now, accounts: [{ token: 'pt-b', seed: 1000 }], legacyShapes: true });
    try {
      const a = (await call(api, 'GET', '/__local/deployments', { token: null })).text;
      const b = (await call(twin, 'GET', '/__local/deployments', { token: null })).text;
      assert.equal(a, b);
      const d = api.account().all()[123]!.id as string;
      assert.deepEqual(api.account().runs(d), twin.account().runs(d));
      const other = (await call(twin, 'GET', '/__local/deployments?token=pt-b', { token: null })).json as Dep[];
      assert.equal(other.length, 1000);
      assert.notEqual(other[0]!.id, (JSON.parse(a) as Dep[])[0]!.id);
    } finally {
      await twin.close();
    }
  });

  it('has a realistic mix of states', () => {
    const all = api.account().all() as unknown as Dep[];
    const count = (f: (d: Dep) => boolean): number => all.filter(f).length / all.length;
    const archived = count((d) => d.archived_at !== null);
    const manualOnly = count((d) => d.archived_at === null && d.schedule === null);
    const pausedManual = count((d) => d.archived_at === null && d.paused_reason?.type === 'manual');
    const pausedError = count((d) => d.archived_at === null && d.paused_reason?.type === 'error');
    const active = count((d) => d.archived_at === null && d.status === 'active' && d.schedule !== null);
    const failing = count((d) => ((d.metadata.cas_config as { stats?: { consecutive_failures: number } } | undefined)?.stats?.consecutive_failures ?? 0) > 0);
    const inRange = (v: number, lo: number, hi: number, what: string): void => assert.ok(v >= lo && v <= hi, `${what} = ${v}`);
    inRange(active, 0.45, 0.65, 'active');
    inRange(manualOnly, 0.08, 0.2, 'manual-only');
    inRange(pausedManual, 0.08, 0.16, 'paused manual');
    inRange(pausedError, 0.05, 0.11, 'paused on error');
    inRange(archived, 0.05, 0.11, 'archived');
    inRange(failing, 0.06, 0.14, 'consecutive failures');
    assert.ok(all.some((d) => /[\u4e00-\u9fff]/.test(d.name)), 'some Chinese names');
    assert.ok(new Set(all.map((d) => d.schedule?.timezone)).size >= 6, 'several time zones');
    const live = all.filter((d) => d.archived_at === null).map((d) => d.name);
    assert.equal(new Set(live).size, live.length, 'live names are unique');
  });

  it('keeps archived, paused-on-error and legacy deployments consistent', () => {
    const store = api.account();
    const all = store.all() as unknown as Dep[];
    for (const d of all.filter((x) => x.archived_at !== null)) {
      const m = /_archived_(\d+)$/.exec(d.name);
      assert.ok(m, d.name);
      assert.equal(Number(m[1]), Math.floor(Date.parse(d.archived_at!) / 1000));
      assert.equal(d.updated_at, d.archived_at);
      if (d.schedule) assert.deepEqual(d.schedule.upcoming_runs_at, []);
      for (const r of store.runs(d.id) as unknown as Run[]) assert.ok(r.created_at <= d.archived_at!);
    }
    const reasons = new Set(['environment_archived_error', 'agent_archived_error', 'environment_not_found_error', 'vault_not_found_error', 'file_not_found_error', 'session_resource_not_found_error', 'workspace_archived_error', 'organization_disabled_error', 'memory_store_archived_error', 'skill_not_found_error', 'vault_archived_error', 'unknown_error', 'self_hosted_resources_unsupported_error', 'mcp_egress_blocked_error']);
    for (const d of all.filter((x) => x.paused_reason?.type === 'error')) {
      assert.ok(reasons.has(d.paused_reason!.error!.type));
      const runs = store.runs(d.id) as unknown as Run[];
      assert.ok(runs.length > 0);
      assert.equal(runs[0]!.error?.type, d.paused_reason!.error!.type, 'the newest run failed with the pause reason');
      assert.equal(runs[0]!.trigger_context.type, 'schedule');
    }
    let legacy = 0;
    for (const d of all.filter((x) => x.metadata.cas_config !== undefined)) {
      legacy++;
      const stats = (d.metadata.cas_config as { stats: { consecutive_failures: number; total_runs: number; total_failures: number } }).stats;
      assert.equal('environment_variables' in d, false, '[old] shape');
      const runs = store.runs(d.id) as unknown as Run[];
      assert.equal(runs.length, stats.total_runs);
      assert.equal(runs.filter((r) => r.status === 'failed').length, stats.total_failures);
      const sched = runs.filter((r) => r.trigger_context.type === 'schedule');
      for (let i = 0; i < stats.consecutive_failures; i++) assert.equal(sched[i]!.status, 'failed');
      if (sched.length > stats.consecutive_failures) assert.equal(sched[stats.consecutive_failures]!.status, 'completed');
      for (const r of runs) assert.ok(['completed', 'failed'].includes(r.status!) && 'triggered_at' in r && 'cas_run_extras' in r);
    }
    assert.ok(legacy > 50);
  });

  it('computes upcoming runs with cron-parser and a last_run_at that matches the schedule and history', () => {
    const store = api.account();
    let checked = 0;
    for (const d of store.all() as unknown as Dep[]) {
      if (!d.schedule || d.archived_at !== null) continue;
      const s = d.schedule;
      const expected = CronExpressionParser.parse(s.expression, { tz: s.timezone, currentDate: new Date(now) })
        .take(5)
        .map((x) => new Date(x.getTime()).toISOString().replace('.000Z', 'Z'));
      assert.deepEqual(s.upcoming_runs_at, expected, `${s.expression} ${s.timezone}`);
      assert.ok(s.upcoming_runs_at.every((t) => ISO_Z.test(t) && Date.parse(t) > now));
      const runs = store.runs(d.id) as unknown as Run[];
      if (s.last_run_at !== undefined) {
        assert.ok(s.last_run_at < FIXED_NOW && s.last_run_at > d.created_at);
        assert.equal(runs[0]!.created_at.slice(0, 19) + 'Z', s.last_run_at, 'newest run started at last_run_at');
        const fired = runs[0]!.trigger_context.scheduled_at!;
        const prevFire = CronExpressionParser.parse(s.expression, { tz: s.timezone, currentDate: new Date(Date.parse(fired) + 1000) }).prev();
        assert.equal(prevFire.getTime(), Date.parse(fired), 'scheduled_at is a real fire time');
      } else {
        assert.equal(runs.filter((r) => r.trigger_context.type === 'schedule').length, 0);
      }
      for (const r of runs) assert.ok(r.created_at >= d.created_at && r.created_at < FIXED_NOW);
      if (++checked >= 150) break;
    }
    assert.equal(checked, 150);
  });

  it('the seed’s own past-fire evaluator agrees with cron-parser', () => {
    const combos = new Set<string>();
    for (const d of api.account().all() as unknown as Dep[]) if (d.schedule) combos.add(`${d.schedule.expression}|${d.schedule.timezone}`);
    combos.add('0 2 * * *|America/New_York').add('30 1 * * 0|Europe/Berlin').add('0 9 1,15 * 1|UTC');
    for (const c of combos) {
      const [expr, tz] = c.split('|') as [string, string];
      const it = CronExpressionParser.parse(expr, { tz, currentDate: new Date(now + 1) });
      const ref = Array.from({ length: 4 }, () => it.prev().getTime());
      assert.deepEqual(pastFires(expr, tz, now, 4), ref, c);
    }
  });
});
