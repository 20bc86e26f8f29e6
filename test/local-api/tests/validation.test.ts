// The local API's own validation of create and update (test/local-api/store.ts), over raw HTTP:
// each invalid value answers 400 naming the field (`param`) as deployments-api.md documents, and
// changes nothing; and the choices the reference leaves open. The client's side of a 400 is in
// test/integration/deployment-edit.test.ts.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startLocalApi, type LocalApi } from '../server';
import { assertError, call, clock, FIXED_NOW, TOKEN, type Dep } from '../test-helpers';

const clk = clock(FIXED_NOW);
let api: LocalApi;

before(async () => {
  api = await startLocalApi({ token: TOKEN, seed: 30, quiet: true, now: clk.now });
});
after(() => api.close());
beforeEach(() => {
  clk.set(FIXED_NOW);
  api.clearFaults();
  api.reseed(30);
});

const BASE = {
  name: 'nightly-report',
  agent: 'agent_019ec5561c5d7a4c8a1b2c3d4e5f6a7b',
  environment_id: 'env_019ec5561c5d7a4c8a1b2c3d4e5f6a7b',
  initial_events: [{ type: 'user.message', content: [{ type: 'text', text: 'Write the report.' }] }],
};

const create = (body: unknown) => call(api, 'POST', '/deployments', { body });
const update = (id: string, body: unknown) => call(api, 'POST', `/deployments/${id}`, { body });
const get = async (id: string): Promise<Dep> => (await call(api, 'GET', `/deployments/${id}`)).json as Dep;

describe('local API: create refuses each invalid value with 400 naming it', () => {
  const missing = ['name', 'agent', 'environment_id', 'initial_events'];
  for (const field of missing) {
    it(`answers 400 naming "${field}" when ${field} is missing, and creates nothing`, async () => {
      const before = api.account().all().length;
      const body: Record<string, unknown> = { ...BASE };
      delete body[field];
      const env = assertError(await create(body), 400, 'invalid_request_error', field);
      assert.equal(env.error.message, `Missing required field: ${field}`);
      assert.equal(api.account().all().length, before);
    });
  }

  const bad: [string, Record<string, unknown>, string][] = [
    ['an empty name', { name: '' }, 'name'],
    ['a name of 257 characters', { name: 'n'.repeat(257) }, 'name'],
    ['an agent that is not an agent id', { agent: 'env_1' }, 'agent'],
    ['a pinned agent without a version', { agent: { id: 'agent_1', type: 'agent' } }, 'agent.version'],
    ['an environment id without env_', { environment_id: 'agent_1' }, 'environment_id'],
    ['no initial events', { initial_events: [] }, 'initial_events'],
    ['51 initial events', { initial_events: Array.from({ length: 51 }, () => ({ type: 'user.message', content: 'x' })) }, 'initial_events'],
    ['an event of unknown type', { initial_events: [{ type: 'assistant.message', content: 'x' }] }, 'initial_events[0].type'],
    ['51 vault ids', { vault_ids: Array.from({ length: 51 }, (_, i) => `vault_${i}`) }, 'vault_ids'],
    ['a resource of unknown type', { resources: [{ type: 'ftp' }] }, 'resources[0].type'],
    ['a metadata value that is not a string', { metadata: { team: 7 } }, 'metadata.team'],
    ['a description that is not a string', { description: 42 }, 'description'],
    ['a schedule type other than cron', { schedule: { type: 'rate', expression: '0 * * * *', timezone: 'UTC' } }, 'schedule.type'],
    ['a schedule without a time zone', { schedule: { type: 'cron', expression: '0 * * * *' } }, 'schedule.timezone'],
    ['a cron expression with 4 fields', { schedule: { type: 'cron', expression: '0 0 * *', timezone: 'UTC' } }, 'schedule.expression'],
    ['a cron minute of 60', { schedule: { type: 'cron', expression: '60 * * * *', timezone: 'UTC' } }, 'schedule.expression'],
    ['an @daily shortcut', { schedule: { type: 'cron', expression: '@daily', timezone: 'UTC' } }, 'schedule.expression'],
    ['an unknown time zone', { schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus' } }, 'schedule.timezone'],
  ];
  for (const [what, change, param] of bad) {
    it(`answers 400 naming "${param}" for ${what}, and creates nothing`, async () => {
      const before = api.account().all().length;
      assertError(await create({ ...BASE, ...change }), 400, 'invalid_request_error', param);
      assert.equal(api.account().all().length, before);
    });
  }
});

describe('local API: update refuses each invalid value with 400 naming it', () => {
  async function fresh(): Promise<string> {
    const res = await create({ ...BASE, description: 'old', metadata: { team: 'a', owner: 'b' }, vault_ids: ['vault_1'], schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' } });
    assert.equal(res.status, 200, res.text);
    return (res.json as Dep).id;
  }

  const bad: [string, Record<string, unknown>, string][] = [
    ['an empty name', { name: '' }, 'name'],
    ['a name of 257 characters', { name: 'x'.repeat(257) }, 'name'],
    ['an agent that is not an agent id', { agent: 'dep_1' }, 'agent'],
    ['an environment id without env_', { environment_id: 'x' }, 'environment_id'],
    ['no initial events', { initial_events: [] }, 'initial_events'],
    ['51 vault ids', { vault_ids: Array.from({ length: 51 }, (_, i) => `vault_${i}`) }, 'vault_ids'],
    ['a metadata value that is a number', { metadata: { team: 1 } }, 'metadata.team'],
    ['a reserved metadata key', { metadata: { cas_config: 'x' } }, 'metadata.cas_config'],
    ['a cron expression with 6 fields', { schedule: { type: 'cron', expression: '0 0 9 * * *', timezone: 'UTC' } }, 'schedule.expression'],
    ['a day-of-week of 8', { schedule: { type: 'cron', expression: '0 9 * * 8', timezone: 'UTC' } }, 'schedule.expression'],
    ['an unknown time zone', { schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Europe/Atlantis' } }, 'schedule.timezone'],
    ['a schedule without an expression', { schedule: { type: 'cron', timezone: 'UTC' } }, 'schedule.expression'],
  ];
  for (const [what, patch, param] of bad) {
    it(`answers 400 naming "${param}" for ${what}, and changes nothing`, async () => {
      const id = await fresh();
      const before = await get(id);
      assertError(await update(id, patch), 400, 'invalid_request_error', param);
      assert.deepEqual(await get(id), before);
    });
  }

  it('turns a scheduled deployment manual-only with schedule: null (local API choice)', async () => {
    const id = await fresh();
    const res = await update(id, { schedule: null });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.json as Dep).schedule, null);
  });

  it('answers 409 conflict_error for an archived deployment (local API choice)', async () => {
    const id = await fresh();
    assert.equal((await call(api, 'POST', `/deployments/${id}/archive`)).status, 200);
    assertError(await update(id, { description: 'x' }), 409, 'conflict_error');
  });
});
