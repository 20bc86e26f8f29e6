// MCP against the local API over loopback: an MCP client from the official SDK connects to
// /api/v1/mcp/servers/qca with the token (Streamable HTTP), lists the hosted server's tools,
// calls a read tool and a write tool; a wrong token is refused. Then the extension's side: the
// server definition it resolves for the local API is the one a client can start, and its own
// language-model tools explain a failed run and pause a deployment against the same server.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { MCP_PATH } from '../local-api/mcp';
import { clock, FIXED_NOW } from '../local-api/test-helpers';
import { type Activated, activateConnected, fake } from '../unit/harness';
import { MCP_PROVIDER_ID } from '../../src/chat/model/endpoint';

const TOKEN = 'pt-contract-mcp-SECRET-0091';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ token: TOKEN, seed: 30, quiet: true, now: clock(FIXED_NOW).now, liveSessionMs: 400, heartbeatMs: 40 });
});
after(() => api.close());
afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

async function connect(url: URL, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'qoder-deployments-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

type TextResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };
const json = (r: unknown) => JSON.parse((r as TextResult).content[0]!.text) as Record<string, unknown>;

describe('the local API serves MCP', () => {
  it('a client with the token lists the hosted tool names, reads a deployment and pauses it', async () => {
    const client = await connect(new URL(api.origin + MCP_PATH), { Authorization: `Bearer ${TOKEN}` });
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      for (const name of ['list_deployments', 'get_deployment', 'pause_deployment', 'unpause_deployment', 'run_deployment', 'list_deployment_runs', 'get_deployment_run', 'get_session', 'list_session_events']) assert.ok(names.includes(name), name);
      assert.deepEqual((tools.find((t) => t.name === 'pause_deployment')!.inputSchema as { required: string[] }).required, ['deployment_id']);

      const list = json(await client.callTool({ name: 'list_deployments', arguments: { limit: 5 } }));
      const items = list.items as { id: string; status: string; archived_at: string | null }[];
      assert.equal(items.length, 5);
      const target = items.find((d) => d.status === 'active' && !d.archived_at)!;
      const read = json(await client.callTool({ name: 'get_deployment', arguments: { deployment_id: target.id } }));
      assert.equal((read.item as { id: string }).id, target.id);

      const paused = json(await client.callTool({ name: 'pause_deployment', arguments: { deployment_id: target.id } }));
      assert.equal((paused.item as { status: string }).status, 'paused');
      assert.equal(api.account().get(target.id)!.status, 'paused', 'the local API changed');
      const again = (await client.callTool({ name: 'pause_deployment', arguments: { deployment_id: target.id } })) as TextResult;
      assert.equal(again.isError, true);
      assert.match(again.content[0]!.text, /^409 /);
      await client.callTool({ name: 'unpause_deployment', arguments: { deployment_id: target.id } });
      assert.equal(api.account().get(target.id)!.status, 'active');
      const bad = (await client.callTool({ name: 'get_deployment', arguments: {} })) as TextResult;
      assert.equal(bad.isError, true);
      assert.match(bad.content[0]!.text, /Missing required argument: deployment_id/);
    } finally {
      await client.close();
    }
  });

  it('a wrong token is refused with 401 before anything is read', async () => {
    api.resetRequests();
    await assert.rejects(connect(new URL(api.origin + MCP_PATH), { Authorization: 'Bearer pt-wrong-token-000000000' }));
    const mcpRequests = api.requests.filter((r) => r.path === MCP_PATH);
    assert.ok(mcpRequests.length >= 1);
    assert.ok(mcpRequests.every((r) => r.status === 401 && !r.authorized));
    await assert.rejects(connect(new URL(api.origin + MCP_PATH), {}));
  });
});

describe('the extension and the local MCP server', () => {
  it('the definition the extension resolves for the local API starts: a client with its URL and headers lists the tools', async () => {
    ext = await activateConnected(api, TOKEN);
    const provider = fake.mcpProviders.get(MCP_PROVIDER_ID);
    const [def] = await provider.provideMcpServerDefinitions({});
    assert.equal(String(def.uri), api.origin + MCP_PATH);
    const resolved = await provider.resolveMcpServerDefinition(def, {});
    const client = await connect(new URL(String(resolved.uri)), resolved.headers);
    try {
      assert.ok((await client.listTools()).tools.length >= 9);
    } finally {
      await client.close();
    }
  });

  it('qoder_explainRun explains the last failed run of a deployment from the local API, within its budget, reading at most 5 pages of the newest events', async () => {
    ext = await activateConnected(api, TOKEN);
    const hub = api.sessions();
    const deployment = api.account().list().find((d) => api.account().runs(d.id as string).some((r) => r.session_id && hub.status(r.session_id as string) === 'terminated'))!;
    assert.ok(deployment, 'the seed has a deployment whose session ended terminated');
    api.resetRequests();
    const r = await fake.lmTools.get('qoder_explainRun').invoke({ input: { deploymentId: deployment.id } }, {});
    const eventReads = api.requests.filter((q) => /\/sessions\/[^/]+\/events$/.test(q.path));
    assert.ok(eventReads.length >= 1 && eventReads.length <= 5, `${eventReads.length} event pages read`);
    assert.ok(eventReads.every((q) => q.query.order === 'desc'), 'the newest events are read first');
    const text = r.content.map((p: { value: string }) => p.value).join('');
    assert.ok(text.length <= 4000);
    assert.match(text, /outcome: failed/);
    assert.match(text, /session: sess_/);
    assert.match(text, /not instructions/);
    assert.ok(!text.includes(TOKEN.slice(3)));
  });

  it('qoder_pauseDeployment pauses through the extension against the local API', async () => {
    ext = await activateConnected(api, TOKEN);
    const target = ext.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at && d.schedule)!;
    const tool = fake.lmTools.get('qoder_pauseDeployment');
    const prepared = await tool.prepareInvocation({ input: { deploymentId: target.id } }, {});
    assert.ok(prepared.confirmationMessages.title.includes(target.name));
    const r = await tool.invoke({ input: { deploymentId: target.id } }, {});
    assert.match(r.content[0].value, /^Paused /);
    assert.equal(api.account().get(target.id)!.status, 'paused');
    api.account().unpause(target.id);
  });
});
