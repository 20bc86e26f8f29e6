// Downloading a file from a presigned storage link (interaction-and-files.md §4.5): WITHOUT
// the access token, https only (http on loopback), never with credentials in the URL. Lives
// apart from http.ts so the main bundle does not carry it (see sessionActions.ts).

import { QoderApiError, QoderError } from './errors';
import { bodyExcerpt, formatSeconds } from './envelope';
import type { HttpClient } from './http';
import { BodyTooLargeError, destroy, formatBytes, readBodyCapped, streamOf } from './body';
import { raceSignal } from './retry';
import { header, type ResponseLike } from './transport';

const MAX_REDIRECTS = 3;

/** A download from a storage host: its status, bytes and declared type. */
export interface PlainDownload {
  status: number;
  bytes: Buffer;
  contentType: string | undefined;
}

export interface PlainDownloadOptions {
  signal?: AbortSignal;
  /** Default: the client's response cap. */
  maxBytes?: number;
  onBytes?: (received: number, total: number | undefined) => void;
}

/**
 * GET a presigned storage URL WITHOUT the token (interaction-and-files.md §4.5): no
 * Authorization header, no cookies, https only (http on loopback), up to 3 redirects, each
 * fetched the same way. A non-2xx answer is a QoderApiError (403 = expired link). The URL
 * itself is never logged: it carries the signature.
 */
export async function fetchWithoutToken(http: HttpClient, rawUrl: string, opts: PlainDownloadOptions = {}): Promise<PlainDownload> {
  const operation = 'GET (file download)';
  let url = checkDownloadUrl(rawUrl, operation);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('timeout')), http.timeoutMs * 4);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  const maxBytes = opts.maxBytes ?? http.maxResponseBytes;
  try {
    for (let hop = 0; ; hop++) {
      const started = http.now();
      const headers: Record<string, string> = { Accept: '*/*', 'User-Agent': http.userAgent };
      let res: ResponseLike;
      try {
        res = await raceSignal(Promise.resolve().then(() => http.fetchImpl(url.href, { method: 'GET', headers, redirect: 'manual', signal })), signal);
      } catch (e) {
        if (opts.signal?.aborted) throw http.abortedError(operation);
        if (timeout.signal.aborted) throw new QoderError('timeout', `${operation} timed out after ${formatSeconds(http.timeoutMs * 4)}.`, operation);
        throw http.transportError(operation, url.href, e, false);
      }
      const entry = { method: 'GET', path: `${url.origin} (storage)`, status: res.status, durationMs: http.now() - started, requestId: undefined, attempt: 1 };
      if (res.status >= 300 && res.status < 400) {
        http.log(entry);
        const location = header(res, 'location');
        if (location === undefined || hop >= MAX_REDIRECTS) throw new QoderApiError({ status: res.status, type: 'too_many_redirects', message: `${operation}: the storage host answered HTTP ${res.status} without a usable Location.`, operation });
        url = checkDownloadUrl(new URL(location, url).href, operation);
        continue;
      }
      if (res.status < 200 || res.status >= 300) {
        let text = '';
        try {
          text = await raceSignal(Promise.resolve().then(() => readBodyCapped(res, 64 * 1024)), signal);
        } catch {
          text = '';
        }
        const error = new QoderApiError({ status: res.status, type: `http_${res.status}`, message: http.redact(`HTTP ${res.status} from the storage host: ${bodyExcerpt(text)}`), operation });
        http.log({ ...entry, error: error.message });
        throw error;
      }
      const declared = Number(header(res, 'content-length'));
      const total = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
      try {
        const bytes = await raceSignal(Promise.resolve().then(() => readBytesCapped(res, maxBytes, (n) => opts.onBytes?.(n, total))), signal);
        http.log(entry);
        return { status: res.status, bytes, contentType: header(res, 'content-type') };
      } catch (e) {
        if (opts.signal?.aborted) throw http.abortedError(operation);
        if (e instanceof BodyTooLargeError) throw new QoderError('response_too_large', `${operation}: the file is larger than ${formatBytes(maxBytes)}; it was not downloaded.`, operation);
        if (timeout.signal.aborted) throw new QoderError('timeout', `${operation} timed out after ${formatSeconds(http.timeoutMs * 4)}.`, operation);
        throw http.transportError(operation, url.href, e, false);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}


const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A download link we are willing to fetch: https (http only on loopback), no credentials in it. */
function checkDownloadUrl(raw: string, operation: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new QoderError('invalid_response', `${operation}: the download link is not a valid URL.`, operation);
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!ok || url.username !== '' || url.password !== '') {
    throw new QoderError('invalid_response', `${operation}: the download link is not an https address (${url.protocol}); it was not fetched.`, operation);
  }
  return url;
}

/**
 * The body as bytes under the same cap (a download). `onBytes` is told the running total after
 * every chunk, for a progress bar.
 */
export async function readBytesCapped(res: ResponseLike, maxBytes: number, onBytes?: (received: number) => void): Promise<Buffer> {
  const declared = Number(header(res, 'content-length'));
  const stream = streamOf(res);
  if (Number.isFinite(declared) && declared > maxBytes) {
    destroy(stream);
    throw new BodyTooLargeError(maxBytes);
  }
  if (!stream) {
    const buf = Buffer.from(await res.text(), 'utf8');
    if (buf.byteLength > maxBytes) throw new BodyTooLargeError(maxBytes);
    onBytes?.(buf.byteLength);
    return buf;
  }
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const next of stream) {
    const chunk = typeof next === 'string' ? Buffer.from(next, 'utf8') : Buffer.from(next);
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      destroy(stream);
      throw new BodyTooLargeError(maxBytes);
    }
    parts.push(chunk);
    onBytes?.(bytes);
  }
  return Buffer.concat(parts);
}
