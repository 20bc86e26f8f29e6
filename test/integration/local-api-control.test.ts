// Issue 19 item 15: the local API's control routes (/__local/…) refuse what a web page could
// send: a simple cross-site request (no custom header, no JSON content type), a foreign
// Origin, and a DNS-rebound Host. Raw node:http requests, so Host and Origin can be set freely.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LOCAL_CONTROL_HEADER, startLocalApi, type LocalApi } from '../local-api/server';
import { clock, FIXED_NOW, TOKEN } from '../local-api/test-helpers';

const ROUTES: [method: string, path: string, body?: string][] = [
  ['POST', '/__local/faults', '{"route":"GET /deployments","kind":"status","status":500}'],
  ['GET', '/__local/faults'],
  ['DELETE', '/__local/faults'],
  ['GET', '/__local/requests'],
  ['DELETE', '/__local/requests'],
  ['POST', '/__local/reset', '{"seed":3}'],
  ['GET', '/__local/deployments'],
  ['POST', '/__local/stream-faults', '{"kind":"drop"}'],
  ['POST', '/__local/sessions/speed', '{"liveSessionMs":5}'],
  ['POST', '/__local/pause-on-error', '{"id":"dep_x"}'],
  ['POST', '/__local/revoke', `{"token":"${TOKEN}"}`],
];

let api: LocalApi;
let port = 0;

before(async () => {
  api = await startLocalApi({ seed: 5, quiet: true, now: clock(FIXED_NOW).now });
  port = Number(new URL(api.origin).port);
});
after(() => api.close());
beforeEach(() => {
  api.clearFaults();
  api.reseed(5);
});

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What still works afterwards: the demo token is not revoked and no fault is queued. */
async function untouched(): Promise<void> {
  const r = await send('GET', '/api/v1/cloud/deployments?limit=1', { authorization: `Bearer ${TOKEN}` });
  assert.equal(r.status, 200, r.text);
}

describe('issue 19 item 15: local API control routes refuse browser-style requests', () => {
  for (const [method, path, body] of ROUTES) {
    it(`${method} ${path}: a simple request (text/plain body, no ${LOCAL_CONTROL_HEADER} header) is refused with 403`, async () => {
      const headers: Record<string, string> = { host: `127.0.0.1:${port}` };
      if (body !== undefined) headers['content-type'] = 'text/plain';
      const r = await send(method, path, headers, body);
      assert.equal(r.status, 403, r.text);
      await untouched();
    });

    it(`${method} ${path}: a foreign Origin or a DNS-rebound Host is refused with 403, even with the header`, async () => {
      const base = { [LOCAL_CONTROL_HEADER]: '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const fromPage = await send(method, path, { ...base, host: `127.0.0.1:${port}`, origin: 'https://evil.example' }, body);
      assert.equal(fromPage.status, 403, fromPage.text);
      const rebound = await send(method, path, { ...base, host: `rebind.evil.example:${port}` }, body);
      assert.equal(rebound.status, 403, rebound.text);
      await untouched();
    });
  }

  it('the harness form is accepted: loopback Host, the custom header or a JSON content type, same or no Origin', async () => {
    assert.equal((await send('GET', '/__local/faults', { host: `127.0.0.1:${port}`, [LOCAL_CONTROL_HEADER]: '1' })).status, 200);
    assert.equal((await send('GET', '/__local/faults', { host: `localhost:${port}`, [LOCAL_CONTROL_HEADER]: '1', origin: `http://localhost:${port}` })).status, 200);
    assert.equal((await send('POST', '/__local/reset', { host: `127.0.0.1:${port}`, 'content-type': 'application/json' }, '{"seed":5}')).status, 200);
  });
});
