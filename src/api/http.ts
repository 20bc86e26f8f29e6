// Running one API call: attempts with a total per-attempt timeout, caller abort, retries with
// back-off, same-origin redirects and request logging. What a non-success answer means is in
// envelope.ts, retry timing in retry.ts, the transport in transport.ts, redaction in
// redact.ts. Knows nothing about deployments: see client.ts for that.

import { randomUUID } from 'node:crypto';
import { QoderApiError, QoderError } from './errors';
import { header, nodeFetch, type FetchInit, type FetchLike, type ResponseLike } from './transport';
import { redact } from './redact';
import { withoutTrailingSlash } from './util';
import { apiErrorFrom, bodyExcerpt, formatSeconds, redirectTargetOf } from './envelope';
import { backoffMs, defaultSleep, MAX_RETRY_AFTER_MS, parseRetryAfterMs, raceSignal } from './retry';
import { BodyTooLargeError, DEFAULT_MAX_RESPONSE_BYTES, formatBytes, isStringTooLong, readBodyCapped } from './body';

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
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path relative to the base URL, starting with `/`, segments already encoded. */
  path: string;
  query?: URLSearchParams;
  /** JSON body for POST; `{}` is sent when omitted. */
  body?: unknown;
  signal?: AbortSignal;
}

export interface HttpResult {
  json: unknown;
  status: number;
  requestId: string | undefined;
  /** HTTP requests made for this call (attempts + redirect hops). */
  requests: number;
  operation: string;
}

/** An open SSE response: read `body`, call `close()` to end the connection. */
export interface OpenStream {
  status: number;
  requestId: string;
  body: AsyncIterable<Uint8Array | string>;
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
const MAX_REDIRECTS = 3;

export function defaultUserAgent(): string {
  return `qoder-deployments-vscode/${process.env.QODER_EXTENSION_VERSION ?? '0.0.0'}`;
}

type Outcome =
  | { kind: 'ok'; json: unknown; status: number; requestId: string | undefined }
  | { kind: 'error'; error: QoderError; response?: ResponseLike; transport?: boolean };

/** One request and its answer: the response and its body, or why there is none. */
type Hop =
  | { kind: 'answer'; res: ResponseLike; text: string; requestId: string; durationMs: number }
  /** No answer: a timeout or a network failure (may be retried for idempotent calls). */
  | { kind: 'transport'; error: QoderError }
  /** An answer that cannot be used and would be the same again (a body over the cap). */
  | { kind: 'failed'; error: QoderError };

/** Where one request being sent goes, and how it is logged. */
interface HopTarget {
  url: string;
  method: string;
  body: string | undefined;
  logPath: string;
}

/** Thrown internally to end the whole call (caller abort). */
class Abort extends Error {}

export class HttpClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly token: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxResponseBytes: number;
  private readonly userAgent: string;
  private readonly onRequest: ((e: RequestLogEntry) => void) | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

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

  /** Run one API call: attempts, retries and redirects. Resolves with the parsed 2xx JSON body. */
  async request(req: HttpRequest): Promise<HttpResult> {
    const operation = `${req.method} ${req.path}`;
    const callerSignal = req.signal;
    let requests = 0;
    for (let attempt = 1; ; attempt++) {
      if (callerSignal?.aborted) throw this.abortedError(operation);
      let outcome: Outcome;
      try {
        const result = await this.attempt(req, operation, attempt);
        requests += result.requests;
        outcome = result.outcome;
      } catch (e) {
        if (e instanceof Abort) throw this.abortedError(operation);
        throw e;
      }
      if (outcome.kind === 'ok') {
        return { json: outcome.json, status: outcome.status, requestId: outcome.requestId, requests, operation };
      }
      const retryIndex = attempt - 1;
      if (retryIndex >= this.retries || !this.shouldRetry(req.method, outcome)) throw outcome.error;
      let delay = backoffMs(retryIndex, this.random);
      if (outcome.response) {
        const asked = parseRetryAfterMs(outcome.response, this.now());
        if (asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER_MS) delay = asked;
      }
      await this.pause(delay, operation, callerSignal);
    }
  }

  private shouldRetry(method: string, outcome: Extract<Outcome, { kind: 'error' }>): boolean {
    const idempotent = method === 'GET' || method === 'HEAD';
    if (outcome.transport) return idempotent; // a POST may have been processed
    const res = outcome.response;
    if (!res) return false;
    // 409 is a state conflict and 501 a feature that needs a beta header: repeating won't help.
    if (res.status === 409 || res.status === 501) return false;
    const hint = header(res, 'x-should-retry')?.trim().toLowerCase();
    if (hint === 'false') return false;
    // Non-idempotent requests carry no Idempotency-Key, so only a 429 (not processed) is
    // retried for them — even when x-should-retry says true.
    if (!idempotent) return res.status === 429;
    if (hint === 'true') return true;
    return res.status === 408 || res.status === 429 || res.status >= 500;
  }

