// Lazily fetched facts about sessions, agents and environments, for the rows and documents
// on screen. Pure (no vscode). Final session statuses are kept for good; a running one is
// asked again after `ttlMs`, but only while its rows can be seen (`setActive`) and only for the
// `maxFollowed` sessions whose rows were drawn last. Names are cached per id (and agent version) and fall back to the
// id when they cannot be fetched.

import { isSettledStatus, type Agent, type Environment, type Session, type SessionEvent } from '../../api/sessions';
import type { EventFacts, SessionFacts } from '../../runs/model/runState';
import { runsChunk } from '../../runs/runsChunk';
import { Emitter, type Disposable } from '../../common/events';
import { outcomeLines } from './outcomeText';
import { displayName } from '../../common/display';

export interface SessionSummary extends SessionFacts {
  durationSeconds: number | null;
  /** "Waiting for your decision: Bash `rm -rf build/`" while an idle session waits (interaction-and-files.md §3). */
  waiting?: string;
  /** `usage.total_credits`, when sent. */
  credits: number | null;
  /** Outcome verdicts in words ("✓ satisfied — All criteria met"). */
  outcomes: string[];
  /** When this was fetched (ms). */
  at: number;
}

export interface SessionSource {
  getSession(id: string, signal: AbortSignal): Promise<Session>;
  /**
   * One look at an idle session's newest events (`updatedAt`: the session's, so an unchanged
   * session is not asked again): what it waits for, in words (undefined when it does not wait),
   * and its newest `session.status_idle`, which also tells how the last turn ended.
   */
  idleLook?(id: string, updatedAt: string | undefined, signal: AbortSignal): Promise<IdleText>;
  /**
   * The newest event of one type (`GET …/events?types=<type>&order=desc&limit=1`): how an idle
   * session's last turn ended (`session.status_idle`), why a terminated one failed (`session.error`).
   */
  lastEvent?(id: string, type: string, signal: AbortSignal): Promise<SessionEvent | undefined>;
}

export type { EventFacts } from '../../runs/model/runState';

export interface IdleText {
  waiting?: string;
  lastIdle?: SessionEvent;
}

/**
 * A run's session is finished once it is terminated, or idle after a turn that did not stop to
 * wait for a decision.
 */
export function isSettled(s: SessionFacts): boolean {
  if (s.status === 'idle' && (s.stopReason === 'requires_action' || s.waitingForDecision)) return false;
  return isSettledStatus(s.status);
}

/** Settled, and not waiting for a decision (a waiting session changes once someone answers). */
function isDone(s: SessionSummary): boolean {
  return isSettled(s) && s.waiting === undefined;
}

