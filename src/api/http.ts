// Request execution for the Qoder API: headers, total per-attempt timeout, caller abort,
// retries with backoff, same-origin redirects, error-envelope parsing, request logging and
// token redaction. Knows nothing about deployments — see client.ts for that.

import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { QoderApiError, QoderError } from './errors';

// ---------------------------------------------------------------------------------------
// Minimal fetch surface (node-fetch 3, undici fetch and test fakes all satisfy it)

export interface HeadersLike {
  get(name: string): string | null;
}

export interface ResponseLike {
  status: number;
  statusText?: string;
  headers: HeadersLike;
  text(): Promise<string>;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  redirect: 'manual';
  signal: AbortSignal;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

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
  /** Already validated (see validateBaseUrl), without trailing slash. */
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  retries?: number;
  userAgent?: string;
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

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
const MAX_REDIRECTS = 3;
const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8_000;
const EXCERPT_CHARS = 120;

export function defaultUserAgent(): string {
  return `qoder-deployments-vscode/${process.env.QODER_EXTENSION_VERSION ?? '0.0.0'}`;
}

// ---------------------------------------------------------------------------------------
// Redaction

// A bearer value must look like a credential (≥ 8 chars with a digit) so that prose such
// as "Invalid bearer token." survives; our own token is removed verbatim anyway.
const BEARER_RE = /\bBearer\s+(?=[^\s"',;]*\d)[^\s"',;]{8,}/gi;
const PAT_RE = /(?<![A-Za-z0-9])pt-[A-Za-z0-9._~+/=-]{6,}/g;

/**
 * Replace every occurrence of `secret` (also URL-encoded) and anything that looks like a
 * bearer credential (`Bearer <x>`, x ≥ 8 chars containing a digit) or a Qoder PAT
 * (`pt-` + ≥ 6 token chars, not preceded by a letter/digit) by `***`.
 */
export function redact(text: string, secret: string): string {
  let out = String(text);
  if (typeof secret === 'string' && secret !== '') {
    out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out.replace(BEARER_RE, '***').replace(PAT_RE, '***');
}

// ---------------------------------------------------------------------------------------
// Helpers

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
function raceSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
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

/** Collapse whitespace, strip tags, cut to ~120 chars: a safe one-line excerpt of a body. */
export function bodyExcerpt(text: string, max = EXCERPT_CHARS): string {
  const plain = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(3))} s`;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function header(res: ResponseLike, name: string): string | undefined {
  try {
    const v = res.headers.get(name);
    return v === null || v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

/**
 * Delay the server asked for, in ms: `retry-after-ms`, else `retry-after` as seconds or an
 * HTTP date. Returns undefined when absent or unparsable (negative values included).
 */
export function parseRetryAfterMs(res: ResponseLike, now: number): number | undefined {
  const ms = header(res, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
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
  let r = random();
  if (!Number.isFinite(r) || r < 0) r = 0;
  if (r > 1) r = 1;
  return base * (1 - 0.25 * r);
}

function statusText(res: ResponseLike): string {
  const t = typeof res.statusText === 'string' && res.statusText.trim() !== '' ? res.statusText.trim() : STATUS_CODES[res.status];
  return t ?? '';
}

// ---------------------------------------------------------------------------------------
// Attempt outcomes

type Outcome =
  | { kind: 'ok'; json: unknown; status: number; requestId: string | undefined }
  | { kind: 'error'; error: QoderError; response?: ResponseLike; transport?: boolean };

/** Thrown internally to end the whole call (caller abort). */
class Abort extends Error {}

export class HttpClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly token: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly userAgent: string;
  private readonly onRequest: ((e: RequestLogEntry) => void) | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(opts: HttpClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.token = opts.token;
    this.fetchImpl = opts.fetch ?? nodeFetch;
    this.timeoutMs = opts.timeoutMs !== undefined && opts.timeoutMs > 0 ? opts.timeoutMs : DEFAULT_TIMEOUT_MS;
    this.retries = opts.retries !== undefined && opts.retries >= 0 ? Math.floor(opts.retries) : DEFAULT_RETRIES;
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
        const r = await this.attempt(req, operation, attempt);
        requests += r.requests;
        outcome = r.outcome;
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
    if (entry.error !== undefined) safe.error = this.redact(entry.error);
    try {
      this.onRequest(safe);
    } catch {
      // A logging hook must never break a request.
    }
  }

  /** One attempt, following up to 3 same-origin redirects, under one total timeout. */
  private async attempt(
    req: HttpRequest,
    operation: string,
    attempt: number,
  ): Promise<{ outcome: Outcome; requests: number }> {
    const timeoutController = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      timeoutController.abort(new Error('timeout'));
    }, this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeoutController.signal]) : timeoutController.signal;

    const query = req.query?.toString() ?? '';
    let url = `${this.baseUrl}${req.path}${query ? `?${query}` : ''}`;
    let method: string = req.method;
    let body: string | undefined = method === 'GET' ? undefined : JSON.stringify(req.body ?? {});
    let logPath = req.path;
    let requests = 0;

    try {
      for (let hop = 0; ; hop++) {
        const sentId = randomUUID();
        const headers: Record<string, string> = {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          'User-Agent': this.userAgent,
          'x-request-id': sentId,
        };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const started = this.now();
        requests++;
        let res: ResponseLike;
        let text: string;
        try {
          const init: FetchInit = { method, headers, redirect: 'manual', signal };
          if (body !== undefined) init.body = body;
          res = await raceSignal(Promise.resolve().then(() => this.fetchImpl(url, init)), signal);
          text = await raceSignal(Promise.resolve().then(() => res.text()), signal);
        } catch (e) {
          const durationMs = this.now() - started;
          if (req.signal?.aborted) {
            this.log({ method, path: logPath, status: undefined, durationMs, requestId: sentId, attempt, error: 'aborted by caller' });
            throw new Abort();
          }
          let err: QoderError;
          if (timedOut) {
            err = new QoderError('timeout', `${operation} timed out after ${formatSeconds(this.timeoutMs)}.`, operation);
          } else {
            const reason = describeTransportError(e);
            err = new QoderError('network', this.redact(`${operation} failed: ${reason}`), operation);
          }
          this.log({ method, path: logPath, status: undefined, durationMs, requestId: sentId, attempt, error: err.message });
          return { outcome: { kind: 'error', error: err, transport: true }, requests };
        }
        const durationMs = this.now() - started;
        const requestId = header(res, 'x-request-id') ?? header(res, 'request-id') ?? sentId;
        const status = res.status;

        if ([301, 302, 303, 307, 308].includes(status)) {
          const next = this.redirectTarget(res, url, operation, requestId);
          if (next instanceof QoderError) {
            this.log({ method, path: logPath, status, durationMs, requestId, attempt, error: next.message });
            return { outcome: { kind: 'error', error: next }, requests };
          }
          this.log({ method, path: logPath, status, durationMs, requestId, attempt });
          if (hop + 1 > MAX_REDIRECTS) {
            const err = new QoderApiError({
              status,
              type: 'too_many_redirects',
              message: this.redact(`${operation}: the API redirected more than ${MAX_REDIRECTS} times; giving up.`),
              requestId,
              operation,
            });
            return { outcome: { kind: 'error', error: err }, requests };
          }
          url = next.href;
          logPath = this.relativePath(next);
          if (status === 303) {
            method = 'GET';
            body = undefined;
          }
          continue;
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
            const err = new QoderError('invalid_response', this.redact(`${operation}: HTTP ${status} with ${what}`), operation, { requestId: this.redact(requestId) });
            this.log({ method, path: logPath, status, durationMs, requestId, attempt, error: err.message });
            return { outcome: { kind: 'error', error: err }, requests };
          }
          this.log({ method, path: logPath, status, durationMs, requestId, attempt });
          return { outcome: { kind: 'ok', json, status, requestId }, requests };
        }

        const err = this.apiError(res, text, operation, requestId);
        this.log({ method, path: logPath, status, durationMs, requestId: err.requestId, attempt, error: err.message });
        return { outcome: { kind: 'error', error: err, response: res }, requests };
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private relativePath(u: URL): string {
    const basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
    return basePath !== '' && u.pathname.startsWith(`${basePath}/`) ? u.pathname.slice(basePath.length) : u.pathname;
  }

  /** Where a 3xx may be followed to, or the error explaining why it is not. */
  private redirectTarget(res: ResponseLike, current: string, operation: string, requestId: string): URL | QoderError {
    const location = header(res, 'location');
    if (location === undefined || location.trim() === '') {
      return new QoderApiError({
        status: res.status,
        type: `http_${res.status}`,
        message: this.redact(`HTTP ${res.status} ${statusText(res)} from ${operation} without a Location header.`),
        requestId,
        operation,
      });
    }
    let target: URL;
    try {
      target = new URL(location, current);
    } catch {
      return new QoderApiError({
        status: res.status,
        type: 'invalid_redirect',
        message: this.redact(`${operation}: the API redirected to an invalid location; not followed.`),
        requestId,
        operation,
      });
    }
    if (target.origin !== this.origin || target.username !== '' || target.password !== '') {
      const where = /^https?:$/.test(target.protocol) ? target.origin : target.protocol;
      return new QoderApiError({
        status: res.status,
        type: 'cross_origin_redirect',
        message: this.redact(
          `${operation}: the API redirected to another host (${where}). The redirect was not followed and the access token was not sent there. Check the API base URL setting (expected origin ${this.origin}).`,
        ),
        requestId,
        operation,
      });
    }
    return target;
  }

  /** Build the QoderApiError for a non-2xx answer, from the envelope when there is one. */
  private apiError(res: ResponseLike, text: string, operation: string, headerRequestId: string): QoderApiError {
    const status = res.status;
    const retryAfterMs = parseRetryAfterMs(res, this.now());
    const retryAfterSeconds = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isObj(body) && isObj(body.error) && (typeof body.error.type === 'string' || typeof body.error.message === 'string')) {
      const e = body.error;
      const type = typeof e.type === 'string' && e.type !== '' ? e.type : `http_${status}`;
      let message =
        typeof e.message === 'string' && e.message.trim() !== ''
          ? e.message
          : `HTTP ${status} ${statusText(res)} (${type}) from ${operation}`.replace(/\s+/g, ' ');
      // [cli] 501 envelope: name the beta feature.
      if (typeof e.feature === 'string') {
        message += ` (feature: ${e.feature}${typeof e.available_from === 'string' ? `, available from ${e.available_from}` : ''})`;
      }
      const requestId = typeof body.request_id === 'string' && body.request_id !== '' ? body.request_id : headerRequestId;
      const param = typeof e.param === 'string' ? e.param : undefined;
      return new QoderApiError({
        status,
        type,
        message: this.redact(message),
        param: param === undefined ? undefined : this.redact(param),
        requestId: this.redact(requestId),
        retryAfterSeconds,
        operation,
      });
    }
    const ex = bodyExcerpt(text);
    let message = `HTTP ${status} ${statusText(res)}`.trim() + ` from ${operation}` + (ex === '' ? ' (empty body)' : `: ${ex}`);
    if (retryAfterSeconds !== undefined) message += ` (retry after ${formatSeconds(retryAfterSeconds * 1000)})`;
    return new QoderApiError({
      status,
      type: `http_${status}`,
      message: this.redact(message),
      requestId: this.redact(headerRequestId),
      retryAfterSeconds,
      operation,
    });
  }
}

function describeTransportError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const cause = (e as { cause?: unknown }).cause;
    const causeCode = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
    const c = typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
    return c !== undefined && !e.message.includes(c) ? `${e.message} (${c})` : e.message;
  }
  return String(e);
}

// ---------------------------------------------------------------------------------------
// The default transport: node-fetch 3. ESM-only, loaded lazily (through the bundle, or
// require(esm) under plain Node), so activation does not pay for it before the first request.

let nodeFetchModule: Promise<typeof import('node-fetch')> | undefined;

export const nodeFetch: FetchLike = async (url, init) => {
  nodeFetchModule ??= import('node-fetch');
  const mod = await nodeFetchModule;
  const res = await mod.default(url, {
    method: init.method,
    headers: init.headers,
    body: init.body,
    redirect: init.redirect,
    signal: init.signal,
  });
  return res;
};
