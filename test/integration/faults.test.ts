// The extension under each fault the local API can inject, for each operation: first load,
// refresh with a list on screen, archive, pause, resume, run, and create (Save of a new document). Real extension, fake vscode,
// real client over loopback. The client timeout is shortened through QODER_TEST_TIMEOUT_MS
// (honoured only in ExtensionMode.Test) so hangs cost a few hundred ms.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { LOCAL_CONTROL_HEADER, startLocalApi, type FaultSpec, type LocalApi, type RecordedRequest } from '../local-api/server';
import { clock, FIXED_NOW } from '../local-api/test-helpers';
import { type Activated, activateExtension, cmd, fake, until } from '../unit/harness';
import type { EditorHost } from '../../src/editing/editorHost';
import { newUri } from '../../src/editing/deploymentFiles';
import { documentText } from '../../src/editing/model/deploymentDocument';
import { promptedTemplate } from '../unit/fixtures';

const TOKEN = 'pt-unit-faults-secret-0007';
const SEED = 30;
const TIMEOUT_MS = 300;
process.env.QODER_TEST_TIMEOUT_MS = String(TIMEOUT_MS);

const unhandled: unknown[] = [];
process.on('unhandledRejection', (e) => unhandled.push(e));

let api: LocalApi;
let ext: Activated | undefined;
let casesRun = 0;

before(async () => {
  // A frozen server clock: reseeding (which also lifts a revocation) gives the same ids.
  api = await startLocalApi({ port: 0, token: TOKEN, seed: SEED, quiet: true, now: clock(FIXED_NOW).now });
});
after(async () => {
  await api.close();
  console.log(`# faults tested: ${casesRun}`);
});
beforeEach(async () => {
  api.clearFaults();
  await resetServer();
  api.resetRequests();
});
afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

/** Reseeds every account and lifts revocations (control route of the local API). */
async function resetServer(): Promise<void> {
  const r = await fetch(`${api.origin}/__local/reset`, { method: 'POST', headers: { [LOCAL_CONTROL_HEADER]: '1' }, body: JSON.stringify({ seed: SEED }) });
  assert.equal(r.status, 200);
}

// ---------------------------------------------------------------------------------------

type Op = 'list' | 'refresh' | 'archive' | 'pause' | 'resume' | 'run' | 'create';
const OPS: Op[] = ['list', 'refresh', 'archive', 'pause', 'resume', 'run'];

interface Fault {
  name: string;
  spec?: Omit<FaultSpec, 'route' | 'times'>;
  /** Revoke the token instead of injecting a fault. */
  revoke?: boolean;
  /** The user-facing reason after "… failed: ". */
  reason?: RegExp;
  /** The server answered with a request id that the message must carry. */
  requestId?: boolean;
  /** 429: the client waits and retries; the operation succeeds. */
  recovers?: boolean;
  /** The server did the work; only the answer was unusable (truncated / wrong shape). */
  processed?: boolean;
  only?: Op[];
  /** 409: archived from another window before our POST. */
  archivedElsewhere?: boolean;
}

