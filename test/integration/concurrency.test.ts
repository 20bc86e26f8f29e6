// Concurrency: many archives at once, the same archive twice, refresh storms and rapid token
// changes — the real extension under the fake vscode, against the local API over loopback.

import { test, before, after, afterEach } from 'node:test';
import { setMaxListeners } from 'node:events';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi, type RecordedRequest } from '../local-api/server';
import { type Activated, activateExtension, cmd, fake, until } from '../unit/harness';
import { secretKey } from '../../src/connection/tokenStore';

const TOKEN = 'pt-unit-concurrency-secret-0011';
const TOKENS = ['pt-unit-conc-acct-A-0012', 'pt-unit-conc-acct-B-0013', 'pt-unit-conc-acct-C-0014'];
const SEED = 120;
let api: LocalApi;
let ext: Activated | undefined;

const unhandled: unknown[] = [];
process.on('unhandledRejection', (e) => unhandled.push(e));

before(async () => {
  // 50 delayed requests at once each listen on the local API's shutdown signal.
  setMaxListeners(200);
  api = await startLocalApi({
    port: 0,
    token: TOKEN,
    seed: SEED,
    quiet: true,
    accounts: TOKENS.map((token, i) => ({ token, seed: 150 + 10 * i, seedOffset: 5000 + i })),
  });
});
after(async () => {
  await api.close();
});
afterEach(async () => {
  // Every test leaves no unhandled promise rejection behind (checked after each, not once at the end).
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(unhandled.splice(0).map(String), [], 'no unhandled promise rejection');
  ext?.dispose();
  ext = undefined;
  api.clearFaults();
  api.reseed(SEED);
  api.resetRequests();
});

const store = () => ext!.hooks.services.store;
const ids = (xs: readonly object[]): string[] => xs.map((x) => String((x as { id?: unknown }).id));
const serverIds = (token = TOKEN) => ids(api.account(token).list());
const archivePosts = () => api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/archive'));
const lists = (): RecordedRequest[] => api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/deployments'));
const errors = () => fake.shown.filter((s) => s.kind === 'error');

async function connected(token = TOKEN): Promise<Activated> {
  ext = await activateExtension({ baseUrl: api.baseUrl, token });
  await ext.hooks.services.store.refresh();
  assert.equal(ext.hooks.services.store.state, 'ready');
  // The look for runs waiting for a decision that follows a complete load, before counting.
  await ext.hooks.waitingChecked();
  api.resetRequests();
  return ext;
}

/** No two list requests were ever in flight at once (each arrived after the previous was answered). */
function assertSequential(reqs: RecordedRequest[]): void {
  for (let i = 1; i < reqs.length; i++) {
    const prev = reqs[i - 1]!;
    assert.ok(prev.status !== 0, 'every list request was answered');
    assert.ok(reqs[i]!.at >= prev.at + prev.durationMs, `list request ${i} arrived while request ${i - 1} was still in flight`);
  }
}

/** Splits list requests into walks: each starts with a request without `page`. */
function walksOf(reqs: RecordedRequest[]): RecordedRequest[][] {
  const walks: RecordedRequest[][] = [];
  for (const r of reqs) {
    if (r.query.page === undefined && r.query.after_id === undefined) walks.push([r]);
    else {
      assert.ok(walks.length > 0, 'a walk starts with page 1');
      walks.at(-1)!.push(r);
    }
  }
  return walks;
}

// ---------------------------------------------------------------------------------------

