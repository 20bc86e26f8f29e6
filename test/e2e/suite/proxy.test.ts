// Corporate proxies: VS Code routes extensions' Node http/https through `http.proxy`
// (@vscode/proxy-agent patches the modules in the extension host; node-fetch uses them).
//
// The proof needs two things the extension must not bend:
// - VS Code never proxies literal loopback hosts (localhost, 127.0.0.1, ::1 go DIRECT), so the
//   API needs a name that is not loopback. `qoder-api.test` (.test is reserved, RFC 2606, and
//   never resolves in DNS) is answered only by the proxy started here, which tunnels CONNECT
//   qoder-api.test:443 to a local TLS endpoint in front of the local API. A request that reaches
//   the API therefore went through the proxy: there is no other way to that name.
// - The token goes over plain http only to literal loopback, so a non-loopback name means https:
//   the TLS endpoint presents a certificate for qoder-api.test that runHostTests.ts generated and
//   gave the extension host to trust through NODE_EXTRA_CA_CERTS. Certificate checks stay on
//   (`http.proxyStrictSSL` true), as they should for users.
import * as assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as vscode from 'vscode';
import type { TestHooks } from '../../../src/extension';
import { Commands as C } from '../../../src/platform/constants';
import { EXTENSION_ID, hooks, QODER_ID, requestsTo, ScriptedUi, setSetting, startApi, waitFor, type HostApi } from './lib/host';

const PROXIED_NAME = 'qoder-api.test';

interface ForwardProxy {
  url: string;
  /** CONNECT targets in arrival order, e.g. "qoder-api.test:443" */
  connects: string[];
  /** plain (non-CONNECT) requests, "GET http://…" */
  requests: string[];
  close(): Promise<void>;
}

const listen = (server: net.Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
const close = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** Pipes two sockets into each other; either side closing or failing ends both. */
function splice(a: net.Socket, b: net.Socket): void {
  a.pipe(b).pipe(a);
  for (const s of [a, b]) s.on('error', () => (a.destroy(), b.destroy()));
}

/** A TLS endpoint for PROXIED_NAME that forwards the decrypted bytes to a local port. */
async function startTlsFront(targetPort: number, key: Buffer, cert: Buffer): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const front = {
    port: 0,
    connections: 0,
    close: () => close(server),
  };
  const server = tls.createServer({ key, cert }, (socket) => {
    front.connections++;
    splice(socket, net.connect(targetPort, '127.0.0.1'));
  });
  front.port = await listen(server);
  return front;
}

/** An HTTP forward proxy that counts what passes and resolves only the names in `routes`. */
async function startForwardProxy(routes: Map<string, number>): Promise<ForwardProxy> {
  const connects: string[] = [];
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    // this proxy only tunnels (CONNECT): it counts plain requests and refuses them
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  server.on('connection', (s: net.Socket) => (sockets.add(s), s.once('close', () => sockets.delete(s))));
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    const port = routes.get(target);
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      splice(client, upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await close(server);
    },
  };
}

const setHttp = (key: string, value: unknown) => vscode.workspace.getConfiguration('http').update(key, value, vscode.ConfigurationTarget.Global);

describe('Qoder Deployments behind a corporate proxy (http.proxy)', function () {
  this.timeout(60_000);
  let h: TestHooks;
  let host: HostApi;
  let front: Awaited<ReturnType<typeof startTlsFront>>;
  let proxy: ForwardProxy;
  const ui = new ScriptedUi();

  before(async () => {
    assert.equal(EXTENSION_ID, QODER_ID, `these tests need ${QODER_ID}, the run is for ${EXTENSION_ID}`);
    const keyFile = process.env.QODER_E2E_TLS_KEY;
    const certFile = process.env.QODER_E2E_TLS_CERT;
    assert.ok(keyFile && certFile, 'runHostTests.ts passes QODER_E2E_TLS_KEY and QODER_E2E_TLS_CERT (and NODE_EXTRA_CA_CERTS)');
    assert.equal(process.env.NODE_EXTRA_CA_CERTS, certFile, 'the extension host trusts the test certificate');
    host = await startApi(12);
    front = await startTlsFront(Number(new URL(host.api.baseUrl).port), readFileSync(keyFile), readFileSync(certFile));
    proxy = await startForwardProxy(new Map([[`${PROXIED_NAME}:443`, front.port]]));
    h = await hooks();
    h.setUi(ui);
    await setSetting('autoRefreshSeconds', 0);
  });

  after(async function () {
    this.timeout(30_000);
    if (h) {
      await vscode.commands.executeCommand(C.clearToken).then(undefined, () => undefined);
      await setSetting('apiBaseUrl', undefined);
      await setSetting('autoRefreshSeconds', undefined);
      await waitFor(() => !h.services.connection.hasToken, 'the default origin to have no token').catch(() => undefined);
    }
    for (const key of ['proxy', 'proxyStrictSSL', 'proxySupport']) await setHttp(key, undefined);
    await proxy?.close();
    await front?.close();
    await host?.api.close();
  });

  it(`${PROXIED_NAME} does not resolve without the proxy`, async () => {
    await assert.rejects(dns.lookup(PROXIED_NAME), /ENOTFOUND|EAI_AGAIN/);
  });

  it('lists deployments through the proxy set in http.proxy (https, certificate checked)', async () => {
    await setHttp('proxy', proxy.url);
    await setHttp('proxyStrictSSL', true);
    await setHttp('proxySupport', 'override');
    const baseUrl = `https://${PROXIED_NAME}${new URL(host.api.baseUrl).pathname}`;
    await setSetting('apiBaseUrl', baseUrl);
    await waitFor(() => h.services.connection.apiBaseUrl === baseUrl, 'the extension to pick up qoder.apiBaseUrl');

    ui.input = () => host.token;
    await vscode.commands.executeCommand(C.setToken);
    assert.equal(ui.of('error').length, 0, ui.of('error').map((c) => c.message).join(' / '));
    await waitFor(() => h.services.store.state === 'ready' || h.services.store.state === 'error', 'the list to load');
    assert.equal(h.services.store.error, undefined, `load failed: ${JSON.stringify(h.services.store.error)}`);

    const lists = requestsTo(host.api, 'GET', /\/deployments$/);
    assert.ok(lists.length >= 2, `the token check and the list reached the API (${lists.length} list requests)`);
    assert.ok(lists.every((r) => r.status === 200 && r.authorized));
    const tunnels = proxy.connects.filter((c) => c === `${PROXIED_NAME}:443`).length;
    assert.ok(tunnels >= 1, `the proxy tunnelled to ${PROXIED_NAME}:443 (${proxy.connects.join(', ') || 'nothing'})`);
    assert.equal(front.connections, tunnels, 'every TLS connection to the API came through a proxy tunnel');
    assert.deepEqual(proxy.requests, [], 'nothing went to the proxy as plain http (the token travels inside TLS)');
    console.log(`      proxy ${proxy.url}: ${tunnels} CONNECT ${PROXIED_NAME}:443, ${lists.length} GET /deployments at the API`);
  });
});
