// Contract tests of the local Deployments API: fault injection, search (beta), control
// routes, the CLI and shutdown with hung requests.

import { until } from '../../unit/harness';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startLocalApi, type LocalApi } from '../server';
import { assertError, assertPageShape, call, clock, FIXED_NOW, TOKEN, type Dep, type Page } from '../test-helpers';

describe('local API: fault injection', () => {
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ seed: 350, quiet: true, now: clock(FIXED_NOW).now });
  });
  after(() => api.close());
  beforeEach(() => {
    api.clearFaults();
    api.resetRequests();
  });

  it('status: answers the envelope with the error type matching the status', async () => {
    const cases: [number, string][] = [[400, 'invalid_request_error'], [401, 'authentication_error'], [403, 'permission_error'], [404, 'not_found_error'], [409, 'conflict_error'], [500, 'api_error'], [503, 'api_error'], [418, 'api_error']];
    for (const [status, type] of cases) {
      api.injectFault({ route: 'GET /deployments', kind: 'status', status });
      const env = assertError(await call(api, 'GET', '/deployments', { headers: { 'x-request-id': `f-${status}` } }), status, type);
      assert.equal(env.request_id, `f-${status}`);
      assert.equal((await call(api, 'GET', '/deployments')).status, 200, 'fires once by default');
    }
    api.injectFault({ route: 'GET /deployments', kind: 'status', status: 500, errorType: 'overloaded_error', message: 'Busy.' });
    const env = assertError(await call(api, 'GET', '/deployments'), 500, 'overloaded_error');
    assert.equal(env.error.message, 'Busy.');
  });

  it('rate_limit: 429 with Retry-After and an empty body', async () => {
    api.injectFault({ route: '*', kind: 'rate_limit', retryAfter: 7 });
    const res = await call(api, 'GET', '/deployments');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.text, '');
    assert.equal(api.requests[0]!.fault, 'rate_limit');
  });

  it('html: a gateway page with text/html (default 502)', async () => {
    api.injectFault({ route: 'GET /deployments/:id', kind: 'html' });
    api.injectFault({ route: 'GET /deployments/:id', kind: 'html', status: 504 });
    const id = api.account().list()[0]!.id as string;
    for (const status of [502, 504]) {
      const res = await call(api, 'GET', `/deployments/${id}`);
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(res.text, /<html>/);
      assert.equal(res.json, undefined);
    }
    assert.equal((await call(api, 'GET', `/deployments/${id}`)).status, 200);
  });

  it('delay: waits, then answers normally', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'delay', delayMs: 300 });
    const t = Date.now();
    const res = await call(api, 'GET', '/deployments?limit=3');
    assert.ok(Date.now() - t >= 290, `took ${Date.now() - t} ms`);
    assert.equal(res.status, 200);
    assert.equal((res.json as Page).data.length, 3);
  });

  it('reset: destroys the connection without an answer', async () => {
    api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'reset' });
    const id = api.account().list()[0]!.id as string;
    await assert.rejects(call(api, 'POST', `/deployments/${id}/archive`));
    assert.equal(api.account().get(id)!.archived_at, null, 'a reset request was not processed');
    assert.equal(api.requests.at(-1)!.status, 0);
  });

  it('truncated: a 200 whose JSON is cut half-way', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'truncated' });
    const res = await call(api, 'GET', '/deployments?limit=10');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.ok(res.text.startsWith('{"data":[{'));
    assert.throws(() => JSON.parse(res.text));
  });

  it('wrong_shape: a 200 with well-formed JSON of the wrong shape', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'wrong_shape' });
    api.injectFault({ route: 'GET /deployments/:id', kind: 'wrong_shape' });
    api.injectFault({ route: 'GET /deployments', kind: 'wrong_shape', body: { data: 'nope', has_more: 'yes' } });
    assert.deepEqual((await call(api, 'GET', '/deployments')).json, { items: 'nope' });
    const id = api.account().list()[0]!.id as string;
    const one = await call(api, 'GET', `/deployments/${id}`);
    assert.equal(one.status, 200);
    assert.ok(Array.isArray(one.json));
    assert.deepEqual((await call(api, 'GET', '/deployments')).json, { data: 'nope', has_more: 'yes' });
  });

  it('skip + query: makes page 3 of a walk fail, and only that page', async () => {
    api.injectFault({ route: 'GET /deployments', kind: 'status', status: 503, skip: 1, query: { page: '*' } });
    const first = (await call(api, 'GET', '/deployments?limit=100')).json as Page;
    const second = (await call(api, 'GET', `/deployments?limit=100&page=${first.next_page}`)).json as Page;
    const third = await call(api, 'GET', `/deployments?limit=100&page=${second.next_page}`);
    assertError(third, 503, 'api_error');
    const retry = await call(api, 'GET', `/deployments?limit=100&page=${second.next_page}`);
    assert.equal(retry.status, 200);
    assert.deepEqual(api.requests.map((r) => r.status), [200, 200, 503, 200]);
    assert.equal(api.requests[2]!.fault, 'status');
  });

  it('times: -1 fires on every matching request; faults are consumed in order', async () => {
    api.injectFault({ route: 'GET /deployments/:id/runs', kind: 'status', status: 500, times: 2 });
    api.injectFault({ route: 'GET /deployments/:id/runs', kind: 'rate_limit', times: -1 });
    const id = api.account().list()[0]!.id as string;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(api, 'GET', `/deployments/${id}/runs`)).status);
    assert.deepEqual(statuses, [500, 500, 429, 429, 429]);
    assert.equal((await call(api, 'GET', '/deployments')).status, 200, 'other routes unaffected');
    api.clearFaults();
    assert.equal((await call(api, 'GET', `/deployments/${id}/runs`)).status, 200);
  });

  it('control routes: POST/GET/DELETE /__local/faults, requests, reset, deployments', async () => {
    const add = await call(api, 'POST', '/__local/faults', { token: null, body: [{ route: 'GET /deployments', kind: 'status', status: 500 }, { route: 'GET /deployments', kind: 'html' }] });
    assert.equal(add.status, 200);
    assert.equal(((await call(api, 'GET', '/__local/faults', { token: null })).json as { faults: unknown[] }).faults.length, 2);
    assert.equal((await call(api, 'GET', '/deployments')).status, 500);
    assert.equal((await call(api, 'DELETE', '/__local/faults', { token: null })).status, 200);
    assert.equal((await call(api, 'GET', '/deployments')).status, 200);
    assertError(await call(api, 'POST', '/__local/faults', { token: null, body: { route: 'GET /deployments', kind: 'explode' } }), 400, 'invalid_request_error');
    const reqs = (await call(api, 'GET', '/__local/requests', { token: null })).json as { status: number; fault: string | null }[];
    assert.deepEqual(reqs.map((r) => [r.status, r.fault]), [[500, 'status'], [200, null]]);
    await call(api, 'DELETE', '/__local/requests', { token: null });
    assert.equal(api.requests.length, 0);
    const reset = await call(api, 'POST', '/__local/reset', { token: null, body: { seed: 12 } });
    assert.equal(reset.status, 200);
    const all = (await call(api, 'GET', '/__local/deployments', { token: null })).json as Dep[];
    assert.equal(all.length, 12);
    assert.equal(api.account().size, 12);
    await call(api, 'POST', '/__local/reset', { token: null, body: { seed: 350 } });
  });
});