const FAULTS: Fault[] = [
  { name: '500', spec: { kind: 'status', status: 500 }, reason: /Qoder answered with a server error \(500\): Internal server error\./, requestId: true },
  { name: '502 html', spec: { kind: 'html', status: 502 }, reason: /Qoder answered with a server error \(502\): HTTP 502 Bad Gateway from (GET|POST) \/deployments[^<>]*\./, requestId: true },
  { name: '503', spec: { kind: 'status', status: 503 }, reason: /Qoder answered with a server error \(503\): Internal server error\./, requestId: true },
  { name: '429 Retry-After', spec: { kind: 'rate_limit', retryAfter: 1 }, recovers: true },
  { name: 'hang past timeout', spec: { kind: 'delay', delayMs: 60_000 }, reason: /Qoder did not answer in time: (GET|POST) \/deployments\S* timed out after 0\.3 s\./, requestId: false },
  { name: 'connection reset', spec: { kind: 'reset' }, reason: /127\.0\.0\.1:\d+ could not be reached \(the connection was reset\)/, requestId: false },
  { name: 'truncated JSON', spec: { kind: 'truncated' }, reason: /Qoder sent a response this extension cannot read: (GET|POST) \/deployments\S*: HTTP 200 with a body that is not valid JSON/, requestId: true, processed: true },
  { name: 'wrong shape', spec: { kind: 'wrong_shape' }, reason: /Qoder sent a response this extension cannot read: (GET|POST) \/deployments\S*: unexpected response/, requestId: true, processed: true },
  { name: '401 token revoked', revoke: true, reason: /Qoder rejected the Personal Access Token \(401\); it may have expired or been revoked\./, requestId: true },
  { name: '404 deleted elsewhere', spec: { kind: 'status', status: 404 }, only: ['archive'] },
  { name: '409 archived elsewhere', archivedElsewhere: true, only: ['archive'] },
];

const ROUTE: Record<Op, string> = {
  list: 'GET /deployments',
  refresh: 'GET /deployments',
  archive: 'POST /deployments/:id/archive',
  pause: 'POST /deployments/:id/pause',
  resume: 'POST /deployments/:id/unpause',
  run: 'POST /deployments/:id/run',
  create: 'POST /deployments',
};
const VERB: Record<Op, string> = { list: '', refresh: '', archive: 'archive', pause: 'pause', resume: 'unpause', run: 'run', create: '' };

const store = () => ext!.hooks.services.store;
const ids = (xs: readonly object[]): string[] => xs.map((x) => String((x as { id?: unknown }).id));
const serverIds = () => ids(api.account().list());
const lists = (): RecordedRequest[] => api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/deployments'));
/** Single GETs of one deployment (the re-read after an outcome that may have reached the server). */
const rereads = (id: string): RecordedRequest[] => api.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/deployments/${id}`));
const posts = (op: Op): RecordedRequest[] => api.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${VERB[op]}`));
const errors = () => fake.shown.filter((s) => s.kind === 'error');
const errorLogLines = () => fake.logLines.filter((l) => l.startsWith('[error] '));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function arm(f: Fault, op: Op, id?: string): void {
  if (f.revoke) api.revoke(TOKEN);
  else if (f.archivedElsewhere) api.account().archive(id!);
  // A GET is retried by the client, so the fault persists; a POST is not retried (except 429).
  else if (f.spec) api.injectFault({ ...f.spec, route: ROUTE[op], times: f.recovers ? 1 : -1 } as FaultSpec);
}

async function disarm(f: Fault): Promise<void> {
  api.clearFaults();
  // Lift the revocation. A 401 changed nothing, and the server clock is frozen, so the
  // reseed brings back exactly the same deployments.
  if (f.revoke) await resetServer();
}

async function connected(): Promise<Activated> {
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
  await ext.hooks.services.store.refresh();
  assert.equal(ext.hooks.services.store.state, 'ready');
  api.resetRequests();
  return ext;
}

/** "(Request ID: x)" present iff expected, and x is the id of a request the server answered. */
function assertRequestId(message: string, expected: boolean | undefined, candidates: RecordedRequest[]): void {
  const m = /\(Request ID: ([^)]+)\)$/.exec(message);
  if (!expected) {
    assert.equal(m, null, `no request id expected: ${message}`);
    return;
  }
  assert.ok(m, `a request id is expected: ${message}`);
  assert.ok(candidates.some((r) => r.requestId === m[1]), `request id ${m[1]} is one the server answered`);
}

/** Error log lines are exactly the failures shown to the user (nothing else logged as error). */
function assertErrorLogs(expectedErrorTexts: string[]): void {
  assert.deepEqual(errorLogLines().map((l) => l.slice('[error] '.length)), expectedErrorTexts);
}

