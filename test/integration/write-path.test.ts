// Saving deployment documents through the write path, against the real local API: the save is
// a three-way merge (opened copy, server copy now, the user's text), a create whose answer was
// lost is retried with the same Idempotency-Key, and a rejected token changes nothing.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { clock, FIXED_NOW } from '../local-api/test-helpers';
import { type Activated, activateExtension, cmd, fake } from '../unit/harness';
import { Uri } from '../fakes/vscode';
import type { DeploymentFiles } from '../../src/editing/deploymentFiles';
import type { EditorHost } from '../../src/editing/editorHost';
import { editUri, newUri } from '../../src/editing/deploymentFiles';
import { documentText } from '../../src/editing/model/deploymentDocument';
import { promptedTemplate } from '../unit/fixtures';

const TOKEN = 'pt-unit-writepath-secret-0019';
const time = clock(FIXED_NOW);
let api: LocalApi;
let ext: Activated;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 12, quiet: true, now: time.now });
});
after(async () => {
  await api.close();
});
beforeEach(async () => {
  time.set(FIXED_NOW);
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
const modals = () => fake.shown.filter((s) => s.options?.modal);

async function open(uri: Uri): Promise<Record<string, unknown>> {
  return JSON.parse(decode(await files().readFile(uri as never))) as Record<string, unknown>;
}

async function save(uri: Uri, text: string): Promise<string | undefined> {
  try {
    await files().writeFile(uri as never, encode(text));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

test('D8: a colleague changed description and schedule, the user only the name: Save keeps the colleague’s fields and asks nothing', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = await open(uri);
  time.advance(60_000);
  api.account().update(d.id, { description: 'colleague', schedule: { type: 'cron', expression: '45 5 * * 2', timezone: 'UTC' } });
  fake.answers.push('Overwrite', 'Keep Mine');
  api.resetRequests();
  assert.equal(await save(uri, JSON.stringify({ ...doc, name: 'renamed-by-me' })), undefined);
  assert.equal(modals().length, 0, 'no field changed on both sides: nothing to ask');
  const server = api.account().get(d.id)!;
  assert.equal(server.name, 'renamed-by-me');
  assert.equal(server.description, 'colleague', 'the colleague’s description survives');
  assert.equal((server.schedule as { expression: string }).expression, '45 5 * * 2', 'the colleague’s schedule survives');
  const update = posts().find((r) => r.path.endsWith(`/deployments/${d.id}`))!;
  assert.deepEqual(Object.keys(JSON.parse(update.body ?? '{}') as object), ['name'], 'only the user’s own change is sent');
});

test('D8: the same field changed on both sides asks, naming it with both values; Keep Mine sends only the user’s fields, the colleague’s others survive', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = await open(uri);
  time.advance(60_000);
  api.account().update(d.id, { description: 'colleague', schedule: { type: 'cron', expression: '45 5 * * 2', timezone: 'UTC' } });
  const mine = { ...doc, name: 'renamed-by-me', schedule: { type: 'cron', expression: '15 7 * * 1-5', timezone: 'UTC' } };
  fake.answers.push('Keep Mine');
  assert.equal(await save(uri, JSON.stringify(mine)), undefined);
  assert.equal(modals().length, 1);
  assert.match(modals()[0]!.message + (modals()[0]!.options?.detail ?? ''), /schedule: yours `15 7 \* \* 1-5`, theirs `45 5 \* \* 2`/);
  assert.deepEqual(modals()[0]!.items, ['Keep Mine', 'Take Theirs', 'Compare']);
  const server = api.account().get(d.id)!;
  assert.equal(server.name, 'renamed-by-me');
  assert.equal((server.schedule as { expression: string }).expression, '15 7 * * 1-5');
  assert.equal(server.description, 'colleague', 'the colleague’s description survives Keep Mine');
});

test('D8: Take Theirs keeps the server’s value of the contested field and still sends the user’s other changes', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = await open(uri);
  time.advance(60_000);
  api.account().update(d.id, { schedule: { type: 'cron', expression: '45 5 * * 2', timezone: 'UTC' } });
  fake.answers.push('Take Theirs');
  assert.equal(await save(uri, JSON.stringify({ ...doc, name: 'renamed-by-me', schedule: { type: 'cron', expression: '15 7 * * 1-5', timezone: 'UTC' } })), undefined);
  const server = api.account().get(d.id)!;
  assert.equal(server.name, 'renamed-by-me');
  assert.equal((server.schedule as { expression: string }).expression, '45 5 * * 2');
  const reloaded = await open(uri);
  assert.equal((reloaded.schedule as { expression: string }).expression, '45 5 * * 2', 'the document now shows the server’s schedule');
});

test('D8: Compare opens the server’s copy beside the user’s text with no error; saving again sends the user’s change without asking again', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = await open(uri);
  time.advance(60_000);
  api.account().update(d.id, { description: 'colleague', schedule: { type: 'cron', expression: '45 5 * * 2', timezone: 'UTC' } });
  const mine = JSON.stringify({ ...doc, schedule: { type: 'cron', expression: '15 7 * * 1-5', timezone: 'UTC' } });
  api.resetRequests();
  fake.answers.push('Compare');
  assert.equal(await save(uri, mine), undefined, 'Compare is not an error');
  assert.equal(posts().length, 0, 'nothing sent');
  assert.equal(files().hasDraft(uri as never), true, 'the text stays unsent');
  const diff = fake.executed.find((c) => c.command === 'vscode.diff')!;
  const server = await open(diff.args[0] as Uri);
  assert.equal(server.description, 'colleague');
  assert.match(String(diff.args[2]), /server/i);
  assert.equal(fake.shown.filter((s) => s.kind === 'error').length, 0);
  // The merged text: the server's description, the user's schedule.
  assert.equal(await save(uri, JSON.stringify({ ...server, schedule: { type: 'cron', expression: '15 7 * * 1-5', timezone: 'UTC' } })), undefined);
  assert.equal(modals().length, 1, 'the modal does not come back');
  const after = api.account().get(d.id)!;
  assert.equal((after.schedule as { expression: string }).expression, '15 7 * * 1-5');
  assert.equal(after.description, 'colleague');
});

