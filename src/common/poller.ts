// Auto-refresh that wastes nothing: it polls only while `isActive()` (view visible and window
// focused), never overlaps (the store joins walks), and backs off on errors and 429.
// Timers are injected so tests drive it without real waiting. No vscode import.

import type { Disposable } from './events';

export type PollOutcome = { ok: true } | { ok: false; retryAfterMs?: number };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface PollerOptions {
  /** Interval in ms; 0 turns polling off. Read at every scheduling. */
  intervalMs: () => number;
  isActive: () => boolean;
  poll: () => Promise<PollOutcome>;
  /** When the data was last loaded, so returning to the view refreshes only if it is due. */
  lastUpdated: () => number | undefined;
  timers?: Timers;
  maxBackoffMs?: number;
}

/** The longest auto-refresh ever waits, whatever Retry-After or the back-off say. */
export const MAX_POLL_WAIT_MS = 60 * 60_000;
/** setTimeout turns anything longer into 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Poller implements Disposable {
  private handle: unknown;
  private dueAt: number | undefined;
  private failures = 0;
  private retryAfterMs = 0;
  private polling = false;
  private disposed = false;
  private readonly timers: Timers;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: PollerOptions) {
    this.timers = options.timers ?? realTimers;
    this.maxBackoffMs = options.maxBackoffMs ?? 15 * 60_000;
  }

  /**
   * Delay before the next poll: the interval, doubled per consecutive failure, at least
   * Retry-After; never shorter than the interval and never longer than an hour (or the
   * interval, when that is longer).
   */
  nextDelay(): number {
    const interval = this.options.intervalMs();
    const backoff = this.failures ? Math.min(interval * 2 ** this.failures, Math.max(this.maxBackoffMs, interval)) : interval;
    const wanted = Math.max(backoff, Number.isFinite(this.retryAfterMs) ? this.retryAfterMs : MAX_POLL_WAIT_MS);
    return Math.min(Math.max(wanted, interval), Math.max(MAX_POLL_WAIT_MS, interval), MAX_TIMER_MS);
  }

  /** A load succeeded (a poll, a manual refresh, an action's reload): back to the plain interval. */
  loadSucceeded(): void {
    this.failures = 0;
    this.retryAfterMs = 0;
  }

  /** Re-evaluates after a change of visibility, focus or setting. */
  update(): void {
    if (this.disposed || this.polling) return;
    this.cancel();
    if (!this.options.isActive() || this.options.intervalMs() <= 0) return;
    const last = this.options.lastUpdated();
    const delay = this.nextDelay();
    // Nothing loaded yet: the first load is the view's job, so wait a whole interval.
    const since = last === undefined ? 0 : this.timers.now() - last;
    this.schedule(Math.max(0, delay - since));
  }

  get scheduledIn(): number | undefined {
    return this.dueAt === undefined ? undefined : Math.max(0, this.dueAt - this.timers.now());
  }

  private schedule(ms: number): void {
    this.dueAt = this.timers.now() + ms;
    this.handle = this.timers.setTimeout(() => void this.tick(), ms);
  }

  private cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.dueAt = undefined;
  }

  private async tick(): Promise<void> {
    this.handle = undefined;
    this.dueAt = undefined;
    if (this.disposed || !this.options.isActive() || this.options.intervalMs() <= 0) return;
    this.polling = true;
    try {
      const outcome = await this.options.poll();
      if (outcome.ok) {
        this.loadSucceeded();
      } else {
        this.failures++;
        this.retryAfterMs = outcome.retryAfterMs ?? 0;
      }
    } catch {
      this.failures++;
    } finally {
      this.polling = false;
    }
    if (this.disposed || !this.options.isActive() || this.options.intervalMs() <= 0) return;
    this.schedule(this.nextDelay());
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }
}
