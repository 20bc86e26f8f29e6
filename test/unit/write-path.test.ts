// The write path as the editor uses it (Save of a deployment document), against the in-memory
// API: an answer from an older connection changes nothing, metadata keys are data whatever
// their name, and a deployment too deep to edit says so instead of overflowing the stack.

import { test, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { type Activated, activateExtension, cmd, fake } from './harness';
import { FakeApi, deploymentJson, type JsonObject } from '../fakes/api';
import { Regions } from '../../src/platform/constants';
import type { EditorHost } from '../../src/editing/editorHost';
import type { DeploymentFiles } from '../../src/editing/deploymentFiles';
import { editUri, newUri } from '../../src/editing/deploymentFiles';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Uri } from '../fakes/vscode';

const GLOBAL = Regions[0].baseUrl;
const CHINA = Regions[1].baseUrl;
const originOf = (url: string) => new URL(url).origin;
let ext: Activated | undefined;

afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

async function connected(api: FakeApi, opts: { tokens?: Record<string, string> } = {}): Promise<Activated> {
  ext = await activateExtension({ baseUrl: GLOBAL, token: 'pt-unit-writepath-A-0001', fetch: api.fetch, tokens: opts.tokens });
  await ext.hooks.services.store.refresh();
  return ext;
}

const store = () => ext!.hooks.services.store;
const files = (): DeploymentFiles => (fake.providers.get('fs:qoder') as EditorHost).editor().files;
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const EVENTS = { initial_events: [{ type: 'user.message', content: 'go' }] };
const uriOf = (d: JsonObject) => editUri(d as { id: string; name: string }) as unknown as Uri;

async function open(uri: Uri): Promise<Record<string, unknown>> {
  return JSON.parse(decode(await files().readFile(uri as never))) as Record<string, unknown>;
}

async function saveError(uri: Uri, text: string): Promise<string | undefined> {
  try {
    await files().writeFile(uri as never, encode(text));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

test('D1: a Save answered after a switch to another account does not put account A’s deployment into account B’s tree', async () => {
  const a = deploymentJson(1, EVENTS);
  const b = deploymentJson(2, EVENTS);
  const api = new FakeApi({ [originOf(GLOBAL)]: [a], [originOf(CHINA)]: [b] });
  await connected(api, { tokens: { [CHINA]: 'pt-unit-writepath-B-0002' } });
  const uri = uriOf(a);
  const doc = await open(uri);
  const held = api.hold('POST', `/deployments/${String(a.id)}`);
  const saving = saveError(uri, JSON.stringify({ ...doc, description: 'saved in A' }));
  await Promise.race([held.arrived, saving.then((m) => assert.fail(`the save did not reach the server: ${m}`))]);
  fake.pickAnswers.push((items) => items.find((i: { baseUrl: string }) => i.baseUrl === CHINA));
  await cmd('qoder.switchRegion');
  await store().refresh();
  assert.deepEqual(store().deployments.map((d) => d.id), [b.id]);
  held.release();
  await saving;
  assert.deepEqual(store().deployments.map((d) => d.id), [b.id], 'account A’s deployment is not mixed into account B’s tree');
  assert.equal(store().get(String(a.id)), undefined);
});

test('19.12: metadata keys named like Object.prototype members are data: deleting constructor and toString is sent, __proto__ survives and can be added', async () => {
  const metadata = JSON.parse('{"__proto__":"kept","constructor":"c","toString":"t","team":"ops"}') as JsonObject;
  const d = deploymentJson(1, { ...EVENTS, metadata });
  const api = new FakeApi({ [originOf(GLOBAL)]: [d] });
  await connected(api);
  const uri = uriOf(d);
  const text = decode(await files().readFile(uri as never));
  assert.match(text, /"__proto__": "kept"/, 'the __proto__ key is in the document');
  const doc = JSON.parse(text) as { metadata: JsonObject };
  const edited = JSON.parse(JSON.stringify(doc)) as { metadata: JsonObject };
  Reflect.deleteProperty(edited.metadata, 'constructor');
  Reflect.deleteProperty(edited.metadata, 'toString');
  assert.equal(await saveError(uri, JSON.stringify(edited)), undefined);
  const sent = api.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body ?? '{}') as { metadata?: JsonObject });
  assert.equal(sent.length, 1, 'the deletion is sent');
  assert.deepEqual(Object.entries(sent[0]!.metadata ?? {}), [['constructor', null], ['toString', null]]);
  const server = api.accounts.get(originOf(GLOBAL))![0]!.metadata as JsonObject;
  assert.deepEqual(Object.keys(server).sort(), ['__proto__', 'team']);

  const again = await open(uri);
  const withProto = JSON.parse(JSON.stringify(again).replace('"__proto__":"kept"', '"__proto__":"changed"')) as JsonObject;
  assert.equal(await saveError(uri, JSON.stringify(withProto)), undefined);
  assert.equal(Object.getOwnPropertyDescriptor(api.accounts.get(originOf(GLOBAL))![0]!.metadata, '__proto__')?.value, 'changed');
});

