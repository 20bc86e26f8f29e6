// Token flow, pause/resume, run now, copy id, details, refresh and view state, under the fake
// vscode against the real local API.

import { detailsUri } from '../../src/deployments/detailsDocument';
import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateConnected, activateExtension, cmd, fake, until } from '../unit/harness';
import { secretKey } from '../../src/connection/tokenStore';

const TOKEN = 'pt-unit-commands-secret-0002';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 25, quiet: true, accounts: [{ token: 'pt-other-account', seed: 3, seedOffset: 1000 }] });
});
after(async () => {
  await api.close();
});
afterEach(() => {
  ext?.dispose();
  ext = undefined;
  api.clearFaults();
  api.reseed(25);
});


async function connected(): Promise<Activated> {
  ext = await activateConnected(api, TOKEN);
  return ext;
}

test('token: no token → signed out, welcome context keys set, nothing requested', async () => {
  api.resetRequests();
  ext = await activateExtension({ baseUrl: api.baseUrl });
  assert.equal(ext.hooks.services.store.state, 'signedOut');
  assert.equal(fake.contexts.get('qoder.hasToken'), false);
  assert.equal(api.requests.length, 0);
});

test('token: set validates with one cheap list call, saves only to secret storage, loads the view', async () => {
  ext = await activateExtension({ baseUrl: api.baseUrl });
  api.resetRequests();
  fake.inputAnswers.push(`  ${TOKEN}  `);
  await cmd('qoder.setToken');
  const opts = fake.inputOptions[0];
  assert.equal(opts.password, true);
  assert.equal(opts.ignoreFocusOut, true);
  assert.equal(opts.validateInput(''), 'The token cannot be empty.');
  assert.equal(opts.validateInput('   '), 'The token cannot be empty.');
  assert.equal(opts.validateInput('pt-x'), undefined);
  const first = api.requests[0];
  assert.equal(first.path, '/api/v1/cloud/deployments');
  assert.equal(first.query.limit, '1', 'validation is one cheap call');
  assert.equal(ext.secrets.data.get(secretKey(api.baseUrl)), TOKEN, 'trimmed and stored in SecretStorage');
  await until(() => ext!.hooks.services.store.state === 'ready', 'list to load');
  assert.equal(fake.contexts.get('qoder.hasToken'), true);
  assert.equal(fake.settings.global.size, 1, 'only the base URL setting (set by the test) exists; no token in settings');
  assert.equal(fake.allText().includes(TOKEN), false);
});

test('token: a rejected token is not saved', async () => {
  ext = await activateExtension({ baseUrl: api.baseUrl });
  fake.inputAnswers.push('pt-wrong-token');
  await cmd('qoder.setToken');
  assert.equal(ext.secrets.data.size, 0);
  const err = fake.shown.find((s) => s.kind === 'error')!;
  assert.match(err.message, /rejected this token \(401\).*Nothing was saved/);
  assert.equal(fake.allText().includes('pt-wrong-token'), false);
});

test('token: cancelling the input box changes nothing', async () => {
  ext = await activateExtension({ baseUrl: api.baseUrl });
  api.resetRequests();
  fake.inputAnswers.push(undefined);
  await cmd('qoder.setToken');
  assert.equal(api.requests.length, 0);
  assert.equal(ext.secrets.data.size, 0);
});

test('token: clear deletes it and signs out', async () => {
  await connected();
  await cmd('qoder.clearToken');
  assert.equal(ext!.secrets.data.size, 0);
  assert.equal(ext!.hooks.services.store.state, 'signedOut');
  assert.equal(ext!.hooks.services.store.deployments.length, 0);
  assert.equal(fake.contexts.get('qoder.hasToken'), false);
});

test('token: a change from another window reloads the view with the new account', async () => {
  await connected();
  const before = ext!.hooks.services.store.deployments.map((d) => d.id);
  const expected = api.account('pt-other-account').list().map((d) => d.id);
  assert.ok(expected.length > 0);
  await ext!.secrets.store(secretKey(api.baseUrl), 'pt-other-account');
  await until(() => ext!.hooks.services.store.state === 'ready' && ext!.hooks.services.store.deployments[0]?.id === expected[0], 'the other account');
  const after = ext!.hooks.services.store.deployments.map((d) => d.id);
  assert.deepEqual(after, expected);
  assert.equal(after.some((id) => before.includes(id)), false);
});

