// Safe defaults for new agents (issue 21 item 6) and the prompt and environment variables edited
// on their own (item 3), against the local API: what the server receives.
// New Deployment… picks the agent, then the environment, types the template with tab stops on
// name, prompt and schedule, and refuses to save the template's example prompt. Duplicate of a
// scheduled deployment asks whether the copy keeps its schedule or is created paused.
// Edit Prompt… / Edit Environment Variables… save back as one merge-patch of that field only.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateExtension, cmd, fake } from '../unit/harness';
import { snippetStops as stops, snippetText as expand } from '../unit/fixtures';
import { FakeTextDocument, Range, Uri, workspace } from '../fakes/vscode';
import type { EditorHost } from '../../src/editing/editorHost';
import type { Editor } from '../../src/editing/editing.chunk';
import { editUri, newUri, partUri } from '../../src/editing/deploymentFiles';
import { templatePrompt } from '../../src/editing/model/deploymentDocument';
import type { Deployment } from '../../src/api';

const TOKEN = 'pt-unit-safe-defaults-0021';
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

const editor = (): Editor => (fake.providers.get('fs:qoder') as EditorHost).editor();
const store = () => ext.hooks.services.store;
const encode = (text: string) => new TextEncoder().encode(text);
const posts = () => api.requests.filter((r) => r.method === 'POST');
const bodyOf = (r: { body?: string }): Record<string, unknown> => JSON.parse(r.body ?? '{}') as Record<string, unknown>;
const scheduled = (): Deployment => store().deployments.find((d) => !d.archived_at && d.schedule && d.status === 'active')!;
const errors = () => fake.shown.filter((s) => s.kind === 'error');
const marks = (uri: Uri): { message: string }[] => (editor().files as unknown as { saveDiagnostics: { get(u: Uri): { message: string }[] | undefined } }).saveDiagnostics.get(uri) ?? [];

