// The one owner of loads (after vscode-docker's RefreshManager): the first load when the view is
// seen, the foreground poller (view visible) and the background poller (view hidden, for the
// attention status bar and notifications), manual refresh, a load a command needs, the run
// history a load makes stale, and the session-status re-checks. Visibility and focus gate them
// here, in one place, and every full load writes its reason to the log. Between full walks the
// change watch (issue 22, dist/refresh.js) decides what to read.

import * as vscode from 'vscode';
import { QoderApiError } from '../api';
import type { Deployment } from '../api/types';
import { Poller, type PollOutcome } from '../common/poller';
import type { Connection } from '../connection/connection';
import type { RunStore } from '../runs/model/runStore';
import { backgroundIntervalMs } from '../attention/model/attention';
import * as config from '../platform/config';
import { Disposable } from '../platform/lifecycle';
import type { Log } from '../platform/log';
import type { DeploymentStore } from './model/deploymentStore';
import type { ChangeWatch } from './model/changeWatch';
import type { DeploymentsTreeProvider } from './deploymentsTree';

export type LoadReason = 'first look' | 'poll' | 'background poll' | 'manual' | 'sign-in' | 'another connection' | 'a command needs the list';

export interface RefreshDeps {
  connection: Connection;
  store: DeploymentStore;
  runs: RunStore;
  log: Log;
  /** Session statuses are asked again only while their rows can be seen. */
  statuses: { setActive(active: boolean): void };
}

type RefreshModule = typeof import('./refresh.chunk');

/** What in a row says its runs moved: a new run, a pause after an error, any server-side change. */
const runKey = (d: Deployment): string => `${d.status}|${d.updated_at}|${d.schedule?.last_run_at ?? ''}|${d.stats?.consecutive_failures ?? ''}`;

export class RefreshOwner extends Disposable {
  private seen = false;
  private view: vscode.TreeView<unknown> | undefined;
  private tree: DeploymentsTreeProvider | undefined;
  private readonly gate: () => void;
  private readonly walked = this._register(new vscode.EventEmitter<void>());
  /** A complete walk of the list ended without an error (whatever started it). */
  readonly onDidWalk = this.walked.event;
  private watch: ChangeWatch | undefined;
  private lastWalk: number | undefined;
  private readonly due = { visible: 0, hidden: 0 };
  /** runKey of each row whose run page is cached, as it was when the page was loaded. */
  private readonly runKeys = new Map<string, string>();
  readonly poller: Poller;
  readonly background: Poller;

  constructor(private readonly d: RefreshDeps) {
    super();
    const { connection, store, runs } = d;
    const focused = (): boolean => vscode.window.state.focused;
    const visible = (): boolean => this.view?.visible ?? false;
    this.poller = this._register(new Poller({
      intervalMs: () => (config.autoRefreshSeconds() > 0 ? Math.max(1_000, this.due.visible || config.autoRefreshSeconds() * 1000) : 0),
      isActive: () => visible() && focused() && connection.hasToken,
      lastUpdated: () => store.lastUpdated,
      poll: () => this.poll(true),
    }));
    // Told without watching: while the window has focus and the view is hidden, load every
    // qoder.backgroundRefreshMinutes (stretched for big accounts). No request before a token exists.
    this.background = this._register(new Poller({
      intervalMs: () => (config.backgroundRefreshMinutes() > 0 ? Math.max(1_000, this.due.hidden || backgroundIntervalMs(config.backgroundRefreshMinutes(), store.deployments.length)) : 0),
      isActive: () => this.view !== undefined && !visible() && focused() && connection.hasToken && config.notifications() !== 'off',
      // Nothing loaded yet: load now, so the attention baseline exists and the view opens on a full list.
      lastUpdated: () => store.lastUpdated ?? 0,
      poll: () => this.poll(false),
    }));
    this.gate = (): void => {
      d.statuses.setActive(visible() && focused());
      this.poller.update();
      this.background.update();
    };
    this._register(connection.onReset('change watch', () => {
      this.watch?.reset();
      this.lastWalk = undefined;
      this.runKeys.clear();
    }));
    this._register(vscode.window.onDidChangeWindowState(this.gate));
    let first = true;
    // A new connection (activation, a token set here or in another window, another region) loads once the view was seen.
    this._register(connection.onDidConnect(() => {
      this.gate();
      void this.loadIfSeen(first ? 'first look' : 'another connection');
      first = false;
    }));
    this._register(store.onDidChange((id) => this.loaded(id)));
    this._register(runs.onDidChange((id) => {
      const row = store.get(id);
      if (runs.get(id) && row) this.runKeys.set(id, runKey(row));
      else this.runKeys.delete(id);
    }));
    this._register(config.onDidChange((change) => {
      if (change.autoRefresh) this.poller.update();
      if (change.attention) this.background.update();
      // Showing or hiding archived deployments reloads the list with or without them.
      if (change.showArchived) void store.setIncludeArchived(config.showArchived());
    }));
  }

