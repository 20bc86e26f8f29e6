// scripts/check-names.mjs (run by npm run lint): a top-level function name may be declared in
// only one file of src/ (issue 18: two helpers under one name with different meanings).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'check-names.mjs');

function check(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'check-names-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('two files that declare a top-level function of the same name (declaration or const arrow) fail the check, both files named', () => {
  const r = check({
    'a/display.ts': "export function quote(s: string): string { return `“${s}”`; }\n",
    'b/markdown.ts': "const quote = (s: string): string => `> ${s}`;\nexport const use = quote;\n",
  });
  assert.equal(r.status, 1);
  assert.match(r.out, /quote: a\/display\.ts, b\/markdown\.ts/);
});

test('the same name as a method, a local function or a non-function const in another file passes', () => {
  const r = check({
    'a/display.ts': 'export function quote(s: string): string { return s; }\n',
    'b/view.ts': 'export class View { quote(): void {} }\nexport function draw(): void { const quote = (): number => 1; quote(); }\n',
    'c/consts.ts': "export const quote = 'quote';\n",
  });
  assert.equal(r.status, 0, r.out);
});

test('src/ as it is passes: every top-level function name is declared in one file', () => {
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
