// Create and update through the real QoderClient against the local API over loopback: the
// documented shapes, merge-patch semantics, and how a 400 reaches the caller. Which values the
// local API refuses is its own business: test/local-api/tests/validation.test.ts.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QoderApiError, QoderClient, QoderError, type DeploymentCreateBody, type DeploymentPatch } from '../../src/api';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { clock, FIXED_NOW } from '../local-api/test-helpers';

const TOKEN = 'pt-contract-edit-SECRET-0099';
const clk = clock(FIXED_NOW);
let api: LocalApi;
let client: QoderClient;

before(async () => {
  api = await startLocalApi({ token: TOKEN, seed: 30, quiet: true, now: clk.now });
  client = new QoderClient({ baseUrl: api.baseUrl, token: TOKEN, random: () => 0, sleep: async () => undefined });
});
after(() => api.close());
beforeEach(() => {
  clk.set(FIXED_NOW);
  api.clearFaults();
  api.reseed(30);
  api.resetRequests();
});

const BASE: DeploymentCreateBody = {
  name: 'nightly-report',
  agent: 'agent_019ec5561c5d7a4c8a1b2c3d4e5f6a7b',
  environment_id: 'env_019ec5561c5d7a4c8a1b2c3d4e5f6a7b',
  initial_events: [{ type: 'user.message', content: [{ type: 'text', text: 'Write the report.' }] }],
};

async function apiError(p: Promise<unknown>): Promise<QoderApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof QoderApiError, `expected QoderApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

async function configError(p: Promise<unknown>): Promise<QoderError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof QoderError && e.kind === 'config', `expected a config error, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to be refused');
}

const posts = (): number => api.requests.filter((r) => r.method === 'POST').length;

describe('client.createDeployment against the local API', () => {
  it('creates an active deployment that comes first in the list, with the documented defaults', async () => {
    const created = await client.createDeployment({
      ...BASE,
      description: 'daily',
      schedule: { type: 'cron', expression: '30 8 * * 1-5', timezone: 'Asia/Shanghai' },
      metadata: { team: 'data' },
    });
    assert.match(created.id, /^dep_[0-9a-f]{32}$/);
    assert.equal(created.status, 'active');
    assert.equal(created.archived_at, null);
    assert.equal(created.description, 'daily');
    assert.deepEqual(created.metadata, { team: 'data' });
    assert.equal(created.schedule?.expression, '30 8 * * 1-5');
    // 2026-07-14 is a Tuesday; 08:30 in Shanghai is 00:30 UTC, so the next fire is Wednesday's.
    assert.deepEqual(created.schedule?.upcoming_runs_at, [
      '2026-07-15T00:30:00Z',
      '2026-07-16T00:30:00Z',
      '2026-07-17T00:30:00Z',
      '2026-07-20T00:30:00Z',
      '2026-07-21T00:30:00Z',
    ]);
    assert.equal(created.vault_ids !== undefined && JSON.stringify(created.vault_ids), '[]');
    const { deployments } = await client.listAllDeployments();
    assert.equal(deployments[0]?.id, created.id);
    const req = api.requests.find((r) => r.method === 'POST');
    assert.equal(req?.path, '/api/v1/cloud/deployments');
  });

  it('creates a manual-only deployment when no schedule is sent', async () => {
    const created = await client.createDeployment(BASE);
    assert.equal(created.schedule, null);
    assert.equal(created.agent.id, BASE.agent);
  });

  it('a 400 answer becomes a QoderApiError with the field the server named, and nothing is created', async () => {
    const before = api.account().all().length;
    const e = await apiError(client.createDeployment({ ...BASE, schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus' } }));
    assert.equal(e.status, 400);
    assert.equal(e.type, 'invalid_request_error');
    assert.equal(e.param, 'schedule.timezone');
    assert.equal(api.account().all().length, before);
  });

  it('refuses a body that is not an object without sending anything', async () => {
    await configError(client.createDeployment(null as unknown as DeploymentCreateBody));
    assert.equal(posts(), 0);
  });
});

describe('client.updateDeployment against the local API', () => {
  async function fresh(): Promise<string> {
    const d = await client.createDeployment({
      ...BASE,
      description: 'old',
      metadata: { team: 'a', owner: 'b' },
      vault_ids: ['vault_1'],
      schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
    });
    api.resetRequests();
    return d.id;
  }

  it('changes only the fields sent; metadata keys set to null are deleted; updated_at moves', async () => {
    const id = await fresh();
    const before = await client.getDeployment(id);
    const updated = await client.updateDeployment(id, { description: 'new', metadata: { owner: null, tier: 'gold' } });
    assert.equal(updated.description, 'new');
    assert.deepEqual(updated.metadata, { team: 'a', tier: 'gold' });
    assert.equal(updated.name, before.name);
    assert.deepEqual(updated.initial_events, before.initial_events);
    assert.deepEqual(updated.vault_ids, ['vault_1']);
    assert.deepEqual(updated.schedule, before.schedule);
    assert.ok(Date.parse(updated.updated_at) > Date.parse(before.updated_at), `${updated.updated_at} should be after ${before.updated_at}`);
    const sent = api.requests.filter((r) => r.method === 'POST');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.path, `/api/v1/cloud/deployments/${id}`);
  });

  it('moves updated_at on each of two updates within the same second', async () => {
    const id = await fresh();
    const first = await client.updateDeployment(id, { description: 'one' });
    const second = await client.updateDeployment(id, { description: 'two' });
    assert.ok(Date.parse(second.updated_at) > Date.parse(first.updated_at));
  });

  it('replaces the schedule whole and recomputes upcoming_runs_at', async () => {
    const id = await fresh();
    clk.advance(60_000);
    const updated = await client.updateDeployment(id, { schedule: { type: 'cron', expression: '15 */6 * * *', timezone: 'Asia/Shanghai' } });
    assert.equal(updated.schedule?.expression, '15 */6 * * *');
    assert.equal(updated.schedule?.timezone, 'Asia/Shanghai');
    // 12:01 UTC is 20:01 in Shanghai; next 6-hourly fires at local 00:15, 06:15, 12:15, 18:15.
    assert.deepEqual(updated.schedule?.upcoming_runs_at, [
      '2026-07-14T16:15:00Z',
      '2026-07-14T22:15:00Z',
      '2026-07-15T04:15:00Z',
      '2026-07-15T10:15:00Z',
      '2026-07-15T16:15:00Z',
    ]);
    assert.equal(updated.updated_at, '2026-07-14T12:01:00Z');
  });

  it('answers 404 for an unknown id', async () => {
    const e = await apiError(client.updateDeployment('dep_0000000000000000000000000000dead', { description: 'x' }));
    assert.equal(e.status, 404);
    assert.equal(e.type, 'not_found_error');
  });

  it('refuses an invalid id or a non-object patch before sending', async () => {
    await configError(client.updateDeployment('../deployments', { description: 'x' }));
    await configError(client.updateDeployment('dep_0000000000000000000000000000dead', [] as unknown as DeploymentPatch));
    assert.equal(api.requests.length, 0);
  });

  it('a 400 answer becomes a QoderApiError with the field the server named, and the deployment is unchanged', async () => {
    const id = await fresh();
    const before = await client.getDeployment(id);
    const e = await apiError(client.updateDeployment(id, { metadata: { cas_config: 'x' } }));
    assert.equal(e.status, 400);
    assert.equal(e.param, 'metadata.cas_config');
    assert.deepEqual((await client.getDeployment(id)).raw, before.raw);
  });
});
