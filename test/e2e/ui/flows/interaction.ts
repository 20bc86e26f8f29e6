// UI flows for acting on a run (issue 20), in the real workbench against the local API: the
// seed's run that waits for a decision on two Bash calls is told in a notification → Review →
// the transcript lists both calls → Allow one (modal) and Deny the other with a reason → the
// session runs on and the document follows it live; Send Message → the agent's answer streams
// in; a delivered text file opens read-only in a tab named after it. Waits on DOM conditions and
// on the local API's records only.
import { log } from '../../lib/procs';
import type { Locator } from '../../lib/browser';
import { Workbench } from '../workbench';
import { cmd, control, ensureSignedIn, esc, reportButton, reportPage, waitUntil } from './qoder';
import { expect, type Flow, type FlowContext } from './types';

/** The calls the seed's waiting session asks about (test/local-api/sessions.ts WAITING_CALLS). */
const FIRST_COMMAND = 'rm -rf build/ && npm run build';
const SECOND_COMMAND = 'gh pr create --base main --head triage/weekly';
const DENY_REASON = 'No pull requests from scheduled runs';
const MESSAGE = 'Also check the staging manifests, please.';

interface ApiDeployment {
  id: string;
  name: string;
  archived_at: string | null;
}
interface ApiRun {
  id: string;
  session_id: string | null;
}
interface ApiEvent {
  id: string;
  type: string;
  result?: string;
  deny_message?: string;
  stop_reason?: { type?: string };
}
interface ApiFile {
  id: string;
  filename: string;
  mime_type: string;
}

async function apiGet<T>(ctx: FlowContext, path: string): Promise<T> {
  expect(ctx.apiBaseUrl && ctx.apiToken, 'local API base URL / token missing');
  const res = await fetch(`${ctx.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${ctx.apiToken}` } });
  if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const latestRun = async (ctx: FlowContext, d: ApiDeployment) => (await apiGet<{ data: ApiRun[] }>(ctx, `/deployments/${d.id}/runs?limit=1`)).data[0];
const events = async (ctx: FlowContext, sid: string, type: string) => (await apiGet<{ data: ApiEvent[] }>(ctx, `/sessions/${sid}/events?types=${type}&limit=100`)).data;

/** The deployment whose newest run waits for a decision (its last status_idle says requires_action). */
async function waitingDeployment(ctx: FlowContext): Promise<{ d: ApiDeployment; sid: string }> {
  for (const d of (await control<ApiDeployment[]>(ctx, 'GET', '/__local/deployments')).filter((x) => x.archived_at === null)) {
    const run = await latestRun(ctx, d);
    if (!run?.session_id) continue;
    const idle = await apiGet<{ data: ApiEvent[] }>(ctx, `/sessions/${run.session_id}/events?types=session.status_idle&order=desc&limit=1`);
    if (idle.data[0]?.stop_reason?.type === 'requires_action') return { d, sid: run.session_id };
  }
  throw new Error('no deployment whose newest run waits for a decision');
}

/** Visible rows of the side bar's tree at one depth (1 = deployments, 2 = runs, 3 = Files, 4 = files). */
const rowsAt = (wb: Workbench, level: number) => wb.page.locator(`.part.sidebar .monaco-list-row[aria-level="${level}"]:visible`);

const editorLines = (wb: Workbench) => wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();

async function activeEditorText(wb: Workbench): Promise<string> {
  return (await editorLines(wb).innerText({ timeout: 10_000 })).replace(/\u00a0/g, ' ');
}

async function activeTab(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.editor-group-container.active .tab.active .label-name').first().innerText({ timeout: 10_000 })).trim();
}

/** Ctrl+End in the active editor, then wait until what is visible matches. */
async function waitForEditorEnd(wb: Workbench, match: (text: string) => boolean, what: string, timeoutMs: number): Promise<string> {
  let text = '';
  let tries = 0;
  await waitUntil(
    async () => {
      // A document opened again keeps any folds VS Code remembered for it: unfold once when the
      // end does not match at first.
      if (tries === 3) await wb.runCommand('Unfold All').catch(() => undefined);
      await editorLines(wb).click({ timeout: 5000 }).catch(() => undefined);
      // Ctrl+End with the cursor already at the end scrolls nothing, and a document redrawn shorter
      // can leave the view showing only its last lines: from the top, Ctrl+End reveals a full page.
      if (tries++ > 0) await wb.page.keyboard.press('Control+Home');
      await wb.page.keyboard.press('Control+End');
      text = await activeEditorText(wb).catch(() => '');
      return match(text);
    },
    what,
    timeoutMs,
    async () => text.slice(-600),
  );
  return text;
}

