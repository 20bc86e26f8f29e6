// Small helpers shared by the local (in-memory) Deployments API: deterministic PRNG,
// UUIDv7-like ids, timestamp formatting and the API error type.

import { randomBytes } from 'node:crypto';

/** Deterministic 32-bit integer hash (splitmix/murmur-style finaliser) of a few numbers. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: small, fast, deterministic PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

export function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

export function intBetween(rand: Rand, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

const HEX = '0123456789abcdef';

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randHex(rand: Rand | null, n: number): string {
  if (!rand) return randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
  let s = '';
  while (s.length < n) {
    const x = Math.floor(rand() * 4294967296);
    s += (HEX2[x >>> 24] as string) + HEX2[(x >>> 16) & 255] + HEX2[(x >>> 8) & 255] + HEX2[x & 255];
  }
  return s.length === n ? s : s.slice(0, n);
}

/**
 * UUIDv7-like id: prefix + 32 lowercase hex. The first 12 hex digits are the creation
 * time in ms, so lexicographic id order == creation-time order. `seq` (0–4095) is put
 * into rand_a to keep ids created in the same millisecond ordered.
 */
export function makeId(prefix: string, ms: number, rand: Rand | null, seq?: number): string {
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const randA = seq === undefined ? randHex(rand, 3) : (seq & 0xfff).toString(16).padStart(3, '0');
  const variant = HEX[8 + Math.floor((rand ? rand() : Math.random()) * 4)];
  return `${prefix}${time}7${randA}${variant}${randHex(rand, 15)}`;
}

/** Generates strictly increasing ids for objects created at "now" (frozen clocks included). */
export class IdClock {
  private lastMs = -1;
  private seq = 0;
  next(prefix: string, ms: number): string {
    if (ms <= this.lastMs) {
      this.seq++;
      if (this.seq > 0xfff) {
        this.lastMs++;
        this.seq = 0;
      }
    } else {
      this.lastMs = ms;
      this.seq = 0;
    }
    return makeId(prefix, this.lastMs, null, this.seq);
  }
}

/** Creation time in ms encoded in an id made by makeId. */
export function idTime(id: string): number {
  const us = id.indexOf('_');
  return parseInt(id.slice(us + 1, us + 13), 16);
}

export function isId(prefix: string, s: string): boolean {
  return s.length === prefix.length + 32 && s.startsWith(prefix) && /^[0-9a-f]{32}$/.test(s.slice(prefix.length));
}

/** RFC 3339 UTC, whole seconds: 2026-07-14T00:30:04Z */
const dayPrefix = new Map<number, string>();
const PAD2: string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

export function isoSeconds(ms: number): string {
  const sec = Math.floor(ms / 1000);
  const day = Math.floor(sec / 86400);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (dayPrefix.size > 100_000) dayPrefix.clear();
    dayPrefix.set(day, prefix);
  }
  const r = sec - day * 86400;
  const h = Math.floor(r / 3600);
  const m = Math.floor((r % 3600) / 60);
  return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[r % 60]}Z`;
}

/** RFC 3339 UTC with microseconds ([old] run timestamps): 2026-07-14T02:07:51.168452Z */
export function isoMicros(ms: number, micros: number): string {
  return new Date(Math.floor(ms)).toISOString().slice(0, 23) + String(micros % 1000).padStart(3, '0') + 'Z';
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses an ISO 8601 / RFC 3339 timestamp; returns NaN when it isn't one. */
export function parseIso(s: string): number {
  if (!ISO_RE.test(s)) return NaN;
  return Date.parse(s);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string, param?: string): ApiError => new ApiError(400, 'invalid_request_error', message, param);
export const conflict = (message: string): ApiError => new ApiError(409, 'conflict_error', message);
export const notFound = (message: string): ApiError => new ApiError(404, 'not_found_error', message);

/** Recursively copies a JSON value with object keys sorted (the API emits keys alphabetically). */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
