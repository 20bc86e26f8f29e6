// Keeps the shown list fresh with few requests (issue 22): the runs feed for starts and
// failures, page 1 for new deployments, one-by-one re-reads of the rows the user looks at, and
// a full reconciliation walk at most every 30 minutes while the view is visible and focused.
// The refresh owner calls tick() when the delay it returned has passed. No vscode import.

import type { Deployment, DeploymentRun } from '../../api/types';
import { isSettledStatus } from '../../api/sessions';
import {
  RecheckRotation,
  RunsFeed,
  SessionWatch,
  changedElsewhere,
  earliestDue,
  newAboveKnown,
  nextFeedDelay,
  reconcileDueAt,
  withRun,
  type WakeOptions,
} from './freshness';

/** What the watch reads from the API (a QoderClient behind it). */
export interface WatchSource {
  /** `GET /deployment_runs?created_at[gte]=<since>` (every page), or the newest page without `since`. */
  runsSince(since: string | undefined, signal?: AbortSignal): Promise<DeploymentRun[]>;
  /** Pages of `GET /deployments`, newest first, fetched only as they are read. */
  deploymentPages(signal?: AbortSignal): AsyncIterable<readonly Deployment[]>;
  /** `GET /deployments/{id}`; undefined when it is gone (404). */
  getDeployment(id: string, signal?: AbortSignal): Promise<Deployment | undefined>;
  /** `GET /sessions/{id}` → its status. */
  sessionStatus(id: string, signal?: AbortSignal): Promise<string>;
}

/** The shown list (a DeploymentStore). */
export interface WatchStore {
  readonly deployments: readonly Deployment[];
  readonly lastUpdated: number | undefined;
  get(id: string): Deployment | undefined;
  /** See DeploymentStore.replace: the watch checks its own epoch, then writes on the current ticket. */
  ticket(): number;
  replace(deployment: Deployment, ticket: number): void;
  remove(id: string): void;
}

export interface WatchMode {
  visible: boolean;
  focused: boolean;
}

export type WatchReason = 'runs feed' | 'failed run' | 'new deployments' | 'recheck' | 'session' | 'reconcile';

export interface WatchEvents {
  /** A full walk of the list (the store's refresh); the watch never walks on its own. */
  fullWalk(reason: string): Promise<void>;
  /** Every load the watch makes, with its reason (for the log). */
  onLoad?(reason: WatchReason, detail: string): void;
  /** A run the feed found (oldest first). */
  onRun?(run: DeploymentRun): void;
  /** A watched session settled. */
  onSessionSettled?(sessionId: string, deploymentId: string, status: string): void;
  /** What a reconciliation walk found that the shown list did not know. */
  onReconciled?(found: { added: string[]; changed: string[]; removed: string[] }): void;
}

export interface WatchSettings {
  /** How fresh the user wants the view (`qoder.autoRefreshSeconds`), ms; 0 = only manual refresh. */
  freshnessMs: number;
  /** How fresh the background watch keeps attention (hidden view), ms. */
  backgroundMs: number;
}

/** The knobs, in one place (docs/PERFORMANCE.md explains the figures they give). */
export const WATCH = {
  visible: { minGapMs: 30_000, lagMs: 2_000, jitterMs: 3_000, maxIdleFactor: 4 },
  hidden: { minGapMs: 60_000, lagMs: 2_000, jitterMs: 5_000, maxIdleFactor: 4 },
  /** Page 1 for new deployments while visible: as often as qoder.autoRefreshSeconds asks (this when it is off). */
  newDeploymentsVisibleMs: 180_000,
  newDeploymentsHiddenMs: 15 * 60_000,
  recheckEveryMs: 120_000,
  sessionEveryMs: 60_000,
  sessionsPerTick: 3,
  /** At most one reconciliation walk per 30 minutes, and at most about 100 list pages an hour for it. */
  reconcileEveryMs: 30 * 60_000,
  reconcilePagesPerHour: 100,
  /** A tick never waits longer than this, so a change of mode or setting is picked up. */
  maxTickMs: 5 * 60_000,
} as const;

