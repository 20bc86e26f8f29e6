// UI flows against the real extension (qoder-deployments.vsix, installed with
// --install-extension into a clean code-server) and the local Qoder API, driven as a user
// would: activity bar, command palette, masked input box, context menu, modal dialog, title
// buttons. Command titles come from package.json + package.nls.json (cmd('qoder.refresh')), so a
// renamed title does not break the flows. The local API is checked through its /__local/ routes.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, type FrameLocator, type Locator } from '../../lib/browser';
import { installVsix, startCodeServer, writeUserSettings } from '../../lib/codeServer';
import { declareLanguagePack } from '../../lib/locale';
import { makeRunDir, ROOT } from '../../lib/paths';
import { log } from '../../lib/procs';
import { Workbench } from '../workbench';
import { LOCAL_CONTROL_HEADER } from '../../../local-api/server';
import { expect, type Flow, type FlowContext } from './types';

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

/** Resolves `%key%` placeholders with package.nls.json (the English strings). */
export function nls(value: string): string {
  const file = join(ROOT, 'package.nls.json');
  if (!existsSync(file)) return value;
  const strings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return value.replace(/^%(.+)%$/, (m, key: string) => strings[key] ?? m);
}

/** package.nls.<locale>.json (command titles, view names, welcome texts) */
function nlsOf(locale: string): Record<string, string> {
  return JSON.parse(readFileSync(join(ROOT, `package.nls.${locale}.json`), 'utf8')) as Record<string, string>;
}