test('19.13: a deployment nested 20,000 levels deep opens with a clear message, and Duplicate says the same, never a stack overflow', async () => {
  const d = deploymentJson(1);
  const api = new FakeApi({ [originOf(GLOBAL)]: [d] });
  const depth = 20_000;
  const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const raw = JSON.stringify({ ...d, resources: ['DEEP'] }).replace('"DEEP"', deep);
  api.answerRaw(`/deployments/${String(d.id)}`, raw);
  api.answerRaw('/deployments', `{"data":[${raw}],"first_id":null,"last_id":null,"has_more":false,"next_page":null}`);
  await connected(api);
  assert.equal(store().deployments.length, 1, 'the deep deployment is listed');
  let message = '';
  try {
    await files().readFile(uriOf(d) as never);
  } catch (e) {
    message = (e as Error).message;
  }
  assert.doesNotMatch(message, /call stack/i);
  assert.match(message, /nested more than \d+ levels deep/);

  await cmd('qoder.duplicateDeployment', String(d.id));
  const errors = fake.shown.filter((s) => s.kind === 'error').map((s) => s.message);
  assert.equal(errors.length, 1);
  assert.doesNotMatch(errors[0]!, /call stack/i);
  assert.match(errors[0]!, /nested more than \d+ levels deep/);
});

test('19.11: a colleague’s change in the same second as the opened copy is a conflict: the content is compared, not updated_at', async () => {
  const d = deploymentJson(1, EVENTS);
  const api = new FakeApi({ [originOf(GLOBAL)]: [d] });
  await connected(api);
  const uri = uriOf(d);
  const doc = await open(uri);
  d.description = 'colleague, same second'; // updated_at unchanged: whole seconds
  fake.answers.push(undefined);
  assert.equal(await saveError(uri, JSON.stringify({ ...doc, description: 'mine' })), undefined, 'Cancel is not an error');
  const modal = fake.shown.filter((s) => s.options?.modal);
  assert.equal(modal.length, 1, 'asked');
  assert.match(modal[0]!.message + String(modal[0]!.options?.detail ?? ''), /description: yours `mine`, theirs `colleague, same second`/);
  assert.equal(api.requests.filter((r) => r.method === 'POST').length, 0, 'nothing sent after Cancel');
  assert.equal(d.description, 'colleague, same second');
  assert.equal(files().hasDraft(uri as never), true, 'the text stays unsent');
});

test('D9: deployment documents (edit and new) get their own language, for which auto-save is off by default, and JSON validation still applies', async () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { languages: { id: string; filenamePatterns: string[] }[]; configurationDefaults: Record<string, Record<string, unknown>>; jsonLanguageParticipants: { languageId: string }[]; jsonValidation: { fileMatch: string }[] };
  };
  const c = pkg.contributes;
  const language = c.languages.find((l) => l.id === 'qoder-deployment')!;
  assert.ok(language, 'the language is contributed');
  const matches = (path: string) => language.filenamePatterns.some((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace('*', '[^/]*')}$`).test(path.split('/').pop()!));
  assert.ok(matches(editUri({ id: 'dep_00000000000000000000000000000001', name: 'nightly report' }).path), 'an edit document has the language');
  assert.ok(matches(newUri().path), 'a new deployment document has the language');
  assert.equal(c.configurationDefaults['[qoder-deployment]']?.['files.autoSave'], 'off', 'auto-save is off for it whatever files.autoSave says');
  assert.ok(c.jsonLanguageParticipants.some((p) => p.languageId === 'qoder-deployment'), 'the JSON language server handles it');
  assert.ok(c.jsonValidation.some((v) => v.fileMatch === '*.deployment.json'), 'the schema still applies');
});
