// The archive command end to end, under the fake vscode, against the real local API.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateExtension, cmd, fake, until } from '../unit/harness';

const TOKEN = 'pt-unit-archive-secret-0001';
let api: LocalApi;
let ext: Activated;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 30, quiet: true });
});
after(async () => {
  await api.close();
});
beforeEach(async () => {
  api.reseed(30);
  api.clearFaults();
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
  await ext.hooks.services.store.refresh();
  // The look for runs waiting for a decision that follows a complete load, before counting.
  await ext.hooks.waitingChecked();
  api.resetRequests();
});
afterEach(() => ext.dispose());

const archivePosts = () => api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/archive'));
const store = () => ext.hooks.services.store;
const firstArchivable = () => store().deployments.find((d) => !d.archived_at)!;
const nodeOf = (id: string) => ext.hooks.tree.nodeFor(id);

test('archive: the modal names the deployment and says what happens; Cancel sends nothing', async () => {
  const d = firstArchivable();
  fake.answers.push(undefined); // Escape / Cancel
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  // The modal, not the notification of the seed's run that waits for a decision (also a warning).
  const modal = fake.shown.find((s) => s.kind === 'warning' && s.options?.modal)!;
  assert.equal(modal.options.modal, true);
  assert.deepEqual(modal.items, ['Archive']);
  assert.ok(modal.message.includes(`“${d.name}”`));
  const detail: string = modal.options.detail;
  assert.match(detail, /scheduled runs stop|can no longer be run/);
  assert.ok(detail.replace(/\u2011/g, '-').includes(`${d.name}_archived_<timestamp>`));
  assert.match(detail, /leave the default list/);
  assert.match(detail, /cannot be undone/);
  for (const next of (d.schedule?.upcoming_runs_at ?? []).slice(0, 5)) assert.ok(detail.includes(new Date(next).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' })), 'lists the next runs in the UI language (en), as the modal formats them');
  assert.equal(archivePosts().length, 0);
  assert.ok(store().get(d.id), 'still listed');
});

test('archive: confirm sends exactly one POST, removes the item at once from its answer, reads nothing more, names the new name', async () => {
  const d = firstArchivable();
  fake.answers.push('Archive');
  let removedBeforeRefresh = false;
  const sub = store().onDidChange(() => {
    if (!store().get(d.id) && api.requests.filter((r) => r.method === 'GET').length === 0) removedBeforeRefresh = true;
  });
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  sub.dispose();
  assert.equal(archivePosts().length, 1);
  assert.ok(removedBeforeRefresh, 'the item leaves the view from the POST response, before the refresh');
  assert.equal(store().get(d.id), undefined);
  assert.deepEqual(api.requests.filter((r) => r.method === 'GET').map((r) => r.path), [], 'the answer is the new truth: no list page, no re-read');
  const server = api.account().get(d.id)!;
  assert.match(String(server.name), new RegExp(`^${d.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_archived_\\d+$`));
  const info = fake.shown.find((s) => s.kind === 'info')!;
  assert.ok(info.message.includes(String(server.name)), info.message);
});

test('archive: a second click while the request is in flight sends nothing', async () => {
  const d = firstArchivable();
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'delay', delayMs: 150 });
  fake.answers.push('Archive', 'Archive');
  const first = cmd('qoder.archiveDeployment', nodeOf(d.id));
  await until(() => store().pendingAction(d.id) !== undefined, 'archiving to start');
  assert.equal(store().pendingAction(d.id), 'Archiving…');
  const item = ext.hooks.tree.getTreeItem(nodeOf(d.id));
  assert.match(String(item.description), /^Archiving…/);
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  await first;
  assert.equal(archivePosts().length, 1);
});

test('archive: 409 (archived elsewhere) is reported as done, not as a failure, and re-reads that one deployment (no list page)', async () => {
  const d = firstArchivable();
  api.account().archive(d.id);
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  assert.equal(archivePosts().length, 1);
  assert.equal(fake.shown.filter((s) => s.kind === 'error').length, 0);
  assert.ok(fake.shown.some((s) => s.kind === 'info' && /already archived/.test(s.message)));
  assert.equal(store().get(d.id), undefined, 'gone after the re-read');
  assert.deepEqual(api.requests.filter((r) => r.method === 'GET').map((r) => r.path.split('/').slice(-2).join('/')), [`deployments/${d.id}`]);
});

test('archive: 404 (deleted elsewhere) says it no longer exists and re-reads that one deployment (no list page)', async () => {
  const d = firstArchivable();
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'status', status: 404 });
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  assert.ok(fake.shown.some((s) => s.kind === 'warning' && /no longer exists/.test(s.message)));
  assert.deepEqual(api.requests.filter((r) => r.method === 'GET').map((r) => r.path.split('/').slice(-2).join('/')), [`deployments/${d.id}`]);
});

