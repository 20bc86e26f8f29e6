// Package the throwaway smoke extension (test/e2e/fixtures/smoke-extension) as a .vsix.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, ROOT } from './paths';
import { log } from './procs';

export const FIXTURE_DIR = join(ROOT, 'test', 'e2e', 'fixtures', 'smoke-extension');

export function packageFixture(): string {
  const out = join(CACHE, 'smoke-extension.vsix');
  const newest = Math.max(...readdirSync(FIXTURE_DIR).map((f) => statSync(join(FIXTURE_DIR, f)).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs > newest) return out;
  const started = Date.now();
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '-o', out], {
    cwd: FIXTURE_DIR,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  log(`packaged ${out} in ${Date.now() - started} ms`);
  return out;
}
