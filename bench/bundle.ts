// 4. Bundle: bytes of dist/extension.js (rebuilt with the project's own `node esbuild.mjs
// --production`), what it is made of (dist/meta.json), and what it loads before the view opens.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { log, median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'extension.js');
const META = path.join(ROOT, 'dist', 'meta.json');
const CRONER = path.join(ROOT, 'dist', 'croner.js');
const CRONSTRUE = path.join(ROOT, 'dist', 'cronstrue.js');
const EDITOR = path.join(ROOT, 'dist', 'editor.js');
const SESSIONS = path.join(ROOT, 'dist', 'sessions.js');
const SAVE = path.join(ROOT, 'dist', 'save.js');

/** Modules that cost real time or memory to load, or that only a request should need. */
const HEAVY = /^(node:)?(http2|https|tls|net|zlib|stream|stream\/web|worker_threads|child_process|undici|inspector|vm)$|node-fetch|\.node$/;

export interface BundleResult {
  bytes: number;
  /** dist/croner.js, required only when a deployment document is open (null when missing). */
  cronerBytes: number | null;
  /** dist/cronstrue.js, schedules in words, required when the first row or tooltip is drawn (null when missing). */
  cronstrueBytes: number | null;
  /** dist/editor.js, the deployment editor, required only when a deployment document is open (null when missing). */
  editorBytes: number | null;
  /** dist/sessions.js, the session documents, required when a session is first opened (null when missing). */
  sessionsBytes: number | null;
  /** dist/save.js, the save flow of deployment documents, required on the first Save (null when missing). */
  saveBytes: number | null;
  built: boolean;
  buildError?: string;
  /** The largest inputs of the bundle (bytes in output), from dist/meta.json. */
  topInputs: { input: string; bytes: number }[];
  /** Bytes per npm package in the bundle. */
  packages: Record<string, number>;
  probe?: {
    required: { load: string[]; activate: string[]; view: string[] };
    /** Required by the bundle before the view is shown (load + activate) and matching HEAVY. */
    heavyBeforeView: string[];
    /** Median of loadRunsMs. */
    loadMs: number;
    /** Each load of the bundle, each in a fresh process. */
    loadRunsMs: number[];
    activateMs: number;
    firstLoadMs: number;
    requestsBeforeView: number;
    requestsAfterView: number;
    listed: number;
  };
  probeError?: string;
}

const LOAD_SAMPLES = 7;

export function measureBundle(opts: { build: boolean; probeN: number }): BundleResult {
  let built = false;
  let buildError: string | undefined;
  if (opts.build || !existsSync(DIST)) {
    const r = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status === 0) built = true;
    else buildError = (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-5).join('\n');
    if (buildError) log(`build failed (measuring the existing dist/extension.js if any): ${buildError}`);
  }
  if (!existsSync(DIST)) throw new Error(`no ${DIST} and the build failed: ${buildError}`);
  const bytes = statSync(DIST).size;

  const topInputs: { input: string; bytes: number }[] = [];
  const packages: Record<string, number> = {};
  if (existsSync(META)) {
    const meta = JSON.parse(readFileSync(META, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
    const out = Object.entries(meta.outputs).find(([k]) => k.endsWith('extension.js'))?.[1];
    for (const [input, v] of Object.entries(out?.inputs ?? {})) {
      topInputs.push({ input, bytes: v.bytesInOutput });
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = m ? m[1] : input.startsWith('src/') ? '(src)' : '(other)';
      packages[key] = (packages[key] ?? 0) + v.bytesInOutput;
    }
    topInputs.sort((a, b) => b.bytes - a.bytes);
    topInputs.length = Math.min(topInputs.length, 8);
  }

  const cronerBytes = existsSync(CRONER) ? statSync(CRONER).size : null;
  const cronstrueBytes = existsSync(CRONSTRUE) ? statSync(CRONSTRUE).size : null;
  const editorBytes = existsSync(EDITOR) ? statSync(EDITOR).size : null;
  const sessionsBytes = existsSync(SESSIONS) ? statSync(SESSIONS).size : null;
  const saveBytes = existsSync(SAVE) ? statSync(SAVE).size : null;
  const res: BundleResult = { bytes, cronerBytes, cronstrueBytes, editorBytes, sessionsBytes, saveBytes, built, buildError, topInputs, packages };
  const probe = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bundle-probe.ts'), DIST], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, BENCH_N: String(opts.probeN) },
    timeout: 120_000,
  });
  if (probe.status === 0) {
    const p = JSON.parse(probe.stdout.trim().split('\n').pop() ?? '{}') as NonNullable<BundleResult['probe']>;
    // One load in a fresh process is one sample of a few milliseconds: the figure is the median
    // of this load and LOAD_SAMPLES - 1 more, each in a fresh process of its own.
    p.loadRunsMs = [p.loadMs];
    for (let i = 1; i < LOAD_SAMPLES; i++) {
      const more = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bundle-probe.ts'), DIST], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_N: String(opts.probeN), BENCH_LOAD_ONLY: '1' }, timeout: 120_000 });
      if (more.status === 0) p.loadRunsMs.push((JSON.parse(more.stdout.trim().split('\n').pop() ?? '{}') as { loadMs: number }).loadMs);
    }
    p.loadMs = median(p.loadRunsMs);
    p.heavyBeforeView = [...p.required.load, ...p.required.activate].filter((m) => HEAVY.test(m));
    res.probe = p;
    log(`bundle ${bytes} B; loads ${p.required.load.join(', ')} at require time, ${p.required.activate.join(', ') || 'nothing more'} on activate, ${p.required.view.join(', ') || 'nothing more'} when the view opens; ${p.requestsBeforeView} requests before the view`);
  } else {
    res.probeError = (probe.stderr || `exit ${probe.status}`).trim().split('\n').slice(-5).join('\n');
    log(`bundle probe failed: ${res.probeError}`);
  }
  return res;
}
