import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { QoderApiError, QoderError, backoffMs, parseRetryAfterMs, type RequestLogEntry } from '../../src/api';
import {
  BASE,
  DEP_ID,
  RUN_ID,
  TOKEN,
  fixture,
  fixtureNames,
  fixtureText,
  json,
  makeClient,
  rejection,
  response,
  type Call,
} from './client-fakes';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DEPLOYMENT = fixture('deployment-active.json');
const RUN = fixture('run-manual.json');

function apiError(e: unknown): QoderApiError {
  assert.ok(e instanceof QoderApiError, `expected QoderApiError, got ${String(e)}`);
  return e;
}

function kind(e: unknown, k: QoderError['kind']): QoderError {
  assert.ok(e instanceof QoderError, `expected QoderError, got ${String(e)}`);
  assert.equal(e.kind, k, e.message);
  return e;
}

describe('requests', () => {
  test('GET carries auth, fresh request id, accept, user agent; no body', async () => {
    const prev = process.env.QODER_EXTENSION_VERSION;
    process.env.QODER_EXTENSION_VERSION = '1.2.3';
    try {
      const { client, calls } = makeClient([json(DEPLOYMENT)]);
      const d = await client.getDeployment(DEP_ID);
      assert.equal(d.id, DEP_ID);
      assert.equal(calls.length, 1);
      const c = calls[0]!;
      assert.equal(c.url, `${BASE}/deployments/${DEP_ID}`);
      assert.equal(c.init.method, 'GET');
      assert.equal(c.init.redirect, 'manual');
      assert.equal(c.init.body, undefined);
      assert.equal(c.init.headers.Authorization, `Bearer ${TOKEN}`);
      assert.equal(c.init.headers.Accept, 'application/json');
      assert.equal(c.init.headers['User-Agent'], 'qoder-deployments-vscode/1.2.3');
      assert.match(c.init.headers['x-request-id'] ?? '', UUID_RE);
      assert.equal(c.init.headers['Content-Type'], undefined);
      assert.ok(c.init.signal instanceof AbortSignal);
    } finally {
      if (prev === undefined) delete process.env.QODER_EXTENSION_VERSION;
      else process.env.QODER_EXTENSION_VERSION = prev;
    }
  });

  test('user agent defaults to version 0.0.0 and can be overridden', async () => {
    const prev = process.env.QODER_EXTENSION_VERSION;
    delete process.env.QODER_EXTENSION_VERSION;
    try {
      const a = makeClient([json(DEPLOYMENT)]);
      await a.client.getDeployment(DEP_ID);
      assert.equal(a.calls[0]?.init.headers['User-Agent'], 'qoder-deployments-vscode/0.0.0');
      const b = makeClient([json(DEPLOYMENT)], { userAgent: 'custom/9' });
      await b.client.getDeployment(DEP_ID);
      assert.equal(b.calls[0]?.init.headers['User-Agent'], 'custom/9');
    } finally {
      if (prev !== undefined) process.env.QODER_EXTENSION_VERSION = prev;
    }
  });

  test('every endpoint: method, path, JSON body on POST', async () => {
    const { client, calls } = makeClient([
      json(DEPLOYMENT),
      json(DEPLOYMENT),
      json(DEPLOYMENT),
      json(RUN),
      json(RUN),
      json(fixture('runs-list-page.json')),
    ]);
    await client.archiveDeployment(DEP_ID);
    await client.pauseDeployment(DEP_ID);
    await client.resumeDeployment(DEP_ID);
    const run = await client.runDeployment(DEP_ID);
    assert.equal(run.id, RUN_ID);
    const got = await client.getRun(DEP_ID, RUN_ID);
    assert.equal(got.id, RUN_ID);
    const page = await client.listRunsPage(DEP_ID, { page: 'drun_cursor1', triggered_after: '2026-07-01T00:00:00Z' });
    assert.equal(page.data.length, 2);
    const seen = calls.map((c: Call) => `${c.init.method} ${c.parsed.pathname}`);
    assert.deepEqual(seen, [
      `POST /api/v1/cloud/deployments/${DEP_ID}/archive`,
      `POST /api/v1/cloud/deployments/${DEP_ID}/pause`,
      `POST /api/v1/cloud/deployments/${DEP_ID}/unpause`,
      `POST /api/v1/cloud/deployments/${DEP_ID}/run`,
      `GET /api/v1/cloud/deployments/${DEP_ID}/runs/${RUN_ID}`,
      `GET /api/v1/cloud/deployments/${DEP_ID}/runs`,
    ]);
    for (const c of calls.slice(0, 4)) {
      assert.equal(c.init.body, '{}');
      assert.equal(c.init.headers['Content-Type'], 'application/json');
    }
    const q = calls[5]!.parsed.searchParams;
    assert.equal(q.get('page'), 'drun_cursor1');
    assert.equal(q.get('limit'), '20');
    assert.equal(q.get('triggered_after'), '2026-07-01T00:00:00Z');
    const ids = calls.map((c) => c.init.headers['x-request-id']);
    assert.equal(new Set(ids).size, ids.length, 'x-request-id must be fresh per request');
  });
});

