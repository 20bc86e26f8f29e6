// The session report (issue 21 item 2) under the fake vscode against the local API: Open Session
// opens a webview panel per session (revealed when opened again), fed by the session's one view
// and stream, posting only what changed; the page's buttons run our commands on the panel's own
// session and nothing else; the title bar's buttons find the session of the panel in front.
// Waits on events (posted messages, requests), never on the clock.

import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateConnected, cmd, fake, until } from '../unit/harness';
import { RunNode } from '../../src/deployments/deploymentsTree';
import { window, type FakeWebviewPanel } from '../fakes/vscode';
import { secretKey } from '../../src/connection/tokenStore';

const TOKEN = 'pt-unit-report-secret-0021';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 30, quiet: true, liveSessionMs: 600, heartbeatMs: 50 });
});
after(() => api.close());
afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

async function connected(): Promise<Activated> {
  ext = await activateConnected(api, TOKEN);
  return ext;
}

type Update = { type: 'update'; head?: string; kind: string; from: number; blocks: string[]; running: boolean; waiting: boolean };

/** The page is loaded: the panel posts the whole report, then what changes. */
function ready(panel: FakeWebviewPanel): Update[] {
  panel.fromPage({ type: 'ready' });
  return panel.posted as Update[];
}

function liveDeployment(e: Activated) {
  return e.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at)!;
}

/** Commands the extension ran, but setting context keys. */
function ran(): string[] {
  return fake.executed.filter((x) => x.command !== 'setContext').map((x) => x.command);
}

test('Open Session on a run row opens its report (one panel per session, revealed when opened again); the page is locked down; Open as Markdown shares the loaded session', async () => {
  const e = await connected();
  let node: RunNode | undefined;
  for (const d of e.hooks.services.store.deployments) {
    node = (await e.hooks.tree.getChildren(e.hooks.tree.nodeFor(d.id))).find((n): n is RunNode => n instanceof RunNode && n.run.session_id !== null);
    if (node) break;
  }
  assert.ok(node, 'a run with a session');
  const sid = node.run.session_id!;
  api.resetRequests();
  await cmd('qoder.openSession', node);
  assert.equal(fake.panels.length, 1);
  const panel = fake.panels[0]!;
  assert.equal(panel.viewType, 'qoder.sessionReport');
  assert.equal(panel.options.enableScripts, true);
  assert.deepEqual(panel.options.localResourceRoots.map(String), ['file:/extension/media'], 'resources from media/ only');
  assert.match(panel.webview.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src https:\/\/fake-webview\.vscode-cdn\.net 'nonce-[^']+'; script-src 'nonce-[^']+'; img-src https:\/\/fake-webview\.vscode-cdn\.net/);
  assert.equal(window.activeTextEditor, undefined, 'no Markdown source opened');
  const posted = ready(panel);
  await until(() => posted.length > 0, 'the report');
  assert.equal(posted[0]!.from, 0);
  assert.match(posted[0]!.head ?? '', /^<h1>/);
  assert.match(posted[0]!.head ?? '', /<strong>Status:<\/strong>/);
  assert.ok(posted[0]!.blocks.some((b) => b.startsWith('<h2>Turn 1</h2>')), 'the transcript');
  // From the toast or the palette (another title): the same panel, revealed.
  await cmd('qoder.openSession', node.deploymentId, node.run.id, sid);
  assert.equal(fake.panels.length, 1, 'one panel per session');
  assert.equal(panel.revealed, 1);
  // Open as Markdown: the document of the same session, read from the view already loaded.
  panel.fromPage({ type: 'action', action: 'markdown' });
  await until(() => window.activeTextEditor !== undefined, 'the Markdown document');
  const doc = window.activeTextEditor!.document;
  assert.match(String(doc.uri), new RegExp(`session=${sid}`));
  assert.match(doc.getText(), /\*\*Status:\*\*/);
  // (The run rows ask for a session's newest events, order=desc; the report and the document read them in order.)
  const listed = api.requests.filter((r) => r.path.endsWith(`${sid}/events`) && r.query.order !== 'desc');
  assert.equal(listed.length, 1, `the session's events were listed once for both (${JSON.stringify(listed.map((r) => r.query))})`);
});