test('D5: a Create whose answer was lost after the server made it, saved again, makes one deployment', async () => {
  const d = activeOne();
  const uri = newUri() as unknown as Uri;
  files().setNew(uri as never);
  const text = documentText({ ...promptedTemplate({ agentId: d.agent.id, environmentId: d.environment_id, timezone: 'UTC' }), name: 'made-once' });
  api.injectFault({ route: 'POST /deployments', kind: 'truncated', times: 1 });
  assert.match((await save(uri, text)) ?? '', /cannot read/);
  assert.equal(await save(uri, text), undefined);
  const made = api.account().list().filter((x) => x.name === 'made-once');
  assert.equal(made.length, 1, 'one deployment on the server');
  const creates = posts().filter((r) => r.path.endsWith('/deployments'));
  assert.equal(creates.length, 2);
  assert.ok(creates[0]!.headers['idempotency-key'], 'the create carries an Idempotency-Key');
  assert.equal(creates[1]!.headers['idempotency-key'], creates[0]!.headers['idempotency-key'], 'the retry carries the same key');
  assert.equal(store().deployments.filter((x) => x.name === 'made-once').length, 1);
});

test('D5: a lost Create, edited and saved again, still makes one deployment, with the edited text', async () => {
  const d = activeOne();
  const uri = newUri() as unknown as Uri;
  files().setNew(uri as never);
  const doc = { ...promptedTemplate({ agentId: d.agent.id, environmentId: d.environment_id, timezone: 'UTC' }), name: 'made-once' };
  api.injectFault({ route: 'POST /deployments', kind: 'truncated', times: 1 });
  assert.match((await save(uri, documentText(doc))) ?? '', /cannot read/);
  assert.equal(await save(uri, documentText({ ...doc, description: 'edited after the failure' })), undefined);
  const made = api.account().list().filter((x) => x.name === 'made-once');
  assert.equal(made.length, 1, 'one deployment on the server');
  assert.equal(made[0]!.description, 'edited after the failure');
});

test('19.14 (D2): a rejected Set Token while signed in, then Save, does not silently revert a colleague’s newer change', async () => {
  const d = activeOne();
  const uri = editUri(d) as unknown as Uri;
  const doc = await open(uri);
  time.advance(60_000);
  api.account().update(d.id, { description: 'colleague' });
  fake.inputAnswers.push('pt-wrong-token-typo');
  await cmd('qoder.setToken');
  assert.ok(fake.shown.some((s) => s.kind === 'error' && /rejected this token/.test(s.message)));
  assert.equal(await save(uri, JSON.stringify({ ...doc, name: 'renamed-by-me' })), undefined);
  const server = api.account().get(d.id)!;
  assert.equal(server.name, 'renamed-by-me');
  assert.equal(server.description, 'colleague', 'the colleague’s change survives');
});