function assertRetryAfterHonoured(reqs: RecordedRequest[]): void {
  assert.deepEqual(reqs.map((r) => r.status), [429, 200]);
  assert.deepEqual(reqs[0]!.query, reqs[1]!.query, 'the same request again');
  assert.ok(reqs[1]!.at - reqs[0]!.at >= 950, `waited ${reqs[1]!.at - reqs[0]!.at} ms for Retry-After: 1`);
}

// ---------------------------------------------------------------------------------------
// list (first load): nothing on screen yet; the view's message explains the failure.

async function listCase(f: Fault): Promise<void> {
  arm(f, 'list');
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
  await store().refresh();
  const view = fake.views[0]!;
  if (f.recovers) {
    assert.equal(store().state, 'ready');
    assert.deepEqual(ids(store().deployments), serverIds());
    assertRetryAfterHonoured(lists().slice(0, 2));
    assertNoWarning(view.message);
    assert.equal(errors().length, 0);
    assertErrorLogs([]);
    return;
  }
  assert.equal(store().state, 'error');
  assert.equal(fake.contexts.get('qoder.loadState'), 'error');
  assert.equal(store().deployments.length, 0);
  const message = view.message ?? '';
  assert.match(message, new RegExp(`^Loading deployments failed: ${f.reason!.source}`));
  assert.doesNotMatch(message, /Stale/);
  assertRequestId(message, f.requestId, lists());
  if (f.revoke) {
    await until(() => errors().length > 0, 'the 401 prompt');
    assert.equal(errors().length, 1, 'offered once');
    assert.deepEqual(errors()[0]!.items, ['Replace Token']);
    assert.equal(errors()[0]!.message, message);
    assertErrorLogs([message]);
  } else {
    assert.equal(errors().length, 0, 'a background load fails quietly in the view');
    assertErrorLogs([]);
  }
  // Recovery: the fault gone, a refresh shows the list and clears the message.
  await disarm(f);
  await cmd('qoder.refresh');
  assert.equal(store().state, 'ready');
  assert.deepEqual(ids(store().deployments), serverIds());
  assertNoWarning(view.message);
}

// ---------------------------------------------------------------------------------------
// refresh with a list on screen: the list stays, marked stale, and the user is told.

async function refreshCase(f: Fault): Promise<void> {
  await connected();
  const before = ids(store().deployments);
  const view = fake.views[0]!;
  arm(f, 'refresh');
  await cmd('qoder.refresh');
  if (f.recovers) {
    assertRetryAfterHonoured(lists().slice(0, 2));
    assert.deepEqual(ids(store().deployments), serverIds());
    assert.equal(store().stale, false);
    assertNoWarning(view.message);
    assert.equal(errors().length, 0);
    assertErrorLogs([]);
    return;
  }
  assert.deepEqual(ids(store().deployments), before, 'the list on screen stays');
  assert.equal(store().stale, true);
  assert.equal(store().state, 'ready');
  const message = view.message ?? '';
  assert.match(message, new RegExp(`^Stale: showing the list from .+\\. Loading deployments failed: ${f.reason!.source}`));
  assertRequestId(message, f.requestId, lists());
  await until(() => errors().length > 0, 'the error message');
  const errs = errors();
  assert.equal(errs.length, 1, `reported once: ${errs.map((e) => e.message).join(' | ')}`);
  assert.match(errs[0]!.message, new RegExp(`^Loading deployments failed: ${f.reason!.source}`));
  assert.ok(message.endsWith(errs[0]!.message), 'the view and the message say the same');
  assert.deepEqual(errs[0]!.items, f.revoke ? ['Replace Token'] : []);
  assertErrorLogs([errs[0]!.message]);
  await disarm(f);
  await cmd('qoder.refresh');
  assert.equal(store().stale, false);
  assertNoWarning(view.message);
  assert.deepEqual(ids(store().deployments), serverIds());
}

// ---------------------------------------------------------------------------------------
// archive / pause / resume / run on one deployment.

interface Target {
  id: string;
  name: string;
  status: string;
}

