// The bundle tier: the built dist/*.js (the main bundle and its lazy chunks), loaded under the
// fake vscode, against the local Qoder API. It checks what only the bundle can break: a chunk with
// its own copy of a module's state (D7: dist/sessions.js had an empty token set of its own, so
// the bare token went unredacted in transcripts), l10n configured once for every chunk, and
// errors of the main bundle recognised inside a chunk. Unbundled tests cannot see any of this.
//
// QODER_BUNDLE_DIR points the tests at another build (e.g. an older commit's dist/).

import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { fake, l10n, ExtensionMode, FakeMemento, FakeSecretStorage, Uri } from '../fakes/vscode';
import { secretKey } from '../../src/connection/tokenStore';

const DIST = path.resolve(process.env.QODER_BUNDLE_DIR ?? path.join(__dirname, '..', '..', 'dist'));
const TOKEN = 'pt-bundle-d7-secret-4821';
const BARE = TOKEN.slice('pt-'.length);

/** What the built main bundle exports (TestHooks in ExtensionMode.Test); only what these tests touch. */
interface Hooks {
  services: { store: { refresh(): Promise<unknown>; deployments: readonly { id: string; name: string; schedule?: unknown }[] } };
}
interface MainBundle {
  activate(context: unknown): Promise<Hooks | undefined>;
}

let api: LocalApi;
let disposeAll: (() => void) | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 12, quiet: true });
});
after(() => api.close());
afterEach(() => {
  disposeAll?.();
  disposeAll = undefined;
  l10n.bundle = undefined;
});

/** Activates dist/extension.js (required as VS Code requires it) with the local API and the token. */
async function activateBundle(): Promise<Hooks> {
  fake.reset();
  fake.settings.global.set('qoder.apiBaseUrl', api.baseUrl);
  const secrets = new FakeSecretStorage();
  secrets.data.set(secretKey(api.baseUrl), TOKEN);
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, secrets, globalState: new FakeMemento(), extensionMode: ExtensionMode.Test, extensionUri: Uri.from({ scheme: 'file', path: '/extension' }), extension: { packageJSON: { version: '0.0.0-bundle' } } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const main = require(path.join(DIST, 'extension.js')) as MainBundle;
  const hooks = await main.activate(context);
  assert.ok(hooks, 'activate() returns its test hooks in ExtensionMode.Test');
  disposeAll = () => {
    for (const d of subscriptions.reverse()) d.dispose();
  };
  await hooks.services.store.refresh();
  return hooks;
}

/**
 * A seeded session whose deployment's prompt is first set to `prompt`: the local API opens every
 * transcript with that prompt (server text that only the chunk renders).
 */
function sessionWithPrompt(prompt: string): string {
  api.reseed(12);
  const account = api.account(TOKEN);
  for (const d of account.list()) {
    const [sessionId] = api.sessions(TOKEN).sessionIdsOf(String(d.id));
    if (sessionId) {
      account.update(String(d.id), { initial_events: [{ type: 'user.message', content: [{ type: 'text', text: prompt }] }] });
      return sessionId;
    }
  }
  throw new Error('no seeded deployment has a session');
}

function sessionDocument(sessionId: string): Promise<string> {
  const provider = fake.providers.get('qoder-session') as { provideTextDocumentContent(uri: Uri): Promise<string> };
  return provider.provideTextDocumentContent(Uri.from({ scheme: 'qoder-session', path: '/bundle', query: `session=${sessionId}` }));
}

/** The lazy chunks as esbuild.mjs built them: each one's inputs, the kernel's modules, the stateless list. */
function chunks(): { inputs: Record<string, string[]>; kernel: Record<string, string>; editorKernel: Record<string, string>; stateless: string[] } {
  return JSON.parse(readFileSync(path.join(DIST, 'chunks.json'), 'utf8')) as ReturnType<typeof chunks>;
}

/** The sibling files a built file requires (`require("./x.js")`). */
function requiredBy(file: string): string[] {
  return [...readFileSync(path.join(DIST, file), 'utf8').matchAll(/require\("\.\/([a-z]+\.js)"\)/g)].map((m) => m[1]!);
}

test('bundle files exist: dist/extension.js, every lazy chunk it requires, and theirs', () => {
  const required = new Set(requiredBy('extension.js'));
  for (const file of [...required]) for (const more of requiredBy(file)) if (more !== 'extension.js') required.add(more);
  assert.ok(required.has('sessions.js') && required.has('editor.js'), `the main bundle requires the chunks: ${[...required].join(', ')}`);
  for (const file of required) assert.ok(readFileSync(path.join(DIST, file)).length > 0, file);
});

