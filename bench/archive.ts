// 3. Archive path and the request half of 4. (activation): the real extension activated on the
// fake `vscode` (test/unit/harness.ts), against an in-process local API whose request log is
// read synchronously at the moment the store changes.

import { startLocalApi, type LocalApi } from '../test/local-api/server';
import { log, median, round } from './stats';

export interface ArchiveResult {
  n: number;
  /** Deployments in the default (non-archived) list the view shows. */
  listed: number;
  /** Requests from the confirmed modal until the item left the store (and so the view). */
  requestsBeforeRemoval: number;
  requestsBeforeRemovalDetail: string[];
  /** Requests of the refresh the command starts afterwards. */
  refreshRequests: number;
  refreshRequestKinds: Record<string, number>;
  /** Modal confirmed → item gone, ms (median). */
  removalMs: number;
  /** Item gone → command finished (the refresh), ms (median). */
  refreshMs: number;
  /** onDidChangeTreeData(undefined) events (whole-tree re-renders) from the modal to the end of the refresh. */
  fullTreeRefreshes: number;
  runs: number;
}

export interface ActivationResult {
  /** Requests made by activate() and the following 250 ms while the view is hidden. */
  requestsBeforeView: number;
  /** Requests made once the view becomes visible, until the list is loaded and the look for waiting runs that follows it is done. */
  requestsAfterView: number;
  activateMs: number;
  /** View shown → list loaded, ms. */
  firstLoadMs: number;
  /** With notifications on (the default): requests of the background load before the view is shown, with the look for waiting runs that follows it. */
  backgroundRequests: number;
  /** Of those, the look for runs waiting for a decision (issue 20): the newest runs, then the newest events of sessions that may wait. */
  backgroundLookRequests: number;
  /** With notifications on: view shown → rows, ms (the background load already has the list). */
  backgroundFirstRowsMs: number;
  /** Requests when no token is set (must be 0). */
  noTokenRequests: number;
  /** The first start in a new profile (nothing remembered), notifications on: the background load and the look. */
  firstStartRequests: number;
  /** Of those, the look for waiting runs (every recent idle session is read once). */
  firstStartLookRequests: number;
}

const TOKEN = 'pt-bench-archive';

type Harness = typeof import('../test/unit/harness');