test('token: a 401 while loading offers Replace Token once', async () => {
  await connected();
  api.injectFault({ route: 'GET /deployments', kind: 'status', status: 401, times: 2 });
  fake.answers.push(undefined);
  await ext!.hooks.services.store.refresh({ fresh: true });
  await until(() => fake.shown.some((s) => s.kind === 'error'), 'the 401 message');
  const errs = fake.shown.filter((s) => s.kind === 'error');
  assert.equal(errs.length, 1);
  assert.deepEqual(errs[0].items, ['Replace Token']);
  assert.ok(ext!.hooks.services.store.deployments.length > 0, 'the list stays');
  assert.equal(ext!.hooks.services.store.stale, true);
});

test('refresh: a failure keeps the list, marks it stale in the view message, and says why', async () => {
  await connected();
  const n = ext!.hooks.services.store.deployments.length;
  api.injectFault({ route: 'GET /deployments', kind: 'status', status: 503, times: 3 });
  await cmd('qoder.refresh');
  const view = fake.views[0];
  assert.equal(ext!.hooks.services.store.deployments.length, n);
  assert.match(view.message ?? '', /^Stale: showing the list from .*Loading deployments failed: .*server error \(503\)/);
  assert.ok(fake.shown.some((s) => s.kind === 'error' && /503/.test(s.message)), 'a user refresh that fails says so');
  await cmd('qoder.refresh');
  assert.match(view.message ?? '', /^Updated now$/, 'a good refresh clears the stale mark');
});

test('refresh: the first load failing shows the error state for the welcome view', async () => {
  api.injectFault({ route: 'GET /deployments', kind: 'html', status: 502, times: 3 });
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
  await ext.hooks.services.store.refresh();
  assert.equal(fake.contexts.get('qoder.loadState'), 'error');
  assert.match(fake.views[0].message ?? '', /502/);
});

test('view: the message says how old the list is, and nothing uses the hidden view description', async () => {
  await connected();
  const view = fake.views[0];
  assert.equal(view.message, 'Updated now');
  assert.equal((view as unknown as { description?: string }).description, undefined);
});

test('view: the badge counts deployments that need attention, and drops by one when one of them is archived elsewhere', async () => {
  api.reseed(200); // enough paused-on-error deployments (the current shapes carry no failure streaks)
  await connected();
  const before = fake.views[0].badge?.value ?? 0;
  assert.ok(before > 0, 'the seed has deployments that need attention');
  const tree = ext!.hooks.tree;
  const flagged = ext!.hooks.services.store.deployments.find((d) => /\battention\b/.test(String(tree.getTreeItem(tree.nodeFor(d.id)).contextValue)))!;
  api.account().archive(flagged.id);
  await cmd('qoder.refresh');
  assert.equal(fake.views[0].badge?.value ?? 0, before - 1);
});

test('pause and resume update the item from the response; 409 is explained', async () => {
  await connected();
  const s = ext!.hooks.services.store;
  const d = s.deployments.find((x) => x.status === 'active' && !x.archived_at)!;
  await cmd('qoder.pauseDeployment', ext!.hooks.tree.nodeFor(d.id));
  assert.equal(s.get(d.id)?.status, 'paused');
  assert.equal(s.get(d.id)?.paused_reason?.type, 'manual');
  assert.match(ext!.hooks.tree.getTreeItem(ext!.hooks.tree.nodeFor(d.id)).contextValue ?? '', /\bresumable\b/);
  await cmd('qoder.resumeDeployment', d.id);
  assert.equal(s.get(d.id)?.status, 'active');
  api.account().pause(d.id);
  await cmd('qoder.pauseDeployment', d.id);
  assert.ok(fake.shown.some((x) => x.kind === 'info' && /already paused/.test(x.message)));
  await until(() => s.get(d.id)?.status === 'paused', 'refresh to pick up the server state');
});

