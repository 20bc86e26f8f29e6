// The HTTP transport: the minimal fetch surface the client needs, and node-fetch behind it.

// Minimal fetch surface (node-fetch 3, undici fetch and test fakes all satisfy it)

export interface HeadersLike {
  get(name: string): string | null;
}

export interface ResponseLike {
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
