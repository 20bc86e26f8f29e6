// Sessions in the editor, under the fake vscode against the local API: run rows that lead
// with the outcome, Open Session (header with names, transcript), following a live session to
// its end, Cancel Session with a modal, and Copy Run ID. Waits on events, never on the clock.

import { describe, test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateConnected, cmd, fake, until } from '../unit/harness';
import { RunNode } from '../../src/deployments/deploymentsTree';
import { window, type TreeItem } from '../fakes/vscode';

const TOKEN = 'pt-unit-sessions-secret-0014';
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

/** The first deployment whose runs include one with a session and one with an error. */
async function deploymentWithRuns(e: Activated): Promise<{ depId: string; nodes: RunNode[] }> {
  for (const d of e.hooks.services.store.deployments) {
    const nodes = (await e.hooks.tree.getChildren(e.hooks.tree.nodeFor(d.id))).filter((n): n is RunNode => n instanceof RunNode);
    if (nodes.some((n) => n.run.session_id) && nodes.some((n) => n.run.error)) return { depId: d.id, nodes };
  }
  throw new Error('no seeded deployment has both kinds of run');
}

function documentText(uri: { scheme: string }): Promise<string> {
  return fake.providers.get('qoder-session').provideTextDocumentContent(uri);
}

function openedSessionUri(): { scheme: string; path: string; query: string } {
  const ed = window.activeTextEditor;
  assert.ok(ed, 'a document was shown');
  return ed.document.uri;
}

test('run rows lead with the outcome, fetched lazily; the same words label the row for screen readers and start the tooltip', async () => {
  const e = await connected();
  const { nodes } = await deploymentWithRuns(e);
  const withSession = nodes.find((n) => n.run.session_id)!;
  const failed = nodes.find((n) => n.run.error)!;
  const first = e.hooks.tree.getTreeItem(withSession) as TreeItem;
  assert.match(String(first.label), /^started · (manual|scheduled) · /, 'before the status arrives');
  const f = e.hooks.tree.getTreeItem(failed) as TreeItem;
  assert.match(String(f.label), /^could not start: [a-z -]+ · (manual|scheduled) · /);
  assert.doesNotMatch(String(f.label), /_error/);
  await until(() => /^(done · \d+ (s|min)|failed)/.test(String(e.hooks.tree.getTreeItem(withSession).label)), 'the session status');
  const item = e.hooks.tree.getTreeItem(withSession) as TreeItem;
  assert.equal(item.accessibilityInformation?.label, item.label);
  const tip = String((item.tooltip as { value: string }).value).replace(/\\/g, '').replace(/&nbsp;/g, ' ');
  assert.ok(tip.startsWith(String(item.label)), `tooltip "${tip.slice(0, 80)}" starts with the row's words`);
  assert.match(String(item.contextValue), /\brun hasSession\b/);
  assert.equal(item.command?.command, 'qoder.openSession');
  const requests = api.requests.filter((r) => /\/sessions\/[^/]+$/.test(r.path));
  // Every fetched run history counts (finding this deployment expanded others): the failure
  // streak may ask about those runs' sessions too, never about a run that was not fetched.
  const services = e.hooks.services;
  const onScreen = services.store.deployments.flatMap((d) => services.runs.get(d.id)?.runs ?? []).filter((r) => r.session_id).length;
  assert.ok(onScreen >= nodes.filter((n) => n.run.session_id).length);
  assert.ok(requests.length <= onScreen, 'one status request per fetched run at most');
  // A settled session's events are asked at most twice: whether it waits for a decision, and how its last turn ended.
  const events = api.requests.filter((r) => r.path.endsWith('/events'));
  assert.ok(events.length <= 2 * onScreen, `at most two event requests per fetched run (${events.length} for ${onScreen})`);
});

