// Running one API call: attempts with a total per-attempt timeout, caller abort, retries with
// back-off, same-origin redirects and request logging. What a non-success answer means is in
// envelope.ts, retry timing in retry.ts; settings, headers and the log in httpCommon.ts.

import { randomUUID } from 'node:crypto';
import { QoderApiError, QoderError } from './errors';
import { header, type FetchInit, type ResponseLike } from './transport';
import { withoutTrailingSlash } from './util';
import { bodyExcerpt, redirectTargetOf } from './envelope';
import { backoffMs, MAX_RETRY_AFTER_MS, parseRetryAfterMs, raceSignal } from './retry';
import { BodyTooLargeError, formatBytes, isStringTooLong, readBodyCapped } from './body';
import { armDeadline, type HttpContext } from './httpCommon';

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path relative to the base URL, starting with `/`, segments already encoded. */
  path: string;
  query?: URLSearchParams;
  /** JSON body for POST; `{}` is sent when omitted. */
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `Idempotency-Key`); never `Authorization`. */
  headers?: Record<string, string>;
  /** A 3xx is the answer itself (its body and `Location`), never followed: for download links. */
  keepRedirect?: boolean;
}

export interface HttpResult {
  json: unknown;
  status: number;
  requestId: string | undefined;
  /** HTTP requests made for this call (attempts + redirect hops). */
  requests: number;
  operation: string;
  /** The `Location` of a kept redirect (keepRedirect). */
  location?: string;
  /** How long before this call returned the request that was answered went out (from the transport's sentAgoMs; else since it was handed to fetch). */
  sentAgoMs: number;
}

const MAX_REDIRECTS = 3;

type Outcome =
  | { kind: 'ok'; json: unknown; status: number; requestId: string | undefined; location?: string; sentAt: number }
  | { kind: 'error'; error: QoderError; response?: ResponseLike; transport?: boolean };

/** One request and its answer: the response and its body, or why there is none. */
type Hop =
  | { kind: 'answer'; res: ResponseLike; text: string; requestId: string; durationMs: number; sentAt: number }
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
  headers?: Record<string, string>;
  keepRedirect?: boolean;
}

/** Thrown internally to end the whole call (caller abort). */
class Abort extends Error {}

/** Run one API call: attempts, retries and redirects. Resolves with the parsed 2xx JSON body. */
export async function runRequest(ctx: HttpContext, req: HttpRequest): Promise<HttpResult> {
  const operation = `${req.method} ${req.path}`;
  const callerSignal = req.signal;
  let requests = 0;
  for (let attempt = 1; ; attempt++) {
    if (callerSignal?.aborted) throw ctx.abortedError(operation);
    let outcome: Outcome;
    try {
      const result = await runAttempt(ctx, req, operation, attempt);
      requests += result.requests;
      outcome = result.outcome;
    } catch (e) {
      if (e instanceof Abort) throw ctx.abortedError(operation);
      throw e;
    }
    if (outcome.kind === 'ok') {
      const result: HttpResult = { json: outcome.json, status: outcome.status, requestId: outcome.requestId, requests, operation, sentAgoMs: ctx.now() - outcome.sentAt };
      if (outcome.location !== undefined) result.location = outcome.location;
      return result;
    }
    const retryIndex = attempt - 1;
    if (retryIndex >= ctx.retries || !shouldRetry(req.method, outcome)) throw outcome.error;
    let delay = backoffMs(retryIndex, ctx.random);
    if (outcome.response) {
      const asked = parseRetryAfterMs(outcome.response, ctx.now());
      if (asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER_MS) delay = asked;
    }
    await ctx.pause(delay, operation, callerSignal);
  }
}

