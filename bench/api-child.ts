// The local Qoder API in its own process, so its CPU time, garbage and caches never land on
// the client's heap or GC figures. Driven over the fork() IPC channel by api-process.ts.
// The clock is frozen at start-up, so cached JSON (upcoming runs) stays valid for the whole run.

import { startLocalApi, type LocalApi } from '../test/local-api/server';

interface Msg {
  id: number;
  cmd: 'reseed' | 'count' | 'reset' | 'requests' | 'latency' | 'close' | 'largeSession';
  n?: number;
}

const frozen = new Date(Number(process.env.BENCH_NOW ?? Date.now()));

async function main(): Promise<void> {
  const api: LocalApi = await startLocalApi({
    port: 0,
    token: process.env.BENCH_TOKEN ?? 'pt-bench',
    seed: Number(process.env.BENCH_SEED ?? 0),
    quiet: true,
    now: () => frozen,
    warm: true,
  });
  const reply = (id: number, value: unknown): void => {
    process.send?.({ id, value });
  };
  process.on('message', (m: Msg) => {
    switch (m.cmd) {
      case 'reseed':
        api.reseed(m.n ?? 0);
        api.warm();
        api.resetRequests();
        return reply(m.id, api.account().size);
      case 'count':
        return reply(m.id, api.requests.length);
      case 'requests':
        return reply(m.id, api.requests.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/cloud/, '')}`));
      case 'reset':
        api.resetRequests();
        return reply(m.id, 0);
      case 'latency':
        api.setLatency(m.n ?? 0);
        return reply(m.id, m.n ?? 0);
      case 'largeSession': {
        // A finished session of n events on a run of a fresh deployment.
        const store = api.account();
        const dep = store.add({});
        const rec = store.record(dep.id as string)!;
        const run = store.runRecord(rec.id);
        return reply(m.id, api.sessions().addLargeSession(rec, run, m.n ?? 10_000));
      }
      case 'close':
        void api.close().then(() => {
          reply(m.id, 0);
          process.disconnect?.();
        });
        return;
    }
  });
  process.send?.({ id: 0, value: { baseUrl: api.baseUrl, token: api.token } });
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench api] ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