test('a live run\'s report: the whole report once, then only the blocks that changed; Stop Run shown while it runs; one stream for the report and the document', async () => {
  const e = await connected();
  const dep = liveDeployment(e);
  const run = await e.hooks.services.connection.requireClient().runDeployment(dep.id);
  api.resetRequests();
  await cmd('qoder.openSession', dep.id, run.id, run.session_id);
  const panel = fake.panels.at(-1)!;
  const posted = ready(panel);
  await until(() => posted.length > 0, 'the first update');
  assert.equal(posted[0]!.running, true, 'Stop Run is shown');
  assert.equal(posted[0]!.kind, 'running');
  await cmd('qoder.openSessionMarkdown', dep.id, run.id, run.session_id);
  await until(() => posted.some((m) => !m.running), 'the end of the turn', 8000);
  const total = posted.reduce((n, m) => Math.max(n, m.from + m.blocks.length), 0);
  const later = posted.slice(1).filter((m) => m.blocks.length > 0);
  assert.ok(later.length > 0, 'the report grew');
  for (const m of later) assert.ok(m.from > 0 && m.blocks.length < total, `an update posted blocks ${m.from}… (${m.blocks.length} of ${total}), not the whole report`);
  const last = posted.at(-1)!;
  assert.equal(last.running, false, 'Stop Run is hidden once the turn ended');
  assert.equal(api.requests.filter((r) => r.path.endsWith('/events/stream')).length, 1, 'one stream for the report and the document');
});

test('the page names actions, never commands: anything else it posts runs nothing; Stop Run asks about the panel\'s own run; the title bar\'s buttons act on the panel in front', async () => {
  const e = await connected();
  const dep = liveDeployment(e);
  const run = await e.hooks.services.connection.requireClient().runDeployment(dep.id);
  await cmd('qoder.openSession', { deploymentId: dep.id, run }); // as the tree passes a clicked run
  const panel = fake.panels.at(-1)!;
  const before = ran().length;
  for (const m of [{ type: 'action', action: 'qoder.clearToken' }, { type: 'command', command: 'qoder.clearToken' }, { type: 'action', action: 'constructor' }, 'stop', null]) panel.fromPage(m);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(ran().slice(before), [], 'nothing ran');
  // Stop Run: Cancel Session's modal, in the user's words, Keep Running first.
  fake.answers.push('Keep Running');
  panel.fromPage({ type: 'action', action: 'stop' });
  await until(() => fake.shown.some((s) => s.options?.modal), 'the modal');
  const asked = fake.shown.find((s) => s.options?.modal)!;
  assert.match(asked.message, new RegExp(`^Stop the run of “${dep.name}” started .+\\?$`));
  assert.deepEqual(asked.items, ['Keep Running', 'Stop Run']);
  assert.equal(api.requests.filter((r) => r.path.endsWith('/cancel')).length, 0, 'Keep Running sends nothing');
  // The title bar's Stop Run passes no argument: the panel in front says which run.
  fake.answers.push('Stop Run');
  await cmd('qoder.cancelSession');
  assert.equal(fake.shown.filter((s) => s.options?.modal).at(-1)!.message, asked.message);
  await until(() => api.requests.some((r) => r.path.endsWith(`${run.session_id}/cancel`)), 'the cancel');
  // Send Message…: asks for the message of that session (the turn may still be ending).
  const inputs = fake.inputOptions.length;
  const infos = fake.shown.length;
  fake.inputAnswers.push(undefined);
  panel.fromPage({ type: 'action', action: 'send' });
  await until(() => fake.inputOptions.length > inputs || fake.shown.length > infos, 'the message box, or why not now');
});