  /** The view whose visibility gates the loads (made after the owner: the tree needs the services). */
  attach(view: vscode.TreeView<unknown>, tree: DeploymentsTreeProvider): void {
    this.view = view;
    this.tree = tree;
    this.seen = view.visible;
    this._register(view.onDidChangeVisibility((e) => {
      if (e.visible && !this.seen) {
        this.seen = true;
        // A background load may have the list already: show it, and let the poller decide when to reload.
        if (this.d.store.lastUpdated === undefined) void this.load('first look');
      }
      this.gate();
    }));
    this.gate();
  }

  /** Loads the whole list now, for `reason` (written to the log). The store joins a walk in flight. */
  load(reason: LoadReason): Promise<void> {
    this.d.log.info(`Loading every deployment (${reason}).`);
    if (reason === 'manual') this.d.runs.invalidate();
    return this.d.store.refresh({ fresh: reason === 'manual' });
  }

  /** The first load of a connection, once the view has been seen (activation, a new token). */
  loadIfSeen(reason: LoadReason = 'first look'): Promise<void> {
    return this.seen ? this.load(reason) : Promise.resolve();
  }

  /** Loads the list unless one is shown already: for a command that needs it (a pick, say). */
  async ensureLoaded(): Promise<void> {
    const { state } = this.d.store;
    if (state !== 'ready' && state !== 'empty') await this.load('a command needs the list');
  }

  /** The newest page of a deployment's runs, read again now (a command is about to answer from it). */
  async rereadRuns(deploymentId: string): Promise<void> {
    this.d.runs.invalidate(deploymentId);
    await this.d.runs.ensure(deploymentId);
  }

  private async poll(visible: boolean): Promise<PollOutcome> {
    const { store } = this.d;
    let error: unknown;
    if (store.lastUpdated === undefined || store.error || !this.view || !this.tree) {
      await this.load(visible ? 'poll' : 'background poll');
      error = store.error;
    } else {
      if (!this.watch) {
        // The change watch is made the first time a poll finds a complete list (dist/refresh.js).
        const { connection, log } = this.d;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        this.watch = (require('./refresh.chunk') as RefreshModule).createWatch(connection, store, this.view, this.tree, log);
        if (this.lastWalk !== undefined) this.watch.walked(this.lastWalk);
      }
      error = await this.watch.tick({ visible, focused: vscode.window.state.focused }).then((ms) => void (this.due[visible ? 'visible' : 'hidden'] = ms), (e: unknown) => e);
    }
    if (!error) return { ok: true };
    return { ok: false, retryAfterMs: error instanceof QoderApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined };
  }

  /** After any change of the list: run pages made stale, the watch's clock, the pollers' back-off. */
  private loaded(id: string | undefined): void {
    const { store, runs } = this.d;
    const rows = id === undefined ? [...this.runKeys.keys()] : this.runKeys.has(id) ? [id] : [];
    const stale = rows.filter((rowId) => {
      const row = store.get(rowId);
      return !row || runKey(row) !== this.runKeys.get(rowId);
    });
    if (stale.length) this.d.log.info(`Run history: ${stale.length} row(s) read again (their last run moved).`);
    // An expanded row asks for its runs again when they are invalidated.
    for (const rowId of stale) runs.invalidate(rowId);
    // The poll timers count from the end of the last load; row-level changes don't move them.
    if (id !== undefined || store.isLoading) return;
    const at = store.lastUpdated;
    if (!store.error && at !== undefined) {
      // A complete walk: the change watch counts its reconciliation from it, and any success
      // (a poll, a manual refresh, an action's reload) ends the back-off.
      if (at !== this.lastWalk) {
        this.lastWalk = at;
        this.watch?.walked(at);
        this.walked.fire();
      }
      this.poller.loadSucceeded();
      this.background.loadSucceeded();
    }
    this.poller.update();
    this.background.update();
  }
}