function target(op: Op): Target {
  const d = store().deployments.find((x) =>
    x.archived_at === null && (op === 'resume' ? x.status === 'paused' : op === 'archive' ? true : x.status === 'active'),
  );
  assert.ok(d, `a deployment to ${op}`);
  return { id: d.id, name: d.name, status: d.status };
}

const WHAT: Record<Op, string> = { list: '', refresh: '', archive: 'Archiving', pause: 'Pausing', resume: 'Resuming', run: 'Running', create: 'Creating the deployment' };

async function invoke(op: Op, t: Target): Promise<void> {
  if (op === 'archive') {
    fake.answers.push('Archive');
    return cmd('qoder.archiveDeployment', ext!.hooks.tree.nodeFor(t.id));
  }
  if (op === 'run') {
    fake.answers.push('Run Now');
    return cmd('qoder.runDeployment', t.id);
  }
  return cmd(op === 'pause' ? 'qoder.pauseDeployment' : 'qoder.resumeDeployment', t.id);
}

/** The operation took effect: message shown, store and server agree. */
function assertSucceeded(op: Op, t: Target, fromShown: number): void {
  const shown = fake.shown.slice(fromShown);
  const server = api.account().get(t.id)!;
  switch (op) {
    case 'archive':
      assert.ok(server.archived_at, 'archived on the server');
      assert.equal(String(server.name).split('_archived_').length, 2, 'archived once');
      assert.ok(shown.some((s) => s.kind === 'info' && s.message.startsWith(`Archived “${t.name}”. It is now named “${String(server.name)}”.`)));
      assert.equal(store().get(t.id), undefined, 'left the list');
      break;
    case 'pause':
      assert.equal(server.status, 'paused');
      assert.equal(store().get(t.id)?.status, 'paused');
      assert.ok(fake.announced.some((m) => m.startsWith(`Paused “${t.name}”`)), "announced");
      break;
    case 'resume':
      assert.equal(server.status, 'active');
      assert.equal(store().get(t.id)?.status, 'active');
      assert.ok(fake.announced.some((m) => m.startsWith(`Resumed “${t.name}”`)), "announced");
      break;
    case 'run':
      assert.ok(shown.some((s) => s.kind !== 'error' && (s.message.startsWith(`Started a run of “${t.name}”`) || s.message.includes('no session started'))));
      break;
    default:
      break;
  }
  assert.equal(shown.filter((s) => s.kind === 'error').length, 0);
  assert.equal(store().pendingAction(t.id), undefined);
}

const CONFLICT: Partial<Record<Op, RegExp>> = {
  archive: /was already archived, perhaps from another window/,
  pause: /is already paused or archived\. The list has been refreshed\./,
  resume: /is not paused any more\. The list has been refreshed\./,
};

/** The view's message carries only the age of the list: no stale mark, no error. */
function assertNoWarning(message: string | undefined): void {
  assert.match(message ?? '', /^Updated /);
  assert.doesNotMatch(message ?? '', /Stale|failed|could not/);
}

/** A mutation whose answer was unreadable after the server acted: the row is read again. */
function reconciles(op: Op, f: Fault): boolean {
  return !!f.processed && (op === 'archive' || op === 'pause' || op === 'resume');
}