describe('local API: search (beta)', () => {
  const BETA = { 'x-qoder-beta': 'search-2026-08-31' };
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ seed: 400, quiet: true, now: clock(FIXED_NOW).now });
  });
  after(() => api.close());

  it('requires the x-qoder-beta header', async () => {
    assertError(await call(api, 'POST', '/deployments/search', { body: {} }), 400, 'invalid_request_error');
    assertError(await call(api, 'POST', '/deployments/search', { body: {}, headers: { 'x-qoder-beta': 'search-2025-01-01' } }), 400, 'invalid_request_error');
    const ok = await call(api, 'POST', '/deployments/search', { body: {}, headers: { 'x-qoder-beta': 'other-beta, search-2026-08-31' } });
    assert.equal(ok.status, 200);
  });

  it('returns total on the first page and null on page-fetched pages', async () => {
    const visible = api.account().list();
    const first = (await call(api, 'POST', '/deployments/search', { body: { limit: 100 }, headers: BETA })).json as Page;
    assertPageShape(first);
    assert.equal(first.total, visible.length);
    assert.deepEqual(Object.keys(first), ['data', 'first_id', 'has_more', 'last_id', 'next_page', 'total']);
    const ids = first.data.map((d) => d.id);
    let next = first.next_page;
    while (next) {
      const p = (await call(api, 'POST', '/deployments/search', { body: { limit: 100, page: next }, headers: BETA })).json as Page;
      assert.equal(p.total, null);
      ids.push(...p.data.map((d) => d.id));
      next = p.next_page;
    }
    assert.deepEqual(ids, visible.map((d) => d.id));
    assertError(await call(api, 'POST', '/deployments/search', { body: { page: 'nope' }, headers: BETA }), 400, 'invalid_request_error', 'page');
    assertError(await call(api, 'POST', '/deployments/search', { body: { limit: 0 }, headers: BETA }), 400, 'invalid_request_error', 'limit');
  });

  it('filters by name (case-insensitive substring), metadata, status, include_archived; ignores the query string', async () => {
    const all = api.account().all() as unknown as Dep[];
    const byName = (await call(api, 'POST', '/deployments/search', { body: { name: 'TRIAGE', limit: 100 }, headers: BETA })).json as Page;
    const expectedName = all.filter((d) => d.archived_at === null && d.name.toLowerCase().includes('triage'));
    assert.equal(byName.total, expectedName.length);
    assert.ok(expectedName.length > 0);
    assert.ok(byName.data.every((d) => d.name.toLowerCase().includes('triage')));

    const team = all.find((d) => typeof d.metadata.team === 'string')!.metadata.team as string;
    const byMeta = (await call(api, 'POST', '/deployments/search', { body: { metadata: { team }, include_archived: true, limit: 100 }, headers: BETA })).json as Page;
    assert.equal(byMeta.total, all.filter((d) => d.metadata.team === team).length);
    const none = (await call(api, 'POST', '/deployments/search', { body: { metadata: { team, owner: 'nobody-at-all' } }, headers: BETA })).json as Page;
    assert.deepEqual([none.total, none.data.length, none.first_id], [0, 0, null]);

    const paused = (await call(api, 'POST', '/deployments/search?status=active', { body: { status: 'paused', limit: 100 }, headers: BETA })).json as Page;
    assert.ok(paused.data.length > 0 && paused.data.every((d) => d.status === 'paused' && d.archived_at === null));
    const archived = (await call(api, 'POST', '/deployments/search', { body: { name: '_archived_', include_archived: true, limit: 100 }, headers: BETA })).json as Page;
    assert.equal(archived.total, all.filter((d) => d.archived_at !== null).length);
    assertError(await call(api, 'POST', '/deployments/search', { body: { status: 'gone' }, headers: BETA }), 400, 'invalid_request_error', 'status');
  });
});

