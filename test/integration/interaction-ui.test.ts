// Acting on a run in the editor, under the fake vscode against the local API: the seeded run
// that waits for a decision is told (notification with Review, status bar count, run row,
// deployment row), the transcript lists both pending calls with Allow / Deny… lenses, Allow asks
// in a modal that repeats the exact command, Deny sends the typed reason, the session runs on;
// Send Message keeps the text when sending fails; a delivered text file opens read-only, and the
// token never reaches the storage route. Waits on events, never on the clock.

import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { WAITING_CALLS } from '../local-api/sessions';
import { type Activated, activateConnected, cmd, fake, until } from '../unit/harness';
import { FileNode, FilesNode, RunNode } from '../../src/deployments/deploymentsTree';
import { window, type TreeItem } from '../fakes/vscode';
import { secretKey } from '../../src/connection/tokenStore';

const TOKEN = 'pt-unit-interaction-secret-7781';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 30, quiet: true, liveSessionMs: 300, heartbeatMs: 50 });
});
after(() => api.close());
afterEach(() => {
  ext?.dispose();
  ext = undefined;
  api.reseed(30);
});

const WAITING = `Waiting for your decision: Bash \`${WAITING_CALLS[0].input.command}\` and 1 more`;

async function waitingRun(e: Activated): Promise<RunNode> {
  const sid = api.sessions().waitingSessionId()!;
  for (const d of e.hooks.services.store.deployments) {
    const nodes = (await e.hooks.tree.getChildren(e.hooks.tree.nodeFor(d.id))).filter((n): n is RunNode => n instanceof RunNode);
    const hit = nodes.find((n) => n.run.session_id === sid);
    if (hit) return hit;
  }
  throw new Error('the waiting run is not in the tree');
}

test('a waiting run is told: one notification with Review, a status bar count, the run row and the deployment row', async () => {
  ext = await activateConnected(api, TOKEN);
  await ext.hooks.services.store.refresh();
  await until(() => fake.shown.some((s) => s.message.includes(WAITING)), 'the notification');
  const note = fake.shown.find((s) => s.message.includes(WAITING))!;
  assert.deepEqual(note.items, ['Review']);
  await until(() => fake.statusItems.some((i) => i.visible && i.text === '$(bell-dot) Qoder: 1 waiting'), 'the status bar count');
  const run = await waitingRun(ext);
  // The run row is in words (issue 21: no glyph read aloud); the icon is the picture.
  await until(() => /^waiting for your decision · /.test(String((ext!.hooks.tree.getTreeItem(run) as TreeItem).label)), 'the run row');
  const item = ext.hooks.tree.getTreeItem(run) as TreeItem;
  assert.match(String(item.contextValue), /\bwaiting\b/);
  const tip = String((item.tooltip as { value: string }).value);
  assert.ok(tip.includes('`' + WAITING_CALLS[0].input.command.replace(/&/g, '&') + '`') || tip.includes(WAITING_CALLS[0].input.command), tip.slice(0, 300));
  const depItem = ext.hooks.tree.getTreeItem(ext.hooks.tree.nodeFor(run.deploymentId)) as TreeItem;
  // The deployment row too: words, no ⏸ (a box in some fonts, "double vertical bar" aloud), and its screen-reader label says it.
  assert.match(String(depItem.description), /^waiting for your decision · /);
  assert.match(String(depItem.accessibilityInformation?.label), /^waiting for your decision, /);
  assert.doesNotMatch(tip, /⏸/);
  const depTip = (await ext.hooks.tree.resolveTreeItem(depItem as never, ext.hooks.tree.nodeFor(run.deploymentId))) as unknown as TreeItem;
  assert.doesNotMatch(String((depTip.tooltip as { value: string }).value), /⏸/);
  assert.match(String((depTip.tooltip as { value: string }).value), /Waiting(&nbsp;| )for(&nbsp;| )your/);
  // A second load does not tell it again.
  const count = fake.shown.filter((s) => s.message.includes(WAITING)).length;
  await ext.hooks.services.store.refresh();
  assert.equal(fake.shown.filter((s) => s.message.includes(WAITING)).length, count);
});

