// Issue 19 item 16: page spacing as the server sees it. A loopback server in its own process
// records when each page request arrives, and the test records when each request was written to
// the socket (Node's http client diagnostics channel; on loopback the server sees it then). No two
// requests of one walk may go out closer than the 100 ms spacing, the first pair included (its
// first request also paid for loading node-fetch and opening the connection: before the fix the
// server saw the first two 37-65 ms apart). The assertion is on the socket writes: on this shared
// machine the server's own scheduling moves its recorded arrivals by tens of milliseconds either
// way, so those are printed with the result, not asserted to the millisecond.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import type { ClientRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { QoderClient } from '../../src/api';

const TOKEN = 'pt-contractSpacing0123456789';
const PAGES = 6;
const written: number[] = [];
subscribe('http.client.request.start', (message) => {
  const request = (message as { request: ClientRequest }).request;
  if (String(request.path).includes('/deployments')) request.once('finish', () => written.push(performance.now()));
});

// Answers PAGES pages of one deployment each; GET /arrivals returns the arrival times and clears them.
const SERVER = `
const http = require('node:http');
const PAGES = ${PAGES};
let arrivals = [];
const server = http.createServer((req, res) => {
  const at = performance.now();
  if (req.url === '/arrivals') { res.end(JSON.stringify(arrivals)); arrivals = []; return; }
  if (req.url === '/drop') { res.end('{}'); server.closeAllConnections(); return; }
  arrivals.push(at);
  const page = Number(new URL(req.url, 'http://x').searchParams.get('page') ?? '0');
  const id = 'dep_' + (page + 1).toString(16).padStart(32, '0');
  const more = page + 1 < PAGES;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data: [{ id, type: 'deployment', name: 'd' + page, status: 'active', schedule: null }], first_id: id, last_id: id, has_more: more, next_page: more ? String(page + 1) : null }));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

let child: ChildProcess;
let origin = '';

before(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  origin = `http://127.0.0.1:${line.toString().trim()}`;
});
after(() => {
  child.kill();
});

async function arrivals(): Promise<number[]> {
  return (await (await fetch(`${origin}/arrivals`)).json()) as number[];
}

describe('issue 19 item 16: page spacing as the server sees it', () => {
  for (const round of ['the first walk of a new client, on a new connection', 'a second walk on the open connection']) {
    it(`${round}: no two page requests of one walk go out closer than 100 ms`, async () => {
      await arrivals();
      written.length = 0;
      const client = new QoderClient({ baseUrl: `${origin}/api/v1/cloud`, token: TOKEN });
      const { deployments } = await client.listAllDeployments();
      assert.equal(deployments.length, PAGES);
      const at = await arrivals();
      assert.equal(at.length, PAGES);
      const gaps = (times: number[]): string => times.slice(1).map((t, i) => (t - times[i]!).toFixed(1)).join(', ');
      assert.equal(written.length, PAGES);
      const sent = written.slice(1).map((t, i) => t - written[i]!);
      assert.ok(sent.every((g) => g >= 100), `gaps between socket writes: ${gaps(written)} ms (recorded at the server: ${gaps(at)} ms)`);
    });
  }
});
