// The connection's lifecycle under the fake vscode against the local API: a rejected Set Token
// (a typo while signed in) changes the sign-in message and nothing else (issue 18 D2–D4 and the
// attention baseline; issue 19 item 14); a real change of connection resets what belongs to it.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { invalidate } from '../local-api/model';
import { type Activated, activateConnected, cmd, fake, until } from '../unit/harness';
import { Uri, window } from '../fakes/vscode';
import type { DeploymentFiles } from '../../src/editing/deploymentFiles';
import type { EditorHost } from '../../src/editing/editorHost';
import { editUri, newUri } from '../../src/editing/deploymentFiles';
import { documentText } from '../../src/editing/model/deploymentDocument';
import { promptedTemplate } from '../unit/fixtures';

const TOKEN = 'pt-unit-lifecycle-secret-0018';
const TYPO = 'pt-unit-lifecycle-typo-00000';
let api: LocalApi;
let ext: Activated;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 18, quiet: true, liveSessionMs: 2_000, heartbeatMs: 50 });
});
after(() => api.close());
beforeEach(async () => {
  api.reseed(18);
  ext = await activateConnected(api, TOKEN);
});
afterEach(() => ext.dispose());

const files = (): DeploymentFiles => (fake.providers.get('fs:qoder') as EditorHost).editor().files;
const services = () => ext.hooks.services;
const posts = () => api.requests.filter((r) => r.method === 'POST');
const activeOne = () => services().store.deployments.find((d) => !d.archived_at && d.schedule && d.status === 'active' && !d.stats?.consecutive_failures)!;
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Set Personal Access Token with a token the server rejects (401), while signed in. */
async function rejectedSetToken(): Promise<void> {
  const generation = services().connection.generation;
  fake.inputAnswers.push(TYPO);
  await cmd('qoder.setToken');
  assert.ok(services().connection.signInError, 'the sign-in message says the token was rejected');
  assert.equal(services().connection.generation, generation, 'still the same connection');
  assert.equal(services().connection.requireClient() !== undefined, true);
}

test('D2: after a rejected Set Token, saving an open edit document still compares with the copy it was opened from (a colleague\'s newer change is not reverted silently)', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = JSON.parse(decode(await files().readFile(uri as never))) as Record<string, unknown>;
  await rejectedSetToken();
  api.account(TOKEN).update(d.id, { description: 'a colleague changed this' });
  api.resetRequests();
  fake.answers.push(undefined); // the user cancels whatever is asked
  await files().writeFile(uri as never, encode(JSON.stringify({ ...doc, description: 'mine' }))).catch(() => undefined);
  assert.ok(fake.shown.some((s) => s.options?.modal), 'the save asks before overwriting the newer server copy');
  assert.equal(posts().length, 0, 'nothing was sent');
  assert.equal(services().store.get(d.id)?.description === 'mine', false);
});

test('D3: after a rejected Set Token, an unsaved New Deployment document can still be saved (it creates the deployment)', async () => {
  const d = activeOne();
  const uri = newUri() as unknown as Uri;
  files().setNew(uri as never);
  await rejectedSetToken();
  api.resetRequests();
  const text = documentText({ ...promptedTemplate({ agentId: d.agent.id, environmentId: d.environment_id, timezone: 'UTC' }), name: 'kept-after-typo' });
  await files().writeFile(uri as never, encode(text));
  assert.equal(posts().filter((r) => r.path.endsWith('/deployments')).length, 1);
  assert.equal(files().takeCreated(uri as never)?.name, 'kept-after-typo');
});

test('D4: after a rejected Set Token, an open live session document keeps following the session to its end', async () => {
  const dep = activeOne();
  const run = await services().connection.requireClient().runDeployment(dep.id);
  await cmd('qoder.openSessionMarkdown', dep.id, run.id, run.session_id);
  const uri = window.activeTextEditor!.document.uri;
  const provider = fake.providers.get('qoder-session');
  let redraws = 0;
  provider.onDidChange(() => redraws++);
  assert.match(await provider.provideTextDocumentContent(uri), /\*live\*/);
  await rejectedSetToken();
  // VS Code asks for the text again only when the provider says it changed.
  let text = '';
  for (;;) {
    const seen = redraws;
    await until(() => redraws > seen, 'the document to go on following the session', 5_000);
    text = await provider.provideTextDocumentContent(uri);
    if (/turn ended/.test(text)) break;
  }
  assert.match(text, /turn ended/);
});

test('the attention baseline and the status bar survive a rejected Set Token: the next load still notifies a new problem', async () => {
  const target = activeOne();
  const count = ext.hooks.statusBar.shownText;
  await rejectedSetToken();
  assert.equal(ext.hooks.statusBar.shownText, count, 'the status bar is not cleared');
  const rec = api.account(TOKEN).record(target.id)!;
  rec.status = 'paused';
  rec.paused_reason = { error: { type: 'environment_not_found_error' }, type: 'error' };
  invalidate(rec);
  await services().store.refresh();
  assert.equal(fake.shown.filter((s) => s.message.includes('was paused after an error')).length, 1);
});

test('a real change of connection (Clear Token) resets every registered part, in one list', async () => {
  const names = services().connection.resetNames();
  for (const part of ['deployments', 'runs', 'session statuses and names', 'session documents', 'attention', 'edit documents']) {
    assert.ok(names.includes(part), `${part} is reset with the connection (registered: ${names.join(', ')})`);
  }
  let connected = 0;
  services().connection.onDidConnect(() => connected++);
  await cmd('qoder.clearToken');
  await until(() => connected > 0, 'onDidConnect after sign-out');
  assert.equal(services().store.deployments.length, 0);
  assert.equal(ext.hooks.statusBar.shownText, undefined);
});
