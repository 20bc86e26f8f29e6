import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { QoderError, type ListPage, type Deployment } from '../../src/api';
import { DEP_ID, depId, fixture, json, makeClient, page, rejection, response, type Call } from './client-fakes';

function params(c: Call | undefined): Record<string, string> {
  assert.ok(c);
  return Object.fromEntries(c.parsed.searchParams.entries());
}

describe('listDeployments / listAllDeployments', () => {
  test('walks next_page cursors with limit=100 until has_more is false', async () => {
    const { client, calls } = makeClient([
      json(page([depId(1), depId(2)], depId(2))),
      json(page([depId(3)], depId(3))),
      json(page([depId(4)], null)),
    ]);
    const all = await client.listAllDeployments();
    assert.deepEqual(
      all.deployments.map((d) => d.id),
      [1, 2, 3, 4].map(depId),
    );
    assert.equal(all.requests, 3);
    assert.deepEqual(all.invalid, []);
    assert.deepEqual(params(calls[0]), { limit: '100' });
    assert.deepEqual(params(calls[1]), { limit: '100', page: depId(2) });
    assert.deepEqual(params(calls[2]), { limit: '100', page: depId(3) });
    for (const c of calls) assert.equal(c.parsed.pathname, '/api/v1/cloud/deployments');
  });

  test('filters map to query params, brackets URL-encoded', async () => {
    const { client, calls } = makeClient([json(fixture('list-page-empty.json'))]);
    await client.listAllDeployments({
      include_archived: true,
      status: 'paused',
      agent_id: 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b',
      created_at_gte: '2026-07-01T00:00:00Z',
      created_at_lte: '2026-07-31T23:59:59Z',
      limit: 25,
    });
    const url = calls[0]!.url;
    assert.match(url, /created_at%5Bgte%5D=2026-07-01T00%3A00%3A00Z/);
    assert.match(url, /created_at%5Blte%5D=2026-07-31T23%3A59%3A59Z/);
    assert.ok(!url.includes('['), url);
    assert.deepEqual(params(calls[0]), {
      limit: '25',
      include_archived: 'true',
      status: 'paused',
      agent_id: 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b',
      'created_at[gte]': '2026-07-01T00:00:00Z',
      'created_at[lte]': '2026-07-31T23:59:59Z',
    });
  });

  test('include_archived false is not sent; filter is kept on every page', async () => {
    const { client, calls } = makeClient([json(page([depId(1)], depId(1))), json(page([depId(2)], null))]);
    await client.listAllDeployments({ include_archived: false, status: 'active' });
    assert.deepEqual(params(calls[1]), { limit: '100', status: 'active', page: depId(1) });
  });

  test('older response without next_page falls back to after_id=<last_id>', async () => {
    const legacy = (ids: string[], more: boolean): Record<string, unknown> => {
      const p = page(ids, null, { has_more: more });
      delete p.next_page;
      return p;
    };
    const { client, calls } = makeClient([json(legacy([depId(1), depId(2)], true)), json(legacy([depId(3)], false))]);
    const all = await client.listAllDeployments();
    assert.equal(all.deployments.length, 3);
    assert.deepEqual(params(calls[1]), { limit: '100', after_id: depId(2) });
  });

  test('a repeated cursor stops the walk with invalid_response (never the same cursor twice)', async () => {
    const { client, calls } = makeClient([
      json(page([depId(1)], depId(1))),
      json(page([depId(2)], depId(2))),
      json(page([depId(1)], depId(1))),
    ]);
    const e = await rejection(client.listAllDeployments());
    assert.ok(e instanceof QoderError);
    assert.equal(e.kind, 'invalid_response');
    assert.match(e.message, /returned cursor "dep_0+1" again.*loop/);
    assert.equal(calls.length, 3);
    const cursors = calls.map((c) => c.parsed.searchParams.get('page'));
    assert.deepEqual(cursors, [null, depId(1), depId(2)]);
  });

  test('a server that returns the same cursor immediately is detected on the 2nd page', async () => {
    const { client, calls } = makeClient([json(page([depId(1)], depId(1)))]);
    const it = client.listDeployments();
    assert.equal((await it.next()).done, false);
    assert.equal((await it.next()).done, false);
    const e = await rejection(it.next());
    assert.ok(e instanceof QoderError && e.kind === 'invalid_response');
    assert.equal(calls.length, 2);
  });

  test('has_more true without any cursor → invalid_response', async () => {
    const { client } = makeClient([json({ data: [], has_more: true, next_page: null, last_id: null, first_id: null })]);
    const e = await rejection(client.listAllDeployments());
    assert.ok(e instanceof QoderError && e.kind === 'invalid_response');
    assert.match(e.message, /has_more=true but sent neither/);
  });

  test('the iterator yields pages lazily and can be stopped early', async () => {
    const { client, calls } = makeClient([json(page([depId(1)], depId(1))), json(page([depId(2)], null))]);
    const pages: ListPage<Deployment>[] = [];
    for await (const p of client.listDeployments()) {
      pages.push(p);
      break;
    }
    assert.equal(pages.length, 1);
    assert.equal(calls.length, 1);
  });

  test('minPageIntervalMs spaces page fetches through the injected sleep', async () => {
    const { client, delays } = makeClient(
      [json(page([depId(1)], depId(1))), json(page([depId(2)], depId(2))), json(page([depId(3)], null))],
      { minPageIntervalMs: 150, now: () => 0 },
    );
    await client.listAllDeployments();
    assert.deepEqual(delays, [150, 150]);
    const none = makeClient([json(page([depId(1)], depId(1))), json(page([depId(2)], null))], { minPageIntervalMs: 0 });
    await none.client.listAllDeployments();
    assert.deepEqual(none.delays, []);
  });

  test('requests counts HTTP requests including retries', async () => {
    const { client } = makeClient([response({ status: 503 }), json(page([depId(1)], depId(1))), json(page([depId(2)], null))]);
    const all = await client.listAllDeployments();
    assert.equal(all.requests, 3);
    assert.equal(all.deployments.length, 2);
  });

  test('invalid items from every page are collected with walk-wide indexes', async () => {
    const p1 = page([depId(1), depId(2)], depId(2));
    (p1.data as unknown[])[1] = { id: 'dep_bad', name: null };
    const p2 = page([depId(3)], null);
    (p2.data as unknown[]).unshift({ nope: true });
    const { client } = makeClient([json(p1), json(p2)]);
    const all = await client.listAllDeployments();
    assert.deepEqual(
      all.deployments.map((d) => d.id),
      [depId(1), depId(3)],
    );
    assert.deepEqual(
      all.invalid.map((i) => [i.index, i.id]),
      [
        [1, 'dep_bad'],
        [2, undefined],
      ],
    );
  });

  test('an error mid-walk propagates (after the earlier pages were yielded)', async () => {
    const { client } = makeClient([json(page([depId(1)], depId(1))), response({ status: 401, body: JSON.stringify(fixture('error-401.json')) })]);
    const got: string[] = [];
    const e = await rejection(
      (async () => {
        for await (const p of client.listDeployments()) got.push(...p.data.map((d) => d.id));
      })(),
    );
    assert.deepEqual(got, [depId(1)]);
    assert.ok(e instanceof QoderError && e.kind === 'api');
  });
});

