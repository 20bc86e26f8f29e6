// Save Session Transcript… under the fake vscode against the local API: it asks for a file, lists
// every event of the session again and writes them there (the document itself keeps only the
// first and latest ~2 MB), redacts the token, and says how many it saved. Cancelled, it writes
// nothing; without a session open it says what to do. Waits on the command, never on the clock.

import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateConnected, cmd, fake, until } from '../unit/harness';
import { RunNode } from '../../src/deployments/deploymentsTree';
import { Uri, window } from '../fakes/vscode';

const TOKEN = 'pt-unit-save-transcript-secret-6620';
let api: LocalApi;
let ext: Activated | undefined;
let dir: string;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 30, quiet: true, liveSessionMs: 200, heartbeatMs: 50 });
  dir = mkdtempSync(join(tmpdir(), 'qoder-transcript-'));
});
after(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

/** Opens the Markdown document of a seeded run's idle session (one that takes a message); its address and the session id. */
async function openSession(): Promise<{ uri: Uri; sessionId: string }> {
  ext = await activateConnected(api, TOKEN);
  for (const d of ext.hooks.services.store.deployments) {
    const waiting = api.sessions().waitingSessionId();
    const run = (await ext.hooks.tree.getChildren(ext.hooks.tree.nodeFor(d.id))).find((n): n is RunNode => n instanceof RunNode && typeof n.run.session_id === 'string' && n.run.session_id !== waiting && api.sessions().status(n.run.session_id) === 'idle');
    if (!run) continue;
    await cmd('qoder.openSessionMarkdown', run);
    return { uri: window.activeTextEditor!.document.uri as Uri, sessionId: run.run.session_id as string };
  }
  throw new Error('no seeded run has a session');
}

test('Save Session Transcript… writes every event of the session to the chosen file, with the token redacted, and says how many', async () => {
  const { uri, sessionId } = await openSession();
  // A message that quotes the token is part of the history the file is written from.
  const client = ext!.hooks.services.connection.requireClient();
  await client.call({ method: 'POST', path: `/sessions/${sessionId}/events`, body: { events: [{ type: 'user.message', content: [{ type: 'text', text: `deploy with ${TOKEN} please` }] }] } }, () => undefined);
  await until(() => api.sessions().status(sessionId) === 'idle', 'the turn the message started has ended', 10_000);
  const events = api.sessions().events(sessionId).length;
  const target = Uri.file(join(dir, 'whole.md'));
  fake.saveDialogAnswers.push(target);

  await cmd('qoder.saveSessionTranscript', uri);

  assert.equal(fake.saveDialogs.length, 1);
  assert.match(String(fake.saveDialogs[0].defaultUri ?? ''), /\.md$|^$/);
  assert.deepEqual(fake.progress, ['Saving the session transcript…']);
  const text = readFileSync(target.fsPath, 'utf8');
  assert.ok(fake.statusBar.includes(`$(check) Saved ${events} events of the session`), fake.statusBar.join(' | '));
  // The first event to the last: the session's first prompt, both turns, each turn's end.
  const idles = api.sessions().events(sessionId).filter((e) => e.type === 'session.status_idle').length;
  assert.match(text, /^# .+\n+## Turn 1\n+> \S/);
  assert.match(text, /## Turn 2\n+> deploy with \S+ please/, 'the message is in the file');
  assert.equal(text.match(/turn ended/g)?.length, idles);
  assert.ok(!text.includes(TOKEN) && !text.includes(TOKEN.slice(3)), 'the token is redacted');
  assert.ok(!fake.allText().includes(TOKEN), 'and shown nowhere');
});

test('Save Session Transcript… with the dialog cancelled writes nothing and says nothing', async () => {
  const { uri } = await openSession();
  const filesBefore = readdirSync(dir).length;
  fake.saveDialogAnswers.push(undefined);
  await cmd('qoder.saveSessionTranscript', uri);
  assert.equal(fake.saveDialogs.length, 1);
  assert.deepEqual(fake.progress, []);
  assert.ok(!fake.statusBar.some((m) => /Saved/.test(m)));
  assert.equal(readdirSync(dir).length, filesBefore, 'no file written');
});

test('Save Session Transcript… with no session open says to open one first, and asks for no file', async () => {
  ext = await activateConnected(api, TOKEN);
  window.activeTextEditor = undefined;
  await cmd('qoder.saveSessionTranscript');
  assert.ok(fake.shown.some((s) => s.message === 'Open a session first, then save its transcript.'));
  assert.equal(fake.saveDialogs.length, 0);
});
