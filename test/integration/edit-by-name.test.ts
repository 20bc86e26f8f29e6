// Editing by name against the local API (issue 21 item 3): the names of the agents and
// environments the account's deployments use are fetched (GET /agents/{id}, GET /environments/{id})
// and offered in completion (label the name, inserted text the id), shown after the id (inlay
// hint) and in its hover; a name typed where an id belongs gets one message and a quick fix.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { agentJson, environmentJson } from '../local-api/sessions';
import { type Activated, activateExtension, cmd, fake, until } from '../unit/harness';
import { Range, Uri } from '../fakes/vscode';
import type { EditorHost } from '../../src/editing/editorHost';
import type { Editor } from '../../src/editing/editing.chunk';
import { editUri } from '../../src/editing/deploymentFiles';

const TOKEN = 'pt-unit-names-secret-0021';
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
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
  await ext.hooks.services.store.refresh();
  api.resetRequests();
});
afterEach(() => ext.dispose());

const editor = (): Editor => (fake.providers.get('fs:qoder') as EditorHost).editor();
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A text document as the providers read it. */
function textDoc(uri: Uri, text: string) {
  const positionAt = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: (before[before.length - 1] ?? '').length, isBefore: () => false };
  };
  const offsetAt = (p: { line: number; character: number }) => text.split('\n').slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return { uri, getText: () => text, positionAt: (o: number) => new Range(positionAt(o).line, positionAt(o).character, 0, 0).start, offsetAt };
}

test('names: the agents and environments of the account’s deployments are named from the API, and only those are asked', async () => {
  const deployments = ext.hooks.services.store.deployments;
  await editor().names.ask();
  const known = editor().names.list();
  const envIds = [...new Set(deployments.map((d) => d.environment_id))];
  const agentIds = [...new Set(deployments.map((d) => d.agent!.id))];
  assert.deepEqual(known.filter((n) => n.kind === 'environment').map((n) => n.id).sort(), envIds.sort());
  assert.deepEqual(known.filter((n) => n.kind === 'agent').map((n) => n.id).sort(), agentIds.sort());
  for (const n of known) {
    const expected = n.kind === 'agent' ? (agentJson(n.id, undefined)?.name as string | undefined) : (environmentJson(n.id)?.name as string | undefined);
    assert.equal(n.name, expected ?? n.id, `${n.id}: the API's name (or the id when the API has none)`);
  }
  // (the runs feed and waiting-run checks that follow a load may be in flight too; they are not name lookups)
  const paths = api.requests.map((r) => r.path.replace(/\?.*$/, '')).filter((p) => /\/(agents|environments)\//.test(p)).map((p) => p.replace(/^.*\/(agents|environments)\//, '$1/'));
  assert.deepEqual([...paths].sort(), [...agentIds.map((id) => `agents/${id}`), ...envIds.map((id) => `environments/${id}`)].sort(), 'each agent and environment of the deployments asked once, no other');
});

test('names: in an edit document, completion offers environments by name and inserts the id; the hint and the hover name the id; a typed name gets one message and a quick fix to the id', async () => {
  const d = ext.hooks.services.store.deployments.find((x) => !x.archived_at)!;
  const uri = editUri(d) as unknown as Uri;
  const text = decode(await editor().files.readFile(uri as never));
  await editor().names.ask();
  const envName = environmentJson(d.environment_id)?.name as string;
  assert.ok(envName, 'the seed names this environment');

  const doc = textDoc(uri, text);
  const envAt = doc.positionAt(text.indexOf(d.environment_id) + 2);
  const items = fake.providers.get('completion').provideCompletionItems(doc, envAt) as { label: { label: string }; insertText: string }[];
  const offered = items.find((i) => i.insertText === d.environment_id);
  assert.equal(offered?.label.label, envName, 'label the name, inserted text the id');
  assert.ok(items.every((i) => i.insertText.startsWith('env_')), 'only environments where an environment belongs');

  const hints = fake.providers.get('inlayHints').provideInlayHints(doc, new Range(0, 0, 1000, 0)) as { label: string }[];
  assert.ok(hints.some((h) => h.label === envName), `hints: ${hints.map((h) => h.label).join(', ')}`);
  const agentName = agentJson(d.agent!.id, undefined)?.name as string;
  assert.ok(hints.some((h) => h.label === agentName), 'the agent is named too');
  const hovers = [...fake.providers.entries()].filter(([k]) => k.startsWith('hover')).map(([, p]) => p.provideHover(doc, envAt) as { contents: { value: string } } | undefined);
  const hover = hovers.find((h) => h !== undefined);
  assert.equal(hovers.filter((h) => h !== undefined).length, 1, 'one hover over the id');
  assert.ok(hover?.contents.value.includes(envName.replace(/-/g, '\\-')), hover?.contents.value);

  // the environment's name typed instead of its id
  const typed = text.replace(`"environment_id": "${d.environment_id}"`, `"environment_id": "${envName}"`);
  const typedDoc = textDoc(uri, typed);
  const help = fake.providers.get('codeActions') as { check(d: unknown): void; provideCodeActions(d: unknown, r: unknown): { title: string; edit: { edits: { range: Range; text: string }[] } }[] };
  help.check({ ...typedDoc, uri: Uri.from({ scheme: 'qoder', path: uri.path }) });
  const diagnostics = (help as unknown as { diagnostics: { get(u: Uri): { message: string }[] } }).diagnostics.get(uri);
  assert.equal(diagnostics.length, 1, 'one message');
  assert.match(diagnostics[0]!.message, new RegExp(`“${envName}” is the name of an environment`));
  const at = typedDoc.positionAt(typed.indexOf(`"${envName}"`) + 1);
  const actions = help.provideCodeActions(typedDoc, new Range(at, at));
  assert.equal(actions.length, 1);
  const edit = actions[0]!.edit.edits[0]!;
  const lines = typed.split('\n');
  const line = lines[edit.range.start.line]!;
  lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.text + line.slice(edit.range.end.character);
  assert.equal(lines.join('\n'), text, 'the quick fix puts the id back');
});

test('names: another region (account) forgets the names of the previous one', async () => {
  await editor().names.ask();
  assert.ok(editor().names.list().some((n) => n.name !== n.id));
  fake.pickAnswers.push((items) => items.find((i: { baseUrl: string }) => i.baseUrl.includes('qoder.com.cn')));
  await cmd('qoder.switchRegion');
  await until(() => ext.hooks.services.connection.apiBaseUrl.includes('qoder.com.cn'), 'the region to change');
  await editor().names.ask();
  assert.ok(editor().names.list().every((n) => n.name === n.id), 'no name of the previous account');
});
