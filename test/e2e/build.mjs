// Bundles the in-host mocha suite (test/e2e/suite/**) into out/e2e/suite/ with esbuild.
// Mocha is bundled in, so the suite does not depend on how the extension host resolves
// node_modules; `vscode` stays external (the host provides it).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'test', 'e2e', 'suite');
export const OUT = join(ROOT, 'out', 'e2e', 'suite');

export async function buildSuite() {
  const tests = readdirSync(SRC, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(SRC, f));
  rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(SRC, 'index.ts'), ...tests],
    outbase: SRC,
    outdir: OUT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // only mocha's parallel mode (unused here) needs those files
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return join(OUT, 'index.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const index = await buildSuite();
  console.log(`built ${index}`);
}
