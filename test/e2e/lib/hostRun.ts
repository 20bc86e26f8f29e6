// Run a mocha suite inside the real (code-server) extension host: start code-server with the
// smoke-test driver, open the workbench with the `payload` URL parameter in Chromium, forward
// the workbench's codeAutomationLog to stdout and resolve with the codeAutomationExit code.
import { createWriteStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { QUIET_SETTINGS, startCodeServer, writeUserSettings } from './codeServer';
import { makeRunDir, type RunDir } from './paths';
import { log } from './procs';

export interface HostRunOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  /** folder to open; defaults to an empty folder of the run */
  workspace?: string;
  /** extra environment for code-server and so the extension host */
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** whole run (default 10 min, QODER_E2E_TIMEOUT_MS) */
  timeoutMs?: number;
  /** no sign of the extension host / test runner within this time → fail (default 120 s) */
  startTimeoutMs?: number;
}

/** Authority of vscode-remote URIs in the payload (code-server resolves any authority to itself). */
export const REMOTE_AUTHORITY = process.env.QODER_E2E_REMOTE_AUTHORITY || 'remote';

export function remoteUri(absPath: string): string {
  return `vscode-remote://${REMOTE_AUTHORITY}${encodeURI(resolve(absPath))}`;
}

export function payloadUrl(base: string, folder: string, extensionDevelopmentPath: string, extensionTestsPath: string): string {
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remoteUri(extensionDevelopmentPath)],
    ['extensionTestsPath', remoteUri(extensionTestsPath)],
  ]);
  return `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
}

/** codeAutomationLog receives console-style arguments: [format, ...values]. */
function formatArgs(args: unknown): string {
  const list = Array.isArray(args) ? args : [args];
  return format(...list);
}

/** Workbench chatter that is expected offline; kept in logs/workbench.log, not printed. */
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[(reconnection-grace-time|Service Worker|AgentHost[^\]]*|AccountPolicyGate)\]/,
  /^Updating additional builtin extensions cache/,
  /ENOTFOUND/,
  /Timed out waiting for authentication provider/,
];

export async function runInHost(opts: HostRunOptions, dir: RunDir = makeRunDir('host')): Promise<number> {
  for (const p of [opts.extensionDevelopmentPath, opts.extensionTestsPath]) {
    if (!existsSync(p)) throw new Error(`${p} does not exist`);
  }
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.QODER_E2E_TIMEOUT_MS) || 600_000);
  const startTimeoutMs = opts.startTimeoutMs ?? (Number(process.env.QODER_E2E_START_TIMEOUT_MS) || 120_000);
  writeUserSettings(dir, { ...QUIET_SETTINGS, ...(opts.settings ?? {}) });
  // QODER_E2E_RUN_DIR tells the in-host suite where this run keeps user data, logs and the
  // browser profile (e.g. to search them for the token afterwards).
  const cs = await startCodeServer(dir, { // QODER_E2E_SMOKE_DRIVER=0 only exists to prove the no-start watchdog
    smokeTestDriver: process.env.QODER_E2E_SMOKE_DRIVER !== '0', env: { QODER_E2E_RUN_DIR: dir.root, ...(opts.env ?? {}) } });
  const { page } = await launchChromium(dir);

  const wbLogFile = join(dir.logs, 'workbench.log');
  const wbLog = createWriteStream(wbLogFile);
  let started = false;
  let settle: (code: number) => void = () => undefined;
  const exit = new Promise<number>((r) => (settle = r));
  const verbose = !!process.env.QODER_E2E_VERBOSE;

  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    started = true;
    const line = formatArgs(args);
    wbLog.write(`${type} ${line}\n`);
    if (verbose || !WORKBENCH_NOISE.some((re) => re.test(line))) process.stdout.write(`${line}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    started = true;
    log(`workbench reported exit code ${code}`);
    settle(Number(code) || 0);
  });
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  page.on('crash', () => {
    log('page crashed');
    settle(1);
  });
  if (verbose) page.on('console', (m) => log(`[browser ${m.type()}] ${m.text()}`));

  const url = payloadUrl(cs.url, opts.workspace ?? dir.workspace, opts.extensionDevelopmentPath, opts.extensionTestsPath);
  log(`opening ${url}`);
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<number>((r) => {
    timer = setInterval(() => {
      const elapsed = Date.now() - t0;
      if (!started && elapsed > startTimeoutMs) {
        log(`FAILED: the extension host / test runner gave no sign of life within ${startTimeoutMs} ms (is code-server started with --vscode-option enable-smoke-test-driver? see ${cs.logFile})`);
        r(1);
      } else if (elapsed > timeoutMs) {
        log(`FAILED: timed out after ${timeoutMs} ms`);
        r(1);
      }
    }, 1000);
  });
  const code = await Promise.race([exit, watchdog]);
  clearInterval(timer);
  wbLog.end();
  log(`in-host run finished with ${code} after ${Date.now() - t0} ms (logs: ${dir.logs})`);
  return code;
}
