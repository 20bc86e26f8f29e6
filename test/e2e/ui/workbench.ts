// Step helpers for driving the code-server workbench in Chromium (playwright-core).
// Selectors are VS Code's own DOM classes/roles (checked against code-server 4.139 / VS Code 1.139).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Box, Locator, Page } from '../lib/browser';
import { log } from '../lib/procs';

type Text = string | RegExp;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

/** First line of a Playwright error and its call log (what held an action back). */
export function callLog(err: Error): string {
  // eslint-disable-next-line no-control-regex
  const lines = err.message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return [lines[0], ...lines.slice(1).filter((l) => l.startsWith('-')).slice(-6)].join(' | ');
}

export class Workbench {
  private shots = 0;

  constructor(
    readonly page: Page,
    readonly shotsDir: string,
  ) {
    mkdirSync(shotsDir, { recursive: true });
  }

  /** Full-window PNG under the results folder, numbered in order: `03-tree-view.png`. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.shotsDir, `${String(++this.shots).padStart(2, '0')}-${slug(name)}.png`);
    await this.page.screenshot({ path });
    log(`screenshot ${path}`);
    return path;
  }

  /**
   * PNG of a part of the window: the union of the boxes of `parts` plus `pad` pixels, saved as
   * `<dir>/<name>.png` (not numbered; for the README).
   */
  async screenshotOf(dir: string, name: string, parts: Locator[], pad = 0): Promise<string> {
    const boxes = (await Promise.all(parts.map((p) => p.boundingBox({ timeout: 5000 })))).filter((b): b is Box => !!b);
    if (!boxes.length) throw new Error(`screenshotOf ${name}: nothing to capture`);
    const vp = this.page.viewportSize() ?? { width: 1400, height: 900 };
    const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
    const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
    const x1 = Math.min(vp.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
    const y1 = Math.min(vp.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await this.page.screenshot({ path, clip: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
    log(`screenshot ${path}`);
    return path;
  }

  /** Wait until the workbench is rendered and the (remote) extension host is up. */
  async waitReady(timeoutMs = 90_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    // the remote indicator in the status bar appears when the connection to the server is up
    await this.page.locator('#status\\.host').first().waitFor({ state: 'attached', timeout: timeoutMs }).catch(() => undefined);
  }

  /** Close quick input, menus, dialogs-by-Escape and notification centre. */
  async escape(times = 2): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press('Escape');
  }

  // ---------- command palette / quick input ----------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Open the command palette and run the command whose label contains `title` (e.g. "Qoder: Refresh"). */
  async runCommand(title: string, timeoutMs = 15_000): Promise<void> {
    const input = this.quickInput.locator('input.input');
    const rows = this.quickInput.locator('.monaco-list-row');
    const exact = rows.filter({ hasText: new RegExp(`(^|: )${escapeRe(title)}`) }).first();
    // The palette sometimes closes under the test: between opening and typing (1.104, CI: fill
    // waited on "element is not visible"), or while its list redraws under the click (4.139, CI:
    // "element is not stable", then "not visible", 30 s). It is opened once more; a click that
    // timed out was never dispatched, so the command has not run. A second failure is the flow's.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: timeoutMs });
        await input.fill(`>${title}`, { timeout: 5_000 });
        await exact.waitFor({ state: 'visible', timeout: timeoutMs });
        await exact.click({ timeout: 5_000 });
        return;
      } catch (e) {
        if (attempt === 2) throw e;
        log(`palette: ${title} — ${(e as Error).message.split('\n')[0]}; opening it again`);
        if (await this.quickInput.isVisible()) await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Hides the bottom panel when it shows (a panel left open by one flow leaves the next a short editor, and is restored by a reload). */
  async hidePanel(): Promise<void> {
    if (await this.page.locator('.part.panel').isVisible()) await this.runCommand('View: Hide Panel');
  }

  /** Type into the open quick input (input box or quick pick) and press Enter unless submit=false. */
  async typeInQuickInput(text: string, opts: { submit?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const input = this.quickInput.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: opts.timeoutMs ?? 15_000 });
    await input.fill(text);
    if (opts.submit ?? true) await input.press('Enter');
  }

  /** Prompt / title / validation message of the open quick input. */
  async quickInputText(): Promise<string> {
    await this.quickInput.waitFor({ state: 'visible', timeout: 15_000 });
    // the widget is reused: wait until the new prompt has been rendered
    const deadline = Date.now() + 5000;
    for (;;) {
      const parts = await this.quickInput.locator('.quick-input-title, .quick-input-message').allInnerTexts();
      const text = parts.map((s) => s.trim()).filter(Boolean).join(' | ');
      if (text || Date.now() > deadline) return text;
      await this.page.waitForTimeout(100);
    }
  }

  /** Pick an item of an open quick pick by its visible text. */
  async pickQuickItem(text: Text, timeoutMs = 15_000): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row').filter({ hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    // An item's tooltip, left by the pointer, can lie over the row and take the click (1.104's
    // MCP server list once held it 30 s): the pointer leaves first, and the click event goes
    // straight to the row when the pointer still cannot reach it.
    await this.mouseAway();
    const clicked = await row.click({ timeout: 10_000 }).then(
      () => true,
      (err: Error) => (log(`click on a quick pick item: ${callLog(err)}`), false),
    );
    if (!clicked) await row.dispatchEvent('click');
  }

  // ---------- views / trees ----------

  /** Click a view container in the activity bar by its title (e.g. "Qoder"). */
  async openViewContainer(title: string, timeoutMs = 30_000): Promise<void> {
    const label = JSON.stringify(title);
    const target = this.page.locator(`.part.activitybar li.action-item[aria-label^=${label}], .part.activitybar .action-label[aria-label^=${label}]`).first();
    await target.waitFor({ state: 'visible', timeout: timeoutMs });
    const li = this.page.locator(`.part.activitybar li.action-item:has([aria-label^=${label}]), .part.activitybar li.action-item[aria-label^=${label}]`).first();
    const sidebar = this.page.locator('.part.sidebar');
    const checked = async (): Promise<boolean> =>
      (await li.getAttribute('aria-selected', { timeout: 2000 }).catch(() => null)) === 'true' || ((await li.getAttribute('class', { timeout: 2000 }).catch(() => '')) ?? '').includes('checked');
    const open = async (): Promise<boolean> => (await sidebar.isVisible()) && (await checked());
    const openWithin = async (ms: number): Promise<boolean> => {
      const deadline = Date.now() + ms;
      for (;;) {
        if (await open()) return true;
        if (Date.now() > deadline) return false;
        await this.page.waitForTimeout(100);
      }
    };
    if (await open()) return;
    // its container selected while the side bar is hidden (as a reload may restore it): a click shows it
    await target.click({ timeout: 10_000 }).catch((err: Error) => log(`click on ${title} in the activity bar: ${callLog(err)}`));
    if (await openWithin(10_000)) return;
    // Right after a reload the activity bar can refuse clicks for a while, and a click on a
    // container already selected hides the side bar: the container's own command only shows it.
    log(`${title} not open 10 s after the click: View: Show ${title}`);
    await this.runCommand(`View: Show ${title}`);
    if (!(await openWithin(timeoutMs))) throw new Error(`the ${title} side bar did not open`);
  }

  /**
   * Wait for a view by its name: the side bar title ("Qoder: Deployments") when the container has
   * one view, or the view's pane header when it has several.
   */
  async waitForView(name: Text, timeoutMs = 30_000): Promise<void> {
    await this.page
      .locator('.part.sidebar .composite.title .title-label, .part.sidebar .pane-header .title')
      .filter({ hasText: name })
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** A button of a view's welcome content (viewsWelcome), e.g. "Set Personal Access Token". */
  welcomeButton(name: Text): Locator {
    return this.page.locator('.part.sidebar .welcome-view-content').getByRole('button', { name }).first();
  }

  /** Move the mouse onto the empty editor area and wait for hover tooltips to go (clean screenshots). */
  async mouseAway(): Promise<void> {
    const vp = this.page.viewportSize() ?? { width: 1400, height: 900 };
    await this.page.mouse.move(Math.round(vp.width * 0.7), Math.round(vp.height * 0.75));
    await this.page
      .locator('.workbench-hover-container:visible, .monaco-hover:not(.hidden):visible')
      .first()
      .waitFor({ state: 'hidden', timeout: 3000 })
      .catch(() => log('a hover tooltip is still visible'));
  }

  /** Drag the sash on the right of the side bar by `px` (wider names in screenshots). */
  async widenSidebar(px: number): Promise<void> {
    const sidebar = this.page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (!box) return;
    const x = box.x + box.width;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + px / 2, y, { steps: 4 });
    await this.page.mouse.move(x + px, y, { steps: 4 });
    await this.page.mouse.up();
    const after = await sidebar.boundingBox();
    log(`side bar width ${Math.round(box.width)} → ${Math.round(after?.width ?? 0)} px`);
  }

  /** A tree/list row in the side bar, found by its visible text (its accessible name is the tooltip). */
  treeRow(text: Text): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
  }

  /** A tree row whose label (not description) is exactly `label`. */
  treeRowByLabel(label: string): Locator {
    const name = this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) });
    return this.page.locator('.part.sidebar .monaco-list-row').filter({ has: name }).first();
  }

  /**
   * Expands a tree row by its twistie (a click on a run's row opens its session instead). A click
   * that does not land is tried again every 5 s: one once waited 30 s on a tree drawn anew.
   */
  async expandTreeRow(row: Locator, timeoutMs = 30_000): Promise<void> {
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    const deadline = Date.now() + timeoutMs;
    const expanded = async (): Promise<boolean> => (await row.getAttribute('aria-expanded', { timeout: 5000 }).catch(() => null)) === 'true';
    while (!(await expanded())) {
      if (Date.now() > deadline) throw new Error(`the row "${(await row.innerText().catch(() => '?')).split('\n')[0]}" did not expand in ${timeoutMs} ms`);
      await row.locator('.monaco-tl-twistie').click({ timeout: 5000 }).catch((err: Error) => log(`click on a twistie: ${callLog(err)}`));
      // a click that landed expands at once; only a lost one is repeated
      const t = Date.now();
      while (Date.now() - t < 3000 && !(await expanded())) await this.page.waitForTimeout(100);
    }
  }

  /** The description (grey text after the label) of a tree row. */
  async treeRowDescription(row: Locator): Promise<string> {
    return (await row.locator('.label-description').first().innerText({ timeout: 5000 })).trim();
  }

  /** An action button in the side bar title (view/title menu), by its tooltip, e.g. "Show Archived Deployments". */
  titleAction(title: string): Locator {
    const sel = `.action-label[aria-label^=${JSON.stringify(title)}]`;
    return this.page.locator(`.part.sidebar .title-actions ${sel}, .part.sidebar .pane-header .actions ${sel}`).first();
  }

  async waitForTreeRow(text: Text | Locator, timeoutMs = 30_000): Promise<Locator> {
    const row = typeof text === 'string' || text instanceof RegExp ? this.treeRow(text) : text;
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    return row;
  }

  /** Visible texts of all rows in the side bar tree(s). */
  async treeRowTexts(): Promise<string[]> {
    return (await this.page.locator('.part.sidebar .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /**
   * Right-click the row (its text, or a row locator) and choose `item` in the context menu;
   * `onOpen` runs while the menu is open (e.g. a screenshot).
   */
  async contextMenu(rowText: Text | Locator, item: Text, timeoutMs = 15_000, onOpen?: () => Promise<unknown>): Promise<void> {
    const row = await this.waitForTreeRow(rowText, timeoutMs);
    await row.click({ button: 'right' });
    const menuItem = this.page.locator('.context-view .monaco-menu .action-menu-item').filter({ hasText: item }).first();
    await menuItem.waitFor({ state: 'visible', timeout: timeoutMs });
    if (onOpen) {
      await menuItem.hover();
      await onOpen();
    }
    // a click right after the menu opened is sometimes swallowed: retry while the menu stays open
    const menu = this.page.locator('.context-view .monaco-menu');
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.waitForTimeout(150);
      await menuItem.click();
      const closed = await menu.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false);
      if (closed) return;
      log(`context menu still open after clicking ${item}, retrying`);
    }
    throw new Error(`context menu item ${item} did not run`);
  }

  /** Texts of the items of the currently open context menu. */
  async contextMenuItems(): Promise<string[]> {
    return (await this.page.locator('.context-view .monaco-menu .action-menu-item .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  // ---------- modal dialog ----------

  /** Closes every editor and drops unsaved changes (the next flow, or a flow's second try, starts from none). */
  async closeAllEditorsDiscarding(): Promise<void> {
    const dirty = await this.page.locator('.tabs-container .tab.dirty').count();
    const t0 = Date.now();
    await this.runCommand('View: Close All Editors').catch((err: Error) => log(`Close All Editors failed after ${Date.now() - t0} ms: ${err.message.split('\n').slice(0, 12).join(' | ')}`));
    if (!dirty) return;
    // one question for all unsaved editors
    if (!(await this.dialogBox.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false))) return;
    const dont = (await this.dialogButtons()).find((b) => /Don.t Save|不保存/i.test(b));
    if (dont) await this.clickDialogButton(dont);
  }

  get dialogBox(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Message and detail text of the modal dialog (waits for it). */
  async dialogText(timeoutMs = 15_000): Promise<string> {
    await this.dialogBox.waitFor({ state: 'visible', timeout: timeoutMs });
    const parts = await this.dialogBox.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts();
    return parts.map((s) => s.trim()).filter(Boolean).join('\n');
  }

  async dialogButtons(): Promise<string[]> {
    return (await this.dialogBox.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((s) => s.trim());
  }

  async clickDialogButton(name: Text, timeoutMs = 15_000): Promise<void> {
    await this.dialogBox.waitFor({ state: 'visible', timeout: timeoutMs });
    await this.dialogBox.getByRole('button', { name, exact: typeof name === 'string' }).first().click();
    await this.dialogBox.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  // ---------- notifications ----------

  /** Messages of visible toasts. */
  async toasts(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map((s) => s.trim());
  }

  /** Messages in the notification centre (opens it, reads, closes it again). */
  async notificationCentre(): Promise<string[]> {
    const centre = this.page.locator('.notifications-center');
    const wasOpen = await centre.isVisible();
    if (!wasOpen) await this.runCommand('Notifications: Show Notifications');
    await centre.waitFor({ state: 'visible', timeout: 10_000 });
    const texts = (await centre.locator('.notification-list-item-message').allInnerTexts()).map((s) => s.trim());
    if (!wasOpen) await this.runCommand('Notifications: Hide Notifications').catch(() => this.escape(1));
    return texts;
  }

  /** Wait for a notification matching `match`, as a toast or (checked every few seconds) in the centre. */
  async waitForNotification(match: Text, timeoutMs = 20_000): Promise<string> {
    const test = (s: string) => (typeof match === 'string' ? s.includes(match) : match.test(s));
    const deadline = Date.now() + timeoutMs;
    let nextCentre = Date.now() + 3000;
    for (;;) {
      const hit = (await this.toasts()).find(test);
      if (hit) return hit;
      if (Date.now() >= nextCentre || Date.now() >= deadline) {
        const inCentre = (await this.notificationCentre()).find(test);
        if (inCentre) return inCentre;
        nextCentre = Date.now() + 3000;
      }
      if (Date.now() >= deadline) throw new Error(`no notification matching ${match} within ${timeoutMs} ms`);
      await this.page.waitForTimeout(250);
    }
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  }
}
