// Start code-server (VS Code server, run with the Node of its host) for one e2e run, in the host
// QODER_E2E_VSCODE selects (lib/paths.ts currentHost()).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { currentHost, hostLabel, isolatedEnv, PATHS, type RunDir } from './paths';
import { log, spawnTracked } from './procs';

export function assertSetupDone(): void {
  const host = currentHost();
  for (const p of [host.nodeExe, host.codeServerEntry, PATHS.pwModule, PATHS.chromium]) {
    if (!existsSync(p)) throw new Error(`e2e: ${p} is missing — run \`node test/e2e/setup.mjs\` first`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Write <user-data-dir>/User/settings.json (must happen before code-server starts). */
export function writeUserSettings(dir: RunDir, settings: Record<string, unknown>): void {
  const userDir = join(dir.userData, 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/** Settings that keep the workbench quiet and deterministic for tests. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.panel.defaultLocation': 'bottom',
};

function codeServerArgs(dir: RunDir): string[] {
  return [currentHost().codeServerEntry, '--extensions-dir', dir.extensions, '--user-data-dir', dir.userData];
}

/** `code-server --install-extension <vsix>` into the run's extensions dir. */
export function installVsix(dir: RunDir, vsix: string): void {
  const started = Date.now();
  const r = spawnSync(currentHost().nodeExe, [...codeServerArgs(dir), '--install-extension', vsix, '--force'], {
    env: isolatedEnv(dir),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`--install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  log(`installed ${vsix} into ${hostLabel(currentHost())} in ${Date.now() - started} ms`);
}

export interface CodeServer {
  port: number;
  url: string;
  logFile: string;
  /** Stops this code-server (its process group) before the end of the run, e.g. a second one. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** VS Code's smoke-test driver (host.smokeDriverArgs): needed for the `payload` URL parameter (in-host tests). */
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
  locale?: string;
  timeoutMs?: number;
}

export async function startCodeServer(dir: RunDir, opts: StartOptions = {}): Promise<CodeServer> {
  assertSetupDone();
  const port = await freePort();
  const args = [
    ...codeServerArgs(dir),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--locale', opts.locale ?? 'en',
  ];
  if (opts.smokeTestDriver) args.push(...currentHost().smokeDriverArgs);
  args.push(dir.workspace);

  const logFile = join(dir.logs, 'code-server.log');
  const out = createWriteStream(logFile);
  const started = Date.now();
  const host = currentHost();
  const child = spawnTracked('code-server', host.nodeExe, args, {
    env: isolatedEnv(dir, opts.env ?? {}),
    cwd: dir.root,
  });
  const verbose = !!process.env.QODER_E2E_VERBOSE;
  child.stdout?.on('data', (d: Buffer) => {
    out.write(d);
    if (verbose) process.stderr.write(`[code-server] ${d}`);
  });
  child.stderr?.on('data', (d: Buffer) => {
    out.write(d);
    if (verbose) process.stderr.write(`[code-server] ${d}`);
  });
  let exitInfo: string | null = null;
  child.once('exit', (code, sig) => {
    exitInfo = `${code ?? sig}`;
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exitInfo !== null) throw new Error(`code-server exited early (${exitInfo}); see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within ${opts.timeoutMs ?? 60_000} ms; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  log(`${hostLabel(host)} up on ${url} in ${Date.now() - started} ms (log: ${logFile})`);
  const exited = new Promise<void>((r) => (exitInfo !== null ? r() : child.once('exit', () => r())));
  const stop = async (): Promise<void> => {
    if (exitInfo !== null || !child.pid) return;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        /* gone */
      }
    };
    kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
    if (!done) kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  };
  return { port, url, logFile, stop };
}
