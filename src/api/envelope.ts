// What an HTTP answer that is not a success means: a QoderApiError from the documented error
// envelope (or the status and a short, safe excerpt of an HTML 502 page…), or a redirect that
// may be followed only within the API's origin.

import { STATUS_CODES } from 'node:http';
import { QoderApiError } from './errors';
import { parseRetryAfterMs } from './retry';
import { header, type ResponseLike } from './transport';
import { isObj } from './util';

const EXCERPT_CHARS = 120;

/** Collapse whitespace, strip tags, cut to ~120 chars: a safe one-line excerpt of a body. */
export function bodyExcerpt(text: string, max = EXCERPT_CHARS): string {
  const plain = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))} s`;
}

export function httpStatusText(res: ResponseLike): string {
  const text = typeof res.statusText === 'string' && res.statusText.trim() !== '' ? res.statusText.trim() : STATUS_CODES[res.status];
  return text ?? '';
}

/** The QoderApiError for a non-2xx answer: from the documented envelope when there is one, else from a short, safe excerpt of the body. */
export function apiErrorFrom(res: ResponseLike, text: string, operation: string, headerRequestId: string, now: number, redact: (t: string) => string): QoderApiError {
  const status = res.status;
  const retryAfterMs = parseRetryAfterMs(res, now);
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isObj(body) && isObj(body.error) && (typeof body.error.type === 'string' || typeof body.error.message === 'string')) {
    const envelope = body.error;
    const type = typeof envelope.type === 'string' && envelope.type !== '' ? envelope.type : `http_${status}`;
    let message =
      typeof envelope.message === 'string' && envelope.message.trim() !== ''
        ? envelope.message
        : `HTTP ${status} ${httpStatusText(res)} (${type}) from ${operation}`.replace(/\s+/g, ' ');
    // [cli] 501 envelope: name the beta feature.
    if (typeof envelope.feature === 'string') {
      message += ` (feature: ${envelope.feature}${typeof envelope.available_from === 'string' ? `, available from ${envelope.available_from}` : ''})`;
    }
    const requestId = typeof body.request_id === 'string' && body.request_id !== '' ? body.request_id : headerRequestId;
    const param = typeof envelope.param === 'string' ? envelope.param : undefined;
    return new QoderApiError({
      status,
      type,
      message: redact(message),
      param: param === undefined ? undefined : redact(param),
      requestId: redact(requestId),
      retryAfterSeconds,
      operation,
    });
  }
  const ex = bodyExcerpt(text);
  let message = `HTTP ${status} ${httpStatusText(res)}`.trim() + ` from ${operation}` + (ex === '' ? ' (empty body)' : `: ${ex}`);
  if (retryAfterSeconds !== undefined) message += ` (retry after ${formatSeconds(retryAfterSeconds * 1000)})`;
  return new QoderApiError({
    status,
    type: `http_${status}`,
    message: redact(message),
    requestId: redact(headerRequestId),
    retryAfterSeconds,
    operation,
  });
}

/**
 * Where a 3xx may be followed to: only the API's own origin, never with credentials in the URL.
 * Otherwise the error that explains why the redirect (and the token) stopped here.
 */
export function redirectTargetOf(res: ResponseLike, current: string, origin: string, operation: string, requestId: string, redact: (t: string) => string): URL | QoderApiError {
  const location = header(res, 'location');
  if (location === undefined || location.trim() === '') {
    return new QoderApiError({
      status: res.status,
      type: `http_${res.status}`,
      message: redact(`HTTP ${res.status} ${httpStatusText(res)} from ${operation} without a Location header.`),
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
      message: redact(`${operation}: the API redirected to an invalid location; not followed.`),
      requestId,
      operation,
    });
  }
  if (target.origin !== origin || target.username !== '' || target.password !== '') {
    const where = /^https?:$/.test(target.protocol) ? target.origin : target.protocol;
    return new QoderApiError({
      status: res.status,
      type: 'cross_origin_redirect',
      message: redact(
        `${operation}: the API redirected to another host (${where}). The redirect was not followed and the access token was not sent there. Check the API base URL setting (expected origin ${origin}).`,
      ),
      requestId,
      operation,
    });
  }
  return target;
}