test('concurrency: 50 archives at once on 50 deployments → 50 POSTs, all gone, final list = server', async () => {
  await connected();
  const targets = store().deployments.filter((d) => !d.archived_at).slice(0, 50);
  assert.equal(targets.length, 50);
  for (let i = 0; i < 50; i++) fake.answers.push('Archive');
  // Slow the POSTs a little so that they really overlap.
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'delay', delayMs: 30, times: -1 });
  await Promise.all(targets.map((d) => cmd('qoder.archiveDeployment', ext!.hooks.tree.nodeFor(d.id))));
  await until(() => !store().isLoading, 'the last refresh');

  const posts = archivePosts();
  assert.equal(posts.length, 50, 'exactly one POST per deployment');
  assert.deepEqual(new Set(posts.map((r) => r.path.split('/').at(-2))), new Set(targets.map((d) => d.id)));
  assert.ok(posts.every((r) => r.status === 200));
  const modals = fake.shown.filter((s) => s.options?.modal);
  assert.equal(modals.length, 50, 'one confirmation each');
  for (const d of targets) {
    assert.equal(store().get(d.id), undefined, `${d.id} left the list`);
    assert.ok(api.account().get(d.id)!.archived_at, `${d.id} archived on the server`);
  }
  assert.deepEqual(ids(store().deployments), serverIds(), 'the answers alone make the list match the server');
  assert.equal(errors().length, 0);
  assert.equal(fake.shown.filter((s) => s.kind === 'info' && /^Archived “/.test(s.message)).length, 50);
  // Each answer is the new truth: no list page and no re-read at all.
  assert.equal(api.requests.filter((r) => r.method === 'GET').length, 0, 'no GET after 50 archives');
});

test('concurrency: the same deployment archived twice at once → one POST from this window', async () => {
  await connected();
  const d = store().deployments.find((x) => !x.archived_at)!;
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'delay', delayMs: 100 });
  fake.answers.push('Archive', 'Archive');
  const node = ext!.hooks.tree.nodeFor(d.id);
  await Promise.all([cmd('qoder.archiveDeployment', node), cmd('qoder.archiveDeployment', node)]);
  assert.equal(archivePosts().length, 1);
  assert.equal(errors().length, 0);
  assert.equal(fake.shown.filter((s) => s.kind === 'info' && s.message.startsWith(`Archived “${d.name}”`)).length, 1);
  assert.equal(store().get(d.id), undefined);
  assert.equal(store().pendingAction(d.id), undefined);

  // And a third click afterwards finds it archived and sends nothing.
  api.resetRequests();
  await cmd('qoder.archiveDeployment', d.id);
  assert.equal(archivePosts().length, 0);
});

test('concurrency: the other window wins between the modal and the POST → reported as already archived', async () => {
  await connected();
  const d = store().deployments.find((x) => !x.archived_at)!;
  // While our modal is open, another window archives it.
  fake.answers.push(() => {
    api.account().archive(d.id);
    return 'Archive';
  });
  await cmd('qoder.archiveDeployment', ext!.hooks.tree.nodeFor(d.id));
  assert.deepEqual(archivePosts().map((r) => r.status), [409]);
  assert.equal(errors().length, 0, 'not an error');
  assert.ok(fake.shown.some((s) => s.kind === 'info' && s.message === `“${d.name}” was already archived, perhaps from another window. The list has been refreshed.`));
  assert.equal(store().get(d.id), undefined, 'gone after the refresh');
  assert.deepEqual(ids(store().deployments), serverIds());
  assert.equal(fake.logLines.filter((l) => l.startsWith('[error]')).length, 0);

  // Same with a 409 injected on one of two racing commands' single POST.
  const e = store().deployments.find((x) => !x.archived_at)!;
  api.resetRequests();
  api.injectFault({ route: 'POST /deployments/:id/archive', kind: 'status', status: 409, message: 'Deployment is already archived.' });
  fake.answers.push('Archive', 'Archive');
  const node = ext!.hooks.tree.nodeFor(e.id);
  await Promise.all([cmd('qoder.archiveDeployment', node), cmd('qoder.archiveDeployment', node)]);
  assert.equal(archivePosts().length, 1);
  assert.equal(errors().length, 0);
  assert.ok(fake.shown.some((s) => s.kind === 'info' && s.message.startsWith(`“${e.name}” was already archived`)));
});