describe('error envelopes', () => {
  const errorFixtures = fixtureNames().filter((n) => n.startsWith('error-'));

  test('there are error fixtures to check', () => {
    assert.ok(errorFixtures.length >= 10);
  });

  for (const name of errorFixtures) {
    test(`${name} → QoderApiError with status, type, param, requestId`, async () => {
      const status = Number(/^error-(\d{3})/.exec(name)?.[1]);
      const body = fixture(name) as { request_id?: string; error: { type: string; message: string; param?: string } };
      const { client, calls } = makeClient([response({ status, body: fixtureText(name), headers: { 'x-request-id': 'hdr-id' } })], {
        retries: 0,
      });
      const e = apiError(await rejection(client.getDeployment(DEP_ID)));
      assert.equal(calls.length, 1);
      assert.equal(e.kind, 'api');
      assert.equal(e.status, status);
      assert.equal(e.type, body.error.type);
      assert.equal(e.param, body.error.param);
      assert.equal(e.requestId, body.request_id ?? 'hdr-id');
      assert.ok(e.message.startsWith(body.error.message), e.message);
      assert.equal(e.operation, `GET /deployments/${DEP_ID}`);
      assert.equal(e.retryAfterSeconds, undefined);
    });
  }

  test('501 [cli] envelope names the feature', async () => {
    const { client } = makeClient([response({ status: 501, body: fixtureText('error-501-legacy.json') })]);
    const e = apiError(await rejection(client.getDeployment(DEP_ID)));
    assert.match(e.message, /feature: deployments_budget, available from deployments-2026-06-01/);
  });

  test('requestId falls back to request-id header, then to the id we sent', async () => {
    const legacy = { type: 'error', error: { type: 'not_found_error', message: 'gone' } };
    const a = makeClient([json(legacy, 404, { 'request-id': 'other-hdr' })]);
    assert.equal(apiError(await rejection(a.client.getDeployment(DEP_ID))).requestId, 'other-hdr');
    const b = makeClient([json(legacy, 404)]);
    const e = apiError(await rejection(b.client.getDeployment(DEP_ID)));
    assert.equal(e.requestId, b.calls[0]?.init.headers['x-request-id']);
  });
});