test('the session as Markdown (the report\'s Review) shows both pending calls, their full input and Allow / Deny… lenses; Allow (modal) and Deny (reason) let the session run on', async () => {
  ext = await activateConnected(api, TOKEN);
  const run = await waitingRun(ext);
  const sid = run.run.session_id!;
  await cmd('qoder.openSessionMarkdown', run);
  const uri = window.activeTextEditor?.document.uri;
  assert.ok(uri);
  const text: string = await fake.providers.get('qoder-session').provideTextDocumentContent(uri);
  assert.match(text, /## ⏸ Waiting for your decision/);
  for (const c of WAITING_CALLS) assert.ok(text.includes(c.input.command), c.input.command);
  const lines = text.split('\n');
  const lensProvider = fake.providers.get('codelens:qoder-session');
  const doc = { uri, lineCount: lines.length, lineAt: (i: number) => ({ text: lines[i] }) };
  const lenses = lensProvider ? lensProvider.provideCodeLenses(doc) : [];
  assert.equal(lenses.length, 4, 'Allow and Deny… on each pending call');
  const [allowFirst, , , denySecond] = lenses as { command: { command: string; arguments: unknown[] } }[];
  // Allow: the modal repeats the exact command.
  fake.answers.push((s) => (s.options?.modal ? 'Allow' : undefined));
  await cmd(allowFirst!.command.command, ...allowFirst!.command.arguments);
  const modal = fake.shown.find((s) => s.options?.modal);
  assert.ok(modal, 'a modal');
  assert.ok(String(modal.options.detail).includes(WAITING_CALLS[0].input.command));
  // Deny with a reason.
  fake.inputAnswers.push('No PRs from scheduled runs');
  await cmd(denySecond!.command.command, ...denySecond!.command.arguments);
  const events = () => api.sessions().events(sid);
  await until(() => events().some((e) => e.type === 'session.status_idle' && (e.stop_reason as { type: string }).type === 'end_turn'), 'the session ran on to the end of its turn', 8000);
  const confirmations = events().filter((e) => e.type === 'user.tool_confirmation');
  assert.deepEqual(confirmations.map((e) => [e.result, e.deny_message]), [['allow', undefined], ['deny', 'No PRs from scheduled runs']]);
  // The open document followed it live.
  const after: string = await fake.providers.get('qoder-session').provideTextDocumentContent(uri);
  assert.doesNotMatch(after, /## ⏸ Waiting for your decision/);
});

test('an answer goes through the write path: its reply after the account changed is dropped (nothing announced, no redraw of the old account)', async () => {
  ext = await activateConnected(api, TOKEN);
  const sid = api.sessions().waitingSessionId()!;
  const firstCall = api.sessions().events(sid).find((e) => e.type === 'agent.tool_use' && e.evaluated_permission === 'ask')!;
  api.injectFault({ route: 'POST /sessions/:id/events', kind: 'delay', delayMs: 400 });
  fake.answers.push((s) => (s.options?.modal ? 'Allow' : undefined));
  const sent = cmd('qoder.allowToolUse', { sessionId: sid, callId: firstCall.id });
  await until(() => api.requests.some((r) => r.method === 'POST' && r.path.endsWith(`${sid}/events`)), 'the answer on its way');
  const before = ext.hooks.services.connection.generation;
  await ext.secrets.store(secretKey(api.baseUrl), 'pt-unit-interaction-other-account');
  await until(() => ext!.hooks.services.connection.generation !== before, 'the new connection');
  await sent;
  assert.deepEqual(fake.announced.filter((a) => /Answer sent/.test(a)), [], 'the old account\'s answer is not reported in the new one');
  assert.ok(fake.logLines.some((l) => /Dropped the answer to answer tool use/.test(l)), 'the write path dropped it');
});

test('Send Message sends only when idle; when sending fails the input keeps the text', async () => {
  ext = await activateConnected(api, TOKEN);
  const waiting = await waitingRun(ext);
  await cmd('qoder.sendMessage', waiting);
  assert.ok(fake.shown.some((s) => /waits for your decision on a tool call/.test(s.message)), 'refused while a decision is pending');
  // A finished session.
  let done: RunNode | undefined;
  for (const d of ext.hooks.services.store.deployments) {
    for (const n of (await ext.hooks.tree.getChildren(ext.hooks.tree.nodeFor(d.id))).filter((x): x is RunNode => x instanceof RunNode)) {
      if (n.run.session_id && n.run.session_id !== waiting.run.session_id && (await ext.hooks.services.connection.requireClient().getSession(n.run.session_id)).status === 'idle') done = n;
      if (done) break;
    }
    if (done) break;
  }
  assert.ok(done);
  api.injectFault({ route: 'POST /sessions/:id/events', kind: 'status', status: 409 });
  fake.inputAnswers.push('also check the staging manifests');
  fake.answers.push(() => undefined);
  await cmd('qoder.sendMessage', done);
  fake.inputAnswers.push(undefined);
  await cmd('qoder.sendMessage', done);
  assert.equal(fake.inputOptions.at(-1)?.value, 'also check the staging manifests', 'the text typed before is offered again');
  fake.inputAnswers.push('also check the staging manifests');
  await cmd('qoder.sendMessage', done);
  await until(() => api.sessions().events(done!.run.session_id!).some((e) => e.type === 'agent.message' && JSON.stringify(e.content).includes('staging manifests')), 'the agent answers', 8000);
});

test('Files under a run: a delivered text file opens read-only by name; the storage route never sees our token', async () => {
  ext = await activateConnected(api, TOKEN);
  let file: FileNode | undefined;
  for (const d of ext.hooks.services.store.deployments) {
    for (const n of (await ext.hooks.tree.getChildren(ext.hooks.tree.nodeFor(d.id))).filter((x): x is RunNode => x instanceof RunNode && !!x.run.session_id)) {
      const [files] = (await ext.hooks.tree.getChildren(n)) as FilesNode[];
      assert.ok(files instanceof FilesNode);
      const children = await ext.hooks.tree.getChildren(files);
      file = children.find((c): c is FileNode => c instanceof FileNode && c.file.mime_type === 'text/markdown');
      if (file) break;
    }
    if (file) break;
  }
  assert.ok(file, 'a delivered Markdown file');
  await cmd('qoder.openArtifact', file);
  const shown = fake.opened.at(-1)!;
  assert.ok(decodeURIComponent(shown.uri).includes(file.file.filename), shown.uri);
  assert.match(shown.text, /^# /);
  assert.ok(api.storageRequests().length > 0);
  for (const r of api.storageRequests()) {
    assert.equal(r.authorization, undefined);
    assert.ok(!JSON.stringify(r).includes(TOKEN.slice(3)));
  }
});
