// Reads a response body as a stream under a byte cap, so a hostile or broken server cannot
// make the client buffer hundreds of megabytes (or hit V8's maximum string length).

import { header, type ResponseLike } from './transport';

/** Default cap on one response body. A page of 100 deployments is about 100 KB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The body passed the cap (or could not be held as a string at all). */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the response body is larger than ${formatBytes(limitBytes)}`);
    this.name = 'BodyTooLargeError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

type Chunk = Uint8Array | string;

export function streamOf(res: ResponseLike): AsyncIterable<Chunk> | undefined {
  const body = (res as { body?: unknown }).body;
  if (body && typeof (body as AsyncIterable<Chunk>)[Symbol.asyncIterator] === 'function') return body as AsyncIterable<Chunk>;
  return undefined;
}

/** Node reports a string over V8's limit as ERR_STRING_TOO_LONG (a RangeError): the body was too large, not the network. */
export function isStringTooLong(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ERR_STRING_TOO_LONG';
}

/**
 * The body as text, read chunk by chunk and abandoned (the stream destroyed) as soon as it
 * passes `maxBytes`. A declared Content-Length over the cap fails before reading anything.
 * Responses without a stream (test fakes) are read with text() and checked afterwards.
 */
export async function readBodyCapped(res: ResponseLike, maxBytes: number): Promise<string> {
  const declared = Number(header(res, 'content-length'));
  const stream = streamOf(res);
  if (Number.isFinite(declared) && declared > maxBytes) {
    destroy(stream);
    throw new BodyTooLargeError(maxBytes);
  }
  if (!stream) {
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if (isStringTooLong(e)) throw new BodyTooLargeError(maxBytes);
      throw e;
    }
    // UTF-8 takes at least one byte per UTF-16 unit, so more units than the cap is always over it.
    if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) throw new BodyTooLargeError(maxBytes);
    return text;
  }
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let bytes = 0;
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        destroy(stream);
        await iterator.return?.();
        throw new BodyTooLargeError(maxBytes);
      }
      parts.push(decoder.decode(chunk, { stream: true }));
    }
  } catch (e) {
    if (isStringTooLong(e)) throw new BodyTooLargeError(maxBytes);
    throw e;
  }
  parts.push(decoder.decode());
  return parts.join('');
}

export function destroy(stream: AsyncIterable<Chunk> | undefined): void {
  const s = stream as { destroy?: () => void; cancel?: () => unknown } | undefined;
  try {
    if (typeof s?.destroy === 'function') s.destroy();
    else if (typeof s?.cancel === 'function') void Promise.resolve(s.cancel()).catch(() => undefined);
  } catch {
    // Already closed.
  }
}

