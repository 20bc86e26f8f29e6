// The runs feed and the change watch against the local API (issue 22): the client reads
// GET /deployment_runs with created_at[gte] across deployments, the local API fires scheduled
// runs (POST /__local/fire), and a failure made elsewhere reaches the shown list with one
// single GET and no list page (counted from the requests the local API recorded).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QoderClient, type DeploymentRun } from '../../src/api';
import { DeploymentStore } from '../../src/deployments/model/deploymentStore';
import { ChangeWatch, type WatchSource } from '../../src/deployments/model/changeWatch';
import { RunsFeed } from '../../src/deployments/model/freshness';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { call, clock, TOKEN } from '../local-api/test-helpers';

const NOW = '2026-12-07T09:00:30Z';

async function allRuns(client: QoderClient, since: string | undefined): Promise<DeploymentRun[]> {
  const runs: DeploymentRun[] = [];
  for await (const page of client.listAllRuns({ created_at_gte: since })) runs.push(...page.data);
  return runs;
}

describe('runs feed on the local API', () => {
  let api: LocalApi;
  const time = clock(NOW);
  let client: QoderClient;
  before(async () => {
    api = await startLocalApi({ seed: 40, quiet: true, now: time.now });
    client = new QoderClient({ baseUrl: api.baseUrl, token: TOKEN, minPageIntervalMs: 0 });
  });
  after(() => api.close());

  it('reads the newest page without a mark, then only what was created at or after the mark, across deployments', async () => {
    const newest = await allRuns(client, undefined);
    assert.ok(newest.length > 0 && newest.length <= 100);
    const feed = new RunsFeed();
    assert.deepEqual(feed.accept(newest), []);
    const [a, b] = api.account().list().slice(0, 2).map((d) => d.id as string);
    time.advance(60_000);
    api.resetRequests();
    // Two runs in the same second, on two deployments.
    const first = api.account().fire(a as string);
    const second = api.account().fire(b as string);
    assert.equal(first.created_at, second.created_at);
    const fresh = feed.accept(await allRuns(client, feed.since));
    assert.deepEqual(fresh.map((r) => r.id).sort(), [first.id, second.id].sort());
    assert.equal(api.requests.length, 1);
    assert.equal(api.requests[0]?.query['created_at[gte]'], newest[0]?.created_at);
    // Asked again with the new mark (gte: the same second comes back), nothing is new.
    assert.equal(feed.since, first.created_at);
    assert.deepEqual(feed.accept(await allRuns(client, feed.since)), []);
  });

  it('POST /__local/fire with an error type: the run has no session and the deployment is paused on error', async () => {
    const id = api.account().list()[5]?.id as string;
    const res = await call(api, 'POST', '/__local/fire', { token: null, body: { id, errorType: 'environment_not_found_error' } });
    assert.equal(res.status, 200);
    const run = res.json as { session_id: string | null; error: { type: string } | null; trigger_context: { type: string } };
    assert.equal(run.session_id, null);
    assert.equal(run.error?.type, 'environment_not_found_error');
    assert.equal(run.trigger_context.type, 'schedule');
    const deployment = api.account().get(id) as { status: string; paused_reason: { type: string } };
    assert.equal(deployment.status, 'paused');
    assert.equal(deployment.paused_reason.type, 'error');
    // A paused deployment does not fire.
    const again = await call(api, 'POST', '/__local/fire', { token: null, body: { id } });
    assert.equal(again.status, 400);
  });
});

describe('change watch on the local API', () => {
  let api: LocalApi;
  const time = clock(NOW);
  before(async () => {
    api = await startLocalApi({ seed: 300, quiet: true, now: time.now });
  });
  after(() => api.close());

  it('a failure made elsewhere shows as paused on error with one GET of that deployment and no list page', async () => {
    const client = new QoderClient({ baseUrl: api.baseUrl, token: TOKEN, minPageIntervalMs: 0 });
    const store = new DeploymentStore({ now: () => time.now().getTime() });
    store.setSource({ listAll: (includeArchived, signal) => client.listAllDeployments({ include_archived: includeArchived }, { signal }) });
    const source: WatchSource = {
      runsSince: (since) => allRuns(client, since),
      deploymentPages: async function* () {
        for await (const page of client.listDeployments({ limit: 20 })) yield page.data;
      },
      getDeployment: (id) => client.findDeployment(id),
      sessionStatus: async (id) => (await client.getSession(id)).status,
    };
    let walks = 0;
    const watch = new ChangeWatch(source, store, { fullWalk: async () => void walks++ }, () => ({ freshnessMs: 60_000, backgroundMs: 300_000 }), () => [], () => time.now().getTime(), () => 0);
    await store.refresh();
    watch.walked();
    await watch.tick({ visible: false, focused: true }); // the feed's mark
    const target = store.deployments.find((d) => d.status === 'active' && d.schedule !== null);
    assert.ok(target);
    time.advance(70_000);
    api.account().fire(target.id, { errorType: 'environment_not_found_error' });
    api.resetRequests();
    time.set(new Date(watch.dueTimes({ visible: false, focused: true }).feed).toISOString());
    await watch.tick({ visible: false, focused: true });
    const kinds = api.requests.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/cloud/, '')}`);
    assert.deepEqual(kinds.filter((k) => k !== 'GET /deployments'), ['GET /deployment_runs', `GET /deployments/${target.id}`]);
    // At most page 1 of the list, for new deployments (it stops at the first known id), never a walk.
    const pages = api.requests.filter((r) => r.path.endsWith('/deployments'));
    assert.ok(pages.length <= 1 && pages.every((r) => r.query.limit === '20' && r.query.page === undefined));
    assert.equal(store.get(target.id)?.paused_reason?.type, 'error');
    assert.equal(walks, 0);
  });
});
