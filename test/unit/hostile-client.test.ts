// Issue 12: the client against hostile servers (scripted fetch, no network, no real sleeping).

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { QoderError, redact, validateBaseUrl, type ResponseLike } from '../../src/api';
import { BASE, DEP_ID, TOKEN, depId, json, makeClient, page, rejection, response } from './client-fakes';

/** A server that answers has_more with a fresh cursor for ever (guarded so an unbounded walk ends the test). */
function endlessPages(perPage: number, guard = 1_500): (call: { parsed: URL }) => ResponseLike {
  let n = 0;
  return () => {
    if (++n > guard) throw new Error(`test guard: the client requested more than ${guard} pages`);
    const ids = Array.from({ length: perPage }, (_, i) => depId(n * perPage + i));
    return json(page(ids, ids[ids.length - 1]!));
  };
}

describe('issue 12: bounded list walk', () => {
  test('walk: a server that keeps answering has_more stops after 1,000 pages with invalid_response saying the API kept returning pages', async () => {
    const { client, calls } = makeClient([endlessPages(1)], { minPageIntervalMs: 0 });
    const e = await rejection(client.listAllDeployments());
    assert.ok(e instanceof QoderError, String(e));
    assert.equal(e.kind, 'invalid_response');
    assert.match(e.message, /kept returning pages/);
    assert.equal(calls.length, 1_000);
  });

  test('walk: the default item cap (100,000) stops the walk even when the page cap is higher', async () => {
    const { client, calls } = makeClient([endlessPages(100)], { minPageIntervalMs: 0, maxPages: 5_000 });
    const e = await rejection(client.listAllDeployments());
    assert.ok(e instanceof QoderError && e.kind === 'invalid_response', String(e));
    assert.match(e.message, /kept returning pages/);
    assert.equal(calls.length, 1_000, '100,000 items at 100 per page');
  });

  test('walk: maxItems in the client options stops the walk once that many items arrived', async () => {
    const { client, calls } = makeClient([endlessPages(100)], { minPageIntervalMs: 0, maxItems: 250 });
    const e = await rejection(client.listAllDeployments());
    assert.ok(e instanceof QoderError && e.kind === 'invalid_response', String(e));
    assert.equal(calls.length, 3);
  });
});

/** A 200 whose body is a valid JSON page of `mb` MiB, as a stream of 1 MiB chunks (and as text for old readers). */
function bigBody(mb: number): { res: ResponseLike; pulled: () => number } {
  const chunk = 1024 * 1024;
  const head = '{"data":[],"has_more":false,"first_id":null,"last_id":null,"next_page":null,"pad":"';
  const total = mb * chunk;
  let pulled = 0;
  const res = response({ status: 200, headers: { 'content-type': 'application/json' } }) as ResponseLike & { body: AsyncIterable<Uint8Array> };
  res.text = async () => head + 'x'.repeat(total - head.length - 2) + '"}';
  res.body = (async function* () {
    const filler = Buffer.alloc(chunk, 'x');
    for (let sent = 0; sent < total; sent += chunk) {
      pulled++;
      if (sent === 0) yield Buffer.concat([Buffer.from(head), filler.subarray(head.length)]);
      else if (sent + chunk >= total) yield Buffer.concat([filler.subarray(2), Buffer.from('"}')]);
      else yield filler;
    }
  })();
  return { res, pulled: () => pulled };
}

describe('issue 12: bounded bodies', () => {
  test('body: a 200 body over the 16 MB default cap fails with response_too_large after one request, read no further', async () => {
    const big = bigBody(40);
    const { client, calls } = makeClient([big.res, json(page([depId(1)], null))]);
    const e = await rejection(client.listAllDeployments());
    assert.ok(e instanceof QoderError, String(e));
    assert.equal(e.kind, 'response_too_large');
    assert.match(e.message, /too large/);
    assert.equal(calls.length, 1, 'never retried');
    assert.ok(big.pulled() <= 17, `stopped reading at the cap (read ${big.pulled()} MiB)`);
  });

  test('body: ERR_STRING_TOO_LONG from the transport is response_too_large, never a retried network error', async () => {
    const res = response({ status: 200 });
    res.text = async () => {
      throw Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' });
    };
    const { client, calls } = makeClient([res, json(page([depId(1)], null))]);
    const e = await rejection(client.getDeployment(DEP_ID));
    assert.ok(e instanceof QoderError, String(e));
    assert.equal(e.kind, 'response_too_large');
    assert.equal(calls.length, 1);
  });

  test('body: maxResponseBytes in the client options caps error bodies too, without retrying a 503', async () => {
    const { client, calls } = makeClient([response({ status: 503, body: 'x'.repeat(5_000) })], { maxResponseBytes: 1_000 });
    const e = await rejection(client.getDeployment(DEP_ID));
    assert.ok(e instanceof QoderError && e.kind === 'response_too_large', String(e));
    assert.equal(calls.length, 1);
  });
});

