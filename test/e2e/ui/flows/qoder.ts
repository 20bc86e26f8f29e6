// UI flows against the real extension (qoder-deployments.vsix, installed with
// --install-extension into a clean code-server) and the local Qoder API, driven as a user
// would: activity bar, command palette, masked input box, context menu, modal dialog, title
// buttons. Command titles come from package.json + package.nls.json (cmd('qoder.refresh')), so a
// renamed title does not break the flows. The local API is checked through its /__local/ routes.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../lib/paths';
import { log } from '../../lib/procs';
import type { Workbench } from '../workbench';
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
}

interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** arrival, epoch ms */
  at: number;
  durationMs: number;
}

async function control<T>(ctx: FlowContext, method: string, path: string, body?: unknown): Promise<T> {
  expect(ctx.apiOrigin, 'local API origin missing');
  const token = ctx.apiToken ? `?token=${encodeURIComponent(ctx.apiToken)}` : '';
  const res = await fetch(`${ctx.apiOrigin}${path}${path === '/__local/deployments' ? token : ''}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const deployments = (ctx: FlowContext) => control<ApiDeployment[]>(ctx, 'GET', '/__local/deployments');
const requests = (ctx: FlowContext) => control<ApiRequest[]>(ctx, 'GET', '/__local/requests');
const clearRequests = (ctx: FlowContext) => control<unknown>(ctx, 'DELETE', '/__local/requests');

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// :visible — rows of a hidden view (e.g. the Explorer's) stay in the DOM
const SIDEBAR_ROWS = '.part.sidebar .monaco-list-row:visible';

// ---------------------------------------------------------------- steps shared by flows

/** Command palette → "Qoder: Set Personal Access Token" → type the token into the masked box. */
async function setTokenFromPalette(wb: Workbench, ctx: FlowContext, shots: boolean): Promise<void> {
  expect(ctx.apiToken, 'local API token missing');
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
  await input.fill(ctx.apiToken);
  if (shots) await wb.screenshot('token-input');
  await input.press('Enter');
  await wb.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Open the Qoder view; if it shows the welcome view (no token in this browser), set the token. */
async function ensureSignedIn(wb: Workbench, ctx: FlowContext): Promise<void> {
  await wb.openViewContainer(nls('%container.title%'));
  const welcome = wb.welcomeButton(title('qoder.setToken'));
  const firstRow = wb.page.locator(SIDEBAR_ROWS).first();
  await Promise.race([welcome.waitFor({ state: 'visible', timeout: 30_000 }), firstRow.waitFor({ state: 'visible', timeout: 30_000 })]);
  if (await welcome.isVisible()) {
    await setTokenFromPalette(wb, ctx, false);
    await firstRow.waitFor({ state: 'visible', timeout: 30_000 });
  }
}

// ---------------------------------------------------------------- flows

export const qoderFlows: Flow[] = [
  {
    name: 'welcome view → token from the palette → deployments → archive (cancel, confirm) → show archived',
    async run(wb, ctx) {
      // 1. the Qoder view, before any token: the welcome view
      await wb.openViewContainer(nls('%container.title%'));
      await wb.waitForView(new RegExp(nls('%view.deployments%')));
      const welcome = wb.page.locator('.part.sidebar .welcome-view-content');
      await welcome.waitFor({ state: 'visible', timeout: 30_000 });
      const welcomeText = (await welcome.innerText()).replace(/\s+/g, ' ');
      expect(/Set Personal Access Token/.test(welcomeText) && /token/i.test(welcomeText), `welcome view text: "${welcomeText}"`);
      await wb.welcomeButton(title('qoder.setToken')).waitFor({ state: 'visible', timeout: 10_000 });
      await wb.widenSidebar(240);
      await wb.screenshot('welcome');

      // 2. "Qoder: Set Personal Access Token" from the palette, type the token
      await setTokenFromPalette(wb, ctx, true);

      // 3. the deployments of the local API appear
      const all = await deployments(ctx);
      const listed = all.filter((d) => d.archived_at === null);
      expect(listed.length > 10, `local API has ${listed.length} deployments`);
      await wb.treeRowByLabel(listed[0]!.name).waitFor({ state: 'visible', timeout: 30_000 });
      const rows = await wb.treeRowTexts();
      for (const d of listed.slice(0, 5)) expect(rows.some((r) => r.startsWith(d.name)), `row for ${d.name} missing in ${rows.join(' / ')}`);
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
      const archivedRow = wb.treeRowByLabel(now.name);
      await archivedRow.waitFor({ state: 'visible', timeout: 20_000 });
      const description = await wb.treeRowDescription(archivedRow);
      expect(description.startsWith('archived'), `description of the archived row: "${description}"`);
      await wb.mouseAway();
      await wb.screenshot('show-archived');

      // back to the default list
      await wb.titleAction(title('qoder.hideArchived')).click();
      await archivedRow.waitFor({ state: 'detached', timeout: 20_000 });
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
      const pages = (await requests(ctx)).filter((r) => r.method === 'GET' && /\/deployments$/.test(r.path));
      expect(pages.length >= 10, `expected ≥ 10 list pages for 1000 deployments, got ${pages.length}`);
      const first = pages[0]!;
      const last = pages[pages.length - 1]!;
      console.log(`    first row visible after ${ms} ms (1000 deployments)`);
      console.log(`      first list request at +${first.at - t0} ms, ${pages.length} pages answered by +${last.at + last.durationMs - t0} ms`);
      await wb.mouseAway();
      await wb.screenshot('first-row-1000');
      await control(ctx, 'POST', '/__local/reset', { seed: 40 });
    },
  },
];
