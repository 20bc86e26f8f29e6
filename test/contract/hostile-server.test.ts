// Issue 12: the real client (node-fetch) against hostile servers on 127.0.0.1. These servers
// misbehave on purpose, so they are plain node:http handlers rather than the local API.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QoderClient, QoderError, type QoderClientOptions, type RequestLogEntry } from '../../src/api';

const TOKEN = 'pt-contractHostile0123456789';
const SECRET_RE = /contracthostile0123456789/i;
const DEP = (n: number): string => `dep_${n.toString(16).padStart(32, '0')}`;

let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
let requests = 0;
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/cloud`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = 0;
});

function client(extra: Partial<QoderClientOptions> = {}): { client: QoderClient; log: RequestLogEntry[] } {
  const log: RequestLogEntry[] = [];
  return { client: new QoderClient({ baseUrl: base, token: TOKEN, onRequest: (e) => log.push(e), ...extra }), log };
}

async function rejection(p: Promise<unknown>): Promise<QoderError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof QoderError, String(e));
    return e;
  }
  throw new Error('expected a rejection');
}

describe('issue 12: hostile servers over loopback', () => {
  it('a 200 body that never ends (chunked, no length) stops at the 16 MB cap: response_too_large, one request', async () => {
    let written = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      res.write('{"data":[], "pad":"');
      const pump = (): void => {
        while (!res.destroyed && written < 600 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end('"}');
      };
      res.on('close', () => undefined);
      pump();
    };
    const e = await rejection(client().client.listAllDeployments());
    assert.equal(e.kind, 'response_too_large');
    assert.equal(requests, 1, 'never retried');
    assert.ok(written < 200 * 1024 * 1024, `the server stopped being read (${Math.round(written / 1048576)} MiB written)`);
  });

  it('a Content-Length over the cap is refused without reading the body', async () => {
    handler = (_req, res) => {
      const body = JSON.stringify({ data: [], has_more: false, pad: 'x'.repeat(3_000) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const e = await rejection(client({ maxResponseBytes: 1_000 }).client.listAllDeployments());
    assert.equal(e.kind, 'response_too_large');
    assert.equal(requests, 1);
  });

  it('has_more for ever with a fresh cursor: the walk stops at maxPages with invalid_response', async () => {
    let n = 0;
    handler = (_req, res) => {
      n++;
      const id = DEP(n);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id, type: 'deployment', name: `d${n}`, status: 'active', schedule: null }], first_id: id, last_id: id, has_more: true, next_page: id }));
    };
    const e = await rejection(client({ maxPages: 30, minPageIntervalMs: 0 }).client.listAllDeployments());
    assert.equal(e.kind, 'invalid_response');
    assert.match(e.message, /kept returning pages/);
    assert.equal(requests, 30);
  });

  it('a token echoed in x-request-id (other case, no pt-) on an error and on a redirect is redacted everywhere', async () => {
    handler = (req, res) => {
      if (req.url?.includes('/runs')) {
        res.writeHead(302, { location: 'https://elsewhere.example/x', 'x-request-id': TOKEN.slice(3).toLowerCase() });
        res.end();
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': TOKEN.toUpperCase() });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no ${TOKEN.toUpperCase()}` } }));
    };
    const { client: c, log } = client({ retries: 0 });
    const a = await rejection(c.getDeployment(DEP(1)));
    const b = await rejection(c.listRunsPage(DEP(1)));
    for (const e of [a, b]) {
      assert.ok(!SECRET_RE.test(`${e.message} ${e.requestId}`), `${e.message} ${e.requestId}`);
    }
    assert.ok(log.length >= 2);
    assert.ok(!SECRET_RE.test(JSON.stringify(log)), JSON.stringify(log));
  });
});