async function actionCase(op: Op, f: Fault): Promise<void> {
  await connected();
  const t = target(op);
  const before = ids(store().deployments);
  const serverBefore = api.account().get(t.id)!;
  const runsBefore = api.account().runs(t.id).length;
  arm(f, op, t.id);
  await invoke(op, t); // a "Replace Token" prompt gets no answer (dismissed)

  if (f.recovers) {
    assertRetryAfterHonoured(posts(op));
    assertSucceeded(op, t, 0);
    if (op === 'run') assert.equal(api.account().runs(t.id).length, runsBefore + 1, 'one run, not two');
    assertErrorLogs([]);
    return;
  }
  if (f.archivedElsewhere) {
    assert.equal(posts(op).length, 1);
    assert.equal(errors().length, 0, 'not an error');
    assert.ok(fake.shown.some((s) => s.kind === 'info' && s.message === `“${t.name}” was already archived, perhaps from another window. The list has been refreshed.`));
    assert.equal(store().get(t.id), undefined, 'gone after the re-read');
    assert.deepEqual(ids(store().deployments), serverIds());
    assert.equal(rereads(t.id).length, 1, 'one single GET');
    assert.equal(lists().length, 0, 'no list page');
    assertErrorLogs([]);
    return;
  }
  if (f.only && f.spec?.status === 404) {
    assert.equal(posts(op).length, 1);
    assert.equal(errors().length, 0, 'not an error');
    assert.ok(fake.shown.some((s) => s.kind === 'warning' && s.message === `“${t.name}” no longer exists; it may have been deleted elsewhere. The list has been refreshed.`));
    await until(() => rereads(t.id).length > 0, 'the re-read of that deployment');
    assert.equal(rereads(t.id).length, 1, 'one single GET');
    assert.equal(lists().length, 0, 'no list page');
    assertErrorLogs([]);
  } else {
    // A failure: said clearly, once, naming the deployment; nothing else changes.
    assert.equal(posts(op).length, 1, 'a POST is not repeated');
    await until(() => errors().length > 0, 'the error message');
    const errs = errors();
    assert.equal(errs.length, 1, `reported once: ${errs.map((e) => e.message).join(' | ')}`);
    const msg = errs[0]!.message;
    assert.match(msg, new RegExp(`^${WHAT[op]} “${escape(t.name)}” failed: ${f.reason!.source}`));
    assertRequestId(msg, f.requestId, posts(op));
    assert.deepEqual(errs[0]!.items, f.revoke ? ['Replace Token'] : []);
    assertErrorLogs([msg]);
    if (reconciles(op, f)) {
      // No usable answer, but the server may have acted: that one deployment is re-read to show the truth.
      await until(() => rereads(t.id).length > 0 && !store().pendingAction(t.id), 'the re-read after an unreadable answer');
      assert.equal(rereads(t.id).length, 1, 'one single GET');
      assert.equal(lists().length, 0, 'no list page');
      assert.deepEqual(ids(store().deployments), serverIds(), 'the list shows what the server did');
      if (op !== 'archive') assert.equal(store().get(t.id)?.status, api.account().get(t.id)!.status);
    } else {
      assert.deepEqual(ids(store().deployments), before, 'the list stays');
      assert.equal(store().get(t.id)?.status, t.status, 'shown as before');
      assert.equal(store().get(t.id)?.archived_at, null);
    }
    assert.equal(store().pendingAction(t.id), undefined, 'not pending');
    if (!f.processed) {
      const server = api.account().get(t.id)!;
      assert.equal(server.status, serverBefore.status, 'the server did nothing');
      assert.equal(server.archived_at, serverBefore.archived_at);
      if (op === 'run' && !f.revoke) assert.equal(api.account().runs(t.id).length, runsBefore);
    }
  }

  // Again, with the fault gone: exactly one more POST.
  const firstKey = posts(op)[0]?.headers['idempotency-key'];
  await disarm(f);
  api.resetRequests();
  const from = fake.shown.length;
  const logFrom = errorLogLines().length;
  await invoke(op, t);
  if (reconciles(op, f)) {
    // The view already shows it done, so nothing is sent again and nothing fails.
    assert.equal(posts(op).length, 0, 'nothing sent again');
    assert.equal(fake.shown.slice(from).filter((s) => s.kind === 'error').length, 0);
    assert.equal(errorLogLines().length, logFrom, 'no new error logged');
    return;
  }
  assert.equal(posts(op).length, 1, 'exactly one more POST');
  if (op === 'run') {
    // Run Now carries an Idempotency-Key, the same one again after an unsure outcome: the
    // server replays the first run instead of starting a second.
    assert.ok(firstKey, 'the run carried an Idempotency-Key');
    if (f.processed) {
      assert.equal(posts(op)[0]!.headers['idempotency-key'], firstKey, 'the retry sends the same key');
      assert.equal(api.account().runs(t.id).length, runsBefore + 1, 'exactly one run on the server');
    }
  }
  if (f.processed && CONFLICT[op]) {
    // The first POST did take effect; the retry is a 409, explained as such.
    assert.ok(fake.shown.slice(from).some((s) => s.kind === 'info' && CONFLICT[op]!.test(s.message)));
    assert.equal(fake.shown.slice(from).filter((s) => s.kind === 'error').length, 0);
    await until(() => rereads(t.id).length > 0 && !store().pendingAction(t.id), 'the re-read');
    assert.deepEqual(ids(store().deployments), serverIds(), 'the list shows the server state');
  } else {
    assertSucceeded(op, t, from);
  }
  assert.equal(errorLogLines().length, logFrom, 'no new error logged');
}