/** The CodeLens links of the active editor whose text matches. */
function lenses(wb: Workbench, text: RegExp): Locator {
  return wb.page.locator('.editor-group-container.active .codelens-decoration a').filter({ hasText: text });
}

/** Click a button of the notification that matches (a toast, or in the notification centre). */
async function clickNotificationButton(wb: Workbench, match: RegExp, button: string): Promise<void> {
  const toast = wb.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: match }).first();
  if (!(await toast.isVisible())) await wb.runCommand('Notifications: Show Notifications');
  const item = wb.page.locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item').filter({ hasText: match }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.getByRole('button', { name: button }).first().click();
}

export const interactionFlows: Flow[] = [
  {
    name: 'interaction: a run waiting for a decision → notification → Review → both pending calls → Allow (modal), Deny with a reason → the session runs on live; Send Message → the answer streams in',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      // A fresh account (earlier flows answered or reseeded) and a fresh extension host, so the
      // waiting run is new to it: the first load tells it.
      await control(ctx, 'POST', '/__local/reset', { seed: 40 });
      const { d, sid } = await waitingDeployment(ctx);
      log(`waiting: ${d.name} (${sid})`);
      await wb.page.reload({ timeout: 60_000 });
      await wb.waitReady();
      await ensureSignedIn(wb, ctx);
      // the pending calls are read from the editor's rendered lines: a panel left open would hide them
      await wb.hidePanel();

      const waitingText = new RegExp(`Waiting for your decision: Bash \`?${esc(FIRST_COMMAND)}\`? and 1 more`);
      const note = await wb.waitForNotification(waitingText, 60_000);
      expect(note.includes(d.name), `the notification names the deployment: ${note}`);
      await wb.screenshot('waiting-notification');
      const toast = wb.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: waitingText }).first();
      if (ctx.readmeShotsDir && (await toast.isVisible())) await wb.screenshotOf(ctx.readmeShotsDir, 'waiting-notification', [toast], 8);
      const bar = wb.page.locator('.statusbar-item').filter({ has: wb.page.locator('.codicon-bell-dot') }).filter({ hasText: /^\s*Qoder: 1 waiting\s*$/ }).first();
      await bar.waitFor({ state: 'visible', timeout: 15_000 });

      await clickNotificationButton(wb, waitingText, 'Review');
      // Review opens the session's report: it says what waits, with Review / Allow / Deny… in its toolbar
      await waitUntil(async () => (await activeTab(wb).catch(() => '')).startsWith(d.name), 'the report tab', 30_000, () => activeTab(wb).catch(() => '?'));
      await waitUntil(async () => /Waiting for your decision/.test(await reportPage(wb).locator('#body').innerText({ timeout: 5000 }).catch(() => '')), 'the pending calls in the report', 30_000);
      for (const name of ['Review', 'Allow', 'Deny…']) await reportButton(wb, name).waitFor({ state: 'visible', timeout: 15_000 });
      expect(!(await reportButton(wb, 'Stop Run').isVisible()), 'a run waiting for a decision offers no Stop Run');
      await wb.mouseAway();
      await wb.screenshot('report-waiting');
      // the report's Review: the session as Markdown at its pending calls, each with its own lenses
      await reportButton(wb, 'Review').click();
      const pending = await waitForEditorEnd(wb, (t) => t.includes('Waiting for your decision') && t.includes(FIRST_COMMAND) && t.includes(SECOND_COMMAND), 'both pending calls at the end of the transcript', 30_000);
      log(`pending section: ${pending.slice(pending.indexOf('Waiting for your decision'), pending.indexOf('Waiting for your decision') + 200)}`);
      await lenses(wb, /Allow/).nth(1).waitFor({ state: 'visible', timeout: 20_000 });
      expect((await lenses(wb, /Deny/).count()) === 2, 'Allow and Deny… over each of the two calls');
      await wb.mouseAway();
      await wb.screenshot('pending-calls');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'pending-calls', [wb.page.locator('.part.editor')], 0);

      // Allow the first call: the modal repeats the exact command.
      await lenses(wb, /Allow/).first().click();
      const ask = await wb.dialogText();
      expect(ask.includes(FIRST_COMMAND), `the Allow modal repeats the command: ${ask}`);
      await wb.screenshot('allow-modal');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'allow-modal', [wb.dialogBox], 24);
      await wb.clickDialogButton('Allow');
      await waitUntil(async () => (await events(ctx, sid, 'user.tool_confirmation')).length === 1, 'the allow on the server', 20_000);
      // The document redraws with the one call left.
      await waitUntil(async () => (await lenses(wb, /Deny/).count()) === 1, 'one pending call left', 30_000, async () => `${await lenses(wb, /Deny/).count()} Deny lenses`);

      // Deny the second with a reason.
      await lenses(wb, /Deny/).first().click();
      const input = wb.quickInput.locator('input.input');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      const prompt = await wb.quickInputText();
      expect(/Reason for the agent/.test(prompt), `the deny input: ${prompt}`);
      await input.fill(DENY_REASON);
      await wb.screenshot('deny-reason');
      await input.press('Enter');
      await wb.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
      await waitUntil(async () => (await events(ctx, sid, 'user.tool_confirmation')).length === 2, 'the deny on the server', 20_000);
      const answers = await events(ctx, sid, 'user.tool_confirmation');
      expect(answers[0]?.result === 'allow' && answers[1]?.result === 'deny' && answers[1]?.deny_message === DENY_REASON, `answers: ${JSON.stringify(answers)}`);

      // The session runs on; the open document follows it live to the end of the turn.
      await waitForEditorEnd(wb, (t) => /turn ended/.test(t) && !t.includes('Waiting for your decision'), 'the session to run on to the end of its turn', 90_000);
      await wb.screenshot('after-answers');
      const statusGone = await bar.waitFor({ state: 'hidden', timeout: 30_000 }).then(() => true, () => false);
      expect(statusGone, 'the status bar count goes away once nothing waits');

      // Send Message from the session's title bar command: the agent's answer streams in.
      await wb.runCommand(cmd('qoder.sendMessage'));
      const box = wb.quickInput.locator('input.input');
      await box.waitFor({ state: 'visible', timeout: 15_000 });
      await box.fill(MESSAGE);
      await wb.screenshot('send-message');
      await box.press('Enter');
      await wb.quickInput.waitFor({ state: 'hidden', timeout: 15_000 });
      await waitUntil(async () => (await events(ctx, sid, 'user.message')).length >= 2, 'the message on the server', 20_000);
      await waitForEditorEnd(wb, (t) => t.includes('I checked the staging manifests as well') && /turn ended/.test(t.slice(t.lastIndexOf('staging manifests'))), 'the agent\'s answer streamed in', 90_000);
      await wb.screenshot('agent-answer');
      await wb.runCommand('View: Close All Editors');
      await wb.clearNotifications();
    },
  },
  {
    name: 'interaction: Files under a run → a delivered text file opens read-only in a tab named after it; the storage route never sees the token',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      let pick: { d: ApiDeployment; file: ApiFile } | undefined;
      for (const d of (await control<ApiDeployment[]>(ctx, 'GET', '/__local/deployments')).filter((x) => x.archived_at === null && /^[\x20-\x7e]+$/.test(x.name))) {
        const run = await latestRun(ctx, d);
        if (!run?.session_id) continue;
        const files = await apiGet<{ data: ApiFile[] }>(ctx, `/files?scope_id=${run.session_id}&limit=100`);
        const file = files.data.find((f) => f.mime_type === 'text/markdown');
        if (file) {
          pick = { d, file };
          break;
        }
      }
      expect(pick, 'no deployment whose newest run delivered a Markdown file');
      const { d, file } = pick;
      // Only this deployment expanded, so its runs are the only rows one level down.
      const collapse = wb.titleAction('Collapse All');
      if (await collapse.isVisible()) await collapse.click();
      await wb.expandTreeRow(wb.treeRowByLabel(d.name));
      await wb.expandTreeRow(rowsAt(wb, 2).first());
      const filesRow = rowsAt(wb, 3).filter({ hasText: /^\s*Files\s*$/ }).first();
      await filesRow.waitFor({ state: 'visible', timeout: 30_000 });
      await filesRow.click();
      const fileRow = rowsAt(wb, 4).filter({ hasText: file.filename }).first();
      await fileRow.waitFor({ state: 'visible', timeout: 30_000 });
      await wb.mouseAway();
      await wb.screenshot('files-node');
      await fileRow.click();
      await waitUntil(async () => (await activeTab(wb).catch(() => '')).startsWith(file.filename.replace(/\.[^.]+$/, '')), `a tab named ${file.filename}`, 30_000, () => activeTab(wb).catch(() => '?'));
      const text = await activeEditorText(wb);
      expect(/^# /.test(text.trimStart()), `the file's text: ${text.slice(0, 200)}`);
      await wb.screenshot('artifact-open');
      const stored = await control<Array<{ authorization?: string; url?: string }>>(ctx, 'GET', '/__local/storage-requests');
      expect(stored.length > 0, 'the file was fetched from the storage route');
      expect(ctx.apiToken, 'token missing');
      for (const r of stored) {
        expect(r.authorization === undefined, `a storage request carried an Authorization header: ${JSON.stringify(r).slice(0, 200)}`);
        expect(!JSON.stringify(r).includes(ctx.apiToken), 'a storage request carried the token');
      }
      log(`storage requests: ${stored.length}, none with the token`);
      await wb.runCommand('View: Close All Editors');
    },
  },
];