describe('issue 12: page spacing', () => {
  test('walk: page fetches start at least 100 ms apart by default, measured start to start', async () => {
    let clock = 1_000_000;
    const starts: number[] = [];
    const slowPage = (ids: string[], next: string | null) => () => {
      starts.push(clock);
      clock += 30; // a 30 ms round trip
      return json(page(ids, next));
    };
    const { client, delays } = makeClient(
      [slowPage([depId(1)], depId(1)), slowPage([depId(2)], depId(2)), slowPage([depId(3)], null)],
      {
        now: () => clock,
        sleep: async (ms: number) => {
          delays.push(ms);
          clock += ms;
        },
      },
    );
    const all = await client.listAllDeployments();
    assert.equal(all.deployments.length, 3);
    assert.deepEqual(delays, [70, 70]);
    assert.deepEqual(starts.map((s) => s - starts[0]!), [0, 100, 200]);
  });

  test('walk: a page slower than the spacing is followed at once; spacing 0 never sleeps', async () => {
    let clock = 0;
    const slow = (ids: string[], next: string | null) => () => {
      clock += 150;
      return json(page(ids, next));
    };
    const steps = [slow([depId(1)], depId(1)), slow([depId(2)], null)];
    const a = makeClient(steps, { now: () => clock });
    await a.client.listAllDeployments();
    assert.ok(a.delays.every((d) => d <= 0), `no wait after a slow page: ${a.delays.join(',')}`);
    const b = makeClient([json(page([depId(1)], depId(1))), json(page([depId(2)], null))], { minPageIntervalMs: 0 });
    await b.client.listAllDeployments();
    assert.deepEqual(b.delays, []);
  });
});

describe('issue 12: request ids and redaction', () => {
  test('request id: a token echoed in x-request-id on a cross-origin redirect never reaches error.requestId or the hook', async () => {
    const { client, log } = makeClient([response({ status: 302, headers: { location: 'https://evil.example/x', 'x-request-id': TOKEN } })]);
    const e = await rejection(client.getDeployment(DEP_ID));
    assert.ok(e instanceof QoderError, String(e));
    assert.ok(!String(e.requestId).includes(TOKEN.slice(3)), `error.requestId: ${e.requestId}`);
    for (const entry of log) assert.ok(!JSON.stringify(entry).includes(TOKEN.slice(3)), JSON.stringify(entry));
  });

  test('request id: a 200 answer echoing the token in x-request-id (any case) leaves it out of the hook entry', async () => {
    const { client, log } = makeClient([json({ ...page([], null) }, 200, { 'x-request-id': TOKEN.toUpperCase() })]);
    await client.listAllDeployments();
    assert.equal(log.length, 1);
    assert.ok(!JSON.stringify(log[0]).toLowerCase().includes(TOKEN.slice(3).toLowerCase()), JSON.stringify(log[0]));
  });

  test('redact: matches the token in any letter case and without its pt- prefix', () => {
    const text = `a ${TOKEN.toUpperCase()} b ${TOKEN.slice(3)} c ${TOKEN.slice(3).toLowerCase()} d`;
    const out = redact(text, TOKEN);
    assert.ok(!out.toLowerCase().includes(TOKEN.slice(3).toLowerCase()), out);
    assert.match(out, /^a \*\*\* b \*\*\* c \*\*\* d$/);
  });
});

describe('issue 12: loopback', () => {
  test('base URL: plain http to "localhost." (trailing dot, resolved through DNS) is refused', () => {
    assert.throws(() => validateBaseUrl('http://localhost./api/v1/cloud'), (e: unknown) => e instanceof QoderError && e.kind === 'config');
    assert.throws(() => validateBaseUrl('http://LOCALHOST.:8080'), (e: unknown) => e instanceof QoderError && e.kind === 'config');
    assert.equal(validateBaseUrl('http://localhost:8080/x').hostname, 'localhost');
    assert.equal(validateBaseUrl('http://127.0.0.1:8080/x').hostname, '127.0.0.1');
    assert.equal(validateBaseUrl('http://[::1]:8080/x').hostname, '[::1]');
    assert.equal(validateBaseUrl(`${BASE}/`).protocol, 'https:');
  });
});
