// A throwaway TLS certificate for the proxy test (suite/proxy.test.ts): the local API is reached
// as https://qoder-api.test through a forward proxy, and the extension host trusts this
// certificate through NODE_EXTRA_CA_CERTS, so certificate checks stay on.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
}

/** Self-signed certificate (its own trust anchor) for `name`, valid two days, written to `dir`. */
export function makeTestCertificate(dir: string, name: string): TestCertificate {
  mkdirSync(dir, { recursive: true });
  const out = { key: join(dir, `${name}.key.pem`), cert: join(dir, `${name}.cert.pem`) };
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', out.key, '-out', out.cert,
    '-subj', `/CN=${name}`,
    '-addext', `subjectAltName=DNS:${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make a test certificate (${r.status ?? r.error?.message}): ${r.stderr}`);
  return out;
}
