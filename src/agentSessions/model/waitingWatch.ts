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
    const have = this.known.get(sessionId);
    if (have && (have.final || (have.waiting === undefined && this.now - have.at < (this.opts.recheckMs ?? 5 * 60_000)))) return have.waiting;
    const events = await this.source().newestEvents(sessionId, 50, signal);
    const { state, final } = pendingFromNewest(events);
    this.known.set(sessionId, { at: this.now, waiting: state, final });
    return state;
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
      const fresh = have && (have.final || (have.waiting === undefined && this.now - have.at < (this.opts.recheckMs ?? 5 * 60_000)));
      if (!fresh) {
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