describe('non-envelope error bodies', () => {
  test('HTML 502 page → http_502 with a stripped, collapsed excerpt', async () => {
    const html = `<html>\n<head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\n<body>\n<center><h1>502   Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body></html>`;
    const { client } = makeClient([response({ status: 502, body: html })], { retries: 0 });
    const e = apiError(await rejection(client.listAllDeployments()));
    assert.equal(e.status, 502);
    assert.equal(e.type, 'http_502');
    assert.equal(e.message, 'HTTP 502 Bad Gateway from GET /deployments: 502 Bad Gateway 502 Bad Gateway nginx');
    assert.match(e.requestId ?? '', UUID_RE);
  });

  test('long bodies are cut to ~120 chars', async () => {
    const { client } = makeClient([response({ status: 500, body: 'x'.repeat(5000) })], { retries: 0 });
    const e = apiError(await rejection(client.getDeployment(DEP_ID)));
    assert.ok(e.message.length < 220, `${e.message.length}`);
    assert.match(e.message, /x…$/);
  });

  test('empty body, truncated JSON, JSON without envelope, server statusText', async () => {
    const cases: Array<[ReturnType<typeof response>, RegExp]> = [
      [response({ status: 503 }), /^HTTP 503 Service Unavailable from GET \/deployments\/dep_\w+ \(empty body\)$/],
      [response({ status: 500, body: '{"type":"error","error":{"ty' }), /^HTTP 500 Internal Server Error from GET .*: \{"type":"error","error":\{"ty$/],
      [response({ status: 400, body: '{"message":"nope"}' }), /^HTTP 400 Bad Request from GET .*: \{"message":"nope"\}$/],
      [response({ status: 418, statusText: 'Short And Stout', body: '' }), /^HTTP 418 Short And Stout from GET/],
      [response({ status: 599, body: 'odd' }), /^HTTP 599 from GET .*: odd$/],
    ];
    for (const [res, pattern] of cases) {
      const { client } = makeClient([res], { retries: 0 });
      const e = apiError(await rejection(client.getDeployment(DEP_ID)));
      assert.equal(e.type, `http_${res.status}`);
      assert.match(e.message, pattern);
    }
  });

  test('gateway 429 descriptor (null body, Retry-After 30)', async () => {
    const d = fixture('gateway-429-response.json') as { status: number; headers: Record<string, string>; body: null };
    const { client, calls } = makeClient([response({ status: d.status, headers: d.headers, body: d.body })], { retries: 0 });
    const e = apiError(await rejection(client.listAllDeployments()));
    assert.equal(calls.length, 1);
    assert.equal(e.status, 429);
    assert.equal(e.type, 'http_429');
    assert.equal(e.retryAfterSeconds, 30);
    assert.match(e.message, /^HTTP 429 Too Many Requests from GET \/deployments \(empty body\) \(retry after 30 s\)$/);
  });
});

describe('2xx with a bad body', () => {
  test('malformed JSON → invalid_response naming the operation', async () => {
    for (const body of ['{"id": "dep_', '<html>oops</html>', '']) {
      const { client, calls } = makeClient([response({ status: 200, body })]);
      const e = kind(await rejection(client.getDeployment(DEP_ID)), 'invalid_response');
      assert.equal(e.operation, `GET /deployments/${DEP_ID}`);
      assert.match(e.message, new RegExp(`^GET /deployments/${DEP_ID}: HTTP 200 with`));
      assert.equal(calls.length, 1, 'a bad 2xx body is not retried');
    }
  });

  test('wrong shape → invalid_response naming the operation', async () => {
    const { client } = makeClient([json({ data: [] }), json(RUN), json({ data: 'x' })]);
    const a = kind(await rejection(client.getDeployment(DEP_ID)), 'invalid_response');
    assert.match(a.message, /^GET \/deployments\/dep_\w+: unexpected response \(deployment has no string "id"/);
    const b = kind(await rejection(client.pauseDeployment(DEP_ID)), 'invalid_response');
    assert.equal(b.operation, `POST /deployments/${DEP_ID}/pause`);
    const c = kind(await rejection(client.listAllDeployments()), 'invalid_response');
    assert.match(c.message, /^GET \/deployments: unexpected response \(list response has no "data" array/);
  });
});

describe('transport errors, timeout, abort', () => {
  test('network error → QoderError network (GET retried, POST not)', async () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const a = makeClient([err]);
    const e = kind(await rejection(a.client.getDeployment(DEP_ID)), 'network');
    assert.match(e.message, /^GET \/deployments\/dep_\w+ failed: connect ECONNREFUSED/);
    assert.equal(a.calls.length, 3);
    const b = makeClient([err]);
    kind(await rejection(b.client.runDeployment(DEP_ID)), 'network');
    assert.equal(b.calls.length, 1, 'a POST that may have reached the server is not retried');
  });

  test('timeout: a fetch that never resolves', async () => {
    const { client, calls, log } = makeClient([() => new Promise<never>(() => undefined)], { timeoutMs: 20, retries: 0 });
    const e = kind(await rejection(client.listAllDeployments()), 'timeout');
    assert.equal(e.message, 'GET /deployments timed out after 0.02 s.');
    assert.equal(e.operation, 'GET /deployments');
    assert.equal(calls[0]?.init.signal.aborted, true, 'the fetch signal is aborted on timeout');
    assert.equal(log.length, 1);
    assert.equal(log[0]?.status, undefined);
  });

  test('timeout covers the body read', async () => {
    const hanging = { ...response({ status: 200 }), text: () => new Promise<string>(() => undefined) };
    const { client } = makeClient([hanging], { timeoutMs: 20, retries: 0 });
    kind(await rejection(client.getDeployment(DEP_ID)), 'timeout');
  });

  test('a timed-out GET is tried 3 times (0.5 s, then 1 s apart), a timed-out POST once; each error names the request and the time waited', async () => {
    const { client, calls, delays } = makeClient([() => new Promise<never>(() => undefined)], { timeoutMs: 20 });
    const e = kind(await rejection(client.getDeployment(DEP_ID)), 'timeout');
    assert.equal(e.message, `GET /deployments/${DEP_ID} timed out after 0.02 s.`);
    assert.equal(calls.length, 3);
    assert.deepEqual(delays, [500, 1000]);
    const b = makeClient([() => new Promise<never>(() => undefined)], { timeoutMs: 20 });
    const p = kind(await rejection(b.client.pauseDeployment(DEP_ID)), 'timeout');
    assert.equal(p.message, `POST /deployments/${DEP_ID}/pause timed out after 0.02 s.`);
    assert.equal(b.calls.length, 1);
  });

  test('default timeout is 30 s (mocked timers)', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { client, calls } = makeClient([() => new Promise<never>(() => undefined)], { retries: 0 });
    const p = rejection(client.listAllDeployments());
    await new Promise((r) => setImmediate(r));
    assert.equal(calls.length, 1);
    t.mock.timers.tick(29_999);
    await new Promise((r) => setImmediate(r));
    assert.equal(calls[0]?.init.signal.aborted, false);
    t.mock.timers.tick(1);
    const e = kind(await p, 'timeout');
    assert.equal(e.message, 'GET /deployments timed out after 30 s.');
  });

  test('caller abort before the call → aborted, nothing sent', async () => {
    const { client, calls } = makeClient([json(DEPLOYMENT)]);
    const ac = new AbortController();
    ac.abort();
    const e = kind(await rejection(client.getDeployment(DEP_ID, { signal: ac.signal })), 'aborted');
    assert.equal(e.operation, `GET /deployments/${DEP_ID}`);
    assert.equal(calls.length, 0);
  });

  test('caller abort in flight → aborted, not retried', async () => {
    const ac = new AbortController();
    const { client, calls, log } = makeClient([
      () => {
        setImmediate(() => ac.abort());
        return new Promise<never>(() => undefined);
      },
    ]);
    kind(await rejection(client.getDeployment(DEP_ID, { signal: ac.signal })), 'aborted');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.init.signal.aborted, true);
    assert.equal(log[0]?.error, 'aborted by caller');
  });

  test('caller abort during the retry wait → aborted', async () => {
    const ac = new AbortController();
    const sleeps: number[] = [];
    const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
      new Promise((_resolve, reject) => {
        sleeps.push(ms);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        setImmediate(() => ac.abort());
      });
    const { client, calls } = makeClient([response({ status: 503 })], { sleep });
    kind(await rejection(client.getDeployment(DEP_ID, { signal: ac.signal })), 'aborted');
    assert.equal(calls.length, 1);
    assert.deepEqual(sleeps, [500]);
  });

  test('default sleep is abortable', async () => {
    const { defaultSleep } = await import('../../src/api');
    const ac = new AbortController();
    const p = defaultSleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await assert.rejects(p, /stop/);
  });
});

describe('retry policy', () => {
  test('GET 503, 503, 200 → 3 attempts', async () => {
    const { client, calls, delays, log } = makeClient([response({ status: 503 }), response({ status: 503 }), json(DEPLOYMENT)]);
    const d = await client.getDeployment(DEP_ID);
    assert.equal(d.id, DEP_ID);
    assert.equal(calls.length, 3);
    assert.deepEqual(delays, [500, 1000]);
    assert.deepEqual(
      log.map((l: RequestLogEntry) => [l.attempt, l.status]),
      [
        [1, 503],
        [2, 503],
        [3, 200],
      ],
    );
  });

  test('GET 503 forever → gives up after retries (default 2), last error thrown', async () => {
    const { client, calls } = makeClient([response({ status: 503, body: 'down' })]);
    const e = apiError(await rejection(client.getDeployment(DEP_ID)));
    assert.equal(e.status, 503);
    assert.equal(calls.length, 3);
    const z = makeClient([response({ status: 503 })], { retries: 0 });
    await rejection(z.client.getDeployment(DEP_ID));
    assert.equal(z.calls.length, 1);
  });

  test('408, 429, 500, 504 are retried for GET; 400/401/403/404/409 are not', async () => {
    for (const status of [408, 429, 500, 504]) {
      const { client, calls } = makeClient([response({ status }), json(DEPLOYMENT)]);
      await client.getDeployment(DEP_ID);
      assert.equal(calls.length, 2, `status ${status}`);
    }
    for (const status of [400, 401, 403, 404, 409]) {
      const { client, calls } = makeClient([response({ status }), json(DEPLOYMENT)]);
      await rejection(client.getDeployment(DEP_ID));
      assert.equal(calls.length, 1, `status ${status}`);
    }
  });

  test('POST 503 → 1 attempt; POST 429 → retried; POST 409 → 1 attempt', async () => {
    const a = makeClient([response({ status: 503 }), json(RUN)]);
    apiError(await rejection(a.client.runDeployment(DEP_ID)));
    assert.equal(a.calls.length, 1);
    const b = makeClient([response({ status: 429 }), json(RUN)]);
    const run = await b.client.runDeployment(DEP_ID);
    assert.equal(run.id, RUN_ID);
    assert.equal(b.calls.length, 2);
    assert.equal(b.calls[1]?.init.body, '{}');
    const c = makeClient([response({ status: 409, body: fixtureText('error-409.json') }), json(DEPLOYMENT)]);
    assert.equal(apiError(await rejection(c.client.archiveDeployment(DEP_ID))).type, 'conflict_error');
    assert.equal(c.calls.length, 1);
  });

  test('409 is never retried, even with x-should-retry: true', async () => {
    const { client, calls } = makeClient([response({ status: 409, headers: { 'x-should-retry': 'true' } }), json(DEPLOYMENT)]);
    await rejection(client.getDeployment(DEP_ID));
    assert.equal(calls.length, 1);
  });

  test('501 (feature needs a beta header) is not retried: it is not transient', async () => {
    const { client, calls } = makeClient([response({ status: 501, body: fixtureText('error-501-legacy.json') }), json(DEPLOYMENT)]);
    await rejection(client.getDeployment(DEP_ID));
    assert.equal(calls.length, 1);
  });

  test('x-should-retry overrides the status (GET)', async () => {
    const a = makeClient([response({ status: 503, headers: { 'x-should-retry': 'false' } }), json(DEPLOYMENT)]);
    await rejection(a.client.getDeployment(DEP_ID));
    assert.equal(a.calls.length, 1);
    const b = makeClient([response({ status: 400, headers: { 'x-should-retry': 'true' } }), json(DEPLOYMENT)]);
    await b.client.getDeployment(DEP_ID);
    assert.equal(b.calls.length, 2);
    const c = makeClient([response({ status: 429, headers: { 'x-should-retry': 'false' } }), json(RUN)]);
    await rejection(c.client.runDeployment(DEP_ID));
    assert.equal(c.calls.length, 1, 'x-should-retry: false also stops a POST 429 retry');
  });

  test('Retry-After 30 → the injected sleep gets 30000 ms', async () => {
    const { client, delays } = makeClient([response({ status: 429, headers: { 'Retry-After': '30' } }), json(DEPLOYMENT)]);
    await client.getDeployment(DEP_ID);
    assert.deepEqual(delays, [30_000]);
  });

  test('retry-after-ms wins over retry-after; HTTP date form', async () => {
    const a = makeClient([response({ status: 503, headers: { 'retry-after-ms': '1500', 'retry-after': '30' } }), json(DEPLOYMENT)]);
    await a.client.getDeployment(DEP_ID);
    assert.deepEqual(a.delays, [1500]);
    const now = Date.parse('2026-07-14T00:00:00Z');
    const res = response({ headers: { 'retry-after': 'Tue, 14 Jul 2026 00:00:12 GMT' } });
    assert.equal(parseRetryAfterMs(res, now), 12_000);
    assert.equal(parseRetryAfterMs(response({ headers: { 'retry-after': 'Mon, 13 Jul 2026 00:00:00 GMT' } }), now), 0);
    assert.equal(parseRetryAfterMs(response({ headers: { 'retry-after': 'soon' } }), now), undefined);
    assert.equal(parseRetryAfterMs(response({ headers: { 'retry-after': '-5' } }), now), undefined);
    assert.equal(parseRetryAfterMs(response({ headers: { 'retry-after-ms': 'x', 'retry-after': '2' } }), now), 2000);
  });

  test('Retry-After above 60 s → exponential backoff instead (error still reports it)', async () => {
    const { client, delays } = makeClient([response({ status: 429, headers: { 'retry-after': '120' } })]);
    const e = apiError(await rejection(client.getDeployment(DEP_ID)));
    assert.deepEqual(delays, [500, 1000]);
    assert.equal(e.retryAfterSeconds, 120);
  });

  test('backoff: min(0.5·2^n, 8) s minus up to 25 % jitter', async () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, () => 0)), [500, 1000, 2000, 4000, 8000, 8000]);
    assert.deepEqual([0, 1, 4].map((n) => backoffMs(n, () => 1)), [375, 750, 6000]);
    assert.equal(backoffMs(0, () => 0.5), 437.5);
    const { client, delays } = makeClient([response({ status: 500 })], { retries: 5, random: () => 0.5 });
    await rejection(client.getDeployment(DEP_ID));
    assert.deepEqual(delays, [437.5, 875, 1750, 3500, 7000]);
  });
});