export class ChangeWatch {
  private feed = new RunsFeed();
  private sessions = new SessionWatch();
  private readonly rechecks = new RecheckRotation(WATCH.recheckEveryMs);
  private feedAt = -Infinity;
  private emptyFeedPolls = 0;
  private newDeploymentsAt = -Infinity;
  private lastFullWalk: number | undefined;
  private running: Promise<number> | undefined;
  /** Bumped by reset(): answers to a tick of an older connection change nothing. */
  private epoch = 0;

  constructor(
    private readonly source: WatchSource,
    private readonly store: WatchStore,
    private readonly events: WatchEvents,
    private readonly settings: () => WatchSettings,
    /** The rows the user looks at (visible and expanded), most important first. */
    private readonly lookedAt: () => readonly string[],
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  /** A full walk just ended (any reason: first load, manual Refresh, reconciliation). */
  walked(at: number = this.now()): void {
    this.lastFullWalk = at;
    // Page 1 was just read with the rest.
    this.newDeploymentsAt = at + this.newDeploymentsEvery(true);
  }

  /** Forget everything (a new connection). */
  reset(): void {
    this.epoch++;
    this.running = undefined;
    this.feed = new RunsFeed();
    this.sessions = new SessionWatch();
    this.feedAt = -Infinity;
    this.emptyFeedPolls = 0;
    this.newDeploymentsAt = -Infinity;
    this.lastFullWalk = undefined;
  }

  /**
   * Does whatever is due in `mode`; resolves with the delay until something is due again.
   * Concurrent calls join the tick in flight. Failures propagate (the owner backs off).
   */
  tick(mode: WatchMode, signal?: AbortSignal): Promise<number> {
    this.running ??= this.run(mode, signal).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Sessions being followed (for tests and the log). */
  get watchedSessions(): number {
    return this.sessions.size;
  }

  /** When each part is due next (clock ms; Infinity when it is not due in this mode). */
  dueTimes(mode: WatchMode): { feed: number; newDeployments: number; recheck: number; reconcile: number } {
    const active = mode.visible && mode.focused;
    return {
      feed: this.feedAt,
      newDeployments: this.newDeploymentsAt,
      recheck: active && this.lookedAt().length > 0 ? this.rechecks.dueAt() : Infinity,
      reconcile: active && this.settings().freshnessMs > 0 ? reconcileDueAt(this.lastFullWalk, this.reconcileEvery()) : Infinity,
    };
  }

  /** The shown list, written only while the connection is the one the tick started on. */
  private apply(epoch: number, write: (store: WatchStore) => void): void {
    if (epoch === this.epoch) write(this.store);
  }

  private async run(mode: WatchMode, signal?: AbortSignal): Promise<number> {
    const epoch = this.epoch;
    const active = mode.visible && mode.focused;
    if (this.store.lastUpdated === undefined) return WATCH.maxTickMs; // the first load is the owner's
    let now = this.now();
    if (active && this.settings().freshnessMs > 0 && now >= reconcileDueAt(this.lastFullWalk, this.reconcileEvery())) {
      await this.reconcile(signal);
      now = this.now();
    }
    if (now >= this.feedAt) {
      await this.readFeed(mode, epoch, signal);
      now = this.now();
    }
    if (now >= this.newDeploymentsAt) {
      await this.readNewDeployments(epoch, signal);
      this.newDeploymentsAt = this.now() + this.newDeploymentsEvery(mode.visible);
      now = this.now();
    }
    if (active) {
      const id = this.rechecks.next(now, this.lookedAt());
      if (id !== undefined) await this.reread(id, 'recheck', epoch, signal);
      await this.checkSessions(signal);
    }
    const due = this.dueTimes(mode);
    const next = Math.min(due.feed, due.newDeployments, due.recheck, due.reconcile, this.now() + WATCH.maxTickMs);
    return Math.max(0, next - this.now());
  }

  /** 30 minutes, stretched for big accounts so the walks stay near 100 pages an hour (10,000 deployments: 60 min). */
  private reconcileEvery(): number {
    const pages = Math.ceil(this.store.deployments.length / 100);
    return Math.max(WATCH.reconcileEveryMs, (pages / WATCH.reconcilePagesPerHour) * 3_600_000);
  }

  private newDeploymentsEvery(visible: boolean): number {
    const fresh = this.settings().freshnessMs;
    return visible ? (fresh > 0 ? Math.max(5_000, fresh) : WATCH.newDeploymentsVisibleMs) : WATCH.newDeploymentsHiddenMs;
  }

  private wake(mode: WatchMode): WakeOptions {
    const s = this.settings();
    const k = mode.visible ? WATCH.visible : WATCH.hidden;
    const wanted = Math.max(5_000, mode.visible && s.freshnessMs > 0 ? s.freshnessMs : s.backgroundMs);
    // A user who wants the view fresher than the gap gets it (never more often than every 5 s).
    const minGapMs = Math.min(k.minGapMs, wanted);
    const idleMs = Math.max(minGapMs, wanted);
    return { minGapMs, idleMs, emptyPolls: Math.max(0, this.emptyFeedPolls - 1), maxIdleMs: idleMs * k.maxIdleFactor, lagMs: k.lagMs, jitterMs: k.jitterMs };
  }

  private async readFeed(mode: WatchMode, epoch: number, signal?: AbortSignal): Promise<void> {
    const polled = this.now();
    const since = this.feed.since;
    this.events.onLoad?.('runs feed', since === undefined ? 'newest page' : `created_at[gte]=${since}`);
    const answer = await this.source.runsSince(since, signal);
    if (epoch !== this.epoch) return;
    const fresh = this.feed.accept(answer);
    const due = earliestDue(this.store.deployments, polled);
    // Nothing new while something was due: keep the short gap; nothing due: back off.
    this.emptyFeedPolls = fresh.length === 0 && (due === undefined || due > polled + this.wake(mode).idleMs) ? this.emptyFeedPolls + 1 : 0;
    this.feedAt = polled + nextFeedDelay(polled, due, this.wake(mode), this.random);
    const looked = new Set(this.lookedAt());
    const failed = new Set<string>();
    for (const run of fresh) {
      this.events.onRun?.(run);
      const shown = this.store.get(run.deployment_id);
      if (run.error !== null) failed.add(run.deployment_id);
      else if (shown) this.apply(epoch, (store) => store.replace(withRun(shown, run), store.ticket()));
      if (run.session_id !== null && looked.has(run.deployment_id)) this.sessions.add(run.session_id, run.deployment_id, polled);
    }
    // A run that failed to start is final at once; its deployment may now be paused on error.
    for (const id of failed) await this.reread(id, 'failed run', epoch, signal);
  }

  private async readNewDeployments(epoch: number, signal?: AbortSignal): Promise<void> {
    this.events.onLoad?.('new deployments', 'page 1 until a known id');
    const known = (id: string): boolean => this.store.get(id) !== undefined;
    const fresh: Deployment[] = [];
    for await (const page of this.source.deploymentPages(signal)) {
      const found = newAboveKnown(page, known);
      fresh.push(...found.fresh);
      if (found.complete) break;
      // Nothing known on the page: a shown list from before many creations. Keep reading, but
      // an empty shown list never stops: that is the first load's job.
      if (this.store.deployments.length === 0) break;
    }
    this.apply(epoch, (store) => {
      for (const deployment of fresh.reverse()) store.replace(deployment, store.ticket());
    });
  }

  private async reread(id: string, reason: WatchReason, epoch: number, signal?: AbortSignal): Promise<void> {
    this.events.onLoad?.(reason, id);
    const deployment = await this.source.getDeployment(id, signal);
    this.apply(epoch, (store) => (deployment ? store.replace(deployment, store.ticket()) : store.remove(id)));
  }

  private async checkSessions(signal?: AbortSignal): Promise<void> {
    for (const { sessionId, deploymentId } of this.sessions.due(this.now(), WATCH.sessionEveryMs, WATCH.sessionsPerTick)) {
      this.events.onLoad?.('session', sessionId);
      const status = await this.source.sessionStatus(sessionId, signal);
      if (!isSettledStatus(status)) continue;
      this.sessions.settled(sessionId);
      this.events.onSessionSettled?.(sessionId, deploymentId, status);
    }
  }

  private async reconcile(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const before = new Map(this.store.deployments.map((d) => [d.id, d]));
    this.events.onLoad?.('reconcile', `full walk (last ${this.lastFullWalk === undefined ? 'never' : `${Math.round((this.now() - this.lastFullWalk) / 60_000)} min ago`})`);
    await this.events.fullWalk('reconcile');
    this.walked();
    this.events.onReconciled?.(changedElsewhere(before, this.store.deployments));
  }
}
