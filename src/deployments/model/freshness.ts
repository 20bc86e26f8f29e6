// The pieces of the refresh strategy that spends requests where changes happen (issue 22).
// Pure and clock-free: every function takes `now`, so tests drive them with a fake clock.
// ChangeWatch (changeWatch.ts) puts them together. No vscode import.

import type { Deployment, DeploymentRun } from '../../api/types';

/**
 * The runs feed high-water mark: `GET /deployment_runs?created_at[gte]=<mark>`, where the mark
 * is the newest `created_at` seen in an answer (never the local clock). Run timestamps are whole
 * seconds, so `gte` asks for the mark's second again and the ids already seen there are dropped.
 */
export class RunsFeed {
  private markMs: number | undefined;
  private markText: string | undefined;
  /** Runs seen in the mark's second (id -> created_at ms): the only ones `gte` can send again. */
  private atMark = new Map<string, number>();
  private answered = false;

  /** The `created_at[gte]` to ask for; undefined before the first answer (ask for the newest page). */
  get since(): string | undefined {
    return this.markText;
  }

  get primed(): boolean {
    return this.answered;
  }

  /**
   * Takes one answer (any order) and returns the runs not seen before, oldest first. The first
   * answer only sets the mark: what ran before the view was loaded is history, not news (an
   * account without runs yet: every later run is news).
   */
  accept(runs: readonly DeploymentRun[]): DeploymentRun[] {
    const first = !this.answered;
    this.answered = true;
    const asked = this.markMs;
    const fresh: { run: DeploymentRun; at: number }[] = [];
    for (const run of runs) {
      const at = Date.parse(run.created_at);
      if (!Number.isFinite(at) || this.atMark.has(run.id)) continue;
      if (asked !== undefined && at < asked) continue; // older than asked for
      fresh.push({ run, at });
      if (this.markMs === undefined || at > this.markMs) {
        this.markMs = at;
        this.markText = run.created_at;
      }
    }
    const mark = this.markMs;
    for (const { run, at } of fresh) this.atMark.set(run.id, at);
    for (const [id, at] of this.atMark) if (at !== mark) this.atMark.delete(id);
    if (first) return [];
    return fresh.sort((a, b) => a.at - b.at).map((x) => x.run);
  }
}

/**
 * New deployments from page 1 of `GET /deployments` (newest first): everything above the first
 * id already known. `complete` is false when no known id was on the page (read the next one).
 */
export function newAboveKnown(page: readonly Deployment[], isKnown: (id: string) => boolean): { fresh: Deployment[]; complete: boolean } {
  const fresh: Deployment[] = [];
  for (const deployment of page) {
    if (isKnown(deployment.id)) return { fresh, complete: true };
    fresh.push(deployment);
  }
  return { fresh, complete: false };
}

/** The earliest `schedule.upcoming_runs_at` after `now` among deployments that may fire. */
export function earliestDue(deployments: Iterable<Deployment>, now: number): number | undefined {
  let earliest: number | undefined;
  for (const d of deployments) {
    if (d.archived_at !== null || d.status !== 'active' || !d.schedule) continue;
    for (const at of d.schedule.upcoming_runs_at) {
      const ms = Date.parse(at);
      if (!(ms > now)) continue;
      if (earliest === undefined || ms < earliest) earliest = ms;
      break; // upcoming_runs_at is in order: the first future one is this deployment's next
    }
  }
  return earliest;
}

export interface WakeOptions {
  /** Never poll the feed more often than this. */
  minGapMs: number;
  /** The freshness wanted when nothing is due (`qoder.autoRefreshSeconds`). */
  idleMs: number;
  /** Polls in a row that found nothing while nothing was due: each doubles the idle wait... */
  emptyPolls: number;
  /** ...up to this. */
  maxIdleMs: number;
  /** How long after a due time to look (the server may start a run slightly late). */
  lagMs: number;
  /** Up to this much extra, at random, so many windows do not wake together. */
  jitterMs: number;
}

