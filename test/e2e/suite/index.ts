// Mocha runner loaded by the extension host as `extensionTestsPath` (after the build it is
// out/e2e/suite/index.js). Loads every *.test.js next to it (recursively; only the generic
// host.test.js when the run is for another extension than Qoder's), runs them, prints a
// closing line `N passed, N failed`, and fails when a test failed or when no test ran at all.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { EXTENSION_ID, QODER_ID } from './lib/ids';

/** Tests that hold for any extension (the smoke fixture too); every other file needs Qoder's. */
const GENERIC = ['host.test.js'];

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.QODER_E2E_TEST_TIMEOUT_MS) || 30_000,
    // QODER_E2E_GREP="some title" runs only the matching tests
    ...(process.env.QODER_E2E_GREP ? { grep: process.env.QODER_E2E_GREP } : {}),
  });
  const files = (readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => EXTENSION_ID === QODER_ID || GENERIC.includes(f))
    .sort();
  for (const f of files) mocha.addFile(join(__dirname, f));
  console.log(`e2e suite: ${files.length} test file(s) in ${__dirname} for ${EXTENSION_ID}`);

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passed = runner.stats?.passes ?? 0;
        const failed = runner.stats?.failures ?? failures;
        console.log(`${passed} passed, ${failed} failed`);
        if (failed > 0) reject(new Error(`${failed} test(s) failed`));
        else if (passed === 0) reject(new Error('no test ran'));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      console.log('0 passed, 1 failed');
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
