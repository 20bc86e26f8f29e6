// Deployment documents end to end under the fake vscode, against the real local API: open,
// save as one merge-patch, refusals before sending, the server's 400, conflicts, create.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateExtension, fake } from '../unit/harness';
import { Uri } from '../fakes/vscode';
import type { DeploymentFiles } from '../../src/editing/deploymentFiles';
import type { EditorHost } from '../../src/editing/editorHost';
import { editUri, newUri } from '../../src/editing/deploymentFiles';
import { documentText } from '../../src/editing/model/deploymentDocument';
import { promptedTemplate } from '../unit/fixtures';

const TOKEN = 'pt-unit-files-secret-0015';
let api: LocalApi;
let ext: Activated;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 12, quiet: true });
});
after(async () => {
  await api.close();
});
beforeEach(async () => {
  api.reseed(12);
  api.clearFaults();
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
  await ext.hooks.services.store.refresh();
  api.resetRequests();
});
afterEach(() => ext.dispose());

const files = (): DeploymentFiles => (fake.providers.get('fs:qoder') as EditorHost).editor().files;
const store = () => ext.hooks.services.store;
const posts = () => api.requests.filter((r) => r.method === 'POST');
const activeOne = () => store().deployments.find((d) => !d.archived_at && d.schedule)!;
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function open(uri: Uri): Promise<Record<string, unknown>> {
  return JSON.parse(decode(await files().readFile(uri as never))) as Record<string, unknown>;
}

/**
 * A save refused for a reason of ours or a 400: no thrown error (VS Code would wrap it in "Unable
 * to write file" with Revert), our own message shown, the field marked in the editor.
 */
async function saveRefused(uri: Uri, text: string): Promise<{ message: string; marked: string[] }> {
  const shownBefore = fake.shown.length;
  await files().writeFile(uri as never, encode(text));
  const errors = fake.shown.slice(shownBefore).filter((s) => s.kind === 'error');
  assert.equal(errors.length, 1, 'one message of ours');
  const diagnostics = (files() as unknown as { saveDiagnostics: { get(u: Uri): { range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] | undefined } }).saveDiagnostics.get(uri) ?? [];
  const lines = text.split('\n');
  const marked = diagnostics.map((d) => (d.range.start.line === d.range.end.line ? (lines[d.range.start.line] ?? '').slice(d.range.start.character, d.range.end.character) : `${d.range.start.line}-${d.range.end.line}`));
  return { message: errors[0]!.message, marked };
}

async function saveFails(uri: Uri, text: string): Promise<string> {
  try {
    await files().writeFile(uri as never, encode(text));
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected the save to be refused');
}

test('files: the edit document is the server copy of the editable fields; saving one change sends one merge-patch and updates the row in place', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  assert.equal(uri.toString(), `qoder:/deployments/${d.id}/${d.name}.deployment.json`);
  const doc = await open(uri);
  assert.deepEqual(Object.keys(doc), ['name', 'description', 'agent', 'environment_id', 'schedule', 'initial_events', 'resources', 'vault_ids', 'metadata', 'environment_variables']);
  api.resetRequests();
  const changes: unknown[] = [];
  files().onDidChangeFile((e) => changes.push(...e));
  const positionBefore = store().deployments.findIndex((x) => x.id === d.id);
  await files().writeFile(uri as never, encode(JSON.stringify({ ...doc, description: 'edited in VS Code', schedule: { type: 'cron', expression: '15 7 * * *', timezone: 'Europe/Berlin' } }, null, 2)));
  const updates = posts();
  assert.equal(updates.length, 1);
  assert.equal(updates[0]?.path.endsWith(`/deployments/${d.id}`), true);
  const row = store().get(d.id)!;
  assert.equal(row.description, 'edited in VS Code');
  assert.equal(row.schedule?.expression, '15 7 * * *');
  assert.equal(store().deployments.findIndex((x) => x.id === d.id), positionBefore, 'the row stays where it was');
  assert.equal(changes.length, 1, 'the editor is told to reload the document');
  const reloaded = await open(uri);
  assert.equal(reloaded.description, 'edited in VS Code');
  assert.deepEqual(reloaded.schedule, { type: 'cron', expression: '15 7 * * *', timezone: 'Europe/Berlin' });
});

test('files: saving an unchanged document sends nothing', async () => {
  const uri = editUri(activeOne()) as unknown as Uri;
  const text = decode(await files().readFile(uri as never));
  api.resetRequests();
  await files().writeFile(uri as never, encode(text));
  assert.equal(posts().length, 0);
});