/**
 * When to read the runs feed next, counted from the last read: just after the earliest due
 * time (plus lag and jitter), never sooner than `minGapMs`; with nothing due before the idle
 * wait, the idle wait, doubled per empty poll up to `maxIdleMs`.
 */
export function nextFeedDelay(lastPoll: number, due: number | undefined, o: WakeOptions, random: () => number): number {
  const idle = Math.min(o.idleMs * 2 ** Math.max(0, Math.min(o.emptyPolls, 16)), Math.max(o.maxIdleMs, o.idleMs));
  const jitter = Math.max(0, Math.min(1, random())) * o.jitterMs;
  const afterDue = due === undefined ? Infinity : due - lastPoll + o.lagMs + jitter;
  return Math.max(o.minGapMs, Math.min(afterDue, idle + jitter));
}

/**
 * Sessions started by runs, followed until they settle so the row can say how the run ended.
 * Bounded: past `max`, the oldest is dropped (its row keeps what it last knew).
 */
export class SessionWatch {
  private readonly sessions = new Map<string, { deploymentId: string; checkedAt: number }>();

  constructor(private readonly max = 50) {}

  add(sessionId: string, deploymentId: string, now: number): void {
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, { deploymentId, checkedAt: now });
    while (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value as string);
  }

  settled(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Up to `count` sessions not checked for `everyMs`, least recently checked first; marks them checked. */
  due(now: number, everyMs: number, count: number): { sessionId: string; deploymentId: string }[] {
    const out = [...this.sessions.entries()]
      .filter(([, s]) => now - s.checkedAt >= everyMs)
      .sort((a, b) => a[1].checkedAt - b[1].checkedAt)
      .slice(0, count);
    for (const [, s] of out) s.checkedAt = now;
    return out.map(([sessionId, s]) => ({ sessionId, deploymentId: s.deploymentId }));
  }
}

/**
 * Rows re-read one by one to find changes made elsewhere: the ones the user looks at (visible,
 * expanded), round robin, one per `everyMs`.
 */
export class RecheckRotation {
  private cursor = 0;
  private last = -Infinity;

  constructor(private readonly everyMs: number) {}

  dueAt(): number {
    return this.last + this.everyMs;
  }

  /** The next row to re-read, or undefined when it is not time yet or there is none. */
  next(now: number, rows: readonly string[]): string | undefined {
    if (rows.length === 0 || now < this.dueAt()) return undefined;
    this.last = now;
    const id = rows[this.cursor % rows.length];
    this.cursor = (this.cursor + 1) % rows.length;
    return id;
  }
}

/** At most one full reconciliation walk per `everyMs`, and only while the view is visible and focused. */
export function reconcileDueAt(lastFullWalk: number | undefined, everyMs: number): number {
  return lastFullWalk === undefined ? -Infinity : lastFullWalk + everyMs;
}

/** What a full walk found that the shown list did not know: changes made elsewhere. */
export function changedElsewhere(before: ReadonlyMap<string, Deployment>, after: readonly Deployment[]): { added: string[]; changed: string[]; removed: string[] } {
  const added: string[] = [];
  const changed: string[] = [];
  const seen = new Set<string>();
  for (const d of after) {
    seen.add(d.id);
    const old = before.get(d.id);
    if (!old) added.push(d.id);
    else if (old.updated_at !== d.updated_at || old.status !== d.status || old.archived_at !== d.archived_at) changed.push(d.id);
  }
  const removed = [...before.keys()].filter((id) => !seen.has(id));
  return { added, changed, removed };
}

/** A deployment's copy with a run from the feed applied (the row shows when it last ran). */
export function withRun(deployment: Deployment, run: DeploymentRun): Deployment {
  if (!deployment.schedule) return deployment;
  const last = deployment.schedule.last_run_at;
  if (last && Date.parse(last) >= Date.parse(run.created_at)) return deployment;
  const copy = { ...deployment, schedule: { ...deployment.schedule, last_run_at: run.created_at } };
  if (deployment.stats !== undefined) Object.defineProperty(copy, 'stats', { value: deployment.stats, enumerable: false });
  return copy as Deployment;
}
