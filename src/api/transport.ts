// The HTTP transport: the minimal fetch surface the client needs, and node-fetch behind it.

import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

// Minimal fetch surface (node-fetch 3, undici fetch and test fakes all satisfy it)

export interface HeadersLike {
  get(name: string): string | null;
}

export interface ResponseLike {
  /** How long before the answer was handed back the request had gone out on the socket (node-fetch, when Node reports it). */
  sentAgoMs?: number;
  status: number;
  statusText?: string;
  headers: HeadersLike;
  text(): Promise<string>;
  /** The body as a byte stream (node-fetch: a Readable); only the SSE stream reads it. */
  body?: unknown;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  redirect: 'manual';
  signal: AbortSignal;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

/** A response header, or undefined (also when a fake's headers object throws). */
export function header(res: ResponseLike, name: string): string | undefined {
  try {
    const value = res.headers.get(name);
    return value === null || value === undefined ? undefined : String(value);
  } catch {
    return undefined;
  }
}

// The default transport: node-fetch 3. ESM-only, loaded lazily (through the bundle, or
// require(esm) under plain Node), so activation does not pay for it before the first request.

let nodeFetchModule: Promise<typeof import('node-fetch')> | undefined;

// When a request really left: loading node-fetch, its own set-up and opening the connection all
// come between the fetch call and the socket write. Node's http client announces each request
// on a diagnostics channel; ours are told apart by their x-request-id, and their 'finish' (the
// request handed to the socket) is what page spacing counts from (client.ts walk).
const awaitingSend = new Map<string, { sentAt?: number }>();
let watchingSends = false;

function watchSends(): void {
  if (watchingSends) return;
  try {
    subscribe('http.client.request.start', (message) => {
      const request = (message as { request?: ClientRequest } | undefined)?.request;
      const id = request?.getHeader?.('x-request-id');
      const entry = typeof id === 'string' ? awaitingSend.get(id) : undefined;
      if (entry) request!.once('finish', () => (entry.sentAt = performance.now()));
    });
    watchingSends = true;
  } catch {
    // No such channel in this runtime: spacing counts from the fetch call.
  }
}

export const nodeFetch: FetchLike = async (url, init) => {
  watchSends();
  const id = init.headers['x-request-id'];
  const entry: { sentAt?: number } = {};
  if (id !== undefined) awaitingSend.set(id, entry);
  try {
    nodeFetchModule ??= import('node-fetch');
    const mod = await nodeFetchModule;
    const res = await mod.default(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: init.redirect,
      signal: init.signal,
    });
    // Under load the 'finish' callback can come after the answer: the request had gone out by
    // then, so the answer's arrival is a safe (late) stand-in. Without the channel at all
    // (subscribe failed) there is nothing to go by but the call itself.
    if (!watchingSends) return res;
    // An age, not a time: each layer above subtracts it from its own clock when it gets the answer,
    // which can only place the write later than it was (an offset from each layer's own call time
    // placed it up to the hops between layers too early, and the server saw 99.9 ms gaps).
    return Object.assign(res, { sentAgoMs: entry.sentAt === undefined ? 0 : performance.now() - entry.sentAt });
  } finally {
    if (id !== undefined) awaitingSend.delete(id);
  }
};
