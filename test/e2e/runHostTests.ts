// Runs the in-host mocha suite (test/e2e/suite → out/e2e/suite) through @vscode/test-electron,
// in every VS Code host of setup.mjs's HOSTS table, one after the other (oldest first).
//
//   node --import tsx test/e2e/runHostTests.ts                 code-server + Chromium via test/e2e/launcher (offline), each host
//   node --import tsx test/e2e/runHostTests.ts --vscode 1.104  only that host (or QODER_E2E_VSCODE=1.104)
//   node --import tsx test/e2e/runHostTests.ts --electron      real desktop VS Code, downloaded by test-electron
//                                                              (needs internet; or QODER_E2E_ELECTRON=1)
//   add --fixture to test the throwaway extension test/e2e/fixtures/smoke-extension instead of the repo
//
// The extension under test is the repo root (needs `npm run build` first: main is dist/extension.js).
// Each host's run ends with the suite's own plain line `N passed, N failed`; a summary names the
// host of each result at the end.
import { runTests } from '@vscode/test-electron';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE, hostLabel, ROOT, selectHosts, type Host } from './lib/paths';
import { makeTestCertificate } from './lib/tls';

interface Result {
  where: string;
  passed: number;
  failed: number;
  code: number;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs `fn` while copying stdout; returns the last `N passed, N failed` line it printed. */
async function capturingCounts(fn: () => Promise<number>): Promise<Omit<Result, 'where'> & { found: boolean }> {
  const write = process.stdout.write.bind(process.stdout);
  let tail = '';
  let counts: { passed: number; failed: number } | undefined;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    tail = (tail + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))).slice(-4096);
    for (const m of tail.matchAll(/^(\d+) passed, (\d+) failed$/gm)) counts = { passed: Number(m[1]), failed: Number(m[2]) };
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    const code = await fn();
    return { code, passed: counts?.passed ?? 0, failed: counts?.failed ?? (code === 0 ? 0 : 1), found: !!counts };
  } finally {
    process.stdout.write = write;
  }
}

async function main(): Promise<number> {
  const electron = process.argv.includes('--electron') || process.env.QODER_E2E_ELECTRON === '1';
  const fixture = process.argv.includes('--fixture') || process.env.QODER_E2E_FIXTURE === '1';
  const extensionDevelopmentPath = fixture ? join(ROOT, 'test', 'e2e', 'fixtures', 'smoke-extension') : ROOT;
  const pkg = JSON.parse(readFileSync(join(extensionDevelopmentPath, 'package.json'), 'utf8')) as { publisher: string; name: string };
  const extensionId = `${pkg.publisher}.${pkg.name}`;

  // build.mjs is plain ESM; import it dynamically so this file stays CommonJS-compatible
  const { buildSuite } = (await import(pathToFileURL(join(ROOT, 'test', 'e2e', 'build.mjs')).href)) as { buildSuite: () => Promise<string> };
  const extensionTestsPath = await buildSuite();

  const workspace = join(ROOT, '.cache', 'e2e', 'workspace');
  mkdirSync(workspace, { recursive: true });
  // suite/proxy.test.ts serves the local API as https://qoder-api.test behind its proxy
  const tls = makeTestCertificate(join(CACHE, 'tls'), 'qoder-api.test');

  const runIn = async (host: Host | undefined): Promise<number> => {
    try {
      await runTests({
        ...(host ? { vscodeExecutablePath: join(ROOT, 'test', 'e2e', 'launcher') } : {}),
        extensionDevelopmentPath,
        extensionTestsPath,
        extensionTestsEnv: {
          QODER_E2E_EXTENSION_ID: extensionId,
          QODER_E2E_TLS_KEY: tls.key,
          QODER_E2E_TLS_CERT: tls.cert,
          NODE_EXTRA_CA_CERTS: tls.cert,
          // the launcher starts this host; the suite checks that it really runs in it
          ...(host ? { QODER_E2E_VSCODE: host.codeServer, QODER_E2E_EXPECT_VSCODE: host.vscode } : {}),
        },
        launchArgs: [workspace, '--disable-extensions'],
      });
      return 0;
    } catch (err) {
      console.error(`e2e: ${(err as Error).message}`);
      return 1;
    }
  };

  const targets: Array<Host | undefined> = electron ? [undefined] : selectHosts(argValue('--vscode') ?? process.env.QODER_E2E_VSCODE);
  const results: Result[] = [];
  for (const host of targets) {
    const where = host ? hostLabel(host) : 'desktop VS Code (test-electron download)';
    console.log(`\n=== in-host suite: ${extensionId} in ${where} ===`);
    const r = await capturingCounts(() => runIn(host));
    if (!r.found) console.log(`(no "N passed, N failed" line came from ${where})`);
    results.push({ where, passed: r.passed, failed: r.failed, code: r.code });
  }

  console.log('\nin-host suite, per host:');
  for (const r of results) console.log(`  ${r.where}: ${r.passed} passed, ${r.failed} failed${r.code !== 0 && r.failed === 0 ? ` (exit code ${r.code})` : ''}`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return results.every((r) => r.code === 0 && r.passed > 0 && r.failed === 0) ? 0 : 1;
}

void main().then((code) => process.exit(code));
