// Small measurement helpers: medians, timers, forced GC.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

let gcFn: (() => void) | undefined;

/** `global.gc` (node --expose-gc), or one obtained through the V8 flag as a fallback. */
export function gc(): void {
  if (!gcFn) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc') as () => void;
    }
  }
  gcFn();
}

export function fullGc(): void {
  gc();
  gc();
}

/** gc() until heapUsed stops shrinking, letting finalizers and weak-ref callbacks run in between. */
export async function settledHeap(): Promise<number> {
  let last = Infinity;
  for (let i = 0; i < 8; i++) {
    fullGc();
    await new Promise((r) => setImmediate(r));
    const used = process.memoryUsage().heapUsed;
    if (used >= last - 16 * 1024) return used;
    last = used;
  }
  return last;
}

export interface Sample {
  ms: number;
  /** CPU time of this process (user + system) during the sample, ms. */
  cpuMs: number;
}

export async function sample<T>(fn: () => Promise<T> | T): Promise<{ s: Sample; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { s: { ms, cpuMs: (c.user + c.system) / 1000 }, value };
}

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}
