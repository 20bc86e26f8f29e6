// Opening a server-sent event stream: one attempt, no retry, no redirect. Reading the frames
// and reconnecting is sessionStream.ts; settings, headers and the log are in httpCommon.ts.

import { randomUUID } from 'node:crypto';
import { QoderApiError, QoderError } from './errors';
import { header, type ResponseLike } from './transport';
import { raceSignal } from './retry';
import { readBodyCapped } from './body';
import { armDeadline, type HttpContext } from './httpCommon';

/** An open SSE response: read `body`, call `close()` to end the connection. */
export interface OpenStream {
  status: number;
  requestId: string;
  body: AsyncIterable<Uint8Array | string>;
  close(): void;
}

export interface StreamRequest {
  path: string;
  query?: URLSearchParams;
  lastEventId?: string;
  signal: AbortSignal;
}

/**
 * Open an SSE response (`Accept: text/event-stream`): one attempt, no retry and no redirect
 * (a 3xx is an error, so the token never follows one), `timeoutMs` for the headers only.
 * Resolves with the open body; non-2xx answers become QoderApiError like a request's.
 */
export async function openEventStream(ctx: HttpContext, req: StreamRequest): Promise<OpenStream> {
  const operation = `GET ${req.path}`;
  const url = ctx.urlFor(req.path, req.query);
  const sentId = randomUUID();
  const headers = ctx.headers('text/event-stream', sentId);
  headers['Cache-Control'] = 'no-cache';
  if (req.lastEventId !== undefined) headers['Last-Event-ID'] = req.lastEventId;
  await ctx.admit('GET', operation, req.signal);
  const connection = new AbortController();
  const signal = AbortSignal.any([req.signal, connection.signal]);
  const deadline = armDeadline(ctx.timeoutMs, connection);
  const started = ctx.now();
  let res: ResponseLike;
  try {
    res = await raceSignal(Promise.resolve().then(() => ctx.fetchImpl(url, { method: 'GET', headers, redirect: 'manual', signal })), signal);
  } catch (e) {
    deadline.clear();
    const durationMs = ctx.now() - started;
    if (req.signal.aborted) throw ctx.abortedError(operation);
    const err = ctx.transportError(operation, url, e, deadline.timedOut());
    ctx.log({ method: 'GET', path: req.path, status: undefined, durationMs, requestId: sentId, attempt: 1, error: err.message });
    throw err;
  }
  deadline.clear();
  const durationMs = ctx.now() - started;
  ctx.noteAnswer(res);
  const requestId = ctx.redact(header(res, 'x-request-id') ?? sentId);
  const fail = async (err: QoderError): Promise<never> => {
    ctx.log({ method: 'GET', path: req.path, status: res.status, durationMs, requestId, attempt: 1, error: err.message });
    connection.abort();
    throw err;
  };
  if (res.status >= 300 && res.status < 400) {
    return fail(new QoderApiError({
      status: res.status,
      type: 'redirect_refused',
      message: ctx.redact(`${operation}: the API answered the event stream with a redirect (HTTP ${res.status}); it was not followed, so the token stays with the configured API.`),
      requestId: ctx.redact(requestId),
      operation,
    }));
  }
  if (res.status < 200 || res.status >= 300) {
    let text = '';
    try {
      text = await raceSignal(Promise.resolve().then(() => readBodyCapped(res, ctx.maxResponseBytes)), signal);
    } catch {
      text = '';
    }
    return fail(ctx.apiError(res, text, operation, requestId));
  }
  const type = header(res, 'content-type') ?? '';
  const body = res.body as AsyncIterable<Uint8Array | string> | undefined;
  if (!/^text\/event-stream\b/i.test(type.trim()) || body === undefined || body === null || typeof body[Symbol.asyncIterator] !== 'function') {
    return fail(new QoderError('invalid_response', ctx.redact(`${operation}: HTTP ${res.status} is not an event stream (content-type "${type.slice(0, 60)}").`), operation, { requestId: ctx.redact(requestId) }));
  }
  ctx.log({ method: 'GET', path: req.path, status: res.status, durationMs, requestId, attempt: 1 });
  return { status: res.status, requestId, body, close: () => connection.abort() };
}
