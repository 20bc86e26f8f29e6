// Shared fakes for the client-*.test.ts files: a scripted fetch, a recording sleep and fixtures.
// Never touches the network and never really sleeps.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FetchInit, FetchLike, RequestLogEntry, ResponseLike } from '../../src/api';
import { QoderClient, type QoderClientOptions } from '../../src/api';

export const FIXTURES = path.resolve(__dirname, '../fixtures/api');
export const BASE = 'https://api.qoder.com/api/v1/cloud';
export const TOKEN = 'pt-TESTSECRET0123456789abcdef';
export const DEP_ID = 'dep_019f0a6c2e4b7f18a3d95c0e61b7f24d';
export const RUN_ID = 'drun_019f0b2a5c3e7d81b4a09e6f2c7d15a3';

export function fixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
}

export interface FakeResponseInit {
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  body?: string | object | null;
}

export function response(init: FakeResponseInit = {}): ResponseLike {
  const headers = new Map(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const body = init.body === undefined || init.body === null ? '' : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const res: ResponseLike = {
    status: init.status ?? 200,
    headers: { get: (n: string) => headers.get(n.toLowerCase()) ?? null },
    text: async () => body,
  };
  if (init.statusText !== undefined) res.statusText = init.statusText;
  return res;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): ResponseLike {
  return response({ status, body: body as object, headers: { 'content-type': 'application/json', ...headers } });
}

export interface Call {
  url: string;
  init: FetchInit;
  parsed: URL;
}

export type Step = ResponseLike | Error | ((call: Call) => ResponseLike | Promise<ResponseLike>);

/** A fetch that answers with `steps` in order (the last step repeats) and records every call. */
export function scriptedFetch(steps: Step[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call: Call = { url, init, parsed: new URL(url) };
    calls.push(call);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step === undefined) throw new Error('no scripted response');
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(call);
    return step;
  };
  return { fetch, calls };
}

/** A sleep that records the requested delays and resolves at once (or rejects if already aborted). */
export function recordingSleep(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    delays.push(ms);
    if (signal?.aborted) throw signal.reason;
  };
  return { sleep, delays };
}

export function makeClient(
  steps: Step[],
  extra: Partial<QoderClientOptions> = {},
): { client: QoderClient; calls: Call[]; delays: number[]; log: RequestLogEntry[] } {
  const { fetch, calls } = scriptedFetch(steps);
  const { sleep, delays } = recordingSleep();
  const log: RequestLogEntry[] = [];
  const client = new QoderClient({
    baseUrl: BASE,
    token: TOKEN,
    fetch,
    sleep,
    random: () => 0,
    onRequest: (e) => log.push(e),
    ...extra,
  });
  return { client, calls, delays, log };
}

/** Await a promise that must reject; returns the rejection. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** A minimal valid deployment object with the given id. */
export function dep(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'deployment', name: `name-${id.slice(-4)}`, status: 'active', schedule: null, ...extra };
}

export function page(ids: string[], next: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: ids.map((id) => dep(id)),
    first_id: ids[0] ?? null,
    last_id: ids[ids.length - 1] ?? null,
    has_more: next !== null,
    next_page: next,
    ...extra,
  };
}

/** `dep_` + 32 hex derived from n. */
export function depId(n: number): string {
  return `dep_${n.toString(16).padStart(32, '0')}`;
}
