// UI-flow runner: a clean code-server with the extension installed from a .vsix, opened in
// headless Chromium, driven step by step with screenshots under test-results/e2e/ui/.
//
//   node --import tsx test/e2e/ui/run.ts                 real extension: ./qoder-deployments.vsix + local API,
//                                                        in every host of setup.mjs's HOSTS, one after the other
//   --vscode <version>   only the host whose VS Code version starts so, e.g. --vscode 1.104
//                        (or QODER_E2E_VSCODE); with --serve the default is the newest host
//   node --import tsx test/e2e/ui/run.ts --vsix <file>   another .vsix of the real extension
//   node --import tsx test/e2e/ui/run.ts --fixture       throwaway smoke extension (proves the helpers)
//   --only <substring>   run only flows whose name contains it
//   --api-url <url> [--api-token <t>]   use a running local API instead of starting one
//   --serve              demo: start the local API (40 deployments) and code-server with the .vsix,
//                        print the URL and the token, wait (Ctrl+C stops everything); `npm run demo`,
//                        `npm run demo -- --vscode 1.104` for the oldest host (installed on first use)
//   --update-screenshots  also copy the cropped README shots (tree, archive modal en + zh-CN, filter,
//                        runs) to media/screenshots/
//                        (or QODER_E2E_UPDATE_SCREENSHOTS=1)
//   QODER_E2E_HEADED=1   visible browser (needs a display)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../lib/browser';
import { installVsix, QUIET_SETTINGS, startCodeServer, writeUserSettings } from '../lib/codeServer';
import { currentHost, hostLabel, makeRunDir, RESULTS, ROOT, selectHosts, type Host } from '../lib/paths';
import { log, onCleanup, runMain } from '../lib/procs';
import { describeHits, scanForSecrets } from '../lib/tokenScan';
import { packageFixture } from '../lib/vsix';
import { qoderFlows } from './flows/qoder';
import { editFlows } from './flows/edit';
import { chatFlows } from './flows/chat';
import { interactionFlows } from './flows/interaction';
import { smokeFlows } from './flows/smoke';
import type { Flow, FlowContext } from './flows/types';
import { Workbench, callLog } from './workbench';

interface LocalApi {
  baseUrl: string;
  origin: string;
  close(): Promise<void> | void;
}

export const DEMO_TOKEN = 'pt-local-demo';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function startLocalApi(token: string): Promise<LocalApi> {
  const file = join(ROOT, 'test', 'local-api', 'server.ts');
  if (!existsSync(file)) throw new Error(`${file} does not exist yet`);
  const mod = (await import(pathToFileURL(file).href)) as {
    startLocalApi: (o: { port: number; token: string; seed: number; quiet: boolean }) => Promise<LocalApi>;
  };
  const api = await mod.startLocalApi({ port: 0, token, seed: 40, quiet: true });
  onCleanup(() => api.close());
  log(`local API on ${api.baseUrl}`);
  return api;
}

/** Installs the demo's host if needed (setup.mjs, only that host) and selects it for this process. */
async function prepareDemoHost(): Promise<void> {
  const { setup, selectHosts: tableHosts } = (await import(pathToFileURL(join(ROOT, 'test', 'e2e', 'setup.mjs')).href)) as {
    setup: (o: { hosts: unknown[] }) => void;
    selectHosts: (prefix?: string) => Array<{ codeServer: string }>;
  };
  const wanted = tableHosts(argValue('--vscode') ?? process.env.QODER_E2E_VSCODE);
  const host = wanted[wanted.length - 1];
  setup({ hosts: [host] });
  process.env.QODER_E2E_VSCODE = host.codeServer;
}

/**
 * Runs this script once per host (child processes, one after the other) and names the host of
 * each result. Each child prints its own plain `N passed, N failed`.
 */
