// Process registry: everything the e2e harness starts runs in its own process group and is
// killed (whole group) on success, failure, SIGINT, SIGTERM, uncaught errors and plain exit.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface Entry {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

const entries = new Set<Entry>();
/** Strings (run-dir paths) that identify stray processes of ours, e.g. Chromium helpers. */
const markers = new Set<string>();
const cleanups: Array<() => Promise<void> | void> = [];
let installed = false;
let cleaning: Promise<void> | null = null;

export function log(msg: string): void {
  process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 23)}] ${msg}\n`);
}

/** Spawn in a new process group (detached) and register it for cleanup. */
export function spawnTracked(name: string, cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  installHandlers();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, detached: true });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const entry: Entry = { name, child, exited };
  entries.add(entry);
  void exited.then(() => entries.delete(entry));
  return child;
}

/** Processes whose command line contains `marker` are ours and get killed at cleanup. */
export function trackMarker(marker: string): void {
  installHandlers();
  markers.add(marker);
}

/** Extra async cleanup (close browser, close local API), run before the process groups are killed. */
export function onCleanup(fn: () => Promise<void> | void): void {
  installHandlers();
  cleanups.unshift(fn);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function markerPids(): number[] {
  if (markers.size === 0) return [];
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    if (pid === process.pid) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    for (const m of markers) if (cmdline.includes(m)) out.push(pid);
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kill leftovers of earlier runs whose harness died without cleaning up (e.g. SIGKILL):
 * processes whose command line contains `<runsDir>/<kind>-<stamp>-<pid>` where <pid> (the
 * harness that made that run dir) is gone. Only processes of our own run dirs are touched.
 */
export function sweepStaleRuns(runsDir: string): void {
  const re = new RegExp(`${runsDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[a-z]+-\\d+-(\\d+)`);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const m = re.exec(cmdline);
    if (m && !alive(Number(m[1]))) {
      log(`killing stale process ${d} of a dead run (harness pid ${m[1]})`);
      killGroup(Number(d), 'SIGKILL');
    }
  }
}

/** Exit (after cleanup) when the parent process goes away, e.g. test-electron killed. */
export function exitWithParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent || !alive(parent)) {
      log(`parent ${parent} is gone: stopping`);
      void cleanupAll(1500).finally(() => process.exit(1));
    }
  }, 1000);
  timer.unref();
}

/** Run cleanups, SIGTERM all groups, wait up to `graceMs`, then SIGKILL what is left. */
export function cleanupAll(graceMs = 3000): Promise<void> {
  if (!cleaning) {
    cleaning = (async () => {
      for (const fn of cleanups.splice(0)) {
        try {
          await Promise.race([fn(), new Promise((r) => setTimeout(r, graceMs))]);
        } catch (err) {
          log(`cleanup error: ${(err as Error).message}`);
        }
      }
      const list = [...entries];
      for (const e of list) if (e.child.pid) killGroup(e.child.pid, 'SIGTERM');
      for (const pid of markerPids()) killGroup(pid, 'SIGTERM');
      await Promise.race([Promise.all(list.map((e) => e.exited)), new Promise((r) => setTimeout(r, graceMs))]);
      killSync();
      // wait until the stragglers (e.g. Chromium helpers) are really gone, so `ps` right after shows none
      for (let i = 0; i < 30 && markerPids().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    })();
  }
  return cleaning;
}

/** Synchronous last resort (for 'exit'): SIGKILL every group and marker process. */
function killSync(): void {
  for (const e of entries) if (e.child.pid) killGroup(e.child.pid, 'SIGKILL');
  for (const pid of markerPids()) killGroup(pid, 'SIGKILL');
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  const onSignal = (sig: NodeJS.Signals, code: number) => {
    log(`${sig}: stopping everything that was started`);
    void cleanupAll(1500).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('SIGHUP', () => onSignal('SIGHUP', 129));
  process.on('exit', killSync);
}

/** Wrap a main function: cleanup always runs; exit code is what main returns (1 on throw). */
export async function runMain(main: () => Promise<number>): Promise<never> {
  installHandlers();
  let code = 1;
  try {
    code = await main();
  } catch (err) {
    log(`FAILED: ${(err as Error).stack ?? err}`);
    code = 1;
  }
  await cleanupAll();
  process.exit(code);
}
