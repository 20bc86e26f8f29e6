// Retry timing: Retry-After parsing, exponential back-off with jitter, abortable waits.

import { header, type ResponseLike } from './transport';

export const MAX_RETRY_AFTER_MS = 60_000;
export const INITIAL_RETRY_DELAY_MS = 500;
export const MAX_RETRY_DELAY_MS = 8_000;

/** Abortable sleep; rejects with the signal's reason when aborted. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reject as soon as `signal` aborts, even if `p` never settles (fakes that ignore the signal). */
export function raceSignal<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    pending.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Delay the server asked for, in ms: `retry-after-ms`, else `retry-after` as seconds or an
 * HTTP date. Returns undefined when absent or unparsable (negative values included).
 */
export function parseRetryAfterMs(res: ResponseLike, now: number): number | undefined {
  const ms = header(res, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const ra = header(res, 'retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  const trimmed = ra.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (/^[A-Za-z]/.test(trimmed)) {
    const date = Date.parse(trimmed);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** Python-SDK backoff: min(0.5·2^n, 8) s, minus up to 25 % jitter. `retryIndex` is 0 for the first retry. */
export function backoffMs(retryIndex: number, random: () => number): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retryIndex, MAX_RETRY_DELAY_MS);
  let jitter = random();
  if (!Number.isFinite(jitter) || jitter < 0) jitter = 0;
  if (jitter > 1) jitter = 1;
  return base * (1 - 0.25 * jitter);
}