test('D7: a session transcript opened through dist/sessions.js redacts the token without its pt- prefix', async () => {
  const sessionId = sessionWithPrompt(`Nightly ${BARE} report`);
  await activateBundle();
  const text = await sessionDocument(sessionId);
  assert.match(text, /> Nightly (\\\*){3} report|> Nightly \*{3} report/, 'the prompt is shown, with the token replaced');
  assert.ok(!text.toLowerCase().includes(BARE.toLowerCase()), 'the bare token does not appear in the transcript');
});

test('l10n is configured once for every chunk: the session transcript from dist/sessions.js is in Chinese when VS Code is', async () => {
  const sessionId = sessionWithPrompt('Write the nightly report.');
  l10n.bundle = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  await activateBundle();
  const text = await sessionDocument(sessionId);
  assert.match(text, /## 第 1 轮\n/, 'the turn heading, worded by the chunk, is translated');
  assert.doesNotMatch(text, /## Turn 1\b/);
});

test('an API error of the main bundle is recognised in dist/editor.js: a 400 on Save names the refused field', async () => {
  const hooks = await activateBundle();
  const d = hooks.services.store.deployments.find((x) => x.schedule)!;
  const files = (fake.providers.get('fs:qoder') as { editor(): { files: { readFile(u: Uri): Promise<Uint8Array>; writeFile(u: Uri, b: Uint8Array): Promise<void> } } }).editor().files;
  const uri = Uri.from({ scheme: 'qoder', path: `/deployments/${d.id}/${d.name}.deployment.json` });
  const doc = JSON.parse(new TextDecoder().decode(await files.readFile(uri))) as Record<string, unknown>;
  const changed = JSON.stringify({ ...doc, initial_events: [{ type: 'user.define_outcome', description: 'done when green' }] });
  // a refusal is our message (not an error thrown to VS Code's "Unable to write file")
  const before = fake.shown.length;
  await files.writeFile(uri, new TextEncoder().encode(changed));
  const errors = fake.shown.slice(before).filter((s) => s.kind === 'error');
  assert.match(errors[0]?.message ?? '', /^Not saved: the server refused the value of “initial_events\[0\]\.rubric”/);
});

test('no module of the main bundle has a second copy in a chunk, except the stateless ones esbuild.mjs lists', () => {
  const mainInputs = new Set(Object.keys((JSON.parse(readFileSync(path.join(DIST, 'meta.json'), 'utf8')) as { inputs: object }).inputs));
  const { inputs, stateless } = chunks();
  assert.deepEqual(Object.keys(inputs).sort(), [...new Set([...requiredBy('extension.js'), ...requiredBy('editor.js')])].filter((f) => f !== 'extension.js').sort());
  for (const [file, chunkInputs] of Object.entries(inputs)) {
    const copies = chunkInputs.filter((i) => mainInputs.has(i) && !stateless.includes(i));
    assert.deepEqual(copies, [], `dist/${file} carries its own copy of ${copies.join(', ')}`);
  }
  for (const state of ['src/common/display.ts', 'src/api/errors.ts', 'src/api/client.ts', 'node_modules/@vscode/l10n/dist/main.js']) {
    assert.ok(mainInputs.has(state), `the main bundle holds ${state}`);
    assert.ok(!stateless.includes(state), `${state} holds state: it is never listed as stateless`);
  }
  for (const file of ['sessions.js', 'editor.js']) assert.ok(inputs[file]!.includes('kernel:display'), `dist/${file} reads redaction from the kernel`);
});

test('dist/save.js carries no copy of a module of dist/editor.js: it reads the editor\'s model from the editorKernel that dist/editor.js exports', () => {
  const { inputs, editorKernel, stateless } = chunks();
  const editor = new Set(inputs['editor.js']);
  const copies = inputs['save.js']!.filter((i) => editor.has(i) && !stateless.includes(i) && !i.startsWith('kernel:'));
  assert.deepEqual(copies, [], `dist/save.js carries its own copy of ${copies.join(', ')}`);
  assert.ok(inputs['save.js']!.includes('editorKernel:deploymentDocument'), 'dist/save.js reads the deployment document model from dist/editor.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const editorChunk = require(path.join(DIST, 'editor.js')) as { editorKernel?: Record<string, unknown> };
  assert.deepEqual(Object.keys(editorChunk.editorKernel ?? {}).sort(), Object.values(editorKernel).sort());
});

test('the main bundle exports the kernel every chunk reads: one object with each module esbuild.mjs maps', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const main = require(path.join(DIST, 'extension.js')) as { kernel?: Record<string, unknown> };
  assert.ok(main.kernel, 'dist/extension.js exports kernel');
  assert.deepEqual(Object.keys(main.kernel).sort(), Object.values(chunks().kernel).sort());
  for (const [key, mod] of Object.entries(main.kernel)) assert.ok(mod && typeof mod === 'object' && Object.keys(mod).length > 0, `kernel.${key} is a module with exports`);
});