describe('runs', () => {
  test('listRunsPage continues from filter.page with the run filters', async () => {
    const { client, calls } = makeClient([json(fixture('runs-list-page.json'))]);
    const page = await client.listRunsPage(DEP_ID, { page: 'drun_start', triggered_before: '2026-07-15T00:00:00Z' });
    assert.ok(page.data.length > 0);
    assert.deepEqual(params(calls[0]), { limit: '20', triggered_before: '2026-07-15T00:00:00Z', page: 'drun_start' });
    assert.equal(calls[0]?.parsed.pathname, `/api/v1/cloud/deployments/${DEP_ID}/runs`);
  });

  test('listRunsPage makes exactly one request even when has_more is true', async () => {
    const { client, calls } = makeClient([json(fixture('runs-list-page.json'))]);
    const p = await client.listRunsPage(DEP_ID, { limit: 2 });
    assert.equal(calls.length, 1);
    assert.equal(p.has_more, true);
    assert.equal(p.next_page, 'drun_019f0aa1e7f47c62a5d3b8e01f9c24b6');
    assert.deepEqual(params(calls[0]), { limit: '2' });
  });
});

describe('listAllDeployments progress', () => {
  test('reports the deployments so far after every page but the last', async () => {
    const ids = (n: number) => `dep_${n.toString(16).padStart(32, '0')}`;
    const dep = (n: number) => ({ ...(fixture('deployment-active.json') as object), id: ids(n), name: `d${n}` });
    const { client } = makeClient([
      json({ data: [dep(1), dep(2)], has_more: true, next_page: ids(2), first_id: ids(1), last_id: ids(2) }),
      json({ data: [dep(3)], has_more: true, next_page: ids(3), first_id: ids(3), last_id: ids(3) }),
      json({ data: [dep(4)], has_more: false, next_page: null, first_id: ids(4), last_id: ids(4) }),
    ]);
    const seen: number[] = [];
    const all = await client.listAllDeployments(undefined, { onPage: (soFar) => seen.push(soFar.length) });
    assert.deepEqual(seen, [2, 3]);
    assert.equal(all.deployments.length, 4);
  });
});
