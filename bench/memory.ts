// 5. Memory: heap held by a DeploymentStore loaded with N deployments through the real client.
//
// Each load runs in its own async function that returns only a number: a suspended async frame
// keeps its dead locals reachable, so a loop variable would keep the previous store alive and
// spoil the next "before".

import { DeploymentStore } from '../src/deployments/model/deploymentStore';
import type { QoderClient } from '../src/api/client';
import type { ApiProcess } from './api-process';
import { clientWalk, newClient, rawWalk } from './list-all';
import { log, median, round, settledHeap } from './stats';

export interface MemoryResult {
  n: number;
  /** heapUsed after loading the store (gc'd, store still referenced) minus heapUsed before, MB. */
  heapMb: number;
  /** Same for the parsed JSON alone (raw walk, items kept in an array): the floor for the data. */
  rawJsonHeapMb: number;
  bytesPerDeployment: number;
}

const MB = 1024 * 1024;

async function storeDelta(client: QoderClient, n: number): Promise<number> {
  const before = await settledHeap();
  const s = new DeploymentStore({ includeArchived: true });
  s.setSource({ listAll: (includeArchived, signal) => client.listAllDeployments({ include_archived: includeArchived }, { signal }) });
  await s.refresh();
  const after = await settledHeap();
  if (s.deployments.length !== n) throw new Error(`store holds ${s.deployments.length}, wanted ${n}`);
  s.dispose();
  return after - before;
}

async function rawDelta(api: ApiProcess, n: number): Promise<number> {
  const before = await settledHeap();
  const w = await rawWalk(api.baseUrl, api.token);
  const after = await settledHeap();
  if (w.data.length !== n) throw new Error('raw walk lost items');
  return after - before;
}

async function warm(client: QoderClient, api: ApiProcess): Promise<void> {
  await clientWalk(client);
  await rawWalk(api.baseUrl, api.token);
}

export async function measureMemory(api: ApiProcess, n: number, runs: number): Promise<MemoryResult> {
  const client = newClient(api);
  await warm(client, api); // code loaded and compiled before the first "before"
  const store: number[] = [];
  const raw: number[] = [];
  for (let r = 0; r < runs; r++) {
    store.push(await storeDelta(client, n));
    raw.push(await rawDelta(api, n));
  }
  const res: MemoryResult = {
    n,
    heapMb: median(store) / MB,
    rawJsonHeapMb: median(raw) / MB,
    bytesPerDeployment: median(store) / n,
  };
  log(`memory N=${n}: store ${round(res.heapMb)} MB (${Math.round(res.bytesPerDeployment)} B/deployment), parsed JSON alone ${round(res.rawJsonHeapMb)} MB [${store.map((x) => round(x / MB, 1)).join(', ')}]`);
  return res;
}
