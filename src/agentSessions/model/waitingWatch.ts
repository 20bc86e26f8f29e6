// Which runs wait for a decision, found without opening anything: the newest runs across all
// deployments (GET /deployment_runs), the latest one per deployment, and for each of those
// sessions its newest events (one request) run through pendingState. Pure (no vscode); the
// requests are bounded: at most `maxChecks` sessions a round, a terminated one never.
//
// Only an idle session can wait (interaction-and-files.md §3), and the API has no cross-session
// "waiting" signal. So each round also reads the newest idle sessions (GET /sessions?statuses=idle,
// one page): a candidate missing from it is not idle and costs nothing, and one whose updated_at
// is what it was when its events said "not waiting" is not asked again. Those answers are
// remembered across reloads (WaitingMemory, per account), so a reload asks only what changed.

import type { DeploymentRun, ListPage } from '../../api/types';
import type { SessionEvent } from '../../api/sessions';
import { pendingState, type PendingState } from './pending';
import type { RememberedLook, WaitingMemory } from './waitingMemory';

export interface WaitingRun {
  deploymentId: string;
  runId: string;
  sessionId: string;
  runCreatedAt: string;
  state: PendingState;
}

/** What the list of idle sessions tells about one: when it last changed. */
export interface IdleSession {
  id: string;
  created_at: string;
  updated_at: string;
}

export interface WaitingSource {
  /** `GET /deployment_runs?limit=…` (newest first). */
  recentRuns(limit: number, signal?: AbortSignal): Promise<ListPage<DeploymentRun>>;
  /** `GET /sessions?statuses=idle&limit=…` (newest first), one page. */
  idleSessions?(limit: number, signal?: AbortSignal): Promise<ListPage<IdleSession>>;
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
  /** Whether `known` holds what the memory kept for this connection. */
  private recalled = false;
  private running: Promise<WaitingRun[]> | undefined;
  private current: WaitingRun[] = [];
  /** Aborted by reset(): a round of the previous connection (or a disposed host) sends nothing more and changes nothing. */
  private controller = new AbortController();

  constructor(
    private readonly source: () => WaitingSource,
    private readonly opts: { now?: () => number; maxChecks?: number; recheckMs?: number; runs?: number; memory?: () => WaitingMemory | undefined } = {},
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
    this.recalled = false;
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
    this.recall();
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
    this.recall();
    const page = await this.source().recentRuns(this.opts.runs ?? 100, signal);
    if (signal.aborted) return [];
    const idle = await this.idleNow(signal);
    if (signal.aborted) return [];
    const latest = new Map<string, DeploymentRun>();
    for (const run of page.data) if (!latest.has(run.deployment_id)) latest.set(run.deployment_id, run);
    const candidates = [...latest.values()].filter((r) => typeof r.session_id === 'string');
    const found: WaitingRun[] = [];
    let asked = 0;
    for (const run of candidates) {
      const sid = run.session_id as string;
      const updatedAt = idle?.updatedAt.get(sid);
      if (updatedAt === undefined && idle?.covers(run)) continue; // not idle, so not waiting
      const have = this.known.get(sid);
      if (!have || !this.fresh(have, updatedAt)) {
        if (asked >= (this.opts.maxChecks ?? 20)) continue;
        asked++;
      }
      let state: PendingState | undefined;
      if (signal.aborted) return [];
      try {
        state = (await this.idleLook(sid, updatedAt, signal)).state;
      } catch {
        continue; // asked again next round
      }
      if (state) found.push({ deploymentId: run.deployment_id, runId: run.id, sessionId: sid, runCreatedAt: run.created_at, state });
    }
    if (signal.aborted) return [];
    this.current = found;
    this.remember();
    return found;
  }

  /**
   * The newest idle sessions, and which runs that list speaks for: every run when it is the whole
   * list, else runs started after its oldest session (with a minute's slack for the gap between
   * a run and its session). Undefined when it cannot be read: then every candidate is asked as before.
   */
  private async idleNow(signal: AbortSignal): Promise<{ updatedAt: Map<string, string>; covers(run: DeploymentRun): boolean } | undefined> {
    if (!this.source().idleSessions) return undefined;
    let page: ListPage<IdleSession>;
    try {
      page = await this.source().idleSessions!(100, signal);
    } catch {
      return undefined;
    }
    const updatedAt = new Map(page.data.map((s) => [s.id, s.updated_at]));
    const oldest = Math.min(...page.data.map((s) => Date.parse(s.created_at)).filter((t) => !Number.isNaN(t)));
    const covers = (run: DeploymentRun): boolean => {
      if (page.invalid.length > 0) return false; // an unreadable item may be this run's session
      if (!page.has_more) return true;
      const started = Date.parse(run.created_at);
      return Number.isFinite(oldest) && !Number.isNaN(started) && started > oldest + 60_000;
    };
    return { updatedAt, covers };
  }

  /** Once per connection: what the memory kept. Such a look is trusted only while the session's updated_at is the same. */
  private recall(): void {
    if (this.recalled) return;
    this.recalled = true;
    let looks: readonly RememberedLook[] = [];
    try {
      looks = this.opts.memory?.()?.load() ?? [];
    } catch {
      return;
    }
    for (const l of looks) {
      if (this.known.has(l.sessionId)) continue;
      if (l.final) {
        this.known.set(l.sessionId, { at: Number.NEGATIVE_INFINITY, waiting: undefined, final: true });
        continue;
      }
      const lastIdle = l.stopReason === undefined ? undefined : ({ id: '', type: 'session.status_idle', stop_reason: { type: l.stopReason } } as SessionEvent);
      this.known.set(l.sessionId, { at: Number.NEGATIVE_INFINITY, waiting: undefined, final: false, updatedAt: l.updatedAt, lastIdle });
    }
  }

  /** Keep the newest looks that found a session terminated, or idle and not waiting (with the updated_at they saw). */
  private remember(): void {
    const memory = this.opts.memory?.();
    if (!memory) return;
    const looks: { at: number; look: RememberedLook }[] = [];
    for (const [sessionId, k] of this.known) {
      if (k.final) {
        looks.push({ at: k.at, look: { sessionId, final: true } });
        continue;
      }
      if (k.waiting !== undefined || k.updatedAt === undefined) continue;
      const reason = (k.lastIdle?.stop_reason as { type?: unknown } | undefined)?.type;
      looks.push({ at: k.at, look: { sessionId, updatedAt: k.updatedAt, ...(typeof reason === 'string' ? { stopReason: reason } : {}) } });
    }
    looks.sort((a, b) => b.at - a.at);
    try {
      memory.save(looks.map((l) => l.look)); // newest first: the memory keeps as many as it holds
    } catch {
      // Remembering is an optimisation: the next reload asks again.
    }
  }
}