function shouldRetry(method: string, outcome: Extract<Outcome, { kind: 'error' }>): boolean {
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

/** One attempt, following up to 3 same-origin redirects, under one total timeout. */
async function runAttempt(ctx: HttpContext, req: HttpRequest, operation: string, attempt: number): Promise<{ outcome: Outcome; requests: number }> {
  await ctx.admit(req.method, operation, req.signal);
  const timeoutController = new AbortController();
  const deadline = armDeadline(ctx.timeoutMs, timeoutController);
  const signal = req.signal ? AbortSignal.any([req.signal, timeoutController.signal]) : timeoutController.signal;
  const target: HopTarget = {
    url: ctx.urlFor(req.path, req.query),
    method: req.method,
    body: req.method === 'GET' ? undefined : JSON.stringify(req.body ?? {}),
    logPath: req.path,
    headers: req.headers,
    keepRedirect: req.keepRedirect,
  };
  try {
    for (let hop = 0; ; hop++) {
      const sent = await send(ctx, target, signal, req.signal, operation, attempt, deadline.timedOut);
      if (sent.kind === 'transport') return { outcome: { kind: 'error', error: sent.error, transport: true }, requests: hop + 1 };
      if (sent.kind === 'failed') return { outcome: { kind: 'error', error: sent.error }, requests: hop + 1 };
      const verdict = classify(ctx, sent, target, operation, attempt, hop);
      if (verdict.kind !== 'redirect') return { outcome: verdict, requests: hop + 1 };
      target.url = verdict.to.href;
      target.logPath = relativePath(ctx, verdict.to);
      if (sent.res.status === 303) {
        target.method = 'GET';
        target.body = undefined;
        target.headers = undefined;
      }
    }
  } finally {
    deadline.clear();
  }
}

/** One HTTP request and its body. A caller abort throws Abort; a timeout or network failure is a 'transport' hop, an oversized body a 'failed' one. */
async function send(ctx: HttpContext, target: HopTarget, signal: AbortSignal, callerSignal: AbortSignal | undefined, operation: string, attempt: number, timedOut: () => boolean): Promise<Hop> {
  const sentId = randomUUID();
  const extra = Object.entries(target.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'authorization');
  const headers = { ...Object.fromEntries(extra), ...ctx.headers('application/json', sentId) };
  if (target.body !== undefined) headers['Content-Type'] = 'application/json';
  const init: FetchInit = { method: target.method, headers, redirect: 'manual', signal };
  if (target.body !== undefined) init.body = target.body;
  const started = ctx.now();
  try {
    const res = await raceSignal(Promise.resolve().then(() => ctx.fetchImpl(target.url, init)), signal);
    const sentAt = res.sentAgoMs === undefined ? started : ctx.now() - res.sentAgoMs;
    ctx.noteAnswer(res);
    const text = await raceSignal(Promise.resolve().then(() => readBodyCapped(res, ctx.maxResponseBytes)), signal);
    // Servers may echo anything here, the token included: redact where it is parsed.
    const requestId = ctx.redact(header(res, 'x-request-id') ?? header(res, 'request-id') ?? sentId);
    return { kind: 'answer', res, text, requestId, durationMs: ctx.now() - started, sentAt };
  } catch (e) {
    const entry = { method: target.method, path: target.logPath, status: undefined, durationMs: ctx.now() - started, requestId: sentId, attempt };
    if (callerSignal?.aborted) {
      ctx.log({ ...entry, error: 'aborted by caller' });
      throw new Abort();
    }
    if (e instanceof BodyTooLargeError || isStringTooLong(e)) {
      // Not a network failure: asking again would only fetch the same oversized body.
      const error = new QoderError('response_too_large', `${operation}: the response is too large (over ${formatBytes(ctx.maxResponseBytes)}); it was not read.`, operation);
      ctx.log({ ...entry, error: error.message });
      return { kind: 'failed', error };
    }
    const error = ctx.transportError(operation, target.url, e, timedOut());
    ctx.log({ ...entry, error: error.message });
    return { kind: 'transport', error };
  }
}

/** What an answer means: a redirect to follow, a success with its JSON, or an error. Logs the hop. */
function classify(ctx: HttpContext, answer: Extract<Hop, { kind: 'answer' }>, target: HopTarget, operation: string, attempt: number, hop: number): Outcome | { kind: 'redirect'; to: URL } {
  const { res, text, requestId, durationMs, sentAt } = answer;
  const status = res.status;
  const entry = { method: target.method, path: target.logPath, status, durationMs, requestId, attempt };
  if (target.keepRedirect && status >= 300 && status < 400) {
    ctx.log(entry);
    let json: unknown;
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { kind: 'ok', json, status, requestId, location: header(res, 'location'), sentAt };
  }
  if ([301, 302, 303, 307, 308].includes(status)) {
    const next = redirectTargetOf(res, target.url, ctx.origin, operation, requestId, (t) => ctx.redact(t));
    if (next instanceof QoderError) {
      ctx.log({ ...entry, error: next.message });
      return { kind: 'error', error: next };
    }
    ctx.log(entry);
    if (hop + 1 > MAX_REDIRECTS) {
      const error = new QoderApiError({
        status,
        type: 'too_many_redirects',
        message: ctx.redact(`${operation}: the API redirected more than ${MAX_REDIRECTS} times; giving up.`),
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
      const error = new QoderError('invalid_response', ctx.redact(`${operation}: HTTP ${status} with ${what}`), operation, { requestId: ctx.redact(requestId) });
      ctx.log({ ...entry, error: error.message });
      return { kind: 'error', error };
    }
    ctx.log(entry);
    return { kind: 'ok', json, status, requestId, sentAt };
  }
  const error = ctx.apiError(res, text, operation, requestId);
  ctx.log({ ...entry, requestId: error.requestId, error: error.message });
  return { kind: 'error', error, response: res };
}

function relativePath(ctx: HttpContext, url: URL): string {
  const basePath = withoutTrailingSlash(new URL(ctx.baseUrl).pathname);
  return basePath !== '' && url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : url.pathname;
}