test('Open Session as Markdown shows a header with status, agent name and version, environment name, times and credits, then the transcript', async () => {
  const e = await connected();
  const { depId, nodes } = await deploymentWithRuns(e);
  const run = nodes.find((n) => n.run.session_id)!;
  await cmd('qoder.openSessionMarkdown', run);
  const uri = openedSessionUri();
  const text = await documentText(uri);
  const name = e.hooks.services.store.get(depId)!.name;
  assert.ok(decodeURIComponent(uri.path).startsWith(`/${name} · `), uri.path);
  assert.match(text, /\*\*Status:\*\* (done|failed: .+|cancelled) {2}\n/);
  assert.match(text, /\*\*Agent:\*\* [^\n]+ \(version \d+\)/);
  assert.doesNotMatch(text, /\*\*Agent:\*\* agent\\?_/);
  assert.match(text, /\*\*Environment:\*\* [a-z0-9-]+ {2}\n/);
  assert.match(text, /\*\*Credits:\*\* \d/);
  assert.match(text, /## Turn 1\n/);
  assert.match(text, /\*\*Bash:\*\* `git status --short/);
  assert.match(text, /<details><summary>result · 64 lines<\/summary>/);
  assert.match(text, /24 more lines/);
});

test('a run that started no session says so instead of opening anything', async () => {
  const e = await connected();
  const { nodes } = await deploymentWithRuns(e);
  await cmd('qoder.openSession', nodes.find((n) => n.run.error)!);
  assert.ok(fake.shown.some((s) => /started no session/.test(s.message)));
});

test('a live session grows in the document until its turn ends, then the stream is closed', async () => {
  const e = await connected();
  const client = e.hooks.services.connection.requireClient();
  const dep = e.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at)!;
  const run = await client.runDeployment(dep.id);
  const provider = fake.providers.get('qoder-session');
  const changes: unknown[] = [];
  provider.onDidChange((u: unknown) => changes.push(u));
  await cmd('qoder.openSessionMarkdown', dep.id, run.id, run.session_id);
  const uri = openedSessionUri();
  const first = await documentText(uri);
  assert.match(first, /\*\*Status:\*\* running · \*live\*/);
  await until(() => changes.length > 0, 'a redraw', 5000);
  let text = '';
  await (async () => {
    for (;;) {
      text = await documentText(uri);
      if (/turn ended/.test(text)) return;
      await until(() => changes.length > 0, 'another redraw', 5000);
      changes.length = 0;
    }
  })();
  // The final figures are fetched after the turn ended; the last redraw shows them.
  for (;;) {
    text = await documentText(uri);
    if (/\*\*Status:\*\* done {2}\n/.test(text)) break;
    changes.length = 0;
    await until(() => changes.length > 0, 'the final redraw', 5000);
  }
  assert.doesNotMatch(text, /\*live\*/);
  const streams = api.requests.filter((r) => r.path.endsWith('/events/stream'));
  assert.ok(streams.length >= 1);
});

test('Cancel Session asks "Stop the run of “name” started …?" with Keep Running first and Stop Run, then the document says cancelling… until the cancelled turn end', async () => {
  const e = await connected();
  const client = e.hooks.services.connection.requireClient();
  const dep = e.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at)!;
  const run = await client.runDeployment(dep.id);
  await cmd('qoder.openSessionMarkdown', { deploymentId: dep.id, run }); // as the tree passes a clicked run
  const uri = openedSessionUri();
  await documentText(uri);
  fake.answers.push(undefined); // first: dismissed
  await cmd('qoder.cancelSession', uri);
  assert.equal(api.requests.filter((r) => r.path.endsWith('/cancel')).length, 0, 'dismissing sends nothing');
  const asked = fake.shown.at(-1)!;
  assert.equal(asked.options?.modal, true);
  // In the user's words: which run, when it started; Keep Running first (VS Code focuses the first button).
  assert.match(asked.message, new RegExp(`^Stop the run of “${dep.name}” started .+\\?$`));
  assert.doesNotMatch(asked.message, /sess_/);
  assert.deepEqual(asked.items, ['Keep Running', 'Stop Run']);
  fake.answers.push('Keep Running');
  await cmd('qoder.cancelSession', uri);
  assert.equal(api.requests.filter((r) => r.path.endsWith('/cancel')).length, 0, 'Keep Running sends nothing');
  fake.answers.push('Stop Run');
  await cmd('qoder.cancelSession', uri);
  assert.equal(api.requests.filter((r) => r.path.endsWith('/cancel')).length, 1);
  const during = await documentText(uri);
  assert.ok(/cancelling…|■ cancelled/.test(during), during.slice(0, 400));
  await until(() => api.sessions(TOKEN).status(run.session_id!) === 'idle', 'the session to go idle');
  let text = '';
  const provider = fake.providers.get('qoder-session');
  let redraws = 0;
  provider.onDidChange(() => redraws++);
  for (;;) {
    text = await documentText(uri);
    if (/■ cancelled/.test(text) && !/cancelling…/.test(text)) break;
    const seen = redraws;
    await until(() => redraws > seen, 'a redraw after cancel', 5000);
  }
  assert.match(text, /■ cancelled/);
});

test('Open Session from the palette picks the run by deployment name and time, running runs first, never asking for an id', async () => {
  const e = await connected();
  const client = e.hooks.services.connection.requireClient();
  const dep = e.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at)!;
  const live = await client.runDeployment(dep.id);
  e.hooks.services.runs.invalidate(dep.id);
  await e.hooks.services.runs.ensure(dep.id);
  let offered: readonly { label: string; description?: string }[] = [];
  fake.pickAnswers.push((items: readonly { label: string; description?: string; run: { id: string } }[]) => {
    offered = items;
    return items.find((i) => i.run.id === live.id);
  });
  const inputs = fake.inputOptions.length;
  await cmd('qoder.openSession');
  assert.equal(fake.inputOptions.length, inputs, 'no input box for a raw session id');
  assert.ok(offered.length > 1, 'recent runs are offered');
  for (const item of offered) assert.doesNotMatch(`${item.label} ${item.description ?? ''}`, /sess_|drun_|\$\(/, 'names, times and states, no ids or icon names');
  assert.equal(offered[0]!.label, dep.name, 'the run that is running comes first');
  assert.match(offered[0]!.description ?? '', / · (started|running)$/);
  // The session's report opens, titled by name and time, and shows that session.
  const panel = fake.panels.at(-1)!;
  assert.equal(panel.viewType, 'qoder.sessionReport');
  assert.match(panel.title, new RegExp(`^${dep.name} · .+`), 'the report is titled by name and time');
  panel.fromPage({ type: 'ready' });
  await until(() => panel.posted.some((m) => typeof m.head === 'string' && m.head.includes(live.session_id!)), 'the report of the picked run');
});

test('Copy Run ID copies the clicked run id', async () => {
  const e = await connected();
  const { nodes } = await deploymentWithRuns(e);
  await cmd('qoder.copyRunId', nodes[0]);
  assert.equal(fake.clipboard, nodes[0]!.run.id);
});

test('a stream that stays down says "reconnecting…" in the header, and goes back to live once it reconnects', async () => {
  const e = await connected();
  const client = e.hooks.services.connection.requireClient();
  const dep = e.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at)!;
  // The stream refuses a few connections (503), then lets the session be followed again.
  api.injectFault({ route: 'GET /sessions/:id/events/stream', kind: 'status', status: 503, times: 3 });
  const run = await client.runDeployment(dep.id);
  const { SessionDocuments } = await import('../../src/agentSessions/sessionDocument');
  const { sessionUri } = await import('../../src/agentSessions/sessionUris');
  const { failureText } = await import('../../src/common/errorText');
  const { durationText } = await import('../../src/common/timeText');
  const { NameCache, SessionStatusCache } = await import('../../src/agentSessions/model/sessionCache');
  const names = new NameCache();
  const docs = new SessionDocuments({ client: () => client, names, statuses: new SessionStatusCache(), deploymentName: () => dep.name, log: () => undefined, reconnectingAfterMs: 10, failureText, formatTime: (iso: string) => iso, durationText });
  const uri = sessionUri(run.session_id!, `${dep.name} · now`);
  const seen: string[] = [];
  docs.onDidChange(async () => seen.push(await docs.provideTextDocumentContent(uri as never)));
  await docs.provideTextDocumentContent(uri as never);
  await until(() => seen.some((t) => /reconnecting…/.test(t)), 'the reconnecting header', 10_000);
  await until(() => seen.some((t) => /turn ended/.test(t)), 'the session followed to its end after reconnecting', 15_000);
  assert.doesNotMatch(seen.at(-1)!, /reconnecting…/);
  docs.dispose();
});

test('a running session row is asked again until it settles, then never again', async () => {
  const e = await connected();
  const client = e.hooks.services.connection.requireClient();
  const { SessionStatusCache } = await import('../../src/agentSessions/model/sessionCache');
  const dep = e.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at)!;
  const run = await client.runDeployment(dep.id);
  const cache = new SessionStatusCache({ ttlMs: 50 });
  let asked = 0;
  cache.setSource({ getSession: (id, signal) => (asked++, client.getSession(id, { signal })) });
  const statuses: string[] = [];
  cache.onDidChange((id) => statuses.push(cache.get(id)!.status));
  cache.request(run.session_id!);
  await until(() => statuses.includes('idle'), 'the session to settle', 10_000);
  const settledAfter = asked;
  assert.equal(statuses[0], 'running');
  cache.request(run.session_id!);
  assert.equal(asked, settledAfter, 'a settled status is never fetched again');
  cache.dispose();
});

test('setting the Markdown language (a close and reopen at once) does not stop following the session', async () => {
  const e = await connected();
  const client = e.hooks.services.connection.requireClient();
  const dep = e.hooks.services.store.deployments.find((d) => d.status === 'active' && !d.archived_at)!;
  const run = await client.runDeployment(dep.id);
  await cmd('qoder.openSessionMarkdown', dep.id, run.id, run.session_id);
  const uri = openedSessionUri();
  await documentText(uri);
  const { workspace } = await import('../fakes/vscode');
  workspace.textDocuments.push({ uri });
  fake.closedDocuments.fire({ uri }); // what vscode.languages.setTextDocumentLanguage does
  const provider = fake.providers.get('qoder-session');
  let redraws = 0;
  provider.onDidChange(() => redraws++);
  // VS Code asks for the text again only when the provider says it changed.
  let text = '';
  for (;;) {
    const seen = redraws;
    await until(() => redraws > seen, 'a redraw after the language change', 5000);
    text = await documentText(uri);
    if (/turn ended/.test(text)) break;
  }
  assert.match(text, /turn ended/);
  workspace.textDocuments.length = 0;
});

describe('a session document as a report (issue 21 item 2)', () => {
  /** A session document provider over a client that knows one finished session with a failed push. */
  async function documents(): Promise<{ docs: import('../../src/agentSessions/sessionDocument').SessionDocuments; sessionId: string; lists: () => number }> {
    const { SessionDocuments } = await import('../../src/agentSessions/sessionDocument');
    const { failureText } = await import('../../src/common/errorText');
    const { durationText } = await import('../../src/common/timeText');
    const { NameCache, SessionStatusCache } = await import('../../src/agentSessions/model/sessionCache');
    const sessionId = 'sess_01report0000000000000000000001';
    let lists = 0;
    const at = '2026-07-14T00:30:17Z';
    const events = [
      { id: 'evt_1', type: 'user.message', processed_at: at, content: [{ type: 'text', text: 'Push the release.' }] },
      { id: 'evt_2', type: 'agent.tool_use', processed_at: at, name: 'Bash', input: { command: 'git push' } },
      { id: 'evt_3', type: 'agent.tool_result', processed_at: at, tool_use_id: 'evt_2', is_error: true, content: [{ type: 'text', text: 'remote: Permission denied' }] },
      { id: 'evt_4', type: 'session.error', processed_at: at, error: { type: 'unknown_error', message: 'The push failed.' } },
      { id: 'evt_5', type: 'session.status_terminated', processed_at: at },
    ];
    const client = {
      getSession: async () => ({ id: sessionId, status: 'terminated', created_at: at, duration_seconds: 12, total_credits: 0.4, agent: { name: 'a', version: 1 }, environment_id: null }),
      async *listSessionEvents() {
        lists++;
        yield { data: events };
      },
    };
    const docs = new SessionDocuments({ client: () => client as never, names: new NameCache(), statuses: new SessionStatusCache(), deploymentName: () => 'd', log: () => undefined, failureText, formatTime: (iso: string) => iso, durationText });
    return { docs, sessionId, lists: () => lists };
  }

  test('failed tool calls and the session error are Problems on the session document, on their lines (F8 goes from one to the next)', async () => {
    const { sessionUri } = await import('../../src/agentSessions/sessionUris');
    const { docs, sessionId } = await documents();
    const uri = sessionUri(sessionId, 'd · now');
    const text = await docs.provideTextDocumentContent(uri as never);
    const lines = text.split('\n');
    const problems = docs.problemsOf(uri as never);
    assert.deepEqual(problems.map((p) => [p.range.start.line, p.severity, p.message]), [
      [lines.indexOf('### Step 1 · Bash'), 1, 'Bash failed: remote: Permission denied'],
      [lines.findIndex((l) => l.startsWith('> **✗ Error**')), 0, 'an unknown error: The push failed.'],
    ]);
    docs.dispose();
  });

  test('one document and one stream per session: another address of an open session leads to the open one', async () => {
    const { sessionUri } = await import('../../src/agentSessions/sessionUris');
    const { workspace } = await import('../fakes/vscode');
    const { docs, sessionId, lists } = await documents();
    const fromTree = sessionUri(sessionId, 'd · Jul 14, 2026, 8:30 AM');
    await docs.provideTextDocumentContent(fromTree as never);
    workspace.textDocuments.push({ uri: fromTree });
    try {
      const fromToast = sessionUri(sessionId, 'd');
      assert.equal(docs.openUri(fromToast as never).toString(), fromTree.toString(), 'the toast opens the tree\'s document');
      assert.equal(lists(), 1, 'the session was read once');
      const other = sessionUri('sess_01other00000000000000000000002', 'd');
      assert.equal(docs.openUri(other as never).toString(), other.toString(), 'another session keeps its own address');
    } finally {
      workspace.textDocuments.splice(0);
      docs.dispose();
    }
  });
});

describe('a live session document follows its tail (issue 21 item 2)', () => {
  function editor(uri: unknown, lastVisibleLine: number, lineCount: number) {
    const revealed: number[] = [];
    return {
      document: { uri, lineCount },
      visibleRanges: [{ start: { line: Math.max(0, lastVisibleLine - 30) }, end: { line: lastVisibleLine } }],
      revealRange: (r: { start: { line: number } }) => revealed.push(r.start.line),
      revealed,
    };
  }

  test('an editor showing the last line keeps showing it as the run grows; one the user scrolled up stays where it is', async () => {
    const { TailFollower } = await import('../../src/agentSessions/tailFollower');
    const { sessionUri } = await import('../../src/agentSessions/sessionUris');
    const { window } = await import('../fakes/vscode');
    const uri = sessionUri('sess_01tail00000000000000000000000001', 'd · now');
    const atEnd = editor(uri, 99, 100);
    const scrolledUp = editor(uri, 40, 100);
    const other = editor(sessionUri('sess_01tail00000000000000000000000002', 'e'), 99, 100);
    (window as { visibleTextEditors?: unknown[] }).visibleTextEditors = [atEnd, scrolledUp, other];
    try {
      const tail = new TailFollower();
      tail.beforeChange(uri as never);
      atEnd.document.lineCount = scrolledUp.document.lineCount = 130; // the new events arrived
      tail.afterChange({ uri, lineCount: 130 } as never);
      assert.deepEqual(atEnd.revealed, [129], 'the editor at the end follows');
      assert.deepEqual(scrolledUp.revealed, [], 'the one scrolled up is left alone');
      assert.deepEqual(other.revealed, [], 'another session is not touched');
      tail.afterChange({ uri, lineCount: 140 } as never);
      assert.deepEqual(atEnd.revealed, [129], 'only once per change');
    } finally {
      (window as { visibleTextEditors?: unknown[] }).visibleTextEditors = [];
    }
  });
});

test('issue 21: a deployment whose newest run failed in its session says "last run failed" on its row, with the warning icon, once that session\'s state is known', async () => {
  const e = await connected();
  const { tree, services } = e.hooks;
  let depId: string | undefined;
  for (const d of services.store.deployments.filter((x) => !x.archived_at && x.status === 'active')) {
    const nodes = (await tree.getChildren(tree.nodeFor(d.id))).filter((n): n is RunNode => n instanceof RunNode);
    const newest = nodes[0]?.run;
    if (!newest?.session_id) continue;
    const session = await services.connection.requireClient().getSession(newest.session_id);
    if (session.status === 'terminated') {
      depId = d.id;
      break;
    }
  }
  assert.ok(depId, 'a seeded active deployment whose newest run\'s session terminated');
  const row = (): TreeItem => tree.getTreeItem(tree.nodeFor(depId!)) as TreeItem;
  await until(() => /^last run failed · /.test(String(row().description)), `the row to say the last run failed`);
  assert.equal((row().iconPath as { id?: string } | undefined)?.id, 'warning');
  assert.match(String(row().accessibilityInformation?.label), /^last run failed, /);
});

test('a message sent while the ended turn\'s stream is still closing: the next turn still streams into the document', async () => {
  const { SessionDocuments } = await import('../../src/agentSessions/sessionDocument');
  const { sessionUri } = await import('../../src/agentSessions/sessionUris');
  const { failureText } = await import('../../src/common/errorText');
  const { durationText } = await import('../../src/common/timeText');
  const { NameCache, SessionStatusCache } = await import('../../src/agentSessions/model/sessionCache');
  const sessionId = 'sess_01resume0000000000000000000001';
  const at = '2026-07-14T00:30:17Z';
  const said = (id: string, type: string, text: string) => ({ id, type, processed_at: at, content: [{ type: 'text', text }] });
  const ended = (id: string) => ({ id, type: 'session.status_idle', processed_at: at, stop_reason: { type: 'end_turn' } });
  let streams = 0;
  let closed!: () => void;
  const closing = new Promise<void>((r) => (closed = r));
  const client = {
    getSession: async () => ({ id: sessionId, status: streams === 0 ? 'running' : 'idle', created_at: at, duration_seconds: 3, total_credits: 0.1, agent: { name: 'a', version: 1 }, environment_id: null, archived_at: null }),
    async *listSessionEvents() {
      yield { data: [said('evt_1', 'user.message', 'Check the manifests.')] };
    },
    streamSessionEvents() {
      streams++;
      if (streams === 1) {
        return (async function* () {
          try {
            yield said('evt_2', 'agent.message', 'The first answer.');
            yield ended('evt_3');
          } finally {
            await closing; // a connection that takes its time to close
          }
        })();
      }
      return (async function* () {
        yield said('evt_4', 'user.message', 'And staging?');
        yield said('evt_5', 'agent.message', 'The second answer.');
        yield ended('evt_6');
      })();
    },
  };
  const docs = new SessionDocuments({ client: () => client as never, names: new NameCache(), statuses: new SessionStatusCache(), deploymentName: () => 'd', log: () => undefined, failureText, formatTime: (iso: string) => iso, durationText });
  const uri = sessionUri(sessionId, 'd · now');
  let text = '';
  docs.onDidChange(async () => void (text = await docs.provideTextDocumentContent(uri as never)));
  try {
    await docs.provideTextDocumentContent(uri as never);
    await until(() => /The first answer\.[\s\S]*turn ended/.test(text), 'the first turn on screen, its end included');
    docs.find(sessionId)!.resume(); // what Send Message does once the message is sent
    closed();
    await until(() => /The second answer\.[\s\S]*turn ended/.test(text), 'the next turn streamed in', 5000);
    assert.equal(streams, 2, 'one more stream, once the first had closed');
  } finally {
    closed();
    docs.dispose();
  }
});