  private abortedError(operation: string): QoderError {
    return new QoderError('aborted', `${operation} was cancelled.`, operation);
  }

  private log(entry: RequestLogEntry): void {
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

  /** One attempt, following up to 3 same-origin redirects, under one total timeout. */
  private async attempt(req: HttpRequest, operation: string, attempt: number): Promise<{ outcome: Outcome; requests: number }> {
    const timeoutController = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      timeoutController.abort(new Error('timeout'));
    }, this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeoutController.signal]) : timeoutController.signal;
    const query = req.query?.toString() ?? '';
    const target: HopTarget = {
      url: `${this.baseUrl}${req.path}${query ? `?${query}` : ''}`,
      method: req.method,
      body: req.method === 'GET' ? undefined : JSON.stringify(req.body ?? {}),
      logPath: req.path,
    };
    try {
      for (let hop = 0; ; hop++) {
        const sent = await this.send(target, signal, req.signal, operation, attempt, () => timedOut);
        if (sent.kind === 'transport') return { outcome: { kind: 'error', error: sent.error, transport: true }, requests: hop + 1 };
        if (sent.kind === 'failed') return { outcome: { kind: 'error', error: sent.error }, requests: hop + 1 };
        const verdict = this.classify(sent, target, operation, attempt, hop);
        if (verdict.kind !== 'redirect') return { outcome: verdict, requests: hop + 1 };
        target.url = verdict.to.href;
        target.logPath = this.relativePath(verdict.to);
        if (sent.res.status === 303) {
          target.method = 'GET';
          target.body = undefined;
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** One HTTP request and its body. A caller abort throws Abort; a timeout or network failure is a 'transport' hop, an oversized body a 'failed' one. */
  private async send(target: HopTarget, signal: AbortSignal, callerSignal: AbortSignal | undefined, operation: string, attempt: number, timedOut: () => boolean): Promise<Hop> {
    const sentId = randomUUID();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      'x-request-id': sentId,
    };
    if (target.body !== undefined) headers['Content-Type'] = 'application/json';
    const init: FetchInit = { method: target.method, headers, redirect: 'manual', signal };
    if (target.body !== undefined) init.body = target.body;
    const started = this.now();
    try {
      const res = await raceSignal(Promise.resolve().then(() => this.fetchImpl(target.url, init)), signal);
      const text = await raceSignal(Promise.resolve().then(() => readBodyCapped(res, this.maxResponseBytes)), signal);
      // Servers may echo anything here, the token included: redact where it is parsed.
      const requestId = this.redact(header(res, 'x-request-id') ?? header(res, 'request-id') ?? sentId);
      return { kind: 'answer', res, text, requestId, durationMs: this.now() - started };
    } catch (e) {
      const entry = { method: target.method, path: target.logPath, status: undefined, durationMs: this.now() - started, requestId: sentId, attempt };
      if (callerSignal?.aborted) {
        this.log({ ...entry, error: 'aborted by caller' });
        throw new Abort();
      }
      if (e instanceof BodyTooLargeError || isStringTooLong(e)) {
        // Not a network failure: asking again would only fetch the same oversized body.
        const error = new QoderError('response_too_large', `${operation}: the response is too large (over ${formatBytes(this.maxResponseBytes)}); it was not read.`, operation);
        this.log({ ...entry, error: error.message });
        return { kind: 'failed', error };
      }
      const error = timedOut()
        ? new QoderError('timeout', `${operation} timed out after ${formatSeconds(this.timeoutMs)}.`, operation)
        : new QoderError('network', this.redact(`${operation} failed: ${describeTransportError(e)}`), operation, { host: hostOf(target.url), code: transportCode(e) });
      this.log({ ...entry, error: error.message });
      return { kind: 'transport', error };
    }
  }

  /** What an answer means: a redirect to follow, a success with its JSON, or an error. Logs the hop. */
  private classify(answer: Extract<Hop, { kind: 'answer' }>, target: HopTarget, operation: string, attempt: number, hop: number): Outcome | { kind: 'redirect'; to: URL } {
    const { res, text, requestId, durationMs } = answer;
    const status = res.status;
    const entry = { method: target.method, path: target.logPath, status, durationMs, requestId, attempt };
    if ([301, 302, 303, 307, 308].includes(status)) {
      const next = this.redirectTarget(res, target.url, operation, requestId);
      if (next instanceof QoderError) {
        this.log({ ...entry, error: next.message });
        return { kind: 'error', error: next };
      }
      this.log(entry);
      if (hop + 1 > MAX_REDIRECTS) {
        const error = new QoderApiError({
          status,
          type: 'too_many_redirects',
          message: this.redact(`${operation}: the API redirected more than ${MAX_REDIRECTS} times; giving up.`),
          requestId,
          operation,
        });
        return { kind: 'error', error };
      }
      return { kind: 'redirect', to: next };
    }
    if (status >= 200 && status < 300) {
      let json: unknown;
      try {
        json = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (json === undefined) {
        const what = text.trim() === '' ? 'an empty body' : `a body that is not valid JSON: ${bodyExcerpt(text)}`;
        const error = new QoderError('invalid_response', this.redact(`${operation}: HTTP ${status} with ${what}`), operation, { requestId: this.redact(requestId) });
        this.log({ ...entry, error: error.message });
        return { kind: 'error', error };
      }
      this.log(entry);
      return { kind: 'ok', json, status, requestId };
    }
    const error = this.apiError(res, text, operation, requestId);
    this.log({ ...entry, requestId: error.requestId, error: error.message });
    return { kind: 'error', error, response: res };
  }

  /**
   * Open an SSE response (`Accept: text/event-stream`): one attempt, no retry and no redirect
   * (a 3xx is an error, so the token never follows one), `timeoutMs` for the headers only.
   * Resolves with the open body; non-2xx answers become QoderApiError like `request`.
   */
  async openStream(req: { path: string; query?: URLSearchParams; lastEventId?: string; signal: AbortSignal }): Promise<OpenStream> {
    const operation = `GET ${req.path}`;
    const query = req.query?.toString() ?? '';
    const url = `${this.baseUrl}${req.path}${query ? `?${query}` : ''}`;
    const sentId = randomUUID();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'text/event-stream',
      'Cache-Control': 'no-cache',
      'User-Agent': this.userAgent,
      'x-request-id': sentId,
    };
    if (req.lastEventId !== undefined) headers['Last-Event-ID'] = req.lastEventId;
    const connection = new AbortController();
    const signal = AbortSignal.any([req.signal, connection.signal]);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.abort(new Error('timeout'));
    }, this.timeoutMs);
    const started = this.now();
    let res: ResponseLike;
    try {
      res = await raceSignal(Promise.resolve().then(() => this.fetchImpl(url, { method: 'GET', headers, redirect: 'manual', signal })), signal);
    } catch (e) {
      clearTimeout(timer);
      const durationMs = this.now() - started;
      if (req.signal.aborted) throw this.abortedError(operation);
      const err = timedOut
        ? new QoderError('timeout', `${operation} timed out after ${formatSeconds(this.timeoutMs)}.`, operation)
        : new QoderError('network', this.redact(`${operation} failed: ${describeTransportError(e)}`), operation, { host: hostOf(url), code: transportCode(e) });
      this.log({ method: 'GET', path: req.path, status: undefined, durationMs, requestId: sentId, attempt: 1, error: err.message });
      throw err;
    }
    clearTimeout(timer);
    const durationMs = this.now() - started;
    const requestId = this.redact(header(res, 'x-request-id') ?? sentId);
    const fail = async (err: QoderError): Promise<never> => {
      this.log({ method: 'GET', path: req.path, status: res.status, durationMs, requestId, attempt: 1, error: err.message });
      connection.abort();
      throw err;
    };
    if (res.status >= 300 && res.status < 400) {
      return fail(new QoderApiError({
        status: res.status,
        type: 'redirect_refused',
        message: this.redact(`${operation}: the API answered the event stream with a redirect (HTTP ${res.status}); it was not followed, so the token stays with the configured API.`),
        requestId: this.redact(requestId),
        operation,
      }));
    }
    if (res.status < 200 || res.status >= 300) {
      let text = '';
      try {
        text = await raceSignal(Promise.resolve().then(() => readBodyCapped(res, this.maxResponseBytes)), signal);
      } catch {
        text = '';
      }
      return fail(this.apiError(res, text, operation, requestId));
    }
    const type = header(res, 'content-type') ?? '';
    const body = res.body as AsyncIterable<Uint8Array | string> | undefined;
    if (!/^text\/event-stream\b/i.test(type.trim()) || body === undefined || body === null || typeof body[Symbol.asyncIterator] !== 'function') {
      return fail(new QoderError('invalid_response', this.redact(`${operation}: HTTP ${res.status} is not an event stream (content-type "${type.slice(0, 60)}").`), operation, { requestId: this.redact(requestId) }));
    }
    this.log({ method: 'GET', path: req.path, status: res.status, durationMs, requestId, attempt: 1 });
    return { status: res.status, requestId, body, close: () => connection.abort() };
  }

  private relativePath(url: URL): string {
    const basePath = withoutTrailingSlash(new URL(this.baseUrl).pathname);
    return basePath !== '' && url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : url.pathname;
  }

  /** Where a 3xx may be followed to, or the error explaining why it is not. */
  private redirectTarget(res: ResponseLike, current: string, operation: string, requestId: string): URL | QoderError {
    return redirectTargetOf(res, current, this.origin, operation, requestId, (t) => this.redact(t));
  }

  /** Build the QoderApiError for a non-2xx answer, from the envelope when there is one. */
  private apiError(res: ResponseLike, text: string, operation: string, headerRequestId: string): QoderApiError {
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

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function describeTransportError(e: unknown): string {
  if (e instanceof Error) {
    const c = transportCode(e);
    return c !== undefined && !e.message.includes(c) ? `${e.message} (${c})` : e.message;
  }
  return String(e);
}