describe('redirects', () => {
  test('same-origin 307 is followed with the token, path re-resolved', async () => {
    const { client, calls, log } = makeClient([
      response({ status: 307, headers: { location: `/api/v1/cloud/deployments/${DEP_ID}?moved=1` } }),
      json(DEPLOYMENT),
    ]);
    const d = await client.getDeployment(DEP_ID);
    assert.equal(d.id, DEP_ID);
    assert.equal(calls.length, 2);
    assert.equal(calls[1]?.url, `${BASE}/deployments/${DEP_ID}?moved=1`);
    assert.equal(calls[1]?.init.headers.Authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(
      log.map((l) => [l.status, l.path, l.attempt]),
      [
        [307, `/deployments/${DEP_ID}`, 1],
        [200, `/deployments/${DEP_ID}`, 1],
      ],
    );
  });

  test('POST 308 keeps method and body; 303 turns into GET', async () => {
    const a = makeClient([response({ status: 308, headers: { location: `${BASE}/deployments/${DEP_ID}/pause` } }), json(DEPLOYMENT)]);
    await a.client.pauseDeployment(DEP_ID);
    assert.equal(a.calls[1]?.init.method, 'POST');
    assert.equal(a.calls[1]?.init.body, '{}');
    const b = makeClient([response({ status: 303, headers: { location: `${BASE}/deployments/${DEP_ID}/runs/${RUN_ID}` } }), json(RUN)]);
    await b.client.runDeployment(DEP_ID);
    assert.equal(b.calls[1]?.init.method, 'GET');
    assert.equal(b.calls[1]?.init.body, undefined);
  });

  test('cross-origin redirect is not followed and the token is not sent there', async () => {
    for (const location of [
      'https://evil.example.com/api/v1/cloud/deployments',
      'http://api.qoder.com/api/v1/cloud/deployments',
      'https://api.qoder.com:8443/x',
      '//evil.example.com/x',
      'https://user:pw@api.qoder.com/x',
    ]) {
      const { client, calls } = makeClient([response({ status: 302, headers: { location } }), json(DEPLOYMENT)]);
      const e = apiError(await rejection(client.getDeployment(DEP_ID)));
      assert.equal(calls.length, 1, location);
      assert.equal(e.status, 302);
      assert.equal(e.type, 'cross_origin_redirect');
      assert.match(e.message, /redirected to another host.*token was not sent there/);
    }
  });

  test('more than 3 hops → error; missing Location → error', async () => {
    const loop = response({ status: 301, headers: { location: `${BASE}/deployments/${DEP_ID}` } });
    const a = makeClient([loop], { retries: 0 });
    const e = apiError(await rejection(a.client.getDeployment(DEP_ID)));
    assert.equal(e.type, 'too_many_redirects');
    assert.equal(a.calls.length, 4);
    const b = makeClient([response({ status: 302 })]);
    const f = apiError(await rejection(b.client.getDeployment(DEP_ID)));
    assert.equal(f.type, 'http_302');
    assert.match(f.message, /without a Location header/);
  });
});

describe('logging hook', () => {
  test('one entry per attempt with method, path (no query), status, requestId, error', async () => {
    const { client, log, calls } = makeClient([response({ status: 500, body: fixtureText('error-500.json') }), json(fixture('list-page-empty.json'))]);
    await client.listAllDeployments({ include_archived: true });
    assert.equal(log.length, 2);
    assert.deepEqual(
      { ...log[0], durationMs: 0 },
      {
        method: 'GET',
        path: '/deployments',
        status: 500,
        durationMs: 0,
        requestId: '6e1d9a4c-8b3f-4207-9c5e-3a7f0b2d8c41',
        attempt: 1,
        error: 'Internal server error.',
      },
    );
    assert.equal(log[1]?.requestId, calls[1]?.init.headers['x-request-id']);
    assert.equal(log[1]?.error, undefined);
    assert.equal(typeof log[1]?.durationMs, 'number');
  });

  test('a throwing hook does not break the request', async () => {
    const { client } = makeClient([json(DEPLOYMENT)], {
      onRequest: () => {
        throw new Error('logger down');
      },
    });
    assert.equal((await client.getDeployment(DEP_ID)).id, DEP_ID);
  });
});

describe('the token never leaks', () => {
  function assertClean(label: string, value: unknown): void {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    assert.ok(!text.includes(TOKEN), `${label} contains the token: ${text}`);
    assert.ok(!text.includes('TESTSECRET'), `${label} contains part of the token: ${text}`);
  }

  test('server echoes the token in envelope, HTML, headers, param, request id; transport errors quote it', async () => {
    const echo = `Bearer ${TOKEN}`;
    const scenarios: Array<[string, () => ReturnType<typeof makeClient>, (c: ReturnType<typeof makeClient>['client']) => Promise<unknown>]> = [
      [
        'envelope',
        () =>
          makeClient([
            json(
              { type: 'error', request_id: `rid-${TOKEN}`, error: { type: 'authentication_error', message: `Invalid token ${TOKEN} (${echo})`, param: TOKEN } },
              401,
            ),
          ]),
        (c) => c.getDeployment(DEP_ID),
      ],
      ['html', () => makeClient([response({ status: 502, body: `<pre>Authorization: ${echo}</pre>` })], { retries: 0 }), (c) => c.listAllDeployments()],
      ['header request id', () => makeClient([response({ status: 404, headers: { 'x-request-id': TOKEN } })]), (c) => c.getDeployment(DEP_ID)],
      ['2xx garbage', () => makeClient([response({ status: 200, body: `token ${TOKEN}` })]), (c) => c.getDeployment(DEP_ID)],
      ['2xx wrong shape', () => makeClient([json({ id: TOKEN, name: 'x' })]), (c) => c.getDeployment(DEP_ID)],
      ['network', () => makeClient([new Error(`socket hang up while sending ${echo}`)], { retries: 0 }), (c) => c.getDeployment(DEP_ID)],
      ['cursor', () => makeClient([json({ data: [], has_more: true, next_page: TOKEN }), json({ data: [], has_more: true, next_page: TOKEN })]), (c) => c.listAllDeployments()],
    ];
    for (const [label, make, call] of scenarios) {
      const ctx = make();
      const e = await rejection(call(ctx.client));
      assert.ok(e instanceof QoderError, label);
      assertClean(`${label} message`, e.message);
      assertClean(`${label} toString`, String(e));
      assertClean(`${label} stack`, e.stack ?? '');
      assertClean(`${label} json`, { ...e });
      assertClean(`${label} log`, ctx.log);
      assert.ok(ctx.log.length >= 1, label);
    }
  });
});