test('run now asks first in a modal; dismissing sends nothing; confirming starts one run', async () => {
  await connected();
  const s = ext!.hooks.services.store;
  const d = s.deployments.find((x) => x.status === 'active' && !x.archived_at)!;
  fake.answers.push(undefined);
  await cmd('qoder.runDeployment', d.id);
  assert.equal(api.requests.filter((r) => r.method === 'POST').length, 0);
  fake.answers.push('Run Now');
  await cmd('qoder.runDeployment', d.id);
  assert.equal(api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/run')).length, 1);
  const ask = fake.shown.find((x) => x.items.includes('Run Now'))!;
  assert.equal(ask.options?.modal, true, 'a modal: a toast timed out and had no Cancel');
  assert.equal(ask.message, `Run “${d.name}” now?`);
  assert.match(ask.options?.detail ?? '', /new agent session/);
  const recorded = api.account().runs(d.id)[0] as { session_id: string | null; error: unknown };
  const expected = recorded.error ? /no session started/ : new RegExp(`Started a run .*\\(session ${recorded.session_id}\\)`);
  assert.ok(fake.shown.some((x) => expected.test(x.message)), `the message says what the server did (${String(expected)})`);
});

test('copy id puts it on the clipboard and announces it in a self-closing notification', async () => {
  await connected();
  const d = ext!.hooks.services.store.deployments[0];
  await cmd('qoder.copyDeploymentId', ext!.hooks.tree.nodeFor(d.id));
  assert.equal(fake.clipboard, d.id);
  assert.ok(fake.announced.some((m) => m === `Copied the ID ${d.id}.`), fake.announced.join(' / '));
  assert.equal(fake.statusBar.length, 0, 'not the status bar alone (screen readers do not announce it)');
});

test('show details opens pretty JSON titled by the name, with id, name, status, schedule first', async () => {
  await connected();
  const d = ext!.hooks.services.store.deployments[0];
  await cmd('qoder.showDeploymentDetails', d.id);
  const { path } = detailsUri(d.id, undefined, d.name);
  assert.equal(path.split('/').at(-1), `${d.name} · details`, 'the tab shows the name, not the id');
  assert.equal(fake.opened.length, 1, 'one document was opened');
  assert.ok(fake.opened[0]!.uri.includes(`/${d.id}/`), `the deployment’s own document was opened (${fake.opened[0]!.uri})`);
  const text = fake.opened[0]!.text;
  const parsed = JSON.parse(text);
  assert.equal(parsed.id, d.id);
  assert.deepEqual(Object.keys(parsed).slice(0, 4), ['id', 'name', 'status', 'schedule']);
  assert.ok(text.includes('\n  "agent"'), 'pretty-printed');
});

test('show archived toggles the setting, the context key and the list', async () => {
  await connected();
  const s = ext!.hooks.services.store;
  const visible = s.deployments.length;
  await cmd('qoder.showArchived');
  await until(() => s.showsArchived && !s.isLoading, 'reload with archived');
  assert.ok(s.deployments.length > visible);
  assert.equal(fake.contexts.get('qoder.showArchived'), true);
  const archived = s.deployments.find((d) => d.archived_at)!;
  assert.match(ext!.hooks.tree.getTreeItem(ext!.hooks.tree.nodeFor(archived.id)).contextValue ?? '', /\barchived\b/);
  await cmd('qoder.hideArchived');
  await until(() => !s.showsArchived && !s.isLoading, 'reload without archived');
  assert.equal(s.deployments.some((d) => d.archived_at), false);
});

test('a workspace setting cannot redirect the token', async () => {
  fake.reset();
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
  fake.settings.workspace.set('qoder.apiBaseUrl', 'https://evil.example.com/api/v1/cloud');
  fake.configListeners.fire({ affectsConfiguration: (k: string) => k === 'qoder.apiBaseUrl' });
  await ext.hooks.services.connection.reload();
  assert.equal(ext.hooks.services.connection.apiBaseUrl, api.baseUrl);
});
