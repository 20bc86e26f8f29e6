// Paths of the e2e cache. test/e2e/setup.mjs (which must run without tsx) installs the hosts of
// its HOSTS table and records them with their paths in the marker .cache/e2e/setup.json; the
// harness reads them from there, so the versions live in one place.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { sweepStaleRuns } from './procs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
/** QODER_E2E_CACHE, else .cache/e2e, else a path without a space: the rule of CACHE in test/e2e/setup.mjs. */
export const CACHE = process.env.QODER_E2E_CACHE
  ? resolve(process.env.QODER_E2E_CACHE)
  : [join(ROOT, '.cache', 'e2e'), join(homedir(), '.cache', 'qoder-deployments-e2e'), join(tmpdir(), 'qoder-deployments-e2e')].find((dir) => !/\s/.test(dir)) ?? join(ROOT, '.cache', 'e2e');
export const RESULTS = join(ROOT, 'test-results', 'e2e');

export const PATHS = {
  marker: join(CACHE, 'setup.json'),
  pwModule: join(CACHE, 'pw', 'node_modules', 'playwright-core'),
  runs: join(CACHE, 'runs'),
  chromium: process.env.QODER_E2E_CHROMIUM || '/usr/bin/chromium',
};

/** One installed VS Code host (a row of HOSTS in setup.mjs with its paths). */
export interface Host {
  vscode: string;
  codeServer: string;
  node: string;
  nodeExe: string;
  codeServerEntry: string;
  /** code-server arguments that turn on VS Code's smoke-test driver (the `payload` URL parameter) */
  smokeDriverArgs: string[];
}

/** e.g. "code-server 4.104.0 (VS Code 1.104.0, Node 22.23.3)" */
export const hostLabel = (h: Host): string => `code-server ${h.codeServer} (VS Code ${h.vscode}, Node ${h.node})`;

/** The hosts setup.mjs installed, oldest first. */
export function installedHosts(): Host[] {
  if (!existsSync(PATHS.marker)) throw new Error(`e2e: ${PATHS.marker} is missing — run \`node test/e2e/setup.mjs\` first`);
  const hosts = (JSON.parse(readFileSync(PATHS.marker, 'utf8')) as { hosts?: Host[] }).hosts ?? [];
  if (hosts.length === 0) throw new Error(`e2e: no host recorded in ${PATHS.marker} — run \`node test/e2e/setup.mjs\``);
  return hosts;
}

/**
 * Installed hosts whose VS Code version starts with `prefix` ("1.104", "1.139.1") or whose
 * code-server version is `prefix`; all of them without a prefix.
 */
export function selectHosts(prefix?: string): Host[] {
  const all = installedHosts();
  if (!prefix) return all;
  const found = all.filter((h) => h.vscode === prefix || h.vscode.startsWith(`${prefix}.`) || h.codeServer === prefix);
  if (found.length === 0) throw new Error(`e2e: no installed host for VS Code ${prefix} (installed: ${all.map((h) => h.vscode).join(', ')}); run \`node test/e2e/setup.mjs --vscode ${prefix}\``);
  return found;
}

/** The host this process runs code-server in: QODER_E2E_VSCODE selects one, else the newest. */
export function currentHost(): Host {
  const hosts = selectHosts(process.env.QODER_E2E_VSCODE || undefined);
  return hosts[hosts.length - 1];
}

export interface RunDir {
  root: string;
  userData: string;
  extensions: string;
  workspace: string;
  browserProfile: string;
  home: string;
  logs: string;
}

/**
 * A fresh folder for one run under .cache/e2e/runs/, with XDG/TMPDIR homes inside.
 * Old runs beyond the newest `keep` are deleted.
 */
export function makeRunDir(kind: string, keep = 4): RunDir {
  mkdirSync(PATHS.runs, { recursive: true });
  sweepStaleRuns(PATHS.runs);
  pruneRuns(keep);
  // short names: Chromium and VS Code put Unix sockets (max ~107 bytes) under TMPDIR
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(4, 14);
  const root = join(PATHS.runs, `${kind}-${stamp}-${process.pid}`);
  const dir: RunDir = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
    browserProfile: join(root, 'browser-profile'),
    home: join(root, 'home'),
    logs: join(root, 'logs'),
  };
  for (const p of Object.values(dir)) mkdirSync(p, { recursive: true });
  return dir;
}

function pruneRuns(keep: number): void {
  const entries = readdirSync(PATHS.runs)
    .map((name) => ({ name, mtime: statSync(join(PATHS.runs, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const e of entries.slice(keep)) rmSync(join(PATHS.runs, e.name), { recursive: true, force: true });
}

let fallbackTmp: string | undefined;
/**
 * TMPDIR inside the run dir, unless that path is too long for the Unix sockets Chromium and
 * VS Code create there (e.g. .../org.chromium.Chromium.XXXXXX/SingletonSocket): then a short
 * private folder in the system temp dir, removed when the process exits.
 */
function shortTmp(dir: RunDir): string {
  const inRun = join(dir.home, 'tmp');
  if (inRun.length <= 60) return inRun;
  if (!fallbackTmp) {
    const created = mkdtempSync(join(tmpdir(), 'qe2e-'));
    fallbackTmp = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return fallbackTmp;
}

/** Environment for child processes: XDG dirs and TMPDIR inside the run dir, never $HOME or /tmp. */
export function isolatedEnv(dir: RunDir, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(dir.home, 'config'),
    XDG_DATA_HOME: join(dir.home, 'data'),
    XDG_CACHE_HOME: join(dir.home, 'cache'),
    XDG_RUNTIME_DIR: join(dir.home, 'runtime'),
    TMPDIR: shortTmp(dir),
    ...extra,
  };
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'TMPDIR']) {
    mkdirSync(env[k] as string, { recursive: true, mode: 0o700 });
  }
  // variables from an outer VS Code / test-electron that would confuse code-server
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  }
  return env;
}
