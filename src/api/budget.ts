// One request budget for the whole extension (foreground loads, background watch, session
// statuses, streams): the documented self-limits (deployments-api.md §8: GET <= 50/s, writes
// <= 20/s) and a 429/503 + Retry-After that pauses every request to that host, not only the
// one that got it. Clock and sleep are injected, so tests run on fake timers.

import { defaultSleep } from './retry';

export interface BudgetOptions {
  /** Request starts allowed per second per host, by kind. Defaults 50 (GET) and 20 (writes). */
  getsPerSecond?: number;
  writesPerSecond?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The longest pause a Retry-After may impose on a host (a larger value is capped). */
export const MAX_HOST_PAUSE_MS = 5 * 60_000;
const WINDOW_MS = 1_000;

interface HostState {
  pausedUntil: number;
  /** Start times of the requests of the last second, oldest first, per kind. */
  gets: number[];
  writes: number[];
}

export class RequestBudget {
  private readonly hosts = new Map<string, HostState>();
  private readonly getsPerSecond: number;
  private readonly writesPerSecond: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(opts: BudgetOptions = {}) {
    this.getsPerSecond = Math.max(1, Math.floor(opts.getsPerSecond ?? 50));
    this.writesPerSecond = Math.max(1, Math.floor(opts.writesPerSecond ?? 20));
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /**
   * Resolves when a request of `method` may start to `host` (an origin), and counts it. Rejects
   * with the signal's reason when aborted while waiting.
   */
  async acquire(host: string, method: string, signal?: AbortSignal): Promise<void> {
    const state = this.state(host);
    const write = method !== 'GET' && method !== 'HEAD';
    const starts = write ? state.writes : state.gets;
    const limit = write ? this.writesPerSecond : this.getsPerSecond;
    for (;;) {
      const now = this.now();
      while (starts.length > 0 && (starts[0] as number) <= now - WINDOW_MS) starts.shift();
      const wait = Math.max(state.pausedUntil - now, starts.length >= limit ? (starts[0] as number) + WINDOW_MS - now : 0);
      if (wait <= 0) {
        starts.push(now);
        return;
      }
      await this.sleep(wait, signal);
      if (signal?.aborted) throw signal.reason;
    }
  }

  /** The host asked everyone to wait (429/503 + Retry-After): no request to it starts before then. */
  pauseHost(host: string, ms: number): void {
    if (!(ms > 0)) return;
    const state = this.state(host);
    state.pausedUntil = Math.max(state.pausedUntil, this.now() + Math.min(ms, MAX_HOST_PAUSE_MS));
  }

  /** When requests to `host` may start again, or undefined when they may now. */
  pausedUntil(host: string): number | undefined {
    const until = this.hosts.get(host)?.pausedUntil ?? 0;
    return until > this.now() ? until : undefined;
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { pausedUntil: 0, gets: [], writes: [] };
      this.hosts.set(host, state);
    }
    return state;
  }
}