// ---------------------------------------------------------------------------------------

for (const op of OPS) {
  for (const f of FAULTS) {
    if (f.only && !f.only.includes(op)) continue;
    test(`faults: ${op} × ${f.name}`, async () => {
      if (op === 'list') await listCase(f);
      else if (op === 'refresh') await refreshCase(f);
      else await actionCase(op, f);
      await until(() => !store().isLoading, 'quiet');
      assert.equal(fake.allText().includes(TOKEN), false, 'the token is shown nowhere');
      casesRun++;
    });
  }
}

// ---------------------------------------------------------------------------------------
// create (Save of a new deployment document) under the faults of a POST.

async function createCase(f: Fault): Promise<void> {
  await connected();
  const d = store().deployments.find((x) => x.archived_at === null)!;
  const host = fake.providers.get('fs:qoder') as EditorHost;
  const files = host.editor().files;
  const uri = newUri(`fault-${casesRun}`);
  files.setNew(uri);
  const name = `made-under-${f.name.replace(/\W+/g, '-')}`;
  const text = new TextEncoder().encode(documentText({ ...promptedTemplate({ agentId: d.agent.id, environmentId: d.environment_id, timezone: 'UTC' }), name }));
  const made = () => api.account().list().filter((x) => x.name === name);
  const creates = () => api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'));
  arm(f, 'create');
  let message = '';
  await files.writeFile(uri, text).catch((e: Error) => (message = e.message));
  if (f.recovers) {
    assert.equal(message, '');
    assert.equal(made().length, 1, 'one deployment');
    return;
  }
  assert.match(message, new RegExp(`^Creating the deployment failed: ${f.reason!.source}`));
  assert.equal(made().length, f.processed ? 1 : 0, f.processed ? 'the server made it before the answer was lost' : 'the server made nothing');
  const firstKey = creates()[0]!.headers['idempotency-key'];
  assert.ok(firstKey, 'the create carried an Idempotency-Key');
  // Saved again with the fault gone: exactly one deployment, whatever happened the first time.
  await disarm(f);
  api.resetRequests();
  await files.writeFile(uri, text);
  assert.equal(made().length, 1, 'exactly one deployment on the server');
  assert.equal(store().deployments.filter((x) => x.name === name).length, 1, 'listed once');
  if (f.processed) assert.equal(creates()[0]!.headers['idempotency-key'], firstKey, 'the retry sends the same key');
}

for (const f of FAULTS) {
  if (f.only || f.revoke) continue;
  test(`faults: create × ${f.name}`, async () => {
    await createCase(f);
    assert.equal(fake.allText().includes(TOKEN), false, 'the token is shown nowhere');
    casesRun++;
  });
}

test('faults: no unhandled promise rejection across the matrix', async () => {
  // Give stray promises (fire-and-forget messages, aborted walks) a turn to settle.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(unhandled.map(String), []);
  assert.ok(casesRun >= 56, `all cases ran (${casesRun})`);
});