describe('local API: shutdown and CLI', () => {
  it('close() resolves with a hung request pending and destroys its socket', async () => {
    const api = await startLocalApi({ seed: 5, quiet: true });
    api.injectFault({ route: 'GET /deployments', kind: 'delay', delayMs: 1e12 });
    const pending = call(api, 'GET', '/deployments');
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await until(() => api.requests.length === 1, 'the request to arrive');
    assert.equal(api.requests[0]!.status, 0);
    // close() resolving at all proves it did not wait for the hung request (its delay never ends).
    await api.close();
    assert.equal(await outcome, 'failed');
    await assert.rejects(fetch(`${api.baseUrl}/deployments`, { headers: { authorization: `Bearer ${TOKEN}` } }));
  });

  it('the CLI prints exactly one ready line, serves, and exits 0 on SIGTERM', async () => {
    const cli = path.join(__dirname, '..', 'cli.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--token', 'pt-cli', '--seed', '25', '--legacy-shapes', '--fault', '{"route":"GET /deployments/:id","kind":"status","status":503}'], {
      cwd: path.join(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = once(child, 'exit');
    try {
      const deadline = Date.now() + 30_000;
      while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const m = /^Qoder local API listening on (http:\/\/127\.0\.0\.1:(\d+)\/api\/v1\/cloud)\n$/.exec(stdout);
      assert.ok(m, `ready line: ${JSON.stringify(stdout)} stderr: ${stderr}`);
      assert.notEqual(m[2], '0');
      const base = m[1]!;
      const list = await fetch(`${base}/deployments?limit=100&include_archived=true`, { headers: { authorization: 'Bearer pt-cli' } });
      assert.equal(list.status, 200);
      const page = (await list.json()) as Page;
      assert.equal(page.data.length, 25);
      assert.ok(page.data.some((d) => !('environment_variables' in d)), '--legacy-shapes serves deployments in the old shape');
      const faulted = await fetch(`${base}/deployments/${page.data[0]!.id}`, { headers: { authorization: 'Bearer pt-cli' } });
      assert.equal(faulted.status, 503, '--fault is applied');
      assert.equal((await fetch(`${base}/deployments`, { headers: { authorization: 'Bearer pt-local-demo' } })).status, 401);
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
      assert.equal(stdout.split('\n').filter(Boolean).length, 1, 'nothing else on stdout');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