test('concurrency: a refresh storm → never two walks at once, at most 2 walks, ends equal to the server', async () => {
  api.reseed(250); // ~2 pages of live deployments
  await connected();
  const pages = Math.ceil(serverIds().length / 100);
  assert.ok(pages >= 2);
  const walksBefore = store().walks;
  api.injectFault({ route: 'GET /deployments', kind: 'delay', delayMs: 120, times: -1 });

  // 20 refreshes while the first walk is under way; the server changes during it.
  const storm: Promise<void>[] = [];
  let changed = false;
  const [toArchive, toPause] = store().deployments.filter((d) => !d.archived_at && d.status === 'active');
  for (let i = 0; i < 20; i++) {
    storm.push(cmd('qoder.refresh'));
    if (i === 0) await until(() => lists().length >= 1, 'the first walk');
    if (i === 2) {
      api.account().archive(toArchive!.id);
      api.account().pause(toPause!.id);
      changed = true;
    }
    await new Promise((r) => setImmediate(r)); // one turn of the event loop between clicks
  }
  assert.ok(changed);
  assert.ok(store().isLoading, 'every click came while a walk was in flight');
  await Promise.all(storm);
  await until(() => !store().isLoading, 'the storm to settle');

  const reqs = lists();
  assertSequential(reqs);
  const walks = walksOf(reqs);
  assert.ok(walks.length <= 2, `${walks.length} walks`);
  assert.ok(store().walks - walksBefore <= 2, `${store().walks - walksBefore} walks in the store`);
  for (const w of walks) assert.equal(w.length, pages, 'each walk ran to its end, one request per page');
  assert.deepEqual(ids(store().deployments), serverIds(), 'the store ends equal to the server');
  assert.equal(store().get(toArchive!.id), undefined, 'the change made during the storm is shown');
  assert.equal(store().get(toPause!.id)?.status, 'paused');
  assert.equal(errors().length, 0);
});

test('concurrency: rapid token changes while loading → the view ends on the last token’s data, never an old one’s', async () => {
  const [A, B, C] = TOKENS as [string, string, string];
  const owner = new Map<string, string>();
  for (const t of TOKENS) for (const id of serverIds(t)) owner.set(id, t);
  assert.equal(owner.size, TOKENS.reduce((n, t) => n + serverIds(t).length, 0), 'accounts do not share ids');

  api.injectFault({ route: 'GET /deployments', kind: 'delay', delayMs: 80, times: -1 });
  ext = await activateExtension({ baseUrl: api.baseUrl, token: A });
  const s = store();
  const session = ext.hooks.services.connection;
  const key = secretKey(api.baseUrl);
  // The token the session is connected with (private; read only to check what is shown).
  const connectedToken = (): string | undefined => (session as unknown as { token?: string }).token;

  // What the view showed, in order, each with the token the session was using at that moment.
  const shown: { current: string | undefined; owners: Set<string | undefined> }[] = [];
  let switches = 0;
  const subs = [
    session.onDidConnect(() => switches++),
    s.onDidChange(() => {
      const visible = ext!.hooks.tree.visibleDeployments();
      if (visible.length) shown.push({ current: connectedToken(), owners: new Set(visible.map((d) => owner.get(d.id))) });
    }),
  ];

  // A loads completely; then B and C are switched to while their walks are in flight.
  await until(() => s.state === 'ready' && !s.isLoading, 'A loaded');
  assert.equal(connectedToken(), A);
  assert.deepEqual(ids(s.deployments), serverIds(A));
  const inFlight = () => api.requests.filter((r) => r.status === 0).length;
  const listedBefore = lists().length;
  await ext.secrets.store(key, B);
  await until(() => connectedToken() === B && lists().length > listedBefore && inFlight() > 0, 'B loading');
  await ext.secrets.store(key, C);
  await until(() => connectedToken() === C && inFlight() > 0, 'C loading');
  // A burst without waiting.
  void ext.secrets.store(key, A);
  void ext.secrets.store(key, B);
  await ext.secrets.store(key, C);

  await session.reload();
  await until(() => connectedToken() === C && s.state === 'ready' && !s.isLoading, 'the last token’s list', 10_000);
  for (const sub of subs) sub.dispose();

  assert.deepEqual(ids(s.deployments), serverIds(C));
  assert.deepEqual(new Set(ids(ext.hooks.tree.visibleDeployments())), new Set(serverIds(C)), 'the view shows C (in its own order)');
  assert.ok(switches >= 3, `${switches} connection changes`);
  assert.ok(shown.some((e) => e.owners.has(A)), 'A was shown before the switches');
  for (const e of shown) {
    assert.ok(e.current !== undefined);
    assert.deepEqual([...e.owners], [e.current], 'only the current token’s data is ever shown, never a mix or an old one');
  }
  assert.deepEqual([...shown.at(-1)!.owners], [C]);
  assert.equal(errors().length, 0);
  assert.equal(fake.allText().includes(A) || fake.allText().includes(B) || fake.allText().includes(C), false);
});