/** l10n/bundle.l10n.<locale>.json (strings of the code: messages, modal text), keyed by the English text */
function bundleOf(locale: string): Record<string, string> {
  return JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${locale}.json`), 'utf8')) as Record<string, string>;
}

function command(id: string): CommandContribution {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes?: { commands?: CommandContribution[] } };
  const c = pkg.contributes?.commands?.find((x) => x.command === id);
  if (!c) throw new Error(`command ${id} is not contributed in package.json`);
  return c;
}

/** "Category: Title" of a contributed command, as the command palette shows it. */
export function cmd(id: string): string {
  const c = command(id);
  return c.category ? `${nls(c.category)}: ${nls(c.title)}` : nls(c.title);
}

/** The title alone, as context menus and title-button tooltips show it. */
export function title(id: string): string {
  return nls(command(id).title);
}

// ---------------------------------------------------------------- local API (control routes)

interface ApiDeployment {
  id: string;
  name: string;
  status: string;
  archived_at: string | null;
  created_at: string;
  schedule: unknown;
  paused_reason: { type: string } | null;
  metadata?: { cas_config?: { stats?: { total_runs?: number; consecutive_failures?: number } } };
}

interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** arrival, epoch ms */
  at: number;
  authorized: boolean;
  durationMs: number;
  /** the request body as text, when it had one */
  body?: string;
}

export async function control<T>(ctx: FlowContext, method: string, path: string, body?: unknown): Promise<T> {
  expect(ctx.apiOrigin, 'local API origin missing');
  const token = ctx.apiToken ? `?token=${encodeURIComponent(ctx.apiToken)}` : '';
  const res = await fetch(`${ctx.apiOrigin}${path}${path === '/__local/deployments' ? token : ''}`, {
    method,
    headers: body === undefined ? { [LOCAL_CONTROL_HEADER]: '1' } : { [LOCAL_CONTROL_HEADER]: '1', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const deployments = (ctx: FlowContext) => control<ApiDeployment[]>(ctx, 'GET', '/__local/deployments');

interface ApiRun {
  id: string;
  error: { type: string } | null;
  session_id: string | null;
  trigger_context: { type: string };
}

/** The real API route, as the extension calls it (Bearer token). */
async function apiGet<T>(ctx: FlowContext, path: string): Promise<T> {
  expect(ctx.apiBaseUrl && ctx.apiToken, 'local API base URL / token missing');
  const res = await fetch(`${ctx.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${ctx.apiToken}` } });
  if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
export const requests = (ctx: FlowContext) => control<ApiRequest[]>(ctx, 'GET', '/__local/requests');
export const clearRequests = (ctx: FlowContext) => control<unknown>(ctx, 'DELETE', '/__local/requests');

export const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Needs attention, in the API's terms: paused on an error, or failing run after run. */
const attention = (d: ApiDeployment) => !d.archived_at && ((d.status === 'paused' && d.paused_reason?.type === 'error') || (d.metadata?.cas_config?.stats?.consecutive_failures ?? 0) > 0);

/** The view's order from the API's list: needs attention first, then newest first, archived last. */
function viewOrder(list: ApiDeployment[]): ApiDeployment[] {
  const rank = (d: ApiDeployment) => (d.archived_at ? 2 : attention(d) ? 0 : 1);
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || Date.parse(b.d.created_at) - Date.parse(a.d.created_at) || a.i - b.i)
    .map((x) => x.d);
}

/** The side bar's width in a fresh workbench (VS Code's default: 300 px in code-server 4.139 here). */
const DEFAULT_SIDEBAR_PX = 300;

const plainActive = (d: ApiDeployment) => d.archived_at === null && d.status === 'active' && !attention(d) && !!d.schedule && /^[\x20-\x7e]+$/.test(d.name);

/**
 * Whether the first `chars` characters of the description of the row labelled `label` are drawn
 * inside the row (not cut off by the side bar's edge).
 */
async function descriptionStartVisible(wb: Workbench, label: string, chars: number): Promise<boolean> {
  return wb.page.evaluate<boolean>(`(() => {
    const rows = [...document.querySelectorAll('.part.sidebar .monaco-list-row')];
    const row = rows.find((r) => (r.querySelector('.label-name')?.textContent ?? '').trim() === ${JSON.stringify(label)});
    const el = row?.querySelector('.label-description');
    const text = el?.firstChild;
    if (!el || !text || !text.textContent) return false;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, Math.min(${chars}, text.textContent.length));
    const end = range.getBoundingClientRect().right;
    const box = (el.closest('.monaco-icon-label-container') ?? el.parentElement).getBoundingClientRect();
    const bar = document.querySelector('.part.sidebar').getBoundingClientRect();
    return end <= Math.min(box.right, bar.right) + 0.5;
  })()`);
}

/** Texts VS Code gave its screen-reader live regions (aria alerts), newest last. */
async function ariaAlerts(wb: Workbench): Promise<string[]> {
  return wb.page.evaluate<string[]>(`[...document.querySelectorAll('.monaco-alert, [role="alert"]')].map((e) => (e.textContent || '').trim()).filter(Boolean)`);
}
// :visible — rows of a hidden view (e.g. the Explorer's) stay in the DOM
export const SIDEBAR_ROWS = '.part.sidebar .monaco-list-row:visible';

// ---------------------------------------------------------------- steps shared by flows

/** Command palette → "Qoder: Set Personal Access Token" → type the token into the masked box. */
async function setTokenFromPalette(wb: Workbench, ctx: FlowContext, shots: boolean, token = ctx.apiToken): Promise<void> {
  expect(token, 'local API token missing');
  const label = cmd('qoder.setToken');
  await wb.page.keyboard.press('F1');
  const input = wb.quickInput.locator('input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${label}`);
  const row = wb.quickInput.locator('.monaco-list-row').filter({ hasText: new RegExp(`(^|: )${esc(label)}`) }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  if (shots) await wb.screenshot('token-palette');
  await row.click();

  const prompt = await wb.quickInputText();
  expect(/Personal Access Token/.test(prompt), `input box prompt: "${prompt}"`);
  expect((await input.getAttribute('type')) === 'password', 'the token input box is masked');
  await input.fill(token);
  if (shots) await wb.screenshot('token-input');
  await input.press('Enter');
  await wb.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Open the Qoder view; if it shows the welcome view (no token in this browser), set the token. */
export async function ensureSignedIn(wb: Workbench, ctx: FlowContext): Promise<void> {
  await wb.openViewContainer(nls('%container.title%'));
  const welcome = wb.welcomeButton(title('qoder.setToken'));
  const firstRow = wb.page.locator(SIDEBAR_ROWS).first();
  await Promise.race([welcome.waitFor({ state: 'visible', timeout: 30_000 }), firstRow.waitFor({ state: 'visible', timeout: 30_000 })]);
  if (await welcome.isVisible()) {
    await setTokenFromPalette(wb, ctx, false);
    await firstRow.waitFor({ state: 'visible', timeout: 30_000 });
  }
  // a flow that failed half-way may have left a filter on: start from the whole list
  const clear = wb.titleAction(title('qoder.clearFilter'));
  if (await clear.isVisible()) await clear.click();
}

/** Polls `cond` (async) until true; `state` describes the last state for the error. */
export async function waitUntil(cond: () => Promise<boolean>, what: string, timeoutMs: number, state?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state ? ` (${await state()})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Title / prompt of the open quick input once it matches (the widget is reused between steps). */
async function waitForQuickInputText(wb: Workbench, match: RegExp, timeoutMs = 10_000): Promise<string> {
  let text = '';
  await waitUntil(async () => match.test((text = await wb.quickInputText())), `the quick input to show ${match}`, timeoutMs, async () => `"${text}"`);
  return text;
}

// ---------------------------------------------------------------- sessions

/** Text of the visible lines of the active editor. */
async function editorText(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');
}

/** The active editor tab's title. */
async function activeTabTitle(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.editor-group-container.active .tab.active .label-name').first().innerText({ timeout: 10_000 })).trim();
}

/** Scroll the active editor to its end (Ctrl+End) and return what is visible. */
async function editorEndText(wb: Workbench): Promise<string> {
  await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await wb.page.keyboard.press('Control+End');
  await wb.page.waitForTimeout(200);
  return editorText(wb);
}

/** The session report's page: the webview's inner frame (one report is open at a time in these flows). */
export function reportPage(wb: Workbench): FrameLocator {
  return wb.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

/** The report's summary (outcome, error, failed step, facts) as the page shows it. */
export async function reportHead(wb: Workbench): Promise<string> {
  return (await reportPage(wb).locator('#head').innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');
}

/** The report's transcript text. */
async function reportBody(wb: Workbench): Promise<string> {
  return (await reportPage(wb).locator('#body').innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');
}

/** A button of the report's toolbar, by its name. */
export function reportButton(wb: Workbench, name: string): Locator {
  return reportPage(wb).getByRole('button', { name, exact: true });
}

/** Whether `part` of the report (its bounding box, relative to the window) is inside the webview's visible area. */
async function inReportView(wb: Workbench, part: Locator, slack = 48): Promise<boolean> {
  const frame = await wb.page.locator('iframe.webview.ready').last().boundingBox();
  const box = await part.boundingBox({ timeout: 5000 }).catch(() => null);
  return !!frame && !!box && box.y >= frame.y - slack && box.y + Math.min(box.height, 40) <= frame.y + frame.height + slack;
}

/** The colour theme now in use (the item the theme picker opens on). */
async function colorTheme(wb: Workbench): Promise<string | undefined> {
  await wb.runCommand('Preferences: Color Theme');
  const focused = wb.quickInput.locator('.monaco-list-row.focused .label-name').first();
  const shown = await focused.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
  const name = shown ? (await focused.innerText()).trim() : undefined;
  await wb.escape(1);
  return name || undefined;
}

async function selectColorTheme(wb: Workbench, name: string): Promise<void> {
  await wb.runCommand('Preferences: Color Theme');
  // the filtered list opens on the best match; Enter applies it
  await wb.typeInQuickInput(name);
  await wb.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
}

/**
 * How the workbench draws a view container's icon: its CSS mask (the SVG's address and size), the
 * share of the 24×24 px that the SVG it serves covers, and the colours the mask is filled with and
 * drawn on.
 */
async function activityBarIcon(wb: Workbench, selector: string): Promise<{ mask: string; maskSize: string; ink: number; colour: string; background: string }> {
  return wb.page.evaluate(`(async () => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const style = getComputedStyle(el);
    const mask = style.webkitMaskImage || style.maskImage || '';
    const maskSize = style.webkitMaskSize || style.maskSize || '';
    const url = /url\\("?(.*?)"?\\)/.exec(mask)?.[1];
    let ink = 0;
    if (url) {
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 24;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0, 24, 24);
      const px = g.getImageData(0, 0, 24, 24).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] >= 128) n++;
      ink = n / 576;
    }
    const background = getComputedStyle(el.closest('.part.activitybar')).backgroundColor;
    return { mask, maskSize, ink, colour: style.backgroundColor, background };
  })()`);
}

/** WCAG contrast ratio of two CSS rgb()/rgba() colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string): number => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

async function runRow(wb: Workbench, depName: string, label: RegExp, timeoutMs = 30_000): Promise<Locator> {
  const dep = wb.treeRowByLabel(depName);
  await dep.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await dep.getAttribute('aria-expanded')) !== 'true') await dep.click();
  const row = wb.page.locator(`.part.sidebar .monaco-list-row[aria-level="2"]:visible`).filter({ hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  return row;
}

/** Run Now from the context menu, confirming the question (a modal). */
async function runNowFromMenu(wb: Workbench, depName: string): Promise<void> {
  await wb.contextMenu(wb.treeRowByLabel(depName), title('qoder.runDeployment'));
  const ask = await wb.dialogText();
  expect(/Run .* now\?/.test(ask), `the Run Now modal: "${ask}"`);
  await wb.clickDialogButton('Run Now');
  await wb.waitForNotification(/Started a run of/, 20_000);
}

/**
 * A long run's failed step reached with F8 (issue 21): the session of a run whose session failed
 * after its tool calls opens as Markdown ("Open Session as Markdown" when the extension has it,
 * else the run row opens it); from the top, F8 lands on the failed tool call, a Problem of the document.
 */
async function f8ToFailedStep(wb: Workbench, ctx: FlowContext): Promise<void> {
  const listed = (await deployments(ctx)).filter((d) => d.archived_at === null && /^[\x20-\x7e]+$/.test(d.name));
  let pick: ApiDeployment | undefined;
  for (const d of listed) {
    const run = (await apiGet<{ data: ApiRun[] }>(ctx, `/deployments/${d.id}/runs?limit=1`)).data[0];
    if (run?.session_id && (await apiGet<{ status: string }>(ctx, `/sessions/${run.session_id}`)).status === 'terminated') {
      pick = d;
      break;
    }
  }
  expect(pick, 'no deployment whose newest run\'s session failed');
  const row = await runRow(wb, pick.name, /^failed/);
  let asMarkdown = true;
  try {
    command('qoder.openSessionMarkdown');
  } catch {
    asMarkdown = false;
  }
  if (asMarkdown) await wb.contextMenu(row, title('qoder.openSessionMarkdown'));
  else await row.click();
  await waitUntil(async () => (await activeTabTitle(wb).catch(() => '')).startsWith(`${pick.name} · `), 'the session as Markdown', 20_000, () => activeTabTitle(wb).catch(() => '?'));
  const editor = wb.page.locator('.editor-group-container.active .monaco-editor').first();
  await editor.click();
  await wb.page.keyboard.press('Control+Home');
  // F8 visits errors before warnings: the session's error, then the failed tool call (a warning)
  const marker = wb.page.locator('.editor-group-container.active .marker-widget').first();
  const seen: string[] = [];
  for (let i = 0; i < 3 && !seen.some((m) => /WebFetch failed/.test(m)); i++) {
    await wb.page.keyboard.press('F8');
    await marker.waitFor({ state: 'visible', timeout: 15_000 });
    await waitUntil(async () => !seen.includes((await marker.innerText()).replace(/\s+/g, ' ')), 'the next problem', 10_000);
    seen.push((await marker.innerText()).replace(/\s+/g, ' '));
  }
  log(`F8: ${seen.map((m) => m.slice(0, 90)).join(' → ')}`);
  expect(seen.some((m) => /WebFetch failed/.test(m)), `F8 reaches the failed step: ${JSON.stringify(seen)}`);
  // The editor reveals the problem's line after the marker shows (1.139 takes a frame or two).
  await waitUntil(async () => (await editorText(wb)).includes('WebFetch'), 'the failed step on screen', 10_000, () => editorText(wb).then((t) => t.slice(0, 400)).catch(() => '?'));
  await wb.mouseAway();
  await wb.screenshot('session-f8-failed-step');
  await wb.page.keyboard.press('Escape');
  await wb.runCommand('View: Close All Editors');
}

// ---------------------------------------------------------------- flows

export const qoderFlows: Flow[] = [
  {
    name: 'sessions: open a finished run\'s session → its report (summary with names, rendered) → Open as Markdown; a terminated run\'s failure on the report\'s first screen, its link leads to the step',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null && /^[\x20-\x7e]+$/.test(d.name));
      // a deployment whose newest run started a session that finished its turn
      let pick: { d: ApiDeployment; run: ApiRun } | undefined;
      for (const d of listed) {
        const page = await apiGet<{ data: ApiRun[] }>(ctx, `/deployments/${d.id}/runs?limit=1`);
        const run = page.data[0];
        if (!run?.session_id) continue;
        const session = await apiGet<{ status: string }>(ctx, `/sessions/${run.session_id}`);
        // a session waiting for a decision is stored as idle too: only its last status_idle says so
        const idle = await apiGet<{ data: { stop_reason?: { type?: string } }[] }>(ctx, `/sessions/${run.session_id}/events?types=session.status_idle&order=desc&limit=1`);
        if (session.status === 'idle' && idle.data[0]?.stop_reason?.type !== 'requires_action') {
          pick = { d, run };
          break;
        }
      }
      expect(pick, 'no deployment whose newest run has a finished session');
      const { d } = pick;
      const sidebar = await wb.page.locator('.part.sidebar').boundingBox();
      if (sidebar && sidebar.width < 500) await wb.widenSidebar(240);
      const row = await runRow(wb, d.name, /^done · /);
      const label = (await row.innerText()).replace(/\s+/g, ' ').trim();
      expect(/^done · \d+ (s|min)( \d+ min)? · (scheduled|manual) · /.test(label), `run row "${label}"`);
      await wb.mouseAway();
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'run-outcomes', [wb.treeRowByLabel(d.name), row], 4);
      await row.click();
      // the click opens the session's report: the summary first, rendered
      await waitUntil(async () => (await activeTabTitle(wb).catch(() => '')).startsWith(`${d.name} · `), 'the report tab', 20_000, () => activeTabTitle(wb).catch(() => '?'));
      await waitUntil(async () => /Status: done\b/.test(await reportHead(wb).catch(() => '')), 'the report\'s summary', 20_000, () => reportHead(wb).catch(() => '?'));
      const summary = await reportHead(wb);
      expect(/Agent: [^\n]+\(version \d+\)/.test(summary) && !/agent_/.test(summary), `agent name and version: ${summary}`);
      expect(/Environment: [a-z]/.test(summary) && !/env_/.test(summary), 'environment name');
      expect(!/\*\*|\\_|<details>/.test(summary + (await reportBody(wb))), 'rendered, no Markdown source');
      expect(!(await reportButton(wb, 'Stop Run').isVisible()) && (await reportButton(wb, 'Send Message…').isVisible()), 'no Stop Run for a finished run; Send Message… is there');
      await wb.mouseAway();
      await wb.clearNotifications(); // the seed's waiting run may have put a toast over the report
      await wb.screenshot('session-report');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'session', [wb.page.locator('.part.editor')], 0);
      // Open as Markdown: the same session as the source document (Outline, F8, Save Transcript)
      await reportButton(wb, 'Open as Markdown').click();
      await waitUntil(async () => /Status:\*\* done\s/.test(await editorText(wb).catch(() => '')), 'the Markdown document', 20_000, () => editorText(wb).catch(() => '?'));
      const head = await editorText(wb);
      expect(/Agent:\*\* [^\n]+\(version \d+\)/.test(head) && !/Agent:\*\* agent_/.test(head), 'agent name and version');
      await wb.screenshot('session-document');
      const end = await editorEndText(wb);
      expect(/I could not post this summary|Next steps/.test(end), `the report at the end: ${end.slice(-400)}`);
      await wb.runCommand('View: Close All Editors');

      // a terminated run: its failure on the report's first screen, a link to the failing step
      let failed: { d: ApiDeployment } | undefined;
      for (const f of listed) {
        const runs = await apiGet<{ data: ApiRun[] }>(ctx, `/deployments/${f.id}/runs?limit=3`);
        for (const r of runs.data) {
          if (r.session_id && (await apiGet<{ status: string }>(ctx, `/sessions/${r.session_id}`)).status === 'terminated') failed = { d: f };
        }
        if (failed) break;
      }
      expect(failed, 'no deployment with a terminated run among its newest three');
      const failedRow = await runRow(wb, failed.d.name, /^failed: /);
      await failedRow.click();
      await waitUntil(async () => /Status: failed/.test(await reportHead(wb).catch(() => '')), 'the failed run\'s summary', 20_000, () => reportHead(wb).catch(() => '?'));
      const failure = await reportHead(wb);
      expect(/Error: [a-z][^\n]*: The model request failed/.test(failure) && /Failed step: Step \d+ · WebFetch: Request failed: 403/.test(failure), `the error in words and the failed step: ${failure}`);
      const stepLink = reportPage(wb).locator('#head a[href^="#step-"]').first();
      expect(await inReportView(wb, stepLink), 'the failed step\'s link is on the first screen');
      expect(await inReportView(wb, reportPage(wb).locator('#head a[href^="#error-"]').first()), 'the error is on the first screen');
      expect(!(await reportButton(wb, 'Jump to latest').isVisible()), 'a finished run offers no Jump to latest');
      await wb.mouseAway();
      await wb.screenshot('report-terminated-first-screen');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'session-failed', [wb.page.locator('.part.editor')], 0);
      // the link leads to the step
      const anchor = (await stepLink.getAttribute('href'))!.slice(1);
      await stepLink.click();
      await waitUntil(() => inReportView(wb, reportPage(wb).locator(`[id="${anchor}"]`)), 'the failed step in view', 10_000);
      await wb.screenshot('report-failed-step');
      await wb.runCommand('View: Close All Editors');
      await f8ToFailedStep(wb, ctx);
    },
  },
  {
    name: 'sessions: Run Now → the new run\'s report follows it live (Jump to latest once scrolled up) to its end; Stop Run in a second live one\'s report',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null && d.status === 'active' && /^[\x20-\x7e]+$/.test(d.name));
      const d = listed[0];
      expect(d, 'no active deployment');
      await runNowFromMenu(wb, d.name);
      const row = await runRow(wb, d.name, /^(running|started) .*· manual · /, 20_000);
      await row.click();
      // the report of a live run: Stop Run and Send Message… in its toolbar, the summary says live
      await waitUntil(async () => /Status: [^\n]*· live\b/.test(await reportHead(wb).catch(() => '')), 'the live summary', 20_000, () => reportHead(wb).catch(() => '?'));
      await reportButton(wb, 'Stop Run').waitFor({ state: 'visible', timeout: 15_000 });
      expect(await reportButton(wb, 'Send Message…').isVisible(), 'Send Message… in the toolbar');
      await wb.mouseAway();
      await wb.screenshot('report-actions');
      // it follows the tail while at the bottom: the newest block stays in view as blocks arrive
      const blocks = reportPage(wb).locator('#body > .block');
      const early = await blocks.count();
      await waitUntil(async () => (await blocks.count()) > early + 2 && (await inReportView(wb, blocks.last())), 'new blocks, the newest in view', 30_000, async () => `${await blocks.count()} blocks`);
      await wb.screenshot('report-live-follow');
      // scrolled up, it stays put and offers Jump to latest
      await reportPage(wb).locator('#head h1').click();
      await wb.page.keyboard.press('Home');
      const jump = reportButton(wb, 'Jump to latest');
      const offered = await jump.waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false);
      if (offered) {
        expect(await inReportView(wb, reportPage(wb).locator('#head h1')), 'the view stayed at the top');
        await wb.screenshot('report-jump-to-latest');
        await jump.click();
        await waitUntil(() => inReportView(wb, blocks.last()), 'back at the newest block', 10_000);
      } else log('the turn ended before another block arrived: Jump to latest not seen');
      await waitUntil(async () => /turn ended/.test(await reportBody(wb).catch(() => '')) && !/Status: [^\n]*· live\b/.test(await reportHead(wb).catch(() => '')), 'the turn to end (about 20 s)', 60_000);
      expect(!(await reportButton(wb, 'Stop Run').isVisible()), 'no Stop Run once the turn ended');
      await wb.runCommand('View: Close All Editors');

      // a second run, stopped from the report's toolbar (Stop Run → the Cancel Session modal)
      await runNowFromMenu(wb, d.name);
      const second = await runRow(wb, d.name, /^(running|started) .*· manual · /, 20_000);
      await second.click();
      await reportButton(wb, 'Stop Run').waitFor({ state: 'visible', timeout: 20_000 });
      await reportButton(wb, 'Stop Run').click();
      const question = await wb.dialogText();
      expect(question.includes(`Stop the run of “${d.name}” started `) && !/sess_/.test(question), `modal in the user's words: ${question}`);
      const focused = await wb.page.evaluate<string>('document.activeElement ? (document.activeElement.textContent || "").trim() : ""');
      expect(focused === 'Keep Running', `the focused button is "${focused}", not the one that stops the run`);
      await wb.screenshot('cancel-session-modal');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'cancel-session-modal', [wb.dialogBox], 24);
      await wb.clickDialogButton('Stop Run');
      await waitUntil(async () => /■ cancelled/.test(await reportBody(wb).catch(() => '')) && /Status: cancelled/.test(await reportHead(wb).catch(() => '')), 'the cancelled turn', 30_000, () => reportHead(wb).catch(() => '?'));
      expect(!/\bdone\b/.test(await reportHead(wb)), 'a cancelled run never says done');
      await wb.screenshot('session-cancelled');
      await wb.runCommand('View: Close All Editors');
      // the cancelled run as the user sees it: "cancelled", never "done"
      const cancelled = await runRow(wb, d.name, /^cancelled · .*manual · /, 45_000);
      const label = (await cancelled.getAttribute('aria-label')) ?? '';
      expect(/^cancelled · /.test(label) && !/[✓✗●]/.test(label), `the cancelled row's screen-reader label: "${label}"`);
      await wb.mouseAway();
      await wb.screenshot('run-cancelled');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'run-cancelled', [wb.treeRowByLabel(d.name), cancelled], 4);
    },
  },
  {
    name: 'keyboard only: Open Session from the palette picks a run by deployment name and time',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('F1');
      const input = wb.quickInput.locator('input.input');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      // F1 opens the palette with ">" already typed
      await wb.page.keyboard.type(cmd('qoder.openSession'));
      const entry = wb.quickInput.locator('.monaco-list-row').filter({ hasText: cmd('qoder.openSession') }).first();
      await entry.waitFor({ state: 'visible', timeout: 15_000 });
      await wb.page.keyboard.press('Enter');
      const placeholder = wb.page.locator('.quick-input-widget input.input[placeholder="Open the session of which run?"]');
      await placeholder.waitFor({ state: 'visible', timeout: 20_000 });
      const first = wb.quickInput.locator('.monaco-list-row').first();
      await first.waitFor({ state: 'visible', timeout: 20_000 });
      const rows = (await wb.quickInput.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      expect(rows.length > 0 && rows.every((t) => !/sess_|drun_/.test(t)), `runs by name and time, no ids: ${rows.slice(0, 3).join(' / ')}`);
      await wb.screenshot('open-session-palette');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'open-session-palette', [wb.quickInput], 4);
      // Enter opens the highlighted run. Its tab is titled "<deployment> · <start time>": one of the offered rows (whose text joins
      // the name and the time without a space in some hosts).
      await wb.page.keyboard.press('Enter');
      await waitUntil(async () => {
        const [name, time] = (await activeTabTitle(wb).catch(() => '')).split(' · ');
        return name !== undefined && time !== undefined && rows.some((r) => r.startsWith(name) && r.includes(time));
      }, 'the picked run\'s report tab', 20_000, async () => `${JSON.stringify(await activeTabTitle(wb).catch(() => '?'))} among ${JSON.stringify(rows.slice(0, 3))}`);
      // the report is drawn (its page has the focus; the palette opens from it once it is loaded)
      await waitUntil(async () => /Status: /.test(await reportHead(wb).catch(() => '')), 'the picked run\'s report', 20_000);
      await wb.runCommand('View: Close All Editors');
    },
  },
  {
    // Auto-refresh finding it is proved in the in-host suite (it can set the interval and wait on
    // the extension's loads); here a user's Refresh is the load, for what the notification looks like.
    name: 'attention: a deployment paused on error → one notification on the next load, status bar $(warning) Qoder: N need attention',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null && d.status === 'active' && /^[\x20-\x7e]+$/.test(d.name) && !(d.metadata?.cas_config?.stats?.consecutive_failures));
      const d = listed[listed.length - 1];
      expect(d, 'no healthy active deployment');
      await wb.clearNotifications();
      await control(ctx, 'POST', `/__local/pause-on-error`, { id: d.id, errorType: 'environment_not_found_error' });
      await wb.runCommand(cmd('qoder.refresh'));
      const note = await wb.waitForNotification(`“${d.name}” was paused after an error: the environment was not found.`, 30_000);
      log(`notification: ${note}`);
      await wb.screenshot('attention-notification');
      if (ctx.readmeShotsDir) {
        const toast = wb.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: d.name }).first();
        if (await toast.isVisible()) await wb.screenshotOf(ctx.readmeShotsDir, 'attention-notification', [toast], 8);
      }
      const status = wb.page.locator('.statusbar-item').filter({ hasText: /Qoder: \d+ need attention/ }).filter({ has: wb.page.locator('.codicon-warning') }).first();
      await status.waitFor({ state: 'visible', timeout: 15_000 });
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'attention-status-bar', [status], 6);
      // Show: the row is revealed, selected and focused
      const toastOf = (name: string) => wb.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: name }).first();
      const toast = toastOf(d.name);
      if (await toast.isVisible()) {
        await toast.locator('.monaco-button').filter({ hasText: /^Show$/ }).first().click();
        const row = wb.page.locator('.part.sidebar .monaco-list-row[aria-level="1"]').filter({ hasText: d.name }).first();
        await waitUntil(async () => (await row.getAttribute('aria-selected')) === 'true' && ((await row.getAttribute('class')) ?? '').includes('focused'), 'the row selected and focused by Show', 15_000);
        await wb.screenshot('attention-show');
      } else log('the notification toast closed before Show could be clicked');
      // the run button opens the run that caused it: here one that never started a session
      const d2 = listed[listed.length - 2];
      expect(d2, 'a second healthy active deployment');
      await wb.clearNotifications();
      await control(ctx, 'POST', `/__local/fire`, { id: d2!.id, errorType: 'skill_not_found_error' });
      await wb.runCommand(cmd('qoder.refresh'));
      await wb.waitForNotification(`“${d2!.name}” was paused after an error: a skill was not found.`, 30_000);
      const toast2 = toastOf(d2!.name);
      await toast2.waitFor({ state: 'visible', timeout: 10_000 });
      const buttons = (await toast2.locator('.monaco-button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      expect(buttons.includes('Open Failed Run') && buttons.includes('Edit Deployment') && !buttons.includes('Resume'), `buttons for a configuration error: ${buttons.join(', ')}`);
      await toast2.locator('.monaco-button').filter({ hasText: /^Open Failed Run$/ }).first().click();
      const why = await wb.waitForNotification(new RegExp(`The run of “${d2!.name}” at .+ could not start: a skill was not found\\.`), 20_000);
      log(`run button: ${why}`);
      await wb.screenshot('attention-failed-run');
      await wb.clearNotifications();
      // leave the account as the next flows expect it
      for (const x of [d, d2!]) await fetch(`${ctx.apiBaseUrl}/deployments/${x.id}/unpause`, { method: 'POST', headers: { authorization: `Bearer ${ctx.apiToken}` } });
    },
  },

  {
    name: 'welcome view → token from the palette → deployments → archive (cancel, confirm) → show archived',
    async run(wb, ctx) {
      // 1. the Qoder view, before any token: the welcome view (an earlier flow may have signed in)
      await wb.openViewContainer(nls('%container.title%'));
      await wb.waitForView(new RegExp(nls('%view.deployments%')));
      if (await wb.page.locator(SIDEBAR_ROWS).first().isVisible()) await wb.runCommand(cmd('qoder.clearToken'));
      const welcome = wb.page.locator('.part.sidebar .welcome-view-content');
      await welcome.waitFor({ state: 'visible', timeout: 30_000 });
      const welcomeText = (await welcome.innerText()).replace(/\s+/g, ' ');
      expect(/Set Personal Access Token/.test(welcomeText) && /token/i.test(welcomeText), `welcome view text: "${welcomeText}"`);
      await wb.welcomeButton(title('qoder.setToken')).waitFor({ state: 'visible', timeout: 10_000 });
      // the host line appears once the extension has set its context keys
      await welcome.filter({ hasText: /Connects to the custom address in the setting qoder\.apiBaseUrl/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
      await wb.screenshot('welcome');

      // 1b. a rejected token: the reason stays in the welcome view, with Try Again and Set Token
      await setTokenFromPalette(wb, ctx, false, 'pt-not-a-valid-token');
      const failed = welcome.filter({ hasText: 'The last sign-in failed.' }).first();
      await failed.waitFor({ state: 'visible', timeout: 20_000 });
      const failedText = (await welcome.innerText()).replace(/\s+/g, ' ');
      expect(/Qoder rejected the token \(401\)/.test(failedText), `the welcome view says why: "${failedText}"`);
      expect(/Connects to the custom address/.test(failedText), `and where: "${failedText}"`);
      await wb.welcomeButton('Try Again').waitFor({ state: 'visible', timeout: 10_000 });
      await wb.welcomeButton(title('qoder.setToken')).waitFor({ state: 'visible', timeout: 10_000 });
      await wb.clearNotifications();
      await wb.screenshot('sign-in-failed-welcome');

      // What the platform does after a failed run, to a deployment with a short name: the current
      // API shape says nothing of failures in a row, so being paused on an error is what flags a row.
      const short = (await deployments(ctx))
        .filter((d) => d.archived_at === null && d.status === 'active' && [...d.name].length <= 12)
        .sort((a, b) => [...a.name].length - [...b.name].length)[0];
      expect(short, 'the local API has no active deployment with a short name');
      await control(ctx, 'POST', '/__local/pause-on-error', { id: short.id, errorType: 'file_not_found_error' });

      // 2. "Qoder: Set Personal Access Token" from the palette, type the token
      await setTokenFromPalette(wb, ctx, true);

      // 3. the deployments of the local API appear
      const all = await deployments(ctx);
      const listed = all.filter((d) => d.archived_at === null);
      expect(listed.length > 10, `local API has ${listed.length} deployments`);
      await wb.treeRowByLabel(listed[0]!.name).waitFor({ state: 'visible', timeout: 30_000 });
      const rows = await wb.treeRowTexts();
      for (const d of listed.slice(0, 5)) expect(rows.some((r) => r.startsWith(d.name)), `row for ${d.name} missing in ${rows.join(' / ')}`);
      // needs attention first, and at the default side bar width the reason is readable (an
      // earlier flow may have widened the side bar: back to VS Code's default)
      const widthNow = (await wb.page.locator('.part.sidebar').boundingBox())?.width ?? DEFAULT_SIDEBAR_PX;
      if (Math.abs(widthNow - DEFAULT_SIDEBAR_PX) > 4) await wb.widenSidebar(DEFAULT_SIDEBAR_PX - widthNow);
      const ordered = viewOrder(listed);
      const flagged = ordered.filter(attention);
      expect(flagged.length >= 2, `the local API has ${flagged.length} deployments that need attention`);
      const labels = (await wb.page.locator(`${SIDEBAR_ROWS} .label-name`).allInnerTexts()).map((t) => t.trim());
      expect(JSON.stringify(labels.slice(0, flagged.length)) === JSON.stringify(flagged.map((d) => d.name)), `first rows ${labels.slice(0, flagged.length).join(', ')} ≠ flagged ${flagged.map((d) => d.name).join(', ')}`);
      const sidebarWidth = (await wb.page.locator('.part.sidebar').boundingBox())?.width ?? 0;
      const readable: string[] = [];
      for (const d of flagged) {
        const flaggedRow = wb.treeRowByLabel(d.name);
        const description = await wb.treeRowDescription(flaggedRow);
        const reason = description.split(' · ')[0]!;
        expect(/^(\d+ failed in a row|paused: .+)$/.test(reason), `${d.name}: the description starts with the problem: "${description}"`);
        expect(!/\bactive\b/.test(description), `no "active" in "${description}"`);
        const visible = await descriptionStartVisible(wb, d.name, reason.length);
        if (visible) readable.push(d.name);
        // a short name leaves room for the whole reason; a long one may push it past the edge
        // (the tooltip and the accessibility label still start with it)
        if ([...d.name].length <= 12) expect(visible, `${d.name}: "${reason}" is cut off at ${Math.round(sidebarWidth)} px`);
      }
      expect(readable.length >= 1, 'at least one flagged reason readable');
      log(`default side bar ${Math.round(sidebarWidth)} px: reason fully visible for ${readable.length} of ${flagged.length} flagged rows (${readable.join(', ')})`);
      await wb.mouseAway(); // no hover tooltip over the tree
      await wb.screenshot('tree');
      if (ctx.readmeShotsDir) {
        await wb.screenshotOf(ctx.readmeShotsDir, 'tree', [wb.page.locator('.part.activitybar'), wb.page.locator('.part.sidebar')]);
      }

      // 4. right-click a deployment → Archive Deployment → the modal; Cancel
      const target = listed.slice(1).find((d) => d.status === 'active' && /^[\x20-\x7e]+$/.test(d.name)) ?? listed[1]!;
      log(`archiving ${target.name} (${target.id})`);
      const row = wb.treeRowByLabel(target.name);
      await clearRequests(ctx);
      const archiveTitle = title('qoder.archiveDeployment');
      await wb.contextMenu(row, archiveTitle, 15_000, () => wb.screenshot('context-menu'));
      const text = await wb.dialogText();
      expect(text.includes(target.name), `the modal names ${target.name}: "${text}"`);
      expect(/cannot be undone/.test(text), `the modal says it cannot be undone: "${text}"`);
      const buttons = await wb.dialogButtons();
      expect(buttons.includes('Archive') && buttons.includes('Cancel'), `buttons: ${buttons.join(', ')}`);
      await wb.screenshot('archive-modal');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'archive-modal', [wb.dialogBox], 24);
      await wb.clickDialogButton('Cancel');
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      const afterCancel = (await requests(ctx)).filter((r) => r.method === 'POST' && r.path.endsWith('/archive'));
      expect(afterCancel.length === 0, `Cancel sent ${afterCancel.length} archive request(s)`);
      expect((await deployments(ctx)).find((d) => d.id === target.id)?.archived_at === null, 'still unarchived after Cancel');
      await wb.screenshot('after-cancel');

      // 5. again, and press "Archive": the row leaves the view
      await wb.contextMenu(row, archiveTitle);
      expect((await wb.dialogText()).includes(target.name), 'the modal names the deployment again');
      await wb.clickDialogButton('Archive');
      await row.waitFor({ state: 'detached', timeout: 20_000 });
      const note = await wb.waitForNotification(/^Archived /);
      expect(note.includes(target.name), `notification: "${note}"`);
      await wb.screenshot('archived');

      // 6. the local API has it archived, renamed <name>_archived_<ts>
      const posts = (await requests(ctx)).filter((r) => r.method === 'POST' && r.path.endsWith(`/deployments/${target.id}/archive`));
      expect(posts.length === 1 && posts[0]!.status === 200, `archive requests: ${JSON.stringify(posts)}`);
      const now = (await deployments(ctx)).find((d) => d.id === target.id);
      expect(now?.archived_at, `archived_at not set: ${JSON.stringify(now)}`);
      expect(new RegExp(`^${esc(target.name)}_archived_\\d+$`).test(now.name), `new name "${now.name}"`);
      log(`local API: ${target.id} archived_at=${now.archived_at} name=${now.name}`);

      // 7. "Show Archived Deployments" (eye button in the view's title): there it is, marked
      await wb.titleAction(title('qoder.showArchived')).click();
      // labelled with its original name, and last: once the list with archived ones has loaded,
      // go to the end of the (virtualised) list
      await waitUntil(async () => (await requests(ctx)).some((r) => r.method === 'GET' && /\/deployments$/.test(r.path) && r.query.include_archived === 'true' && r.status === 200), 'the list with archived deployments', 20_000);
      await wb.page.locator(SIDEBAR_ROWS).first().click();
      const archivedRows = wb.page.locator(SIDEBAR_ROWS).locator('.label-description', { hasText: /^archived/ });
      await waitUntil(async () => {
        await wb.page.keyboard.press('End');
        return (await archivedRows.count()) > 0;
      }, 'an archived row at the end of the list', 20_000);
      const archivedRow = wb.page.locator(SIDEBAR_ROWS).filter({ has: wb.page.locator('.label-description', { hasText: /^archived/ }) }).filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^\\s*${esc(target.name)}\\s*$`) }) }).first();
      await archivedRow.waitFor({ state: 'visible', timeout: 20_000 });
      const description = await wb.treeRowDescription(archivedRow);
      expect(description.startsWith('archived'), `description of the archived row: "${description}"`);
      await wb.mouseAway();
      await wb.screenshot('show-archived');

      // back to the default list (and the first row collapsed again)
      await wb.titleAction(title('qoder.hideArchived')).click();
      await archivedRow.waitFor({ state: 'detached', timeout: 20_000 });
      await wb.page.locator(SIDEBAR_ROWS).last().click(); // scrolled to the end: the last row is in view
      await wb.page.keyboard.press('Home');
      await wb.page.keyboard.press('ArrowLeft');
    },
  },
  {
    name: 'filter: title button → status "Paused" → empty name → only paused rows, "Filtered: …" → Clear Filter',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications(); // no toast of an earlier flow in the screenshots
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null);
      const paused = viewOrder(listed).filter((d) => d.status === 'paused').map((d) => d.name);
      expect(paused.length >= 2 && paused.length < listed.length, `the local API has ${paused.length} paused of ${listed.length}`);
      await wb.treeRowByLabel(listed[0]!.name).waitFor({ state: 'visible', timeout: 30_000 });
      await clearRequests(ctx);

      // the filter icon in the view's title → status pick → name box
      await wb.titleAction(title('qoder.filter')).click();
      const step1 = await wb.quickInputText();
      expect(/status/i.test(step1), `step 1 of the filter: "${step1}"`);
      const choices = (await wb.quickInput.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      expect(choices.some((c) => c.startsWith(`Paused (${paused.length})`)), `the status step shows counts: ${choices.join(' / ')}`);
      expect(choices.some((c) => c.startsWith(`Needs attention (${listed.filter(attention).length})`)), `needs attention with its count: ${choices.join(' / ')}`);
      await wb.screenshot('filter-status-counts');
      await wb.pickQuickItem(/^\s*Paused/);
      const step2 = await waitForQuickInputText(wb, /name/i);
      expect(/leave empty/i.test(step2) || /name/i.test(step2), `step 2 of the filter: "${step2}"`);
      await wb.typeInQuickInput('');
      await wb.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });

      // only the paused rows, and the message line
      const message = wb.page.locator('.part.sidebar').getByText(/^Filtered: /).first();
      await message.waitFor({ state: 'visible', timeout: 10_000 });
      const msg = (await message.innerText()).trim();
      expect(msg.startsWith(`Filtered: paused (${paused.length} of ${listed.length} shown)`), `message: "${msg}"`);
      const rows = wb.page.locator(SIDEBAR_ROWS);
      await waitUntil(async () => (await rows.count()) === paused.length, `${paused.length} rows`, 10_000, async () => `${await rows.count()} rows`);
      const labels = (await rows.locator('.label-name').allInnerTexts()).map((t) => t.trim());
      expect(JSON.stringify(labels) === JSON.stringify(paused), `rows ${labels.join(', ')} ≠ paused ${paused.join(', ')}`);
      for (const d of (await rows.locator('.label-description').allInnerTexts()).map((t) => t.trim())) expect(/^paused/.test(d), `description "${d}"`);
      const sent = (await requests(ctx)).filter((r) => r.method === 'GET' && /\/deployments$/.test(r.path));
      expect(sent.length === 0, `filtering sent ${sent.length} list request(s)`);
      await wb.mouseAway();
      await wb.screenshot('filter');
      if (ctx.readmeShotsDir) {
        await wb.screenshotOf(ctx.readmeShotsDir, 'filter', [wb.page.locator('.part.sidebar .composite.title'), message, rows.last()], 2);
      }

      // Clear Filter (title button): every row is back
      await wb.titleAction(title('qoder.clearFilter')).click();
      await message.waitFor({ state: 'detached', timeout: 10_000 });
      const firstActive = listed.find((d) => d.status === 'active')!;
      await wb.treeRowByLabel(firstActive.name).waitFor({ state: 'visible', timeout: 10_000 });
      await wb.treeRowByLabel(listed[0]!.name).waitFor({ state: 'visible', timeout: 10_000 });
      await wb.titleAction(title('qoder.filter')).waitFor({ state: 'visible', timeout: 10_000 });
      expect((await rows.count()) > paused.length, 'all rows are back');
    },
  },
  {
    name: 'filter as you type, and the "No deployments match the filter" welcome with Clear Filter',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null);
      const rows = wb.page.locator(SIDEBAR_ROWS);
      await wb.treeRowByLabel(listed[0]!.name).waitFor({ state: 'visible', timeout: 30_000 });
      await wb.titleAction(title('qoder.filter')).click();
      await wb.pickQuickItem(/^\s*All statuses/);
      await waitForQuickInputText(wb, /name/i);
      // typed, not submitted: the tree follows after a short pause
      const part = 'lint';
      const matching = listed.filter((d) => d.name.toLowerCase().includes(part)).length;
      expect(matching >= 1 && matching < listed.length, `${matching} names contain "${part}"`);
      await wb.typeInQuickInput(part, { submit: false });
      await waitUntil(async () => (await rows.count()) === matching, `${matching} rows while typing "${part}"`, 10_000, async () => `${await rows.count()} rows`);
      expect(await wb.quickInput.isVisible(), 'still typing: the name box is open');
      await wb.screenshot('filter-as-you-type');
      // a name that matches nothing, then Enter: the welcome content, not a blank view
      await wb.typeInQuickInput('zz-no-such-deployment');
      await wb.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
      const welcome = wb.page.locator('.part.sidebar .welcome-view-content').filter({ hasText: 'No deployments match the filter.' }).first();
      await welcome.waitFor({ state: 'visible', timeout: 10_000 });
      const clear = wb.welcomeButton(title('qoder.clearFilter'));
      await clear.waitFor({ state: 'visible', timeout: 10_000 });
      await wb.mouseAway();
      await wb.screenshot('filter-empty-welcome');
      await clear.click();
      await wb.treeRowByLabel(listed[0]!.name).waitFor({ state: 'visible', timeout: 10_000 });
      expect((await rows.count()) > matching, 'every row is back');
    },
  },
  {
    name: 'palette pickers take a plain Enter; confirmations are announced; "Nothing selected"; Run Now asks in a modal',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null);
      const target = listed.find((d) => plainActive(d) && d.name.length > 12)!;
      expect(target, 'a plain active deployment');
      await clearRequests(ctx);

      // Pause from the palette: type the name, Enter (no Space)
      await wb.runCommand(cmd('qoder.pauseDeployment'));
      await wb.typeInQuickInput(target.name, { submit: false });
      await wb.quickInput.locator('.monaco-list-row').filter({ hasText: target.name }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await wb.screenshot('pause-picker-typed');
      await wb.page.keyboard.press('Enter');
      await wb.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
      await waitUntil(async () => (await deployments(ctx)).find((d) => d.id === target.id)?.status === 'paused', `${target.name} paused in the API`, 15_000);
      const paused = await wb.waitForNotification(`Paused “${target.name}”`);
      await wb.screenshot('pause-announced');
      await waitUntil(async () => (await ariaAlerts(wb)).some((a) => a.includes(paused)), 'the confirmation in the screen-reader alert region', 10_000, async () => (await ariaAlerts(wb)).join(' / '));

      // Resume the same way
      await wb.runCommand(cmd('qoder.resumeDeployment'));
      await wb.typeInQuickInput(target.name, { submit: false });
      await wb.quickInput.locator('.monaco-list-row').filter({ hasText: target.name }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await wb.page.keyboard.press('Enter');
      await waitUntil(async () => (await deployments(ctx)).find((d) => d.id === target.id)?.status === 'active', `${target.name} active again`, 15_000);
      await wb.waitForNotification(`Resumed “${target.name}”`);

      // Enter on a text that matches nothing: said, not silent
      await wb.runCommand(cmd('qoder.pauseDeployment'));
      await wb.typeInQuickInput('zz-no-such-deployment');
      await wb.waitForNotification('Nothing selected.');
      await wb.screenshot('nothing-selected');
      const posts = (await requests(ctx)).filter((r) => r.method === 'POST');
      expect(posts.length === 2, `one pause and one resume: ${JSON.stringify(posts.map((r) => r.path))}`);

      // Run Now: a modal with Cancel; Cancel sends nothing
      await clearRequests(ctx);
      await wb.contextMenu(wb.treeRowByLabel(target.name), title('qoder.runDeployment'));
      const text = await wb.dialogText();
      expect(text.includes(`Run “${target.name}” now?`), `run modal: "${text}"`);
      const buttons = await wb.dialogButtons();
      expect(buttons.includes('Run Now') && buttons.includes('Cancel'), `buttons: ${buttons.join(', ')}`);
      await wb.screenshot('run-now-modal');
      await wb.clickDialogButton('Cancel');
      expect((await requests(ctx)).filter((r) => r.method === 'POST').length === 0, 'Cancel sends no run');
    },
  },
  {
    name: 'archive modal of a paused deployment says no runs are scheduled; which button has the focus',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const listed = viewOrder((await deployments(ctx)).filter((d) => d.archived_at === null));
      const target = listed.find((d) => d.status === 'paused' && d.paused_reason?.type === 'manual')!;
      expect(target, 'a paused deployment');
      await clearRequests(ctx);
      await wb.contextMenu(wb.treeRowByLabel(target.name), title('qoder.archiveDeployment'));
      const text = await wb.dialogText();
      expect(/It is paused, so no runs are scheduled/.test(text), `paused archive modal: "${text}"`);
      expect(!/These will not happen/.test(text), `no runs listed for a paused deployment: "${text}"`);
      expect(text.replace(/\u2011/g, '-').includes(`${target.name}_archived_<timestamp>`), `the new name on its own line: "${text}"`);
      const focused = await wb.page.evaluate<string>('document.activeElement ? (document.activeElement.textContent || "").trim() : ""');
      log(`archive modal: the focused button is "${focused}" (the message API has no way to choose it)`);
      await wb.screenshot('archive-modal-paused');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'archive-modal-paused', [wb.dialogBox], 24);
      await wb.clickDialogButton('Cancel');
      expect((await requests(ctx)).filter((r) => r.method === 'POST').length === 0, 'Cancel sends nothing');
    },
  },
  {
    name: 'Switch Region marks the current entry and offers Global (default), China, Custom…; details titled by name',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.runCommand(cmd('qoder.switchRegion'));
      const items = wb.quickInput.locator('.monaco-list-row');
      await items.filter({ hasText: 'Global (default)' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const texts = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      expect(texts.length === 3, `three entries: ${texts.join(' / ')}`);
      expect(texts[0]!.startsWith('Global (default)') && texts[1]!.startsWith('China') && texts[2]!.startsWith('Custom…'), `entries: ${texts.join(' / ')}`);
      expect(/current/.test(texts[2]!) && !/current/.test(texts[0]! + texts[1]!), `the custom URL is marked current: ${texts.join(' / ')}`);
      await wb.screenshot('switch-region');
      await wb.escape(1);
      await wb.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });

      // Show Deployment Details: the tab is titled by the name, id/name/status/schedule first
      const listed = viewOrder((await deployments(ctx)).filter((d) => d.archived_at === null));
      const target = listed.find(plainActive)!;
      await wb.contextMenu(wb.treeRowByLabel(target.name), title('qoder.showDeploymentDetails'));
      const tab = wb.page.locator('.tabs-container .tab .label-name', { hasText: `${target.name} · details` }).first();
      await tab.waitFor({ state: 'visible', timeout: 15_000 });
      const editorText = (await wb.page.locator('.editor-instance .view-lines').first().innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');
      const keys = [...editorText.matchAll(/^\s{2}"(\w+)":/gm)].map((m) => m[1]);
      expect(JSON.stringify(keys.slice(0, 4)) === JSON.stringify(['id', 'name', 'status', 'schedule']), `first keys: ${keys.slice(0, 6).join(', ')}`);
      await wb.screenshot('details-titled-by-name');
      await wb.runCommand('View: Close All Editors');
    },
  },
  {
    name: 'several rows selected: Pause is offered when every selected row allows it',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      const listed = viewOrder((await deployments(ctx)).filter((d) => d.archived_at === null));
      // two neighbours, both active: select one, extend the selection with Shift+Down
      const i = listed.findIndex((d, k) => plainActive(d) && !!listed[k + 1] && plainActive(listed[k + 1]!));
      const a = listed[i];
      const b = listed[i + 1];
      expect(a && b, 'two neighbouring plain active deployments');
      await wb.treeRowByLabel(a.name).click();
      await wb.page.keyboard.press('ArrowLeft'); // the click may have expanded it
      const selectedRows = () => wb.page.locator(`${SIDEBAR_ROWS}.selected`).count();
      // a Shift+click that lands while the tree is still redrawing the first click is lost: try again
      await waitUntil(async () => {
        if ((await selectedRows()) !== 2) await wb.treeRowByLabel(b.name).click({ modifiers: ['Shift'] } as never);
        return (await selectedRows()) === 2;
      }, 'two rows selected', 10_000, async () => `${await selectedRows()} selected`);
      await wb.treeRowByLabel(b.name).click({ button: 'right' });
      const menu = wb.page.locator('.context-view .monaco-menu');
      await menu.waitFor({ state: 'visible', timeout: 10_000 });
      const items = await wb.contextMenuItems();
      await wb.screenshot('multi-select-menu');
      await wb.escape(1);
      const selected = await wb.page.locator(`${SIDEBAR_ROWS}.selected`).count();
      log(`multi-selection of ${selected} rows: context menu ${items.join(' | ')}`);
      expect(selected === 2, `two rows selected, got ${selected}`);
      expect(items.includes(title('qoder.pauseDeployment')), `Pause offered for two active rows: ${items.join(', ')}`);
      expect(!items.includes(title('qoder.resumeDeployment')), `Resume not offered: ${items.join(', ')}`);
    },
  },
  {
    name: 'failure streak: a deployment whose newest runs could not start leads with "N failed in a row", the warning icon and the status bar count',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null && d.status === 'active' && !(d.metadata?.cas_config?.stats?.consecutive_failures));
      // the local API's seed has deployments whose newest runs all failed before a session started
      const pages = await Promise.all(listed.map(async (d) => ({ d, page: await apiGet<{ data: ApiRun[] }>(ctx, `/deployments/${d.id}/runs?limit=10`) })));
      const streakOf = (runs: ApiRun[]) => {
        let n = 0;
        for (const r of runs) if (r.error) n++; else break;
        return n;
      };
      const pick = pages.filter((c) => streakOf(c.page.data) >= 3).sort((a, b) => streakOf(b.page.data) - streakOf(a.page.data))[0];
      expect(pick, 'no deployment whose newest runs failed in a row');
      const { d } = pick!;
      const streak = streakOf(pick!.page.data);
      log(`failure streak: ${d.name}, ${streak} or more failed in a row`);
      const row = wb.treeRowByLabel(d.name);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      const flagged = wb.page.locator('.part.sidebar .monaco-list-row[aria-level="1"]').filter({ hasText: /\d+\+? failed in a row/ }).filter({ hasText: d.name }).first();
      await flagged.waitFor({ state: 'visible', timeout: 30_000 });
      const label = (await flagged.getAttribute('aria-label')) ?? '';
      expect(new RegExp(`^${streak}\\+? failed in a row, `).test(label) || /^\d+\+? failed in a row, /.test(label), `the row's screen-reader label leads with the streak: "${label}"`);
      expect((await flagged.locator('.codicon-warning').count()) > 0, 'the warning icon, not the green check');
      const status = wb.page.locator('.statusbar-item').filter({ hasText: /Qoder: \d+ need attention/ }).first();
      await status.waitFor({ state: 'visible', timeout: 15_000 });
      await wb.mouseAway();
      await wb.screenshot('failure-streak');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'failure-streak', [flagged], 4);
      await row.click(); // collapse again for the flows that follow
    },
  },
  {
    name: 'run history: expand a deployment → runs (trigger · time, outcome) and "Load more runs…"',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      const listed = (await deployments(ctx)).filter((d) => d.archived_at === null);
      // one with more runs than a page (10); best an ASCII name with a failed run on the first page
      // (the current API shape carries no run counts: a first page that says has_more tells)
      const pages = await Promise.all(listed.map(async (d) => ({ d, page: await apiGet<{ data: ApiRun[]; has_more?: boolean }>(ctx, `/deployments/${d.id}/runs?limit=10`) })));
      const firstPages = pages.filter((c) => c.page.has_more === true);
      expect(firstPages.length, 'the local API has no deployment with more than 10 runs');
      const ascii = (x: ApiDeployment) => /^[\x20-\x7e]+$/.test(x.name);
      const failing = (p: { data: ApiRun[] }) => p.data.some((r) => r.error);
      const { d, page } =
        firstPages.find((c) => ascii(c.d) && failing(c.page)) ?? firstPages.find((c) => failing(c.page)) ?? firstPages.find((c) => ascii(c.d)) ?? firstPages[0]!;
      expect(page.data.length === 10, `first page of runs: ${page.data.length}`);
      log(`run history of ${d.name} (more than 10 runs)`);

      const row = wb.treeRowByLabel(d.name);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await row.click();
      const more = wb.page.locator(SIDEBAR_ROWS).filter({ hasText: 'Load more runs…' }).first();
      await more.waitFor({ state: 'visible', timeout: 20_000 });
      const runRows = wb.page.locator(`.part.sidebar .monaco-list-row[aria-level="2"]:visible`).filter({ hasNotText: 'Load more runs…' });
      const texts = (await runRows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      expect(texts.length === 10, `10 runs under ${d.name}, got ${texts.length}: ${texts.join(' / ')}`);
      for (const [i, t] of texts.entries()) {
        const r = page.data[i]!;
        const trigger = { manual: 'manual', schedule: 'scheduled', retry: 'retry' }[r.trigger_context.type] ?? r.trigger_context.type;
        // The row leads with the outcome: the run's error, or its session's status (fetched lazily).
        expect(r.error ? t.startsWith('could not start: ') : /^(started|running|done|failed|cancelled|waiting for your decision)\b/.test(t), `run ${i}: "${t}" should lead with the outcome in words`);
        expect(t.includes(` · ${trigger} · `), `run ${i}: "${t}" should name the trigger "${trigger}"`);
      }
      await wb.mouseAway();
      await wb.screenshot('runs');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'runs', [row, more], 4);

      // "Load more runs…" fetches the next page
      await clearRequests(ctx);
      await more.click();
      const rowsNear = async () => {
        const all = wb.page.locator('.part.sidebar .monaco-list-row');
        const rows: string[] = [];
        for (let i = 0; i < Math.min(await all.count(), 40); i++) {
          const r = all.nth(i);
          rows.push(`${await r.getAttribute('aria-level')}:${(await r.innerText()).replace(/\s+/g, ' ').slice(0, 40)}`);
        }
        return rows.join(' | ');
      };
      await waitUntil(async () => (await runRows.count()) > 10, 'more runs after "Load more runs…"', 15_000, async () => `${await runRows.count()} runs; rows: ${await rowsNear()}`);
      const runRequests = (await requests(ctx)).filter((r) => r.method === 'GET' && r.path.endsWith(`/deployments/${d.id}/runs`));
      expect(runRequests.length === 1 && runRequests[0]!.status === 200, `run requests: ${JSON.stringify(runRequests)}`);
      // collapse again
      await row.click();
      await more.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    },
  },
  {
    name: 'zh-CN: a clean code-server in Chinese → token from the palette → right-click → 归档部署 → the modal in Chinese → Cancel',
    async run(wb, ctx) {
      expect(ctx.vsix && ctx.settings && ctx.apiToken, 'needs the .vsix, the settings and the token');
      const nlsZh = nlsOf('zh-cn');
      const zh = bundleOf('zh-cn');
      const t = (english: string) => {
        const v = zh[english];
        expect(v, `no zh-cn translation of "${english}"`);
        return v;
      };
      const dir = makeRunDir('zh');
      ctx.runDirs?.push(dir);
      writeUserSettings(dir, ctx.settings);
      installVsix(dir, ctx.vsix);
      declareLanguagePack(dir, 'zh-cn');
      const cs = await startCodeServer(dir, { locale: 'zh-cn' });
      const browser = await launchChromium(dir);
      try {
        const zwb = new Workbench(browser.page, join(wb.shotsDir, 'zh-cn'));
        await zwb.page.goto(`${cs.url}/?folder=${encodeURIComponent(dir.workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
        await zwb.waitReady();

        // the view and its welcome text in Chinese
        await zwb.openViewContainer(nlsZh['container.title']!);
        await zwb.waitForView(new RegExp(esc(nlsZh['view.deployments']!)));
        const welcome = zwb.page.locator('.part.sidebar .welcome-view-content');
        await welcome.waitFor({ state: 'visible', timeout: 30_000 });
        const welcomeText = (await welcome.innerText()).replace(/\s+/g, ' ');
        const firstLine = nlsZh['welcome.noToken']!.split('\n')[0]!;
        expect(welcomeText.includes(firstLine), `welcome text "${welcomeText}" lacks "${firstLine}"`);

        // token from the palette: "Qoder: 设置个人访问令牌"
        const label = `${nlsZh.category}: ${nlsZh['command.setToken']}`;
        await zwb.page.keyboard.press('F1');
        const input = zwb.quickInput.locator('input.input');
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        await input.fill(`>${label}`);
        await zwb.quickInput.locator('.monaco-list-row').filter({ hasText: new RegExp(`(^|: )${esc(label)}`) }).first().click({ timeout: 15_000 });
        const prompt = await waitForQuickInputText(zwb, /令牌/);
        expect(prompt.includes(t('Qoder Personal Access Token')), `token box title/prompt in Chinese: "${prompt}"`);
        expect((await input.getAttribute('type')) === 'password', 'the token input box is masked');
        await input.fill(ctx.apiToken);
        await input.press('Enter');
        await zwb.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });

        // a deployment with a Chinese name (CJK font installed by setup), else any active one
        const listed = (await deployments(ctx)).filter((d) => d.archived_at === null && d.status === 'active');
        const target = listed.find((d) => /^[\u4e00-\u9fff]+$/.test(d.name) && !(d.metadata?.cas_config?.stats?.consecutive_failures ?? 0)) ?? listed[1]!;
        const row = zwb.treeRowByLabel(target.name);
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        const description = await zwb.treeRowDescription(row);
        expect(!description.includes(t('active')) && /[\u4e00-\u9fff]/.test(description), `row description in Chinese, without "active": "${description}"`);
        // a flagged row leads with its reason in Chinese (连续失败 …)
        const flagged = viewOrder(await deployments(ctx)).find((d) => attention(d) && (d.metadata?.cas_config?.stats?.consecutive_failures ?? 0) > 0);
        if (flagged) {
          const n = flagged.metadata?.cas_config?.stats?.consecutive_failures ?? 0;
          const reason = t('{0} failed in a row').replace('{0}', String(n));
          const flaggedDescription = await zwb.treeRowDescription(zwb.treeRowByLabel(flagged.name));
          expect(flaggedDescription.startsWith(reason), `flagged row in Chinese starts with "${reason}": "${flaggedDescription}"`);
        }
        await zwb.mouseAway();
        await zwb.screenshot('zh-cn-tree');
        if (ctx.readmeShotsDir) await zwb.screenshotOf(ctx.readmeShotsDir, 'tree-zh-cn', [zwb.page.locator('.part.activitybar'), zwb.page.locator('.part.sidebar')]);
        await clearRequests(ctx);

        // right-click → 归档部署 → the modal, in Chinese
        await zwb.contextMenu(row, nlsZh['command.archiveDeployment']!);
        const text = await zwb.dialogText();
        const [before, after] = t('Archive deployment {0}?').split('{0}');
        expect(text.includes(`${before}“${target.name}”${after}`), `modal title: expected "${before}“${target.name}”${after}" in "${text}"`);
        const undone = t('This cannot be undone: the Qoder API has no way to unarchive a deployment.');
        expect(text.includes(undone), `modal: "${undone}" missing in "${text}"`);
        expect(/无法撤[消销]/.test(text), 'the modal says it cannot be undone (无法撤消)');
        const buttons = await zwb.dialogButtons();
        expect(buttons.includes(t('Archive')), `buttons: ${buttons.join(', ')}`);
        const cancel = buttons.find((b) => b !== t('Archive'));
        expect(cancel, `a Cancel button: ${buttons.join(', ')}`);
        log(`zh-CN modal buttons: ${buttons.join(' | ')}`);
        await zwb.screenshot('zh-cn-archive-modal');
        if (ctx.readmeShotsDir) await zwb.screenshotOf(ctx.readmeShotsDir, 'archive-modal-zh-cn', [zwb.dialogBox], 24);
        await zwb.clickDialogButton(cancel);
        await row.waitFor({ state: 'visible', timeout: 10_000 });
        const posts = (await requests(ctx)).filter((r) => r.method === 'POST' && r.path.endsWith('/archive'));
        expect(posts.length === 0, `Cancel sent ${posts.length} archive request(s)`);
        expect((await deployments(ctx)).find((d) => d.id === target.id)?.archived_at === null, 'still unarchived after Cancel');
      } finally {
        await browser.close();
        await cs.stop();
      }
    },
  },
  {
    name: 'first row visible after opening the view (1,000 deployments)',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx); // the token is kept in the browser profile (secret storage)
      await control(ctx, 'POST', '/__local/reset', { seed: 1000 });
      // A window on another (empty) folder: a fresh extension host, and no remembered view state,
      // so the side bar opens on the Explorer and the extension is not active until the view opens.
      const url = new URL(ctx.workbenchUrl);
      const folder = `${url.searchParams.get('folder')}-1000`;
      mkdirSync(folder, { recursive: true });
      url.searchParams.set('folder', folder);
      await wb.page.goto(url.toString(), { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await wb.waitReady();
      await wb.page.locator('.part.sidebar .composite.title .title-label').filter({ hasText: /explorer/i }).first().waitFor({ state: 'visible', timeout: 30_000 });
      expect(!(await wb.page.locator(SIDEBAR_ROWS).first().isVisible()), 'no Qoder rows before the view is opened');
      await clearRequests(ctx);
      const qoder = wb.page.locator(`.part.activitybar .action-label[aria-label^=${JSON.stringify(nls('%container.title%'))}]`).first();
      const firstRow = wb.page.locator(SIDEBAR_ROWS).first();
      const t0 = Date.now();
      await qoder.click();
      await firstRow.waitFor({ state: 'visible', timeout: 60_000 });
      const ms = Date.now() - t0;
      const listPages = async () => (await requests(ctx)).filter((r) => r.method === 'GET' && /\/deployments$/.test(r.path));
      // Rows appear as pages arrive, so the first one may show before the walk ends; the whole
      // list (10 pages of 100) still loads.
      const pagesAtFirstRow = (await listPages()).length;
      await waitUntil(async () => (await listPages()).length >= 10, '10 list pages for 1000 deployments', 60_000, async () => `${(await listPages()).length} pages`);
      const pages = await listPages();
      const first = pages[0]!;
      const last = pages[pages.length - 1]!;
      console.log(`    first row visible after ${ms} ms (1000 deployments; ${pagesAtFirstRow} of ${pages.length} pages requested by then)`);
      console.log(`      first list request at +${first.at - t0} ms, ${pages.length} pages answered by +${last.at + last.durationMs - t0} ms`);
      await wb.mouseAway();
      await wb.screenshot('first-row-1000');
      await control(ctx, 'POST', '/__local/reset', { seed: 40 });
      // the next flows expect the view to show the account they read from the API
      await wb.runCommand(cmd('qoder.refresh'));
      const top = viewOrder((await deployments(ctx)).filter((d) => d.archived_at === null))[0]!;
      await wb.treeRowByLabel(top.name).waitFor({ state: 'visible', timeout: 30_000 });
    },
  },
  {
    name: 'activity-bar icon: the icon the workbench draws is media/qoder.svg, legible at 24 px in Light Modern and Dark Modern',
    async run(wb) {
      const selector = `.part.activitybar .action-label[aria-label^=${JSON.stringify(nls('%container.title%'))}]`;
      const label = wb.page.locator(selector).first();
      await label.waitFor({ state: 'visible', timeout: 30_000 });
      const original = await colorTheme(wb);
      try {
        for (const [theme, kind] of [['Light Modern', 'vs'], ['Dark Modern', 'vs-dark']] as const) {
          await selectColorTheme(wb, theme);
          await wb.page.locator(`.monaco-workbench.${kind}`).waitFor({ state: 'attached', timeout: 15_000 });
          const icon = await activityBarIcon(wb, selector);
          const ratio = contrast(icon.colour, icon.background);
          console.log(`    ${theme}: mask-size ${icon.maskSize}, ${Math.round(icon.ink * 100)}% ink, ${icon.colour} on ${icon.background}, contrast ${ratio.toFixed(2)}`);
          expect(/qoder\.svg/.test(icon.mask), `${theme}: the activity bar draws media/qoder.svg (mask ${icon.mask.slice(0, 160)})`);
          expect(/^24px( auto| 24px)?$/.test(icon.maskSize), `${theme}: drawn 24 px wide (mask-size ${icon.maskSize})`);
          // legible: real strokes, neither a blank nor a filled square
          expect(icon.ink >= 0.08 && icon.ink <= 0.5, `${theme}: ${Math.round(icon.ink * 100)}% of the 24×24 px are ink`);
          expect(ratio >= 3, `${theme}: the icon's ${icon.colour} on the activity bar's ${icon.background} has contrast ${ratio.toFixed(2)} (needs 3)`);
          await wb.screenshotOf(join(wb.shotsDir, 'icon'), `activity-bar-icon-${kind}`, [label], 8);
        }
      } finally {
        if (original) await selectColorTheme(wb, original);
      }
    },
  },
];
