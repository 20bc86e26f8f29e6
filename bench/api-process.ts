// Parent side of api-child.ts: starts the local API in a child process and talks to it.

import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface ApiProcess {
  baseUrl: string;
  token: string;
  /** Replaces the data with n seeded deployments, warms the JSON cache, clears the request log. */
  reseed(n: number): Promise<number>;
  /** Requests the server has recorded since the last reset. */
  count(): Promise<number>;
  /** `METHOD /path` of each recorded request. */
  requests(): Promise<string[]>;
  reset(): Promise<void>;
  /** Simulated round trip added to every API request from now on (0 = none). */
  setLatency(ms: number): Promise<void>;
  /** Adds a finished session with n events; resolves with its id. */
  largeSession(n: number): Promise<string>;
  close(): Promise<void>;
}

export async function startApiProcess(opts: { token: string; seed?: number; now: number }): Promise<ApiProcess> {
  const child: ChildProcess = fork(path.join(__dirname, 'api-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_TOKEN: opts.token, BENCH_SEED: String(opts.seed ?? 0), BENCH_NOW: String(opts.now) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const ready = new Promise<{ baseUrl: string; token: string }>((resolve, reject) => {
    pending.set(0, { resolve: resolve as (v: unknown) => void, reject });
  });
  child.on('message', (m: { id: number; value: unknown }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    p?.resolve(m.value);
  });
  child.on('exit', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`local API process exited (${code})`));
    pending.clear();
  });
  const call = <T>(cmd: string, n?: number): Promise<T> => {
    if (exited) return Promise.reject(new Error('local API process is gone'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, n });
    });
  };
  const { baseUrl, token } = await ready;
  return {
    baseUrl,
    token,
    reseed: (n) => call<number>('reseed', n),
    count: () => call<number>('count'),
    requests: () => call<string[]>('requests'),
    largeSession: (n) => call<string>('largeSession', n),
    reset: async () => {
      await call('reset');
    },
    setLatency: async (ms) => {
      await call('latency', ms);
    },
    close: async () => {
      if (exited) return;
      await call('close').catch(() => undefined);
      if (!exited) child.kill();
    },
  };
}
