// Runs the in-host mocha suite (test/e2e/suite → out/e2e/suite) through @vscode/test-electron.
//
//   node --import tsx test/e2e/runHostTests.ts             code-server + Chromium via test/e2e/launcher (offline)
//   node --import tsx test/e2e/runHostTests.ts --electron  real desktop VS Code, downloaded by test-electron
//                                                          (needs internet; or QODER_E2E_ELECTRON=1)
//   add --fixture to test the throwaway extension test/e2e/fixtures/smoke-extension instead of the repo
//
// The extension under test is the repo root (needs `npm run build` first: main is dist/extension.js).
import { runTests } from '@vscode/test-electron';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/paths';

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
  console.log(`e2e: ${extensionId} from ${extensionDevelopmentPath} in ${electron ? 'desktop VS Code (test-electron download)' : 'code-server via test/e2e/launcher'}`);
  try {
    await runTests({
      ...(electron ? {} : { vscodeExecutablePath: join(ROOT, 'test', 'e2e', 'launcher') }),
      extensionDevelopmentPath,
      extensionTestsPath,
      extensionTestsEnv: { QODER_E2E_EXTENSION_ID: extensionId },
      launchArgs: [workspace, '--disable-extensions'],
    });
    return 0;
  } catch (err) {
    console.error(`e2e: ${(err as Error).message}`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
