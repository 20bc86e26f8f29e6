// End-to-end through the real default transport (node-fetch 3) against a loopback server.
// Loopback only; no external network.

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { QoderApiError, QoderClient, QoderError } from '../../src/api';
import { DEP_ID, TOKEN, fixtureText, rejection } from '../unit/client-fakes';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<{ server: http.Server; base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}/api/v1/cloud`, seen });
    });
  });
}

describe('loopback with node-fetch', () => {
  let main: Awaited<ReturnType<typeof startServer>>;
  let other: Awaited<ReturnType<typeof startServer>>;

  before(async () => {
    other = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fixtureText('deployment-active.json'));
    });
    main = await startServer((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/moved')) {
        res.writeHead(307, { location: `/api/v1/cloud/deployments/${DEP_ID}` });
        res.end();
      } else if (url.pathname.endsWith('/elsewhere')) {
        res.writeHead(302, { location: `${other.base}/deployments/${DEP_ID}` });
        res.end();
      } else if (url.pathname.endsWith('/stall')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":');
        // never ends: the total timeout must cover the body read
      } else if (url.pathname.endsWith('/pause')) {
        res.writeHead(409, { 'content-type': 'application/json', 'x-request-id': 'srv-req' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'conflict_error', message: `already paused; you sent ${body}` } }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(fixtureText('deployment-active.json'));
      }
    });
  });

  after(() => {
    main.server.closeAllConnections();
    other.server.closeAllConnections();
    main.server.close();
    other.server.close();
  });

  test('GET through the default transport sends the documented headers', async () => {
    const client = new QoderClient({ baseUrl: main.base, token: TOKEN });
    const d = await client.getDeployment(DEP_ID);
    assert.equal(d.id, DEP_ID);
    const s = main.seen.at(-1)!;
    assert.equal(s.method, 'GET');
    assert.equal(s.url, `/api/v1/cloud/deployments/${DEP_ID}`);
    assert.equal(s.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(s.headers.accept, 'application/json');
    assert.match(String(s.headers['user-agent']), /^qoder-deployments-vscode\//);
    assert.match(String(s.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('POST error envelope parsed; body {} and content-type sent', async () => {
    const client = new QoderClient({ baseUrl: main.base, token: TOKEN });
    const e = await rejection(client.pauseDeployment(DEP_ID));
    assert.ok(e instanceof QoderApiError);
    assert.equal(e.status, 409);
    assert.equal(e.type, 'conflict_error');
    assert.equal(e.requestId, 'srv-req');
    const s = main.seen.at(-1)!;
    assert.equal(s.method, 'POST');
    assert.equal(s.body, '{}');
    assert.equal(s.headers['content-type'], 'application/json');
  });

  test('same-origin redirect followed; cross-origin redirect not followed', async () => {
    let first = true;
    const http2 = new QoderClient({
      baseUrl: main.base,
      token: TOKEN,
      fetch: async (url, init) => {
        // route the first (id-validated) request to the redirecting endpoint
        const { nodeFetch } = await import('../../src/api');
        const target = first ? url.replace(`/deployments/${DEP_ID}`, '/moved') : url;
        first = false;
        return nodeFetch(target, init);
      },
    });
    assert.equal((await http2.getDeployment(DEP_ID)).id, DEP_ID);
    assert.equal(main.seen.at(-1)?.url, `/api/v1/cloud/deployments/${DEP_ID}`);
    assert.equal(main.seen.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);

    const before = other.seen.length;
    const cross = new QoderClient({
      baseUrl: main.base,
      token: TOKEN,
      fetch: async (url, init) => {
        const { nodeFetch } = await import('../../src/api');
        return nodeFetch(url.replace(`/deployments/${DEP_ID}`, '/elsewhere'), init);
      },
    });
    const e = await rejection(cross.getDeployment(DEP_ID));
    assert.ok(e instanceof QoderApiError);
    assert.equal(e.type, 'cross_origin_redirect');
    assert.equal(other.seen.length, before, 'the other origin must receive nothing');
  });

  test('a body that never finishes hits the total timeout', async () => {
    const client = new QoderClient({
      baseUrl: main.base,
      token: TOKEN,
      timeoutMs: 100,
      retries: 0,
      fetch: async (url, init) => {
        const { nodeFetch } = await import('../../src/api');
        return nodeFetch(url.replace(`/deployments/${DEP_ID}`, '/stall'), init);
      },
    });
    const e = await rejection(client.getDeployment(DEP_ID));
    assert.ok(e instanceof QoderError);
    assert.equal(e.kind, 'timeout');
  });

  test('connection refused → network error', async () => {
    const closed = await startServer(() => undefined);
    const base = closed.base;
    await new Promise((r) => closed.server.close(r));
    const client = new QoderClient({ baseUrl: base, token: TOKEN, retries: 0 });
    const e = await rejection(client.getDeployment(DEP_ID));
    assert.ok(e instanceof QoderError);
    assert.equal(e.kind, 'network');
    assert.match(e.message, /ECONNREFUSED/);
  });
});
