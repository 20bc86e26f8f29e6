// Helpers for the local API's own tests (test/local-api/tests/) and the client tests that drive it: raw fetch against startLocalApi.

import assert from 'node:assert/strict';
import { LOCAL_CONTROL_HEADER, type LocalApi } from './server';

export const TOKEN = 'pt-local-demo';
/** A Tuesday, 12:00 UTC (20:00 in Shanghai). */
export const FIXED_NOW = '2026-07-14T12:00:00Z';

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface CallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

export async function call(api: LocalApi, method: string, path: string, opts: CallOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = path.startsWith('http') ? path : path.startsWith('/__local') ? api.origin + path : api.baseUrl + path;
  if (path.startsWith('/__local') && opts.headers?.[LOCAL_CONTROL_HEADER] === undefined) headers[LOCAL_CONTROL_HEADER] = '1';
  const r = await fetch(url, { method, headers, body });
  const text = await r.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
}

export interface ErrorEnvelope {
  type: 'error';
  request_id: string;
  error: { type: string; message: string; param?: string };
}

export function assertError(res: Res, status: number, type: string, param?: string): ErrorEnvelope {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const env = res.json as ErrorEnvelope;
  assert.equal(env.type, 'error');
  assert.equal(env.error.type, type);
  assert.equal(typeof env.error.message, 'string');
  assert.ok(env.error.message.length > 0);
  assert.equal(typeof env.request_id, 'string');
  assert.equal(res.headers.get('x-request-id'), env.request_id);
  assert.deepEqual(Object.keys(env), ['type', 'request_id', 'error']);
  if (param !== undefined) assert.equal(env.error.param, param);
  return env;
}

export interface Page<T = Dep> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
  next_page: string | null;
  total?: number | null;
}

export interface Dep {
  id: string;
  name: string;
  status: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  paused_reason: { type: string; error?: { type: string } } | null;
  agent: { id: string; type: string; version: number };
  schedule: { expression: string; timezone: string; type: string; upcoming_runs_at: string[]; last_run_at?: string } | null;
  metadata: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Run {
  id: string;
  type: string;
  deployment_id: string;
  created_at: string;
  session_id: string | null;
  error: { type: string; message: string } | null;
  trigger_context: { type: string; scheduled_at?: string };
  status?: string;
  [k: string]: unknown;
}

export function assertPageShape(p: Page<{ id: string }>): void {
  assert.deepEqual(Object.keys(p).filter((k) => k !== 'total'), ['data', 'first_id', 'has_more', 'last_id', 'next_page']);
  if (p.data.length === 0) {
    assert.equal(p.first_id, null);
    assert.equal(p.last_id, null);
  } else {
    assert.equal(p.first_id, p.data[0]!.id);
    assert.equal(p.last_id, p.data[p.data.length - 1]!.id);
  }
  assert.equal(p.next_page, p.has_more ? p.last_id : null);
}

/** Walks a list endpoint with `page` cursors; returns every item in order. */
export async function walk<T extends { id: string }>(api: LocalApi, path: string, cursor: 'page' | 'after_id' = 'page'): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let next: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const res = await call(api, 'GET', next ? `${path}${sep}${cursor}=${next}` : path);
    assert.equal(res.status, 200, res.text);
    const p = res.json as Page<T>;
    assertPageShape(p);
    items.push(...p.data);
    pages++;
    next = p.next_page;
    assert.ok(pages < 10_000, 'runaway walk');
  } while (next);
  return { items, pages };
}

export function isSortedDesc(values: string[]): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i - 1] as string) < (values[i] as string)) return false;
  return true;
}

/** A controllable clock. */
export function clock(iso: string): { now: () => Date; set(iso: string): void; advance(ms: number): void } {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    set(v: string) {
      t = Date.parse(v);
    },
    advance(ms: number) {
      t += ms;
    },
  };
}