test('a run waiting for a decision: the report offers Review / Allow / Deny…, no Stop Run; Review opens the Markdown at the pending calls; Allow asks first', async () => {
  const e = await connected();
  const sid = api.sessions(TOKEN).waitingSessionId()!;
  let node: RunNode | undefined;
  for (const d of e.hooks.services.store.deployments) {
    node = (await e.hooks.tree.getChildren(e.hooks.tree.nodeFor(d.id))).find((n): n is RunNode => n instanceof RunNode && n.run.session_id === sid);
    if (node) break;
  }
  assert.ok(node, 'the waiting run is in the tree');
  await cmd('qoder.openSession', node);
  const panel = fake.panels.at(-1)!;
  const posted = ready(panel);
  await until(() => posted.length > 0, 'the report');
  assert.equal(posted[0]!.waiting, true, 'Review / Allow / Deny… are shown');
  assert.equal(posted[0]!.running, false, 'no Stop Run');
  assert.ok(posted[0]!.blocks.some((b) => /<h2>⏸ Waiting for your decision<\/h2>/.test(b)), 'the pending calls in the report');
  panel.fromPage({ type: 'action', action: 'review' });
  await until(() => (window.activeTextEditor?.revealed?.length ?? 0) > 0, 'the pending calls revealed in the Markdown document');
  const editor = window.activeTextEditor!;
  const lines = (editor.document.getText() as string).split('\n');
  const revealed = editor.revealed![0] as { start: { line: number }; end: { line: number } };
  assert.equal(lines[revealed.start.line], '## ⏸ Waiting for your decision');
  assert.equal(revealed.end.line, lines.length - 1, 'down to the end, where the calls are');
  // Allow from the report: which call (or all), then the modal (dismissed here); nothing sent without a yes.
  const shown = fake.shown.length;
  fake.pickAnswers.push((items: readonly { label: string }[]) => items.find((i) => /^Allow all 2 calls/.test(i.label)));
  fake.answers.push(undefined);
  panel.fromPage({ type: 'action', action: 'allow' });
  await until(() => fake.shown.slice(shown).some((s) => s.options?.modal), 'the Allow modal');
  assert.match(fake.pickCalls.at(-1)!.options.placeHolder, /Which call do you allow\?/);
  assert.equal(api.sessions(TOKEN).events(sid).filter((ev) => ev.type === 'user.tool_confirmation').length, 0, 'nothing allowed without a yes');
});

test('a cancelled run\'s report says cancelled, never done', async () => {
  const e = await connected();
  const dep = liveDeployment(e);
  const client = e.hooks.services.connection.requireClient();
  const run = await client.runDeployment(dep.id);
  await client.cancelSession(run.session_id!);
  await until(() => api.sessions(TOKEN).status(run.session_id!) === 'idle', 'the session to stop');
  await cmd('qoder.openSession', dep.id, run.id, run.session_id);
  const posted = ready(fake.panels.at(-1)!);
  await until(() => posted.some((m) => !m.running && /cancelled/.test(m.head ?? '')), 'the cancelled report', 8000);
  const head = [...posted].reverse().find((m) => m.head !== undefined)!.head!;
  assert.match(head, /<strong>Status:<\/strong> cancelled/);
  assert.doesNotMatch(head, /\bdone\b/);
  assert.equal(posted.at(-1)!.kind, 'cancelled');
});

test('another account: the report panels close, nothing of the old session stays on screen', async () => {
  const e = await connected();
  const dep = liveDeployment(e);
  const run = await e.hooks.services.connection.requireClient().runDeployment(dep.id);
  await cmd('qoder.openSession', dep.id, run.id, run.session_id);
  const panel = fake.panels.at(-1)!;
  const before = e.hooks.services.connection.generation;
  await e.secrets.store(secretKey(api.baseUrl), 'pt-unit-report-other-account');
  await until(() => e.hooks.services.connection.generation !== before, 'the new connection');
  assert.equal(panel.disposed, true);
});
