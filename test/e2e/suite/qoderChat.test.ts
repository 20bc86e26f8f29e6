// Qoder in the editor's AI chat, inside the real extension host: the MCP server definition
// provider is registered under the contributed id and VS Code consults it; VS Code lists our
// language-model tools; vscode.lm.invokeTool runs a read tool, and for a write tool VS Code asks
// prepareInvocation first and gets our confirmation. (VS Code does not show that dialog while
// extension tests run: its DialogService answers confirm() with `confirmed: true` and logs
// "refused to show confirmation dialog in tests", so the test checks what we handed VS Code to
// show.) Runs after qoder.test.ts, with its own local API and token, and leaves the settings as
// it found them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestHooks } from '../../../src/extension';
import { MCP_PROVIDER_ID } from '../../../src/chat/model/endpoint';
import { EXTENSION_ID, hooks, QODER_ID, requestsTo, ScriptedUi, setSetting, startApi, waitFor, type HostApi, type Json } from './lib/host';

const textOf = (r: vscode.LanguageModelToolResult) => r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
const TOOLS = ['qoder_attention', 'qoder_explainRun', 'qoder_pauseDeployment', 'qoder_resumeDeployment', 'qoder_runDeployment'];

describe('Qoder in the AI chat, in the extension host', function () {
  this.timeout(60_000);
  let h: TestHooks;
  let host: HostApi;
  const ui = new ScriptedUi();
  const prepared = (): vscode.PreparedToolInvocation | undefined => h.chat.lastPrepared;
  let aiFeatures: boolean | undefined;

  before(async function () {
    this.timeout(60_000);
    assert.equal(EXTENSION_ID, QODER_ID, `these tests need ${QODER_ID}, the run is for ${EXTENSION_ID}`);
    // The runner's quiet settings turn the AI features off; the chat APIs are what is tested here.
    const chat = vscode.workspace.getConfiguration('chat');
    aiFeatures = chat.inspect<boolean>('disableAIFeatures')?.globalValue;
    await chat.update('disableAIFeatures', false, vscode.ConfigurationTarget.Global);
    host = await startApi(20);
    h = await hooks();
    h.setUi(ui);
    await setSetting('autoRefreshSeconds', 0);
    await setSetting('apiBaseUrl', host.api.baseUrl);
    await waitFor(() => h.services.connection.apiBaseUrl === host.api.baseUrl, 'the extension to pick up qoder.apiBaseUrl');
    await h.services.tokens.set(host.api.baseUrl, host.token);
    await waitFor(() => h.services.connection.hasToken, 'the token to be read');
    await h.services.store.refresh();
    assert.equal(h.services.store.state, 'ready');
  });

  after(async function () {
    this.timeout(30_000);
    if (!h) return;
    await vscode.commands.executeCommand('qoder.clearToken').then(undefined, () => undefined);
    await setSetting('autoRefreshSeconds', undefined);
    await setSetting('apiBaseUrl', undefined);
    await vscode.workspace.getConfiguration('chat').update('disableAIFeatures', aiFeatures, vscode.ConfigurationTarget.Global);
    await host?.api.close();
  });

  it('registers the MCP server definition provider under the contributed id, and VS Code asks it for the server of the current connection', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes?.mcpServerDefinitionProviders ?? []) as { id: string }[];
    assert.deepEqual(contributed.map((p) => p.id), [MCP_PROVIDER_ID]);
    assert.equal(h.chat.registered.mcpProvider, true, `vscode.lm.registerMcpServerDefinitionProvider exists in VS Code ${vscode.version}`);
    const before = h.chat.timesProvided;
    // a token change fires onDidChangeMcpServerDefinitions; VS Code answers by asking again
    await h.services.tokens.set(host.api.baseUrl, host.token + 'x');
    await h.services.tokens.set(host.api.baseUrl, host.token);
    await waitFor(() => h.services.connection.hasToken, 'the token to be read again');
    await waitFor(() => h.chat.timesProvided > before, 'VS Code to ask the provider for its servers after the change event', 20_000);
    const [def] = h.chat.provideMcpServerDefinitions() as vscode.McpHttpServerDefinition[];
    assert.equal(def!.uri.toString(), `${host.api.origin}/api/v1/mcp/servers/qca`);
    assert.deepEqual(def!.headers, {}, 'no token in the listed definition');
  });

  it('VS Code lists the five qoder_ tools with their input schemas, and no archive tool', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('qoder_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), [...TOOLS].sort());
    for (const t of ours) assert.equal((t.inputSchema as { type?: string } | undefined)?.type, 'object', t.name);
    assert.ok(ours.every((t) => t.tags.includes('qoder')));
  });

  it('vscode.lm.invokeTool runs qoder_attention: the deployments that need attention, as the local API has them', async () => {
    const flagged = (host.api.account().list() as Json[]).filter((d) => !d.archived_at && ((d.status === 'paused' && (d.paused_reason as Json | null)?.type === 'error') || Number((((d.metadata as Json)?.cas_config as Json)?.stats as Json)?.consecutive_failures ?? 0) > 0));
    const result = await vscode.lm.invokeTool('qoder_attention', { input: { limit: 50 }, toolInvocationToken: undefined });
    const text = textOf(result);
    assert.match(text, new RegExp(`Deployments that need attention: ${flagged.length}\\.`));
    for (const d of flagged.slice(0, 5)) assert.ok(text.includes(d.id as string), `${d.id as string} is listed`);
  });

  it('vscode.lm.invokeTool on qoder_pauseDeployment: VS Code asks prepareInvocation, which reads the deployment and confirms with its name, region and the runs that will not happen; then it pauses', async () => {
    const target = (host.api.account().list() as Json[]).find((d) => d.status === 'active' && !d.archived_at && d.schedule && !(((d.metadata as Json)?.cas_config as Json)?.stats as Json)?.consecutive_failures)!;
    assert.ok(target);
    host.api.resetRequests();
    h.chat.lastPrepared = undefined;
    const result = await vscode.lm.invokeTool('qoder_pauseDeployment', { input: { deploymentId: target.id }, toolInvocationToken: undefined });
    const confirmation = prepared()?.confirmationMessages;
    assert.ok(confirmation, 'VS Code called prepareInvocation and got a confirmation');
    assert.equal(confirmation.title, `Pause “${target.name as string}”?`);
    const message = (typeof confirmation.message === 'string' ? confirmation.message : confirmation.message.value).replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(message, /Region: custom/);
    assert.match(message, /will not happen/);
    const reads = requestsTo(host.api, 'GET', new RegExp(`/deployments/${target.id as string}$`));
    const pauses = requestsTo(host.api, 'POST', /\/pause$/);
    assert.ok(reads.length >= 1 && pauses.length === 1 && reads[0]!.at <= pauses[0]!.at, 'the deployment was read before the one pause was sent');
    assert.match(textOf(result), /^Paused /);
    assert.equal(host.api.account().get(target.id as string)!.status, 'paused');
    assert.equal(h.services.store.get(target.id as string)?.status, 'paused', 'the view follows, as after the command');
  });

  it('a write tool on a deployment it does not fit asks nothing and sends nothing', async () => {
    const paused = (host.api.account().list() as Json[]).find((d) => d.status === 'paused' && !d.archived_at)!;
    host.api.resetRequests();
    h.chat.lastPrepared = undefined;
    const result = await vscode.lm.invokeTool('qoder_pauseDeployment', { input: { deploymentId: paused.id }, toolInvocationToken: undefined });
    assert.equal(prepared()?.confirmationMessages, undefined);
    assert.match(textOf(result), /already paused\. Nothing was sent\./);
    assert.equal(requestsTo(host.api, 'POST', /\/pause$/).length, 0);
  });
});
