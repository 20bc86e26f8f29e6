// 1. List all (QoderClient vs plain node:http + JSON.parse) and 6. scaling.

import * as http from 'node:http';
import { QoderClient } from '../src/api/client';
import type { Deployment } from '../src/api/types';
import type { ApiProcess } from './api-process';
import { fullGc, log, median, round, sample, type Sample } from './stats';

export const PAGE = 100;

/**
 * The raw baseline: the same page requests, node:http (default agent), JSON.parse, and the
 * parsed items kept in one array (a list-all has to hold its result, like the client does).
 */
export async function rawWalk(baseUrl: string, token: string, keepBodies = false): Promise<{ items: number; requests: number; bodies: string[]; data: unknown[] }> {
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const bodies: string[] = [];
  const data: unknown[] = [];
  let items = 0;
  let requests = 0;
  let cursor: string | null = null;
  for (;;) {
    const url = `${baseUrl}/deployments?limit=${PAGE}&include_archived=true${cursor ? `&page=${encodeURIComponent(cursor)}` : ''}`;
    const body = await get(url, headers);
    requests++;
    const page = JSON.parse(body) as { data: unknown[]; has_more: boolean; next_page: string | null };
    items += page.data.length;
    for (const x of page.data) data.push(x);
    if (keepBodies) bodies.push(body);
    if (!page.has_more || !page.next_page) break;
    cursor = page.next_page;
  }
  return { items, requests, bodies, data };
}

function get(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode} from ${url}`));
          else resolve(Buffer.concat(chunks).toString('utf8'));
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * The real client with its real transport (node-fetch). Page spacing is 0 unless given: the
 * overhead ratio compares the client's own work with a raw walk, and the default 100 ms spacing
 * (deployments-api.md §8) would measure the wait instead. The latency row uses the default.
 */
export function newClient(api: ApiProcess, minPageIntervalMs: number | undefined = 0): QoderClient {
  return new QoderClient({ baseUrl: api.baseUrl, token: api.token, minPageIntervalMs });
}

export interface LatencyResult {
  n: number;
  rttMs: number;
  pages: number;
  /** The client as the extension builds it (default page spacing, 100 ms start to start). */
  clientMs: number;
  /** The same client with spacing 0: what the spacing costs at this round trip. */
  clientNoSpacingMs: number;
  rawMs: number;
  runs: number;
}

/** List-all over a simulated round trip (the local API answers every request `rttMs` late). */
export async function measureListAllLatency(api: ApiProcess, n: number, rttMs: number, runs: number): Promise<LatencyResult> {
  const size = await api.reseed(n);
  if (size !== n) throw new Error(`local API seeded ${size} deployments, wanted ${n}`);
  await api.setLatency(rttMs);
  try {
    const spaced = newClient(api, undefined);
    const unspaced = newClient(api, 0);
    const client: number[] = [];
    const noSpacing: number[] = [];
    const raw: number[] = [];
    let pages = 0;
    for (let i = 0; i < runs; i++) {
      fullGc();
      await api.reset();
      const a = await sample(() => clientWalk(spaced));
      if (a.value.deployments.length !== n) throw new Error(`client walked ${a.value.deployments.length} deployments, wanted ${n}`);
      pages = await api.count();
      client.push(a.s.ms);
      fullGc();
      noSpacing.push((await sample(() => clientWalk(unspaced))).s.ms);
      fullGc();
      raw.push((await sample(() => rawWalk(api.baseUrl, api.token))).s.ms);
    }
    const result = { n, rttMs, pages, clientMs: median(client), clientNoSpacingMs: median(noSpacing), rawMs: median(raw), runs };
    log(`list all N=${n} over a ${rttMs} ms round trip: client (100 ms spacing) ${round(result.clientMs, 0)} ms, spacing 0 ${round(result.clientNoSpacingMs, 0)} ms, raw ${round(result.rawMs, 0)} ms, ${pages} pages`);
    return result;
  } finally {
    await api.setLatency(0);
  }
}

export async function clientWalk(client: QoderClient): Promise<{ deployments: Deployment[]; requests: number }> {
  const r = await client.listAllDeployments({ include_archived: true });
  if (r.invalid.length) throw new Error(`${r.invalid.length} deployments failed to parse: ${r.invalid[0].reason}`);
  return { deployments: r.deployments, requests: r.requests };
}

export interface ListAllResult {
  n: number;
  client: Sample[];
  raw: Sample[];
  clientMs: number;
  rawMs: number;
  clientCpuMs: number;
  rawCpuMs: number;
  ratio: number;
  cpuRatio: number;
  /** Fastest client run over fastest raw run: less sensitive to other load on the machine. */
  minRatio: number;
  /** Requests the server recorded for one client walk. */
  requests: number;
  /** Requests the client itself reported (retries and redirect hops included). */
  clientReportedRequests: number;
  rawRequests: number;
  items: number;
}

/** Client and raw walks, interleaved (C R C R …) so drift hits both equally; gc() before each. */
export async function measureListAll(api: ApiProcess, n: number, runs: number, warmup: boolean): Promise<ListAllResult> {
  const size = await api.reseed(n);
  if (size !== n) throw new Error(`local API seeded ${size} deployments, wanted ${n}`);
  const client = newClient(api);
  if (warmup) {
    await clientWalk(client);
    await rawWalk(api.baseUrl, api.token);
  }
  await api.reset();
  const first = await clientWalk(client);
  const requests = await api.count();
  if (first.deployments.length !== n) throw new Error(`client walked ${first.deployments.length} deployments, wanted ${n}`);
  const rawCheck = await rawWalk(api.baseUrl, api.token);
  if (rawCheck.items !== n) throw new Error(`raw walk saw ${rawCheck.items} deployments, wanted ${n}`);

  const client_: Sample[] = [];
  const raw: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ['client', 'raw'] : ['raw', 'client'];
    for (const which of order) {
      fullGc();
      if (which === 'client') client_.push((await sample(() => clientWalk(client))).s);
      else raw.push((await sample(() => rawWalk(api.baseUrl, api.token))).s);
    }
  }
  const clientMs = median(client_.map((s) => s.ms));
  const rawMs = median(raw.map((s) => s.ms));
  const clientCpuMs = median(client_.map((s) => s.cpuMs));
  const rawCpuMs = median(raw.map((s) => s.cpuMs));
  log(`list all N=${n}: client ${round(clientMs, 1)} ms (cpu ${round(clientCpuMs, 1)}), raw ${round(rawMs, 1)} ms (cpu ${round(rawCpuMs, 1)}), ${requests} requests`);
  return {
    n,
    client: client_,
    raw,
    clientMs,
    rawMs,
    clientCpuMs,
    rawCpuMs,
    ratio: clientMs / rawMs,
    cpuRatio: clientCpuMs / rawCpuMs,
    minRatio: Math.min(...client_.map((s) => s.ms)) / Math.min(...raw.map((s) => s.ms)),
    requests,
    clientReportedRequests: first.requests,
    rawRequests: rawCheck.requests,
    items: first.deployments.length,
  };
}
