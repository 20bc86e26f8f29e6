// Before and after, one part of the bench at a time: the same part of two checkouts, each round in
// a fresh process, old and new alternating, so that a slow minute of the machine falls on both.
// A full `npm run bench` of each side is run minutes apart; on a shared 2-CPU machine that alone
// moved `list_all_ms_raw` (no extension code) by 28 %.
//
//   node --import tsx bench/compare.ts --old <checkout> [--part list-all|tree|session-open] [--rounds N] [--n N]
//
// <checkout> is another clone or worktree with its node_modules installed (for example
// `git worktree add ../before <commit>` then `npm ci` there). This script copies
// bench/comparePart.ts into its bench/ folder (as _comparePart.ts, removed afterwards): the parts
// it measures (measureListAll, measureTree, measureSessionOpen) keep their names and signatures
// across versions. Prints each round, then the medians and the change; exits 2 on bad arguments.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { median } from './stats';

const PARTS = ['list-all', 'tree', 'session-open'];

function arg(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
}

function runPart(root: string, script: string, part: string, n: number): Record<string, number> {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, part, String(n)], { cwd: root, encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${part} in ${root} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return JSON.parse(line) as Record<string, number>;
}

function main(): number {
  const argv = process.argv.slice(2);
  const old = arg(argv, '--old');
  const part = arg(argv, '--part') ?? 'list-all';
  const rounds = Number(arg(argv, '--rounds') ?? 10);
  const n = Number(arg(argv, '--n') ?? 10_000);
  if (!old || !existsSync(path.join(old, 'bench')) || !PARTS.includes(part) || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(n) || n < 1) {
    process.stderr.write(`usage: bench/compare.ts --old <checkout with bench/> [--part ${PARTS.join('|')}] [--rounds N] [--n N]\n`);
    return 2;
  }
  const newRoot = path.resolve(__dirname, '..');
  const oldScript = path.join(old, 'bench', '_comparePart.ts');
  copyFileSync(path.join(__dirname, 'comparePart.ts'), oldScript);
  const samples: Record<'old' | 'new', Record<string, number>[]> = { old: [], new: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      // Alternate which side goes first, so neither always runs on a machine the other warmed.
      for (const side of i % 2 === 0 ? (['new', 'old'] as const) : (['old', 'new'] as const)) {
        const r = side === 'new' ? runPart(newRoot, 'bench/comparePart.ts', part, n) : runPart(old, 'bench/_comparePart.ts', part, n);
        samples[side].push(r);
        process.stdout.write(`${i + 1} ${side} ${Object.entries(r).map(([k, v]) => `${k} ${v}`).join('  ')}\n`);
      }
    }
  } finally {
    rmSync(oldScript, { force: true });
  }
  process.stdout.write(`\n${part}, N=${n}, ${rounds} rounds; old = ${old}\n`);
  for (const key of Object.keys(samples.new[0]!)) {
    const o = median(samples.old.map((s) => s[key]!));
    const w = median(samples.new.map((s) => s[key]!));
    process.stdout.write(`${key}: old ${o.toFixed(2)}  new ${w.toFixed(2)}  ${o === 0 ? '' : `${w >= o ? '+' : ''}${(((w - o) / o) * 100).toFixed(1)} %`}\n`);
  }
  return 0;
}

process.exitCode = main();
