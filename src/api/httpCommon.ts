// What requests.ts (API calls) and streams.ts (SSE) share: the client's settings, request
// headers, the per-attempt timeout, transport-failure wording, redaction and the request log.

import { QoderApiError, QoderError } from './errors';
import { nodeFetch, type FetchLike, type ResponseLike } from './transport';
import { redact } from './redact';
import { hostOf, withoutTrailingSlash } from './util';
import { apiErrorFrom, formatSeconds } from './envelope';
import { defaultSleep, parseRetryAfterMs } from './retry';
import type { RequestBudget } from './budget';
import { DEFAULT_MAX_RESPONSE_BYTES } from './body';

export interface RequestLogEntry {
  method: string;
  /** API path relative to the base URL, without query (e.g. `/deployments/dep_…`). */
  path: string;
  status: number | undefined;
  durationMs: number;
  /** The `x-request-id` we sent (or the server's, when it answered with one). */
  requestId: string | undefined;
  /** 1 for the first try, 2 for the first retry, … (redirect hops share their attempt's number). */
  attempt: number;
  error?: string;
}

export interface HttpClientOptions {
  /** e.g. https://api.qoder.com/api/v1/cloud (validated by the client; see validateBaseUrl). */
  baseUrl: string;
  token: string;
  /** Defaults to node-fetch (see transport.ts). */
  fetch?: FetchLike;
  /** Total per-attempt timeout including the body read. Default 30 000 ms. */
  timeoutMs?: number;
  /** Default 2. */
  retries?: number;
  /** Cap on one response body; a larger one fails with 'response_too_large' and is not retried. Default 16 MB. */
  maxResponseBytes?: number;
  /** Default `qoder-deployments-vscode/<QODER_EXTENSION_VERSION ?? 0.0.0>`. */
  userAgent?: string;
  /** One call per HTTP request (attempt / redirect hop); never contains the token. */
  onRequest?: (e: RequestLogEntry) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Clock for durations and HTTP-date Retry-After; injectable for tests. */
  now?: () => number;
  /** The extension's shared request budget (rate self-limits, a host's Retry-After); none = no limit. */
  budget?: RequestBudget;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;

export function defaultUserAgent(): string {
  return `qoder-deployments-vscode/${process.env.QODER_EXTENSION_VERSION ?? '0.0.0'}`;
}

/** A timer that aborts `controller` after `ms`; `timedOut()` tells a timeout from other aborts. */
export interface Deadline {
  timedOut(): boolean;
  clear(): void;
}

export function armDeadline(ms: number, controller: AbortController): Deadline {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new Error('timeout'));
  }, ms);
  return { timedOut: () => fired, clear: () => clearTimeout(timer) };
}

/** The resolved client settings and the helpers both kinds of request use. */
export class HttpContext {
  readonly baseUrl: string;
  readonly origin: string;
  protected readonly token: string;
  readonly fetchImpl: FetchLike;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxResponseBytes: number;
  readonly userAgent: string;
  private readonly onRequest: ((e: RequestLogEntry) => void) | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  private readonly budget: RequestBudget | undefined;

  constructor(opts: HttpClientOptions) {
    this.baseUrl = withoutTrailingSlash(opts.baseUrl);
    this.origin = new URL(this.baseUrl).origin;
    this.token = opts.token;
    this.fetchImpl = opts.fetch ?? nodeFetch;
    this.timeoutMs = opts.timeoutMs !== undefined && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_TIMEOUT_MS;
    this.retries = opts.retries !== undefined && opts.retries >= 0 ? Math.floor(opts.retries) : DEFAULT_RETRIES;
    this.maxResponseBytes = opts.maxResponseBytes !== undefined && opts.maxResponseBytes > 0 ? opts.maxResponseBytes : DEFAULT_MAX_RESPONSE_BYTES;
    this.userAgent = opts.userAgent ?? defaultUserAgent();
    this.onRequest = opts.onRequest;
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.budget = opts.budget;
  }

  /**
   * Waits until the shared budget lets a request start (before its timeout is armed, so a
   * host's Retry-After pause is not a timeout). A caller abort becomes QoderError('aborted').
   */
  async admit(method: string, operation: string, signal?: AbortSignal): Promise<void> {
    if (!this.budget) return;
    try {
      await this.budget.acquire(this.origin, method, signal);
    } catch (e) {
      if (signal?.aborted) throw this.abortedError(operation);
      throw e;
    }
  }

  /** A 429 or 503 that says how long to wait pauses every request to this host, not only the one that got it. */
  noteAnswer(res: ResponseLike): void {
    if (!this.budget || (res.status !== 429 && res.status !== 503)) return;
    const ms = parseRetryAfterMs(res, this.now());
    if (ms !== undefined) this.budget.pauseHost(this.origin, ms);
  }

  redact(text: string): string {
    return redact(text, this.token);
  }

  /** Sleep that honours the caller's signal; a caller abort becomes QoderError('aborted'). */
  async pause(ms: number, operation: string, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 && !signal?.aborted) return;
    try {
      await this.sleep(ms, signal);
    } catch (e) {
      if (signal?.aborted) throw this.abortedError(operation);
      throw e;
    }
    if (signal?.aborted) throw this.abortedError(operation);
  }

  abortedError(operation: string): QoderError {
    return new QoderError('aborted', `${operation} was cancelled.`, operation);
  }

  /** `baseUrl` + path + query. */
  urlFor(path: string, query: URLSearchParams | undefined): string {
    const q = query?.toString() ?? '';
    return `${this.baseUrl}${path}${q ? `?${q}` : ''}`;
  }

  /** The headers every request carries, with the token only for the configured origin (callers never redirect it elsewhere). */
  headers(accept: string, requestId: string): Record<string, string> {
    return {
      Authorization: `Bearer ${this.token}`,
      Accept: accept,
      'User-Agent': this.userAgent,
      'x-request-id': requestId,
    };
  }

  /** Why a request got no answer: the timeout, or a network failure naming its host and code. */
  transportError(operation: string, url: string, e: unknown, timedOut: boolean): QoderError {
    return timedOut
      ? new QoderError('timeout', `${operation} timed out after ${formatSeconds(this.timeoutMs)}.`, operation)
      : new QoderError('network', this.redact(`${operation} failed: ${describeTransportError(e)}`), operation, { host: hostOf(url), code: transportCode(e) });
  }

  log(entry: RequestLogEntry): void {
    if (!this.onRequest) return;
    const safe: RequestLogEntry = { ...entry, path: this.redact(entry.path) };
    if (entry.requestId !== undefined) safe.requestId = this.redact(entry.requestId);
    if (entry.error !== undefined) safe.error = this.redact(entry.error);
    try {
      this.onRequest(safe);
    } catch {
      // A logging hook must never break a request.
    }
  }

  /** Build the QoderApiError for a non-2xx answer, from the envelope when there is one. */
  apiError(res: ResponseLike, text: string, operation: string, headerRequestId: string): QoderApiError {
    return apiErrorFrom(res, text, operation, headerRequestId, this.now(), (t) => this.redact(t));
  }
}

/** The system error code of a transport failure (`ENOTFOUND`), on the error or its cause. */
function transportCode(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  const cause = (e as { cause?: unknown }).cause;
  const causeCode = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
}

function describeTransportError(e: unknown): string {
  if (e instanceof Error) {
    const c = transportCode(e);
    return c !== undefined && !e.message.includes(c) ? `${e.message} (${c})` : e.message;
  }
  return String(e);
}