test('New Deployment: the agent is picked first, then the environment (those it runs in first), each by name with its id as detail', async () => {
  const agentId = scheduled().agent.id;
  fake.pickAnswers.push((items) => items.find((i: { id: string }) => i.id === agentId));
  fake.pickAnswers.push((items) => items[0]);
  await cmd('qoder.createDeployment');
  const [agents, environments] = fake.pickCalls;
  assert.ok(agents && environments, `two picks, got ${fake.pickCalls.length}`);
  assert.match(agents.options.title, /agent \(1 of 2\)/);
  assert.match(environments.options.title, /environment \(2 of 2\)/);
  assert.ok(agents.items.every((i: { label: string; detail: string }) => /^agent_/.test(i.detail) && !/^\$\(/.test(i.label)), 'agents: the id as detail, no $(icon) text in the label');
  const live = store().deployments.filter((d) => !d.archived_at);
  assert.deepEqual(agents.items.map((i: { id: string }) => i.id).sort(), [...new Set(live.map((d) => d.agent.id))].sort(), 'each agent of the live deployments once');
  const withAgent = new Set(live.filter((d) => d.agent.id === agentId).map((d) => d.environment_id));
  const order = environments.items.map((i: { id: string }) => withAgent.has(i.id));
  assert.deepEqual(order, [...order].sort((a, b) => Number(b) - Number(a)), 'the environments the agent runs in come first');
  const typed = fake.typed.at(-1)!;
  assert.equal(typed.uri, 'qoder:/new/untitled.deployment.json');
  assert.ok(typed.snippet, 'the template is typed as a snippet');
  const doc = JSON.parse(expand(typed.text)) as { agent: string; environment_id: string };
  assert.equal(doc.agent, agentId);
  assert.equal(doc.environment_id, environments.items[0].id);
  assert.deepEqual(stops(typed.text), ['new-deployment', templatePrompt(), '0 9 * * 1-5'], 'tab stops: name, prompt, schedule');
  assert.equal(api.requests.filter((r) => r.method !== 'GET').length, 0, 'nothing written');
});

test('New Deployment: saving the template with its example prompt is refused on the prompt field, nothing sent; a real prompt creates it', async () => {
  fake.pickAnswers.push((items) => items[0]);
  fake.pickAnswers.push((items) => items[0]);
  await cmd('qoder.createDeployment');
  const text = expand(fake.typed.at(-1)!.text).replace('"new-deployment"', '"nightly-triage"');
  const uri = newUri() as unknown as Uri;
  await editor().files.writeFile(uri as never, encode(text));
  assert.equal(posts().length, 0, 'nothing was sent');
  assert.equal(errors().length, 1, JSON.stringify(errors()));
  assert.match(errors()[0]!.message, /^Not saved, nothing was sent: The prompt is still the template’s example/);
  assert.equal(marks(uri).length, 1, 'the prompt field is marked');
  assert.ok(!store().deployments.some((d) => d.name === 'nightly-triage'));

  const prompt = 'Triage the issues opened since yesterday.';
  await editor().files.writeFile(uri as never, encode(text.replace(JSON.stringify(templatePrompt()), JSON.stringify(prompt))));
  assert.equal(posts().length, 1, JSON.stringify(posts().map((p) => [p.path, p.body])));
  assert.match(posts()[0]!.path, /\/deployments$/);
  const body = bodyOf(posts()[0]!) as { name: string; initial_events: { content: { text: string }[] }[]; schedule: unknown };
  assert.equal(body.name, 'nightly-triage');
  assert.equal(body.initial_events[0]!.content[0]!.text, prompt);
  assert.deepEqual(marks(uri), [], 'the mark is gone');
});

test('Duplicate of a scheduled deployment asks first (Create Paused first, Enter takes it); Cancel opens nothing', async () => {
  const d = scheduled();
  fake.answers.push(undefined);
  await cmd('qoder.duplicateDeployment', d.id);
  const asked = fake.shown.at(-1)!;
  assert.equal(asked.kind, 'warning');
  assert.ok(asked.options.modal, 'a modal question');
  assert.deepEqual(asked.items, ['Create Paused', 'Keep Schedule']);
  assert.ok(asked.message.includes(d.name) && asked.message.includes(d.schedule!.timezone), `names the deployment and its schedule: ${asked.message}`);
  assert.match(asked.options.detail, /same minute/);
  assert.equal(fake.typed.length, 0, 'cancelled: no document');
  assert.equal(api.requests.filter((r) => r.method !== 'GET').length, 0);
});

test('Duplicate → Create Paused: created without a schedule, paused, then given the schedule; it never runs in between', async () => {
  const d = scheduled();
  fake.answers.push('Create Paused');
  await cmd('qoder.duplicateDeployment', d.id);
  const typed = fake.typed.at(-1)!;
  assert.equal(typed.uri, `qoder:/new/${d.name}-copy.deployment.json`);
  api.resetRequests();
  await editor().files.writeFile(Uri.parse(typed.uri) as never, encode(typed.text));
  const writes = posts();
  assert.deepEqual(writes.map((r) => r.path.replace(/^.*\/deployments/, '/deployments').replace(/dep_\w+/, 'ID')), ['/deployments', '/deployments/ID/pause', '/deployments/ID']);
  assert.equal(bodyOf(writes[0]!).schedule, undefined, 'the create carries no schedule');
  assert.equal(bodyOf(writes[0]!).name, `${d.name}-copy`);
  assert.deepEqual(Object.keys(bodyOf(writes[2]!)), ['schedule'], 'then only the schedule');
  const copy = store().deployments.find((x) => x.name === `${d.name}-copy`)!;
  assert.equal(copy.status, 'paused');
  assert.equal(copy.schedule?.expression, d.schedule!.expression);
  assert.equal(api.requests.filter((r) => /\/run$/.test(r.path)).length, 0);
  assert.ok(fake.announced.some((a) => /paused/.test(a)) || fake.shown.some((s) => /paused/.test(s.message)), 'says it was created paused');
});

test('Duplicate → Keep Schedule: one create with the schedule, active', async () => {
  const d = scheduled();
  fake.answers.push('Keep Schedule');
  await cmd('qoder.duplicateDeployment', d.id);
  const typed = fake.typed.at(-1)!;
  api.resetRequests();
  await editor().files.writeFile(Uri.parse(typed.uri) as never, encode(typed.text));
  assert.equal(posts().length, 1);
  assert.deepEqual(bodyOf(posts()[0]!).schedule, { type: 'cron', expression: d.schedule!.expression, timezone: d.schedule!.timezone });
  assert.equal(store().deployments.find((x) => x.name === `${d.name}-copy`)?.status, 'active');
});

test('Duplicate of a deployment without a schedule asks nothing', async () => {
  const d = store().deployments.find((x) => !x.archived_at && !x.schedule);
  assert.ok(d, 'the seed has a manual-only deployment');
  await cmd('qoder.duplicateDeployment', d.id);
  assert.ok(!fake.shown.some((s) => s.options?.modal), 'no question');
  assert.equal(fake.typed.at(-1)?.uri, `qoder:/new/${d.name}-copy.deployment.json`);
});

/** Opens the deployment's edit document and one of its parts, as the editor would. */
async function openPart(d: Deployment, part: 'Prompt' | 'Env'): Promise<{ owner: FakeTextDocument; doc: FakeTextDocument }> {
  fake.fsDocuments = true;
  const ownerUri = editUri(d) as unknown as Uri;
  const owner = (await workspace.openTextDocument(ownerUri)) as FakeTextDocument;
  await editor().editPart(part, ownerUri);
  const doc = workspace.textDocuments.find((x) => String(x.uri) === fake.opened.at(-1)!.uri) as FakeTextDocument;
  api.resetRequests();
  return { owner, doc };
}

const retype = (doc: FakeTextDocument, text: string): void => doc.replace(new Range(0, 0, doc.lineCount, 0), text);

test('Edit Prompt…: the prompt opens as Markdown text of its own; saving it sends one merge-patch with only initial_events', async () => {
  const d = scheduled();
  const { owner, doc } = await openPart(d, 'Prompt');
  assert.ok(String(doc.uri).endsWith('.prompt.md'), `a Markdown document: ${String(doc.uri)}`);
  const events = (JSON.parse(owner.getText()) as { initial_events: { content: { type: string; text: string }[] }[] }).initial_events;
  assert.equal(doc.getText(), events[0]!.content.find((c) => c.type === 'text')!.text, 'the prompt as plain text, not a JSON string');
  const prompt = '# Nightly\n\nCheck the build.\n- list "failures"\n- propose fixes';
  retype(doc, prompt);
  assert.ok(await doc.save(), 'saved');
  assert.equal(posts().length, 1);
  assert.equal(posts()[0]!.path.replace(/^.*\/deployments/, '/deployments'), `/deployments/${d.id}`);
  const body = bodyOf(posts()[0]!) as { initial_events: { content: { type: string; text: string }[] }[] };
  assert.deepEqual(Object.keys(body), ['initial_events'], 'only that field');
  assert.equal(body.initial_events[0]!.content.find((c) => c.type === 'text')!.text, prompt);
  assert.ok(!owner.isDirty && !doc.isDirty, 'both documents saved');
});

test('Edit Environment Variables…: NAME=value lines; an invalid line is refused with its line number, nothing sent, the text kept; fixed, one merge-patch with only environment_variables', async () => {
  const d = scheduled();
  const { doc } = await openPart(d, 'Env');
  assert.ok(String(doc.uri).endsWith('.env'));
  const bad = 'API_URL=https://example.test\n2FAST=yes\nno equals sign\n';
  retype(doc, bad);
  assert.equal(await doc.save(), false, 'not saved');
  assert.equal(posts().length, 0, 'nothing sent');
  const message = errors().at(-1)!.message;
  assert.match(message, /Line 2: “2FAST” is not a variable name/);
  assert.match(message, /Line 3: expected NAME=value/);
  assert.equal(doc.getText(), bad, 'the text is kept');
  assert.ok(doc.isDirty, 'still unsaved');

  retype(doc, 'API_URL=https://example.test\nMODE=nightly\n');
  assert.ok(await doc.save(), 'saved');
  assert.equal(posts().length, 1);
  assert.deepEqual(bodyOf(posts()[0]!), { environment_variables: 'API_URL=https://example.test\nMODE=nightly' });
});

test('a prompt tab VS Code restores after a reload (nobody opened it in this session) shows the prompt from the server; saving it sends one merge-patch of initial_events', async () => {
  fake.fsDocuments = true;
  const d = scheduled();
  const server = (d.initial_events as { content: { type: string; text: string }[] }[])[0]!;
  const doc = (await workspace.openTextDocument(partUri(editUri(d), 'prompt') as unknown as Uri)) as FakeTextDocument;
  assert.equal(doc.getText(), server.content.find((c) => c.type === 'text')!.text, 'the prompt as the server holds it');
  api.resetRequests();
  retype(doc, 'Restored, then changed.');
  assert.ok(await doc.save(), 'saved');
  assert.equal(posts().length, 1);
  assert.deepEqual(Object.keys(bodyOf(posts()[0]!)), ['initial_events'], 'only that field');
  assert.match(JSON.stringify(bodyOf(posts()[0]!)), /Restored, then changed\./);
});

test('a restored environment-variables tab of a deployment that no longer exists is "not found", and nothing is sent', async () => {
  fake.fsDocuments = true;
  const gone = editUri({ id: 'dep_00000000000000000000000000000000', name: 'gone' });
  api.resetRequests();
  await assert.rejects(workspace.openTextDocument(partUri(gone, 'env') as unknown as Uri), (e: Error & { code?: string }) => e.code === 'FileNotFound' && e.message.endsWith('gone.env'));
  assert.equal(posts().length, 0);
});