test('files: an auto-save keeps the text as a draft and sends nothing; an explicit Save sends it', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = await open(uri);
  api.resetRequests();
  const edited = encode(JSON.stringify({ ...doc, description: 'typed, auto-saved' }));
  files().noteSaveReason(uri as never, 2 /* AfterDelay */);
  await files().writeFile(uri as never, edited);
  assert.equal(api.requests.length, 0, 'an auto-save sends nothing');
  assert.equal(files().hasDraft(uri as never), true);
  assert.equal(decode(await files().readFile(uri as never)), decode(edited), 'the draft text is kept');
  files().noteSaveReason(uri as never, 1 /* Manual */);
  await files().writeFile(uri as never, edited);
  assert.equal(posts().length, 1);
  assert.equal(store().get(d.id)?.description, 'typed, auto-saved');
  assert.equal(files().hasDraft(uri as never), false);
});

test('files: an auto-save of a new document creates nothing', async () => {
  const d = activeOne();
  const uri = newUri() as unknown as Uri;
  files().setNew(uri as never);
  files().noteSaveReason(uri as never, 2 /* AfterDelay */);
  await files().writeFile(uri as never, encode(documentText(promptedTemplate({ agentId: d.agent.id, environmentId: d.environment_id, timezone: 'UTC' }))));
  assert.equal(posts().length, 0);
  assert.equal(files().takeCreated(uri as never), undefined);
});

test('files: invalid JSON and an invalid cron or time zone are refused with our message and the field marked, no thrown error, and nothing is sent', async () => {
  const uri = editUri(activeOne()) as unknown as Uri;
  const doc = await open(uri);
  api.resetRequests();
  assert.match((await saveRefused(uri, '{"name": "x",')).message, /Not saved, nothing was sent: The document is not valid JSON/);
  const cron = await saveRefused(uri, JSON.stringify({ ...doc, schedule: { type: 'cron', expression: '0 9 * *', timezone: 'UTC' } }, null, 2));
  assert.match(cron.message, /schedule\.expression: A cron expression has 5 fields/);
  assert.deepEqual(cron.marked, ['"0 9 * *"']);
  const zone = await saveRefused(uri, JSON.stringify({ ...doc, schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus' } }, null, 2));
  assert.match(zone.message, /schedule\.timezone: Unknown time zone "Mars\/Olympus"/);
  assert.deepEqual(zone.marked, ['"Mars/Olympus"']);
  assert.equal(api.requests.length, 0);
});

test('files: a 400 shows the server message naming the field, marks that field (or the nearest part of it in the text); nothing changes', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = await open(uri);
  const refused = await saveRefused(uri, JSON.stringify({ ...doc, initial_events: [{ type: 'user.define_outcome', description: 'done when green' }] }, null, 2));
  assert.match(refused.message, /^Not saved: the server refused the value of “initial_events\[0\]\.rubric”: Missing required field: initial_events\[0\]\.rubric/);
  assert.equal(refused.marked.length, 1, 'the event the field belongs to is marked');
  assert.equal(store().get(d.id)?.updated_at, d.updated_at);
  // the next save that goes through clears the mark
  await files().writeFile(uri as never, encode(JSON.stringify({ ...doc, description: 'fixed' }, null, 2)));
  assert.deepEqual((files() as unknown as { saveDiagnostics: { get(u: Uri): unknown[] | undefined } }).saveDiagnostics.get(uri) ?? [], []);
});

test('files: an archived deployment opens read-only and cannot be saved', async () => {
  const d = activeOne();
  api.account().update(d.id, {});
  await ext.hooks.services.connection.requireClient().archiveDeployment(d.id);
  const uri = editUri(d) as unknown as Uri;
  const stat = await files().stat(uri as never);
  assert.equal(stat.permissions, 1, 'FilePermission.Readonly');
  assert.ok(files().archivedAt(uri as never));
  api.resetRequests();
  assert.match(await saveFails(uri, decode(await files().readFile(uri as never)).replace('"description": ""', '"description": "x"')), /archived/);
  assert.equal(posts().length, 0);
});

test('files: saving a new document creates the deployment at the top of the tree', async () => {
  const d = activeOne();
  const uri = newUri() as unknown as Uri;
  assert.equal(uri.toString(), 'qoder:/new/untitled.deployment.json');
  files().setNew(uri as never);
  const text = documentText({ ...promptedTemplate({ agentId: d.agent.id, environmentId: d.environment_id, timezone: 'Asia/Shanghai' }), name: 'made-in-editor' });
  await files().writeFile(uri as never, encode(text));
  const creates = posts().filter((r) => r.path.endsWith('/deployments'));
  assert.equal(creates.length, 1);
  const top = store().deployments[0]!;
  assert.equal(top.name, 'made-in-editor');
  assert.equal(top.status, 'active');
  assert.equal(files().takeCreated(uri as never)?.id, top.id);
  const edit = await open(editUri(top) as unknown as Uri);
  assert.equal(edit.name, 'made-in-editor');
});