function kinds(api: LocalApi, from: number, to = api.requests.length): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of api.requests.slice(from, to)) {
    const k = `${r.method} ${r.path.replace(/^\/api\/v1\/cloud/, '').replace(/dep_[A-Za-z0-9]+/, ':id')}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

type Activated = Awaited<ReturnType<Harness['activateExtension']>>;

/** Its load has finished, and so has the look for waiting runs that follows it: no request of it lands in the next phase. */
async function loadedAndLooked(h: Harness, ext: Activated, what: string): Promise<void> {
  const { store } = ext.hooks.services;
  await h.until(() => store.state === 'ready' && !store.isLoading, what, 60_000);
  await ext.hooks.waitingChecked();
}

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export async function measureActivation(n: number): Promise<ActivationResult> {
  const h: Harness = await import('../test/unit/harness');
  const fakeVscode = await import('../test/fakes/vscode');
  // One profile (globalState) for every start below, as in VS Code: what the look for waiting
  // runs learned survives a reload. The first start in it is measured on its own.
  const profile = new fakeVscode.FakeMemento();
  const isLook = (r: { path: string }): boolean => !/\/deployments$/.test(r.path);
  const api = await startLocalApi({ port: 0, token: TOKEN, seed: n, quiet: true, warm: true });
  const original = fakeVscode.window.createTreeView;
  try {
    // The view starts hidden (collapsed container, another view container in front, …).
    fakeVscode.window.createTreeView = (id: string, options: unknown) => {
      const v = original.call(fakeVscode.window, id, options);
      v.visible = false;
      return v;
    };
    // The first start in a new profile, notifications on: nothing remembered, so the look reads
    // the newest events of every recent idle session.
    api.resetRequests();
    const fresh = await h.activateExtension({ baseUrl: api.baseUrl, token: TOKEN, globalState: profile });
    await loadedAndLooked(h, fresh, 'first start');
    const firstStartRequests = api.requests.length;
    const firstStartLookRequests = api.requests.filter(isLook).length;
    // A profile in use: later looks (one follows every load) have read the other recent idle
    // sessions, at most 20 a look, until a look finds nothing new to read.
    for (let i = 0; i < 10; i++) {
      api.resetRequests();
      await fresh.hooks.lookForWaiting();
      if (!api.requests.some((r) => /\/events$/.test(r.path))) break;
    }
    fresh.dispose();

    // Every start after that (a reload, the next day's window) in that profile.
    api.resetRequests();
    let t = performance.now();
    // Notifications off: nothing loads until the view is shown (the background load is measured below).
    const ext = await h.activateExtension({ baseUrl: api.baseUrl, token: TOKEN, globalState: profile, settings: { 'qoder.notifications': 'off' } });
    const activateMs = performance.now() - t;
    await settle(250);
    const requestsBeforeView = api.requests.length;
    const view = fakeVscode.fake.views[0];
    t = performance.now();
    view.setVisible(true);
    await h.until(() => ext.hooks.services.store.state === 'ready' && !ext.hooks.services.store.isLoading, 'first load', 60_000);
    const firstLoadMs = performance.now() - t;
    // Every request of a phase is counted in that phase: the look for waiting runs that follows
    // a load is awaited (as the integration tests do), so none of it lands in the next phase.
    await ext.hooks.waitingChecked();
    const requestsAfterView = api.requests.length - requestsBeforeView;
    ext.dispose();

    // Notifications on (default): the background load runs right after activation, so the
    // view opens on a loaded list.
    api.resetRequests();
    const bg = await h.activateExtension({ baseUrl: api.baseUrl, token: TOKEN, globalState: profile });
    await loadedAndLooked(h, bg, 'background load');
    const backgroundRequests = api.requests.length;
    const backgroundLookRequests = api.requests.filter(isLook).length;
    t = performance.now();
    fakeVscode.fake.views[0].setVisible(true);
    while (((await bg.hooks.tree.getChildren()) as unknown[]).length === 0) await settle(1);
    const backgroundFirstRowsMs = performance.now() - t;
    bg.dispose();

    // No token: nothing is sent.
    api.resetRequests();
    const none = await h.activateExtension({ baseUrl: api.baseUrl });
    await settle(250);
    const noTokenRequests = api.requests.length;
    none.dispose();

    log(`activation: ${requestsBeforeView} requests before the view is shown, ${requestsAfterView} after (${round(activateMs)} ms activate, ${round(firstLoadMs)} ms first load); with notifications on: ${backgroundRequests} background requests (${backgroundLookRequests} of them the look for waiting runs), rows ${round(backgroundFirstRowsMs)} ms after the view opens; no token: ${noTokenRequests} requests; first start in a new profile: ${firstStartRequests} requests (${firstStartLookRequests} the look)`);
    return { requestsBeforeView, requestsAfterView, activateMs, firstLoadMs, backgroundRequests, backgroundLookRequests, backgroundFirstRowsMs, noTokenRequests, firstStartRequests, firstStartLookRequests };
  } finally {
    fakeVscode.window.createTreeView = original;
    await api.close();
  }
}

export async function measureArchive(n: number, runs: number): Promise<ArchiveResult> {
  const h: Harness = await import('../test/unit/harness');
  const api = await startLocalApi({ port: 0, token: TOKEN, seed: n, quiet: true, warm: true });
  try {
    const ext = await h.activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
    const { store } = ext.hooks.services;
    // The look for waiting runs that follows the load finishes first: only the archive path is measured.
    await loadedAndLooked(h, ext, 'first load');
    const listed = store.deployments.length;
    const archive = h.fake.commands.get('qoder.archiveDeployment');
    if (!archive) throw new Error('qoder.archiveDeployment is not registered');

    const before: number[] = [];
    const refresh: number[] = [];
    const removalMs: number[] = [];
    const refreshMs: number[] = [];
    const fullRefreshes: number[] = [];
    let detail: string[] = [];
    let refreshKinds: Record<string, number> = {};
    for (let r = 0; r < runs; r++) {
      const target = store.deployments.find((d) => d.archived_at === null);
      if (!target) throw new Error('nothing left to archive');
      api.resetRequests();
      let atRemoval = -1;
      let removedAt = 0;
      const sub = store.onDidChange(() => {
        if (atRemoval < 0 && !store.get(target.id)) {
          atRemoval = api.requests.length;
          removedAt = performance.now();
        }
      });
      let whole = 0;
      // Like VS Code: the view holds the rows it was given and asks again after a whole-tree change.
      await ext.hooks.tree.getChildren();
      const treeSub = ext.hooks.tree.onDidChangeTreeData((e) => {
        if (e === undefined) {
          whole++;
          void ext.hooks.tree.getChildren();
        }
      });
      h.fake.answers.push('Archive'); // the modal's answer
      const t0 = performance.now();
      await archive(ext.hooks.tree.nodeFor(target.id));
      const t1 = performance.now();
      sub.dispose();
      const shownModal = h.fake.shown.find((s) => s.options?.modal && s.items.includes('Archive'));
      if (!shownModal) throw new Error('the archive modal was not shown');
      if (atRemoval < 0) throw new Error(`${target.id} never left the store`);
      if (store.isLoading) await h.until(() => !store.isLoading, 'refresh', 60_000);
      await ext.hooks.waitingChecked(); // a look after that refresh counts for this archive, not the next
      treeSub.dispose();
      fullRefreshes.push(whole);
      before.push(atRemoval);
      refresh.push(api.requests.length - atRemoval);
      removalMs.push(removedAt - t0);
      refreshMs.push(t1 - removedAt);
      if (r === 0) {
        detail = api.requests.slice(0, atRemoval).map((x) => `${x.method} ${x.path.replace(/^\/api\/v1\/cloud/, '')} → ${x.status}`);
        refreshKinds = kinds(api, atRemoval);
      }
      h.fake.shown = [];
    }
    ext.dispose();
    const res: ArchiveResult = {
      n,
      listed,
      requestsBeforeRemoval: median(before),
      requestsBeforeRemovalDetail: detail,
      refreshRequests: median(refresh),
      refreshRequestKinds: refreshKinds,
      removalMs: median(removalMs),
      refreshMs: median(refreshMs),
      fullTreeRefreshes: median(fullRefreshes),
      runs,
    };
    log(`archive: ${res.requestsBeforeRemoval} request(s) before removal (${round(res.removalMs)} ms), then ${res.refreshRequests} for the refresh (${round(res.refreshMs)} ms); ${res.fullTreeRefreshes} whole-tree refresh events`);
    return res;
  } finally {
    await api.close();
  }
}