export class SessionStatusCache implements Disposable {
  private readonly known = new Map<string, SessionSummary>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private inFlight = 0;
  private source: SessionSource | undefined;
  private controller = new AbortController();
  /** Running sessions are asked again after ttlMs, until they settle. */
  private readonly recheck = new Map<string, ReturnType<typeof setTimeout>>();
  /** Re-checks that fell due while nothing showed the rows; asked when they show again. */
  private readonly overdue = new Set<string>();
  /** When each session's row (or document) last wanted its status: a counter, newest highest. */
  private readonly wanted = new Map<string, number>();
  private wants = 0;
  private active = true;
  private readonly changed = new Emitter<string>();
  /** Fires with the session id whose summary changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly opts: { concurrency?: number; ttlMs?: number; maxFollowed?: number; now?: () => number } = {}) {}

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** A new connection: forget everything (another account's sessions must not show). */
  setSource(source: SessionSource | undefined): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.clearRechecks();
    this.source = source;
    this.known.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.wanted.clear();
    this.inFlight = 0;
  }

  /** Whether anything shows the rows (view visible, window focused); re-checks wait until it does. */
  setActive(active: boolean): void {
    this.active = active;
    if (!active) return;
    const due = [...this.overdue];
    this.overdue.clear();
    for (const id of due) this.enqueue(id);
  }

  get(id: string): SessionSummary | undefined {
    return this.known.get(id);
  }

  /** Record what a fresh fetch elsewhere (an open document) learned, with what its events tell. */
  put(session: Session, facts: EventFacts = {}): void {
    this.wanted.set(session.id, ++this.wants);
    this.store(session.id, session, facts, session.status === 'idle' ? this.known.get(session.id)?.waiting : undefined);
  }

  /** Ask again now (after answering a session or sending it a message). */
  refresh(id: string): void {
    this.enqueue(id);
  }

  /** Ask for the summary if it is missing or a running one is stale. */
  request(id: string): void {
    this.wanted.set(id, ++this.wants);
    const have = this.known.get(id);
    if (have && (isDone(have) || this.now - have.at < (this.opts.ttlMs ?? 15_000))) return;
    this.enqueue(id);
  }

  private enqueue(id: string): void {
    if (this.queued.has(id) || !this.source) return;
    this.queued.add(id);
    this.queue.push(id);
    this.pump();
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 4;
    while (this.inFlight < limit && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const source = this.source;
      const signal = this.controller.signal;
      if (!source) return;
      this.inFlight++;
      void source
        .getSession(id, signal)
        .then(async (s) => {
          // An idle session: the look for a decision reads the newest events, which also say how the turn ended.
          const look = s.status === 'idle' && source.idleLook ? await source.idleLook(id, s.updated_at || undefined, signal).catch(() => undefined) : undefined;
          const facts = look?.lastIdle ? runsChunk().factsOfEvent(look.lastIdle) : await this.eventFacts(source, s, signal);
          if (!signal.aborted) this.store(id, s, facts, look?.waiting);
        })
        .catch(() => {
          // No status is shown for it; the row keeps the run's own facts. Asked again later.
        })
        .finally(() => {
          if (signal.aborted) return;
          this.inFlight--;
          this.queued.delete(id);
          this.pump();
        });
    }
  }

  /** How the last turn ended (idle) or why it failed (terminated); {} when that cannot be read. */
  private async eventFacts(source: SessionSource, s: Session, signal: AbortSignal): Promise<EventFacts> {
    const type = s.status === 'idle' ? 'session.status_idle' : s.status === 'terminated' ? 'session.error' : undefined;
    if (!type || !source.lastEvent) return {};
    try {
      return runsChunk().factsOfEvent(await source.lastEvent(s.id, type, signal));
    } catch {
      return {}; // the status alone still tells most of it
    }
  }

  private store(id: string, s: Session, facts: EventFacts, waiting?: string): void {
    const prev = this.known.get(id);
    const next: SessionSummary = { status: s.status, durationSeconds: s.duration_seconds, at: this.now, credits: s.total_credits, outcomes: outcomeLines(s.raw), ...facts };
    if (waiting !== undefined) {
      next.waiting = waiting;
      next.waitingForDecision = true;
    }
    this.known.set(id, next);
    if (!isDone(next)) this.follow(id);
    if (!prev || prev.status !== next.status || prev.durationSeconds !== next.durationSeconds || prev.waiting !== next.waiting || prev.credits !== next.credits
      || prev.stopReason !== next.stopReason || prev.errorType !== next.errorType || prev.waitingForDecision !== next.waitingForDecision) this.changed.fire(id);
  }

  private follow(id: string): void {
    if (this.recheck.has(id) || this.overdue.has(id) || !this.source) return;
    const timer = setTimeout(() => {
      this.recheck.delete(id);
      if (this.active) this.enqueue(id);
      else this.overdue.add(id);
    }, this.opts.ttlMs ?? 15_000);
    timer.unref?.();
    this.recheck.set(id, timer);
    // Rows drawn long ago (collapsed, scrolled away) give way to the ones drawn last.
    const max = this.opts.maxFollowed ?? 20;
    while (this.recheck.size + this.overdue.size > max) {
      const followed = [...this.recheck.keys(), ...this.overdue];
      const oldest = followed.reduce((a, b) => ((this.wanted.get(a) ?? 0) <= (this.wanted.get(b) ?? 0) ? a : b));
      clearTimeout(this.recheck.get(oldest));
      this.recheck.delete(oldest);
      this.overdue.delete(oldest);
    }
  }

  private clearRechecks(): void {
    for (const t of this.recheck.values()) clearTimeout(t);
    this.recheck.clear();
    this.overdue.clear();
  }

  dispose(): void {
    this.clearRechecks();
    this.controller.abort();
    this.changed.dispose();
  }
}

export interface NameSource {
  getAgent(id: string, version: number | undefined): Promise<Agent>;
  getEnvironment(id: string): Promise<Environment>;
}

/** Agent and environment names; a failed lookup falls back to the id and is retried after a minute. */
export class NameCache {
  private readonly names = new Map<string, { name: string; at: number; ok: boolean }>();
  private readonly pending = new Map<string, Promise<string>>();
  private source: NameSource | undefined;
  private generation = 0;

  constructor(private readonly now: () => number = Date.now) {}

  setSource(source: NameSource | undefined): void {
    this.source = source;
    this.names.clear();
    this.pending.clear();
    this.generation++;
  }

  /** The name if already known (no request). */
  peekAgent(id: string, version?: number): string | undefined {
    return this.names.get(`agent:${id}@${version ?? ''}`)?.name;
  }
  peekEnvironment(id: string): string | undefined {
    return this.names.get(`env:${id}`)?.name;
  }

  agentName(id: string, version?: number): Promise<string> {
    return this.lookup(`agent:${id}@${version ?? ''}`, id, (s) => s.getAgent(id, version).then((a) => a.name));
  }

  environmentName(id: string): Promise<string> {
    return this.lookup(`env:${id}`, id, (s) => s.getEnvironment(id).then((e) => e.name));
  }

  private lookup(key: string, fallback: string, fetch: (s: NameSource) => Promise<string>): Promise<string> {
    const have = this.names.get(key);
    if (have && (have.ok || this.now() - have.at < 60_000)) return Promise.resolve(have.name);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const source = this.source;
    if (!source) return Promise.resolve(fallback);
    const generation = this.generation;
    const p = fetch(source)
      .then((name) => ({ name: displayName(name) || fallback, ok: true }))
      .catch(() => ({ name: fallback, ok: false }))
      .then(({ name, ok }) => {
        if (generation === this.generation) {
          this.names.set(key, { name, at: this.now(), ok });
          this.pending.delete(key);
        }
        return name;
      });
    this.pending.set(key, p);
    return p;
  }
}
