// Which runs wait for a decision, found without opening anything: the newest runs across all
// deployments (GET /deployment_runs), the latest one per deployment, and for each of those
// sessions its newest events (one request) run through pendingState. Pure (no vscode); the
// requests are bounded: at most `maxChecks` sessions a round, a session seen not waiting is
// asked again only after `recheckMs`, a terminated one never.

import type { DeploymentRun, ListPage } from '../../api/types';
import type { SessionEvent } from '../../api/sessions';
import { pendingState, type PendingState } from './pending';

export interface WaitingRun {
  deploymentId: string;
  runId: string;
  sessionId: string;
  runCreatedAt: string;
  state: PendingState;
}

export interface WaitingSource {
  /** `GET /deployment_runs?limit=…` (newest first). */
  recentRuns(limit: number, signal?: AbortSignal): Promise<ListPage<DeploymentRun>>;
  /** The newest events of a session, newest first. */
  newestEvents(sessionId: string, limit: number, signal?: AbortSignal): Promise<SessionEvent[]>;
}

interface Known {
  at: number;
  waiting: PendingState | undefined;
  final: boolean;
  /** The session's updated_at when it was asked, if the caller knew it. */
  updatedAt?: string;
  lastIdle?: SessionEvent;
}

/** What one request for a session's newest events tells: what it waits for, and how its last turn ended. */
export interface IdleLook {
  state: PendingState | undefined;
  /** The newest `session.status_idle` among those events (undefined when none was among them). */
  lastIdle: SessionEvent | undefined;
}

/** What the newest events of a session say: waiting (and on what), or not; final once terminated. */
export function pendingFromNewest(newestFirst: readonly SessionEvent[]): { state: PendingState | undefined; final: boolean } {
  const inOrder = [...newestFirst].reverse();
  const lastStatus = newestFirst.find((e) => e.type.startsWith('session.status_') || e.type === 'session.deleted');
  const final = lastStatus?.type === 'session.status_terminated' || lastStatus?.type === 'session.deleted';
  return { state: pendingState(inOrder), final };
}

export class WaitingWatch {
  private readonly known = new Map<string, Known>();
  private readonly seen = new Set<string>();
  private running: Promise<WaitingRun[]> | undefined;
  private current: WaitingRun[] = [];
  /** Aborted by reset(): a round of the previous connection (or a disposed host) sends nothing more and changes nothing. */
  private controller = new AbortController();

  constructor(
    private readonly source: () => WaitingSource,
    private readonly opts: { now?: () => number; maxChecks?: number; recheckMs?: number; runs?: number } = {},
  ) {}

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** The runs that waited at the last check. */
  get waiting(): readonly WaitingRun[] {
    return this.current;
  }

  /** A new connection: forget everything. */
  reset(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.known.clear();
    this.seen.clear();
    this.current = [];
    this.running = undefined;
  }

  /** Forget what is known about one session (after answering it), so the next look asks again. */
  forget(sessionId: string): void {
    this.known.delete(sessionId);
  }

  /** What one session waits for now (one request unless cached and not stale). */
  async pendingOf(sessionId: string, signal?: AbortSignal): Promise<PendingState | undefined> {
    return (await this.idleLook(sessionId, undefined, signal)).state;
  }

  /**
   * What one session waits for and how its last turn ended, from one request. With the
   * session's `updatedAt`, an answer that it does not wait is kept until that changes;
   * without it, for `recheckMs`. A final session is never asked again, a waiting one always.
   */
  async idleLook(sessionId: string, updatedAt?: string, signal?: AbortSignal): Promise<IdleLook> {
    const have = this.known.get(sessionId);
    if (have && this.fresh(have, updatedAt)) return { state: have.waiting, lastIdle: have.lastIdle };
    const events = await this.source().newestEvents(sessionId, 50, signal);
    const { state, final } = pendingFromNewest(events);
    const lastIdle = events.find((e) => e.type === 'session.status_idle');
    this.known.set(sessionId, { at: this.now, waiting: state, final, updatedAt, lastIdle });
    return { state, lastIdle };
  }

  private fresh(have: Known, updatedAt: string | undefined): boolean {
    if (have.final) return true;
    if (have.waiting !== undefined) return false;
    if (updatedAt !== undefined && have.updatedAt !== undefined) return updatedAt === have.updatedAt;
    return this.now - have.at < (this.opts.recheckMs ?? 5 * 60_000);
  }

  /**
   * One round (joined when one is already running). Returns the runs waiting now; `isNew`
   * tells which were not reported by an earlier round (each pending idle event once).
   */
  check(signal?: AbortSignal): Promise<WaitingRun[]> {
    const mine = this.controller.signal;
    this.running ??= this.round(signal ? AbortSignal.any([signal, mine]) : mine).finally(() => {
      if (!mine.aborted) this.running = undefined;
    });
    return this.running;
  }

  isNew(w: WaitingRun): boolean {
    return !this.seen.has(`${w.sessionId}/${w.state.idleEventId}`);
  }

  markSeen(w: WaitingRun): void {
    this.seen.add(`${w.sessionId}/${w.state.idleEventId}`);
  }

  private async round(signal: AbortSignal): Promise<WaitingRun[]> {
    const page = await this.source().recentRuns(this.opts.runs ?? 100, signal);
    if (signal.aborted) return [];
    const latest = new Map<string, DeploymentRun>();
    for (const run of page.data) if (!latest.has(run.deployment_id)) latest.set(run.deployment_id, run);
    const candidates = [...latest.values()].filter((r) => typeof r.session_id === 'string');
    const found: WaitingRun[] = [];
    let asked = 0;
    for (const run of candidates) {
      const sid = run.session_id as string;
      const have = this.known.get(sid);
      if (!have || !this.fresh(have, undefined)) {
        if (asked >= (this.opts.maxChecks ?? 20)) continue;
        asked++;
      }
      let state: PendingState | undefined;
      if (signal.aborted) return [];
      try {
        state = await this.pendingOf(sid, signal);
      } catch {
        continue; // asked again next round
      }
      if (state) found.push({ deploymentId: run.deployment_id, runId: run.id, sessionId: sid, runCreatedAt: run.created_at, state });
    }
    if (signal.aborted) return [];
    this.current = found;
    return found;
  }
}