async function runEachHost(hosts: Host[]): Promise<number> {
  const results: Array<{ host: Host; passed: number; failed: number; code: number }> = [];
  for (const host of hosts) {
    console.log(`\n=== UI flows in ${hostLabel(host)} ===`);
    let tail = '';
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        env: { ...process.env, QODER_E2E_VSCODE: host.codeServer },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout.on('data', (d: Buffer) => {
        process.stdout.write(d);
        tail = (tail + d.toString('utf8')).slice(-4096);
      });
      child.once('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
    });
    const counts = [...tail.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
    results.push({ host, passed: Number(counts?.[1] ?? 0), failed: Number(counts?.[2] ?? (code === 0 ? 0 : 1)), code });
  }
  console.log('\nUI flows, per host:');
  for (const r of results) console.log(`  ${hostLabel(r.host)}: ${r.passed} passed, ${r.failed} failed${r.code !== 0 && r.failed === 0 ? ` (exit code ${r.code})` : ''}`);
  console.log(`${results.reduce((n, r) => n + r.passed, 0)} passed, ${results.reduce((n, r) => n + r.failed, 0)} failed`);
  return results.every((r) => r.code === 0 && r.passed > 0 && r.failed === 0) ? 0 : 1;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const fixture = process.argv.includes('--fixture');
  const serve = process.argv.includes('--serve');
  if (serve) await prepareDemoHost();
  else if (!process.env.QODER_E2E_VSCODE) return runEachHost(selectHosts(argValue('--vscode')));
  const host = currentHost();
  log(`host: ${hostLabel(host)}`);
  const only = argValue('--only');
  const shotsDir = join(RESULTS, fixture ? 'ui-smoke' : 'ui', `code-server-${host.codeServer}`);
  if (!serve) rmSync(shotsDir, { recursive: true, force: true });

  const dir = makeRunDir(serve ? 'demo' : 'ui');
  const ctx: Partial<FlowContext> = {};
  const settings: Record<string, unknown> = { ...QUIET_SETTINGS };
  // The flows read an editor's rendered lines. Sticky headings cover the top lines, and a view
  // scrolled past the end (kept when the document is redrawn shorter) shows only its last lines:
  // both made 'both pending calls at the end of the transcript' fail in 4.139. The demo keeps
  // VS Code's defaults.
  if (!serve) Object.assign(settings, { 'editor.stickyScroll.enabled': false, 'editor.scrollBeyondLastLine': false });
  let vsix: string;
  let flows: Flow[];
  if (fixture) {
    vsix = packageFixture();
    settings['e2eSmoke.greeting'] = 'Hi there';
    flows = smokeFlows;
  } else {
    vsix = argValue('--vsix') ?? join(ROOT, 'qoder-deployments.vsix');
    if (!existsSync(vsix)) throw new Error(`${vsix} not found — run \`npm run package\` first`);
    // a random tail, so the search of the run's files for it afterwards cannot hit by chance
    ctx.apiToken = argValue('--api-token') ?? (serve ? DEMO_TOKEN : `pt-e2e-ui-${randomBytes(10).toString('hex')}`);
    // --api-url: use an already running API (e.g. `npm run local-api`) instead of starting one
    const external = argValue('--api-url');
    ctx.apiBaseUrl = external ?? (await startLocalApi(ctx.apiToken)).baseUrl;
    ctx.apiOrigin = new URL(ctx.apiBaseUrl).origin;
    ctx.readmeShotsDir = join(shotsDir, 'readme');
    settings['qoder.apiBaseUrl'] = ctx.apiBaseUrl;
    // Auto-save on, as in VS Code for the Web: deployment documents must still stay unsent (D9).
    settings['files.autoSave'] = 'afterDelay';
    // the demo shows the Qoder MCP server under "MCP: List Servers", which needs the chat features on
    if (serve) settings['chat.disableAIFeatures'] = false;
    flows = [...qoderFlows, ...editFlows, ...chatFlows, ...interactionFlows];
  }
  if (only) flows = flows.filter((f) => f.name.includes(only));

  writeUserSettings(dir, settings);
  installVsix(dir, vsix);
  ctx.vsix = vsix;
  ctx.settings = settings;
  ctx.runDirs = [dir];
  const cs = await startCodeServer(dir);
  ctx.workbenchUrl = `${cs.url}/?folder=${encodeURIComponent(dir.workspace)}`;

  if (serve) {
    const bar = '─'.repeat(72);
    console.log(
      [
        '',
        bar,
        `  Qoder Deployments demo is running in ${hostLabel(host)} (no Qoder account needed)`,
        '',
        `  1. Open      ${ctx.workbenchUrl}`,
        ...(ctx.apiToken
          ? [
              `  2. Click the Qoder icon in the activity bar, then "Set Personal Access Token"`,
              `  3. Paste     ${ctx.apiToken}`,
              '',
              `  Local Qoder API: ${ctx.apiBaseUrl} (40 seeded deployments)`,
            ]
          : []),
        '',
        '  Ctrl+C stops everything.',
        bar,
        '',
      ].join('\n'),
    );
    await new Promise(() => undefined);
  }

  const browser = await launchChromium(dir);
  const { page } = browser;
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  const wb = new Workbench(page, shotsDir);
  const tOpen = Date.now();
  await page.goto(ctx.workbenchUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await wb.waitReady();
  log(`workbench ready in ${Date.now() - tOpen} ms`);

  let passed = 0;
  let failed = 0;
  // A flow that fails is run once more (a real browser and workbench have timing the flows
  // cannot always wait out); the first failure stays in the log, marked ↻, with its screenshot.
  for (const flow of flows) {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await flow.run(wb, ctx as FlowContext);
        passed++;
        console.log(`  ✔ ${flow.name} (${Date.now() - started} ms${attempt > 1 ? ', on the second try' : ''})`);
        break;
      } catch (err) {
        const where = ((err as Error).stack ?? '').split('\n').find((l) => l.includes('/test/e2e/') && !l.includes('/lib/')) ?? '';
        const last = attempt >= 2;
        console.log(`  ${last ? '✘' : '↻'} ${flow.name}: ${callLog(err as Error)}\n      ${where.trim()}`);
        await wb.screenshot(`${last ? 'FAILED' : 'RETRIED'}-${flow.name}`).catch(() => undefined);
        await wb.escape(3).catch(() => undefined);
        // what the failed try typed must not meet the next one (a document still edited, say)
        await wb.closeAllEditorsDiscarding().catch(() => undefined);
        if (last) {
          failed++;
          break;
        }
      }
    }
  }
  console.log(`screenshots: ${shotsDir}`);

  // The token typed into the workbench must end up nowhere but SecretStorage: search every file
  // of the run (code-server user data: logs incl. the Qoder log channel, User/settings.json,
  // globalStorage, workspaceStorage; the browser profile: IndexedDB with the extension state;
  // the workspace), after closing the browser so that it has flushed its storage.
  if (!fixture && ctx.apiToken && passed > 0) {
    await browser.close();
    const dirs = ctx.runDirs ?? [dir];
    // + a positive control: the API URL is in User/settings.json, so the search must find it
    const control = ctx.apiBaseUrl as string;
    const scan = scanForSecrets(dirs.map((d) => d.root), [ctx.apiToken, control], { secretStorageRoots: dirs.map((d) => d.browserProfile) });
    const controlHits = scan.leaks.filter((h) => h.secret === control).length;
    scan.leaks = scan.leaks.filter((h) => h.secret !== control);
    scan.secretStorage = scan.secretStorage.filter((h) => h.secret !== control);
    const qoderLogs = dirs.flatMap((d) => logFiles(d.userData));
    console.log(`token occurrences found: ${scan.leaks.length}`);
    console.log(
      `  searched ${scan.files} files (${(scan.bytes / 1e6).toFixed(1)} MB) in ${dirs.map((d) => relative(ROOT, d.root)).join(', ')}: ` +
        `${qoderLogs.length} Qoder.log, User/settings.json, globalStorage, workspaceStorage, browser profile, workspace; ` +
        `SecretStorage entries (allowed): ${scan.secretStorage.length}; control string (API URL) found ${controlHits}×`,
    );
    if (controlHits === 0) {
      failed++;
      console.log('  ✘ token search: the control string (the API URL in User/settings.json) was not found: the search is broken');
    }
    if (qoderLogs.length === 0) {
      failed++;
      console.log('  ✘ token search: no Qoder.log found (wrong place?)');
    }
    if (scan.leaks.length) {
      failed++;
      for (const line of describeHits(scan.leaks, ROOT)) console.log(`  ✘ token found: ${line}`);
    }
  }
  if (!fixture && failed === 0 && (process.argv.includes('--update-screenshots') || process.env.QODER_E2E_UPDATE_SCREENSHOTS === '1')) {
    const media = join(ROOT, 'media', 'screenshots');
    mkdirSync(media, { recursive: true });
    for (const [from, to] of [
      ['tree.png', 'tree.png'],
      ['archive-modal.png', 'archive-modal.png'],
      ['archive-modal-zh-cn.png', 'archive-modal-zh-cn.png'],
      ['filter.png', 'filter.png'],
      ['runs.png', 'runs.png'],
      ['run-outcomes.png', 'run-outcomes.png'],
      ['session.png', 'session.png'],
      ['session-failed.png', 'session-failed.png'],
      ['cancel-session-modal.png', 'cancel-session-modal.png'],
      ['attention-notification.png', 'attention-notification.png'],
      ['attention-status-bar.png', 'attention-status-bar.png'],
      ['tree-zh-cn.png', 'tree-zh-cn.png'],
      ['archive-modal-paused.png', 'archive-modal-paused.png'],
      ['chat-mcp-servers.png', 'chat-mcp-servers.png'],
      ['chat-mcp-output.png', 'chat-mcp-output.png'],
      ['waiting-notification.png', 'waiting-notification.png'],
      ['pending-calls.png', 'pending-calls.png'],
      ['allow-modal.png', 'allow-modal.png'],
    ]) {
      const src = join(ctx.readmeShotsDir as string, from);
      if (!existsSync(src)) continue;
      copyFileSync(src, join(media, to));
      console.log(`updated ${join(media, to)}`);
    }
  }
  console.log(`UI run in ${hostLabel(host)} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

void runMain(main);

/** <user-data>/logs/<session>/exthostN/<extension id>/Qoder.log files. */
function logFiles(userData: string): string[] {
  const logs = join(userData, 'logs');
  if (!existsSync(logs)) return [];
  return (readdirSync(logs, { recursive: true }) as string[]).filter((f) => f.endsWith('/Qoder.log')).map((f) => join(logs, f));
}