test('archive: 401 offers Replace Token, which opens the token prompt', async () => {
  const d = firstArchivable();
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'status', status: 401 });
  fake.answers.push('Archive', 'Replace Token');
  fake.inputAnswers.push(undefined);
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  const err = fake.shown.find((s) => s.kind === 'error')!;
  assert.deepEqual(err.items, ['Replace Token']);
  assert.match(err.message, /401/);
  assert.equal(fake.inputOptions.length, 1, 'Replace Token opened the token input');
  assert.equal(fake.inputOptions[0].password, true);
  assert.ok(store().get(d.id), 'the deployment stays listed');
});

test('archive: a server error shows the message and request id, and keeps the list as it was', async () => {
  const d = firstArchivable();
  const before = store().deployments.map((x) => x.id);
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'status', status: 500 });
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  const err = fake.shown.find((s) => s.kind === 'error')!;
  assert.match(err.message, /Archiving “.*” failed: .*server error \(500\)/);
  assert.match(err.message, /Request ID: [0-9a-f-]{36}/);
  assert.deepEqual(store().deployments.map((x) => x.id), before);
  assert.equal(store().pendingAction(d.id), undefined, 'archivable again');
  assert.equal(archivePosts().length, 1, 'a POST is not retried on 500');
});

test('archive: with several selected, one modal lists them all, the number is typed, and each gets one POST', async () => {
  const targets = store().deployments.filter((d) => !d.archived_at).slice(0, 3);
  fake.answers.push('Archive');
  fake.inputAnswers.push('3');
  const nodes = targets.map((d) => nodeOf(d.id));
  await cmd('qoder.archiveDeployment', nodes[0], nodes);
  const modals = fake.shown.filter((s) => s.kind === 'warning' && s.options?.modal);
  assert.equal(modals.length, 1);
  assert.match(modals[0].message, /Archive 3 deployments\?/);
  for (const d of targets) assert.ok(modals[0].options.detail.includes(d.name));
  const typed = fake.inputOptions.at(-1);
  assert.match(typed.prompt, /Type 3, the number of deployments/);
  assert.equal(typed.validateInput('2'), 'That does not match “3”. Nothing has been archived.');
  assert.equal(typed.validateInput('3'), undefined);
  assert.equal(archivePosts().length, 3);
  assert.deepEqual(new Set(archivePosts().map((r) => r.path.split('/').at(-2))), new Set(targets.map((d) => d.id)));
});

test('archive: from the palette it offers a pick of archivable deployments only', async () => {
  await ext.hooks.services.store.setIncludeArchived(true);
  const archivedCount = store().deployments.filter((d) => d.archived_at).length;
  assert.ok(archivedCount > 0, 'seed has archived deployments');
  const target = firstArchivable();
  fake.pickAnswers.push((items) => items.filter((i: { deployment: { id: string } }) => i.deployment.id === target.id));
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment');
  const offered = fake.pickCalls[0].items.map((i: { deployment: { archived_at: string | null } }) => i.deployment);
  assert.ok(offered.length > 0);
  assert.ok(offered.every((x: { archived_at: string | null }) => x.archived_at === null), 'no archived deployment is offered');
  assert.equal(archivePosts().length, 1);
});

test('archive from the palette: typing a name and a plain Enter (nothing ticked) takes that deployment', async () => {
  const target = firstArchivable();
  fake.pickAnswers.push(() => target.name); // typed, then Enter
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment');
  const modal = fake.shown.find((s) => s.kind === 'warning' && s.options?.modal);
  assert.equal(modal?.message, `Archive deployment “${target.name}”?`);
  assert.equal(archivePosts().length, 1);
  assert.match(archivePosts()[0].path, new RegExp(`/deployments/${target.id}/archive$`));
});

test('archive from the palette: Enter on a text that matches nothing says "Nothing selected." and sends nothing', async () => {
  fake.pickAnswers.push(() => 'zz-no-such-deployment');
  await cmd('qoder.archiveDeployment');
  assert.ok(fake.shown.some((s) => s.kind === 'info' && s.message === 'Nothing selected.'), fake.shown.map((s) => s.message).join(' / '));
  assert.equal(fake.shown.filter((s) => s.options?.modal).length, 0);
  assert.equal(archivePosts().length, 0);
});

test('archive: an id string argument works and a bad id is refused before any request', async () => {
  const d = firstArchivable();
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment', d.id);
  assert.equal(archivePosts().length, 1);
  api.resetRequests();
  await cmd('qoder.archiveDeployment', '../../etc/passwd');
  assert.equal(api.requests.length, 0);
  assert.ok(fake.shown.some((s) => s.kind === 'error' && /not a deployment ID/.test(s.message)));
});

test('archive: the token appears in no message, status text, log line or view message', async () => {
  const d = firstArchivable();
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'status', status: 500, message: `server echoes Bearer ${TOKEN}` });
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment', nodeOf(d.id));
  assert.ok(fake.logLines.length > 0);
  assert.equal(fake.allText().includes(TOKEN), false);
});
