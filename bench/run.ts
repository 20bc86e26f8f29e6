// `npm run bench`: the performance benchmark of issue #5. See bench/README.md.
//
//   node --import tsx --expose-gc bench/run.ts [--json] [--markdown] [--smoke] [--runs N] [--n N] [--no-build] [--no-warmup] [--out file.json]
//
// Prints a table (default), only one JSON object (--json) or a Markdown table (--markdown) on
// stdout; progress goes to stderr. Exits non-zero only when the benchmark itself fails.

import './vscode-fake'; // before anything that may load `vscode`
import { measureSessionOpen } from './session';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { startApiProcess, type ApiProcess } from './api-process';
import { measureActivation, measureArchive } from './archive';
import { measureBundle } from './bundle';
import { clientWalk, measureListAll, measureListAllLatency, newClient, PAGE, rawWalk, type ListAllResult } from './list-all';
import { measureMemory } from './memory';
import { buildReport, markdownTable, textTable } from './report';
import { log } from './stats';
import { measureTree } from './tree';
import { measureWatchAll } from './watch';

export interface Options {
  json: boolean;
  markdown: boolean;
  smoke: boolean;
  runs: number;
  warmup: boolean;
  n: number;
  scaling: number[];
  build: boolean;
  /** Also write the JSON report to this file. */
  out: string | undefined;
}

export function parseArgs(argv: string[]): Options {
  const has = (f: string): boolean => argv.includes(f);
  const val = (f: string): number | undefined => {
    const i = argv.indexOf(f);
    if (i < 0) return undefined;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${f} needs a positive integer`);
    return v;
  };
  const smoke = has('--smoke');
  const n = val('--n') ?? (smoke ? 500 : 10_000);
  return {
    json: has('--json'),
    markdown: has('--markdown'),
    smoke,
    runs: val('--runs') ?? (smoke ? 1 : 9),
    warmup: !smoke && !has('--no-warmup'),
    n,
    scaling: smoke ? [100, n, 2_500] : [1_000, 10_000, 50_000],
    build: !has('--no-build'),
    out: argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined,
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const load = os.loadavg();
  log(`${opts.smoke ? 'smoke' : 'full'} run: N=${opts.n}, ${opts.runs} run(s)${opts.warmup ? ' after a warm-up' : ', no warm-up'}, node ${process.version}, ${os.cpus().length} CPUs, load ${load.map((l) => l.toFixed(2)).join(' ')}`);

  let api: ApiProcess | undefined;
  try {
    api = await startApiProcess({ token: 'pt-bench-local', now: Date.now() });

    // 1. List all
    const listAll = await measureListAll(api, opts.n, opts.runs, opts.warmup);

    // 5. Memory (before the tree bench allocates anything long-lived)
    const memory = await measureMemory(api, opts.n, opts.smoke ? 1 : Math.min(opts.runs, 5));

    // 2. Tree build (the deployments and page bodies of one walk)
    const { deployments } = await clientWalk(newClient(api));
    const { bodies } = await rawWalk(api.baseUrl, api.token, true);
    const tree = await measureTree(deployments, bodies, opts.smoke ? 1 : Math.max(opts.runs, 15), opts.smoke ? 1 : Math.min(opts.runs, 3), opts.warmup);

    // 6. Scaling (list-all time at several N; the N of step 1 is reused)
    const scaling: ListAllResult[] = [];
    for (const n of opts.scaling) scaling.push(n === opts.n ? listAll : await measureListAll(api, n, opts.smoke ? 1 : Math.max(3, Math.min(opts.runs, 5)), opts.warmup));

    // 7. What a user far from the API feels: list-all over an 80 ms round trip, default spacing.
    const latency = await measureListAllLatency(api, opts.n, 80, opts.smoke ? 1 : Math.min(opts.runs, 3));
    // 7. Opening a 10,000-event session
    const sessionOpen = await measureSessionOpen(api, 10_000, opts.smoke ? 1 : Math.min(opts.runs, 5));

    await api.close();
    api = undefined;

    // 8. A simulated hour of keeping the view fresh, today's strategy and the new one (each on its own local API)
    const watch = await measureWatchAll(opts.n, opts.smoke);

    // 3. Archive path, and the request half of the activation check (source, fake vscode)
    const archive = await measureArchive(opts.n, opts.smoke ? 1 : Math.min(opts.runs, 5));
    const activation = await measureActivation(opts.n);

    // 4. Bundle (+ what the shipped bundle loads before the view is opened)
    const bundle = measureBundle({ build: opts.build, probeN: Math.min(opts.n, 2_000) });

    const report = buildReport({ opts, listAll, tree, memory, scaling, latency, archive, activation, bundle, sessionOpen, watch, page: PAGE, load, seconds: (performance.now() - started) / 1000 });
    if (opts.out) writeFileSync(opts.out, JSON.stringify(report, null, 2) + '\n');
    if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (opts.markdown) process.stdout.write(markdownTable(report) + '\n');
    else process.stdout.write(textTable(report) + '\n');
    log(`done in ${report.seconds} s`);
  } finally {
    await api?.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`[bench] FAILED: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
