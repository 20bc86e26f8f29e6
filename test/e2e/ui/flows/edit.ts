// Deployment documents in the real workbench: Edit Deployment from the tree, the schedule
// CodeLens, Save (one merge-patch) and the row changing, an invalid cron (red squiggle, save
// refused, nothing sent), the three-way merge of a Save (D8: a colleague's other fields survive;
// the same field asks, Compare, save the merged text), an unsent edit under auto-save (D9) and
// New Deployment… from the template (agent, then environment; its example prompt refused) and
// Duplicate's question about the schedule (issue 21 item 6); the agent's and environment's names
// in the document, a name typed where an id belongs fixed by its quick fix, and Edit Prompt… saving
// one merge-patch (issue 21 item 3).
import type { Locator } from '../../lib/browser';
import { log } from '../../lib/procs';
import type { Workbench } from '../workbench';
import { clearRequests, cmd, control, ensureSignedIn, esc, requests, SIDEBAR_ROWS, title, waitUntil } from './qoder';
import { expect, type Flow, type FlowContext } from './types';

interface ApiDeployment {
  id: string;
  name: string;
  description: string;
  status: string;
  archived_at: string | null;
  schedule: { expression: string; timezone: string } | null;
  initial_events: unknown[];
  updated_at: string;
  agent: { id: string; version: number };
  environment_id: string;
}

/** The name the API gives an agent or environment (as another client would read it). */
async function apiName(ctx: FlowContext, path: string): Promise<string> {
  expect(ctx.apiBaseUrl && ctx.apiToken, 'local API base URL / token missing');
  const res = await fetch(`${ctx.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${ctx.apiToken}` } });
  if (!res.ok) throw new Error(`GET ${path} → ${res.status}`);
  return ((await res.json()) as { name: string }).name;
}

const deployments = (ctx: FlowContext) => control<ApiDeployment[]>(ctx, 'GET', '/__local/deployments');

/** A POST to the real API route, as another client would (Bearer token). */
async function apiPost(ctx: FlowContext, path: string, body: unknown): Promise<void> {
  expect(ctx.apiBaseUrl && ctx.apiToken, 'local API base URL / token missing');
  const res = await fetch(`${ctx.apiBaseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ctx.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${await res.text()}`);
}

const activeEditor = (wb: Workbench): Locator => wb.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();

/** Find / replace (Ctrl+H) in the active editor: replaces every `find` with `replace`. */
async function replaceInEditor(wb: Workbench, find: string, replace: string): Promise<void> {
  const editor = activeEditor(wb);
  await editor.click();
  await wb.page.keyboard.press('Control+H');
  const widget = wb.page.locator('.editor-group-container.active .find-widget.visible');
  await widget.waitFor({ state: 'visible', timeout: 10_000 });
  const findInput = widget.locator('.find-part .monaco-findInput textarea, .find-part .monaco-findInput input').first();
  const replaceInput = widget.locator('.replace-part .monaco-findInput textarea, .replace-part .monaco-findInput input').first();
  await findInput.fill(find);
  await replaceInput.fill(replace);
  const matches = widget.locator('.matchesCount');
  await waitUntil(async () => /^1 of/.test((await matches.innerText()).trim()) || /of 1$/.test((await matches.innerText()).trim()), `one match of ${find}`, 10_000, async () => (await matches.innerText()).trim());
  await replaceInput.press('Control+Alt+Enter'); // Replace All
  await wb.page.keyboard.press('Escape');
  await waitUntil(async () => (await editor.innerText()).replace(/\s+/g, ' ').includes(replace.replace(/\s+/g, ' ')), `the editor to contain ${replace}`, 10_000);
}

async function save(wb: Workbench): Promise<void> {
  await activeEditor(wb).click();
  await wb.page.keyboard.press('Control+S');
}

/** Every CodeLens of the active editor (lenses on one line share a decoration, separated by " | "). */
/**
 * A new document saved as a deployment is swapped for that deployment's edit document: the edit
 * document opens, then the new one's tab closes. Until both happened the swap can take the focus
 * from whatever the flow does next (CI: it closed the palette of Close All Editors, whose text was
 * then typed into the editor).
 */
async function waitForEditDocument(wb: Workbench, fileName: string): Promise<void> {
  const group = wb.page.locator('.editor-group-container.active');
  const tabs = group.locator('.tabs-container .tab').filter({ hasText: fileName });
  const active = group.locator('.tabs-container .tab.active').filter({ hasText: fileName });
  const crumbs = group.locator('.breadcrumbs-control');
  await waitUntil(
    async () => (await tabs.count()) === 1 && (await active.count()) === 1 && /dep_/.test(await crumbs.innerText().catch(() => '')),
    `${fileName} as its deployment's edit document (one tab, under deployments/dep_…)`,
    20_000,
    async () => `${await tabs.count()} tabs; breadcrumbs "${await crumbs.innerText().catch(() => '')}"`,
  );
}

async function lensTexts(wb: Workbench): Promise<string[]> {
  const lines = await activeEditor(wb).locator('.codelens-decoration').allInnerTexts();
  return lines.flatMap((line) => line.split(/\s\|\s/)).map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

async function openForEdit(wb: Workbench, name: string): Promise<void> {
  const row = wb.treeRowByLabel(name);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await wb.contextMenu(row, title('qoder.editDeployment'));
  await wb.page.locator('.tabs-container .tab.active').filter({ hasText: `${name}.deployment.json` }).waitFor({ state: 'visible', timeout: 20_000 });
  await waitUntil(async () => (await lensTexts(wb)).length >= 2, 'the schedule CodeLens', 20_000, async () => (await lensTexts(wb)).join(' | '));
}

/** An active, scheduled deployment with an ASCII name whose document has one "description" and one "expression". */
function pickTarget(list: ApiDeployment[], skip: string[] = []): ApiDeployment {
  const target = list.find(
    (d) => d.archived_at === null && d.status === 'active' && d.schedule && /^[\x20-\x7e]+$/.test(d.name) && !skip.includes(d.id) && !JSON.stringify(d.initial_events).includes('"description"'),
  );
  expect(target, 'no active, scheduled deployment with an ASCII name');
  return target;
}

export const editFlows: Flow[] = [
  {
    name: 'edit: Edit Deployment → schedule lens → change description and schedule → Save → the row changes; invalid cron → squiggle, save refused, nothing sent',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const target = pickTarget(await deployments(ctx));
      log(`editing ${target.name} (${target.id})`);
      const row = wb.treeRowByLabel(target.name);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const descriptionBefore = await wb.treeRowDescription(row);
      await openForEdit(wb, target.name);
      const lenses = await lensTexts(wb);
      expect(lenses.some((l) => /^At |^Every /.test(l) && l.includes(`(${target.schedule!.timezone})`)), `schedule in words: ${lenses.join(' | ')}`);
      expect(!lenses.some((l) => l.startsWith('Next (')), `the next runs are not a lens (the default width cut it): ${lenses.join(' | ')}`);
      // the next 5 runs are in the hover over the schedule
      // the cursor on "expression", then Show Hover (Ctrl+K Ctrl+I), as a keyboard user would
      const line = await activeEditor(wb).locator('.view-line').filter({ hasText: '"expression"' }).first().boundingBox();
      expect(line, 'the "expression" line is on screen');
      const hover = wb.page.locator('.monaco-hover:not(.hidden)').filter({ hasText: `Next (${target.schedule!.timezone}):` }).first();
      // On a workbench that has just started, the first click can go to the editor before it takes
      // the cursor (it stays at 1,1): click and ask again until the hover shows.
      await waitUntil(async () => {
        await wb.page.mouse.move(line.x + 95, line.y + line.height / 2);
        await wb.page.mouse.down();
        await wb.page.mouse.up();
        await wb.page.keyboard.press('Control+K');
        await wb.page.keyboard.press('Control+I');
        return hover.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
      }, 'the schedule hover with the next runs', 20_000);
      const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
      expect((hoverText.split(`Next (${target.schedule!.timezone}):`)[1] ?? '').split('·').length >= 5, `next 5 runs in the hover: ${hoverText}`);
      await wb.mouseAway();

      // change the description and the schedule, then Ctrl+S: one merge-patch POST
      await clearRequests(ctx);
      await replaceInEditor(wb, `"description": ${JSON.stringify(target.description)}`, '"description": "Edited in VS Code"');
      await replaceInEditor(wb, `"expression": ${JSON.stringify(target.schedule!.expression)}`, '"expression": "15 7 * * 1-5"');
      await waitUntil(async () => (await lensTexts(wb)).some((l) => l.includes('07:15')), 'the lens to follow the typing', 10_000, async () => (await lensTexts(wb)).join(' | '));
      await wb.mouseAway();
      await wb.screenshot('edit-lens');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'edit', [activeEditor(wb)], 0);
      await save(wb);
      // The schedule follows whatever leads the row (a waiting run's "waiting for your decision ·", a failure streak).
      await waitUntil(async () => /(^|· )At 07:15/.test(await wb.treeRowDescription(row)), 'the row description to show the new schedule', 20_000, async () => wb.treeRowDescription(row));
      const descriptionAfter = await wb.treeRowDescription(row);
      expect(/07:15/.test(descriptionAfter), `row description after save: "${descriptionAfter}"`);
      const posts = (await requests(ctx)).filter((r) => r.method === 'POST');
      expect(posts.length === 1 && posts[0]!.path.endsWith(`/deployments/${target.id}`) && posts[0]!.status === 200, `requests: ${JSON.stringify(posts)}`);
      const now = (await deployments(ctx)).find((d) => d.id === target.id)!;
      expect(now.description === 'Edited in VS Code' && now.schedule?.expression === '15 7 * * 1-5', `API after save: ${JSON.stringify({ description: now.description, schedule: now.schedule })}`);
      log(`row: "${descriptionBefore}" → "${descriptionAfter}"`);

      // an invalid cron: red squiggle, the save is refused with the reason, nothing is sent
      await clearRequests(ctx);
      await replaceInEditor(wb, '"expression": "15 7 * * 1-5"', '"expression": "61 7 * *"');
      const squiggle = activeEditor(wb).locator('.squiggly-error').first();
      await squiggle.waitFor({ state: 'visible', timeout: 15_000 });
      await save(wb);
      const note = await wb.waitForNotification(/nothing was sent/);
      expect(/schedule\.expression/.test(note), `refusal names the field: "${note}"`);
      await wb.mouseAway();
      await wb.screenshot('edit-invalid-cron');
      const sent = (await requests(ctx)).filter((r) => r.method === 'POST');
      expect(sent.length === 0, `the refused save sent ${sent.length} POST(s)`);
      // the user's text is intact (VS Code for the Web auto-saves it as a draft, which sends nothing)
      expect((await activeEditor(wb).innerText()).replace(/\s+/g, ' ').includes('"61 7 * *"'), 'the invalid text is still in the editor');
      // put the saved schedule back (a save with nothing changed sends nothing) and close
      await replaceInEditor(wb, '"expression": "61 7 * *"', '"expression": "15 7 * * 1-5"');
      await save(wb);
      await wb.closeAllEditorsDiscarding();
    },
  },
  {
    name: 'edit: D8 a colleague changed description and schedule, I changed the name → Save asks nothing, the colleague’s fields survive',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const target = pickTarget(await deployments(ctx));
      await openForEdit(wb, target.name);
      // a colleague changes two other fields (updated_at moves on the server)
      const theirs = ['45 5 * * 2', '50 5 * * 3'].find((e) => e !== target.schedule!.expression)!;
      const colleague = `colleague ${Date.now().toString(36)}`;
      await apiPost(ctx, `/deployments/${target.id}`, { description: colleague, schedule: { type: 'cron', expression: theirs, timezone: target.schedule!.timezone } });
      await clearRequests(ctx);
      const mine = `${target.name}-mine`;
      await replaceInEditor(wb, `"name": ${JSON.stringify(target.name)}`, `"name": ${JSON.stringify(mine)}`);
      await save(wb);
      await waitUntil(async () => (await deployments(ctx)).some((d) => d.id === target.id && d.name === mine), 'the name to reach the server', 20_000);
      expect(!(await wb.dialogBox.isVisible()), 'no question: no field changed on both sides');
      const now = (await deployments(ctx)).find((d) => d.id === target.id)!;
      expect(now.description === colleague && now.schedule?.expression === theirs, `the colleague’s fields survive: ${JSON.stringify({ description: now.description, schedule: now.schedule })}`);
      const posts = (await requests(ctx)).filter((r) => r.method === 'POST');
      expect(posts.length === 1 && Object.keys(JSON.parse(posts[0]!.body ?? '{}') as object).join() === 'name', `only the name is sent: ${JSON.stringify(posts.map((p) => p.body))}`);
      await wb.page.locator('.tabs-container .tab.active:not(.dirty)').waitFor({ state: 'visible', timeout: 10_000 });
      await wb.mouseAway();
      await wb.screenshot('edit-merge-no-question');
      await wb.closeAllEditorsDiscarding();
    },
  },
  {
    name: 'edit: D8 the same field changed on both sides → the question names it with both values → Compare (no error, still unsaved) → Save sends mine, asks nothing again',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const target = pickTarget(await deployments(ctx));
      // values that differ from the opened copy (earlier flows may have set some of them)
      const theirs = ['45 5 * * 2', '50 5 * * 3'].find((e) => e !== target.schedule!.expression)!;
      const mine = ['15 7 * * 1-5', '20 7 * * 1-5'].find((e) => e !== target.schedule!.expression)!;
      const colleague = `colleague ${Date.now().toString(36)}`;
      await openForEdit(wb, target.name);
      await apiPost(ctx, `/deployments/${target.id}`, { description: colleague, schedule: { type: 'cron', expression: theirs, timezone: target.schedule!.timezone } });
      await clearRequests(ctx);
      await replaceInEditor(wb, `"expression": ${JSON.stringify(target.schedule!.expression)}`, `"expression": "${mine}"`);
      await save(wb);
      const text = await wb.dialogText();
      expect(text.includes(`schedule: yours \`${mine}\`, theirs \`${theirs}\``) && text.includes(target.name), `the question names the field: "${text}"`);
      const buttons = await wb.dialogButtons();
      expect(['Keep Mine', 'Take Theirs', 'Compare'].every((b) => buttons.includes(b)), `buttons: ${buttons.join(', ')}`);
      await wb.screenshot('edit-conflict');
      await wb.clickDialogButton('Compare');
      const diff = wb.page.locator('.editor-group-container.active .monaco-diff-editor').first();
      await diff.waitFor({ state: 'visible', timeout: 15_000 });
      const diffText = async () => (await diff.innerText()).replace(/\s+/g, ' ');
      // the user's side has the colleague's description merged in: the only difference left is the user's schedule
      await waitUntil(async () => (await diffText()).includes(theirs) && (await diffText()).includes(mine), 'the diff: server schedule and mine', 15_000, async () => (await diffText()).slice(0, 400));
      await wb.mouseAway();
      await wb.screenshot('edit-conflict-compare');
      expect(!(await wb.toasts()).some((t) => /Failed to save|Not saved/.test(t)), `no error toast: ${(await wb.toasts()).join(' | ')}`);
      expect((await requests(ctx)).filter((r) => r.method === 'POST').length === 0, 'Compare sent nothing');
      await wb.page.locator('.tabs-container .tab.dirty').first().waitFor({ state: 'visible', timeout: 10_000 });
      // save the merged text from the diff's right side: sent without a second question
      await wb.page.locator('.editor-group-container.active .monaco-diff-editor .editor.modified').first().click();
      await wb.page.keyboard.press('Control+S');
      await waitUntil(async () => (await deployments(ctx)).find((d) => d.id === target.id)?.schedule?.expression === mine, 'my schedule to reach the server', 20_000);
      expect(!(await wb.dialogBox.isVisible()), 'the question did not come back');
      const now = (await deployments(ctx)).find((d) => d.id === target.id)!;
      expect(now.description === colleague, `the colleague’s description survives: ${now.description}`);
      await wb.mouseAway();
      await wb.screenshot('edit-conflict-saved');
      await wb.closeAllEditorsDiscarding();
    },
  },
  {
    name: 'edit: D9 with files.autoSave on, an edit stays unsaved (dot on the tab, nothing sent) and closing asks',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const target = pickTarget(await deployments(ctx));
      await openForEdit(wb, target.name);
      await clearRequests(ctx);
      await replaceInEditor(wb, `"description": ${JSON.stringify(target.description)}`, '"description": "typed, not saved"');
      const tab = wb.page.locator('.tabs-container .tab.active');
      // auto-save (afterDelay, 1 s, set for this run) would have saved by now: the language turns it off
      const since = Date.now();
      await waitUntil(async () => Date.now() - since > 3000, 'three auto-save delays', 10_000);
      expect(/\bdirty\b/.test((await tab.getAttribute('class')) ?? ''), 'the tab still shows the unsaved dot');
      expect((await requests(ctx)).filter((r) => r.method === 'POST').length === 0, 'nothing was sent');
      await wb.mouseAway();
      await wb.screenshot('edit-unsaved-autosave');
      await wb.runCommand('View: Close Editor');
      const text = await wb.dialogText();
      expect(/save the changes/i.test(text), `closing asks: "${text}"`);
      await wb.screenshot('edit-unsaved-close');
      const dont = (await wb.dialogButtons()).find((b) => /Don.t Save/i.test(b))!;
      await wb.clickDialogButton(dont);
      expect((await deployments(ctx)).find((d) => d.id === target.id)?.description === target.description, 'the server copy is unchanged');
    },
  },
  {
    name: 'edit: New Deployment… → agent, then environment → template (name typed at the first tab stop) → Save with the example prompt refused → a prompt → Save → new row at the top; Duplicate asks → Create Paused → the copy is paused',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const name = `e2e-created-${Date.now().toString(36)}`;
      await wb.titleAction(title('qoder.createDeployment')).click();
      // first the agent (by name, its id as the detail line), then the environment
      const agent = wb.quickInput.locator('.monaco-list-row').filter({ hasText: /agent_\w+/ }).first();
      await agent.waitFor({ state: 'visible', timeout: 20_000 });
      const agentText = (await agent.innerText()).replace(/\s+/g, ' ');
      log(`agent pick: ${agentText}`);
      expect(!/^\s*agent_/.test(agentText), `the agent is shown by name: "${agentText}"`);
      await wb.screenshot('create-pick');
      await agent.click();
      const env = wb.quickInput.locator('.monaco-list-row').filter({ hasText: /env_\w+/ }).first();
      const opened = wb.page.locator('.tabs-container .tab.active').filter({ hasText: 'untitled.deployment.json' });
      // (an account whose deployments use one environment is not asked)
      await waitUntil(async () => (await env.isVisible()) || (await opened.isVisible()), 'the environment pick or the template', 20_000);
      if (await env.isVisible()) {
        log(`environment pick: ${(await env.innerText()).replace(/\s+/g, ' ')}`);
        await env.click();
      }
      await opened.waitFor({ state: 'visible', timeout: 20_000 });
      await waitUntil(async () => (await lensTexts(wb)).length >= 2, 'the schedule CodeLens of the template', 20_000);
      // the template is a snippet: the name is selected at the first tab stop, so typing replaces it
      await wb.page.keyboard.type(name);
      const editorText = async (): Promise<string> => (await activeEditor(wb).locator('.view-lines').innerText()).replace(/\s+/g, ' ');
      await waitUntil(async () => (await editorText()).includes(`"name": "${name}"`), 'the name typed at the first tab stop', 10_000, async () => (await editorText()).slice(0, 300));
      // the example prompt is left as it is: Save is refused, nothing is sent, the prompt is marked
      await clearRequests(ctx);
      await save(wb);
      const refusal = await wb.waitForNotification(/nothing was sent/);
      expect(/prompt is still the template/.test(refusal), `the refusal says why: "${refusal}"`);
      await activeEditor(wb).locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 15_000 });
      await wb.mouseAway();
      await wb.screenshot('create-untouched-refused');
      expect((await requests(ctx)).filter((r) => r.method === 'POST').length === 0, 'the refused save sent nothing');
      expect(!(await wb.dialogBox.isVisible()), 'no "Unable to write file" dialog');
      await replaceInEditor(wb, '"text": "Describe what the agent should do on each run."', '"text": "List the issues opened since yesterday."');
      await wb.mouseAway();
      await wb.screenshot('create-template');
      await clearRequests(ctx);
      await save(wb);
      // the top of the healthy rows: deployments that need attention stay above everything
      const first = wb.page.locator(SIDEBAR_ROWS).filter({ hasNot: wb.page.locator('.codicon-warning') }).first();
      await waitUntil(async () => new RegExp(`^\\s*${esc(name)}\\s*$`).test(await first.locator('.label-name').innerText().catch(() => '')), 'the new row at the top (below the rows that need attention)', 20_000, async () => first.innerText());
      await waitForEditDocument(wb, `${name}.deployment.json`);
      const creates = (await requests(ctx)).filter((r) => r.method === 'POST' && /\/deployments$/.test(r.path));
      expect(creates.length === 1 && creates[0]!.status === 200, `create requests: ${JSON.stringify(creates)}`);
      const made = (await deployments(ctx)).find((d) => d.name === name);
      expect(made && made.status === 'active', `the API has ${name}`);
      await wb.mouseAway();
      await wb.screenshot('created');
      await wb.closeAllEditorsDiscarding();

      // Duplicate of a scheduled deployment asks about the schedule; Create Paused (the first button) makes the copy paused
      await wb.contextMenu(wb.treeRowByLabel(name), title('qoder.duplicateDeployment'));
      const ask = await wb.dialogText();
      expect(ask.includes(`Should the copy of “${name}” run on its schedule`) && /same minute/.test(ask), `the question: "${ask}"`);
      const buttons = await wb.dialogButtons();
      expect(buttons.includes('Create Paused') && buttons.includes('Keep Schedule'), `buttons: ${buttons.join(', ')}`);
      const focused = await wb.page.evaluate<string>('document.activeElement ? (document.activeElement.textContent || "").trim() : ""');
      expect(focused === 'Create Paused', `Enter takes the safe answer: the focused button is "${focused}"`);
      await wb.screenshot('duplicate-asks');
      await wb.clickDialogButton('Create Paused');
      await wb.page.locator('.tabs-container .tab.active').filter({ hasText: `${name}-copy.deployment.json` }).waitFor({ state: 'visible', timeout: 20_000 });
      await clearRequests(ctx);
      await save(wb);
      await waitUntil(async () => (await deployments(ctx)).some((d) => d.name === `${name}-copy` && d.status === 'paused' && d.schedule !== null), 'the copy, paused, with its schedule', 20_000);
      const writes = (await requests(ctx)).filter((r) => r.method === 'POST').map((r) => r.path.replace(/^.*\/deployments/, '/deployments').replace(/dep_\w+/, 'ID'));
      expect(writes.join() === '/deployments,/deployments/ID/pause,/deployments/ID', `create without the schedule, pause, then the schedule: ${writes.join(' ')}`);
      await waitForEditDocument(wb, `${name}-copy.deployment.json`);
      // The editor shows the find widget of the replacements above (the group reuses its editor): closed
      // first, it no longer holds the palette's click for 30 s.
      await activeEditor(wb).click();
      await wb.page.keyboard.press('Escape');
      await wb.closeAllEditorsDiscarding();
    },
  },
  {
    name: 'edit: names — the agent’s and environment’s names beside their ids; an environment name typed for its id → one message → quick fix puts the id back',
    async run(wb, ctx) {
      await ensureSignedIn(wb, ctx);
      await wb.clearNotifications();
      const target = pickTarget(await deployments(ctx));
      const agentName = await apiName(ctx, `/agents/${target.agent.id}?version=${target.agent.version}`);
      const envName = await apiName(ctx, `/environments/${target.environment_id}`);
      await openForEdit(wb, target.name);
      const editorText = async (): Promise<string> => (await activeEditor(wb).locator('.view-lines').innerText()).replace(/\s+/g, ' ');
      await waitUntil(async () => (await editorText()).includes(envName) && (await editorText()).includes(agentName), 'the names as inlay hints', 20_000, async () => (await editorText()).slice(0, 600));
      await wb.mouseAway();
      await wb.screenshot('edit-names');
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'edit-names', [activeEditor(wb)], 0);
      log(`names shown: ${agentName}, ${envName}`);

      // the environment's name typed where its id belongs: one error of ours, and its quick fix
      await replaceInEditor(wb, `"environment_id": "${target.environment_id}"`, `"environment_id": "${envName}"`);
      const squiggle = activeEditor(wb).locator('.squiggly-error').first();
      await squiggle.waitFor({ state: 'visible', timeout: 15_000 });
      const fix = wb.page.locator('.action-widget, .context-view').filter({ hasText: 'Use the ID of' }).first();
      // Ctrl+. pressed before the code actions were computed for the new text shows "No code
      // actions available" (seen once in 4.139): close that and ask again.
      await waitUntil(async () => {
        await wb.escape(1);
        await activeEditor(wb).locator('.view-line span').filter({ hasText: `"${envName}"` }).first().click();
        await wb.page.keyboard.press('Control+.');
        return fix.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
      }, 'the quick fix "Use the ID of…"', 20_000);
      await wb.screenshot('edit-name-quick-fix');
      await wb.page.keyboard.press('Enter');
      await waitUntil(async () => (await editorText()).includes(`"environment_id": "${target.environment_id}"`), 'the quick fix to put the id back', 15_000, async () => (await editorText()).slice(0, 600));
      await activeEditor(wb).locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 15_000 });

      // Edit Prompt…: the prompt as Markdown in an editor of its own; Save sends one merge-patch of initial_events only
      await clearRequests(ctx);
      await wb.runCommand(cmd('qoder.editPrompt'));
      await wb.page.locator('.tabs-container .tab.active').filter({ hasText: `${target.name}.prompt.md` }).waitFor({ state: 'visible', timeout: 20_000 });
      const added = 'Also list the flaky tests.';
      await activeEditor(wb).click();
      await wb.page.keyboard.press('Control+End');
      await wb.page.keyboard.type(`\n\n${added}`);
      await wb.page.keyboard.press('Control+S');
      await waitUntil(async () => JSON.stringify((await deployments(ctx)).find((d) => d.id === target.id)?.initial_events ?? []).includes(added), 'the prompt to reach the server', 20_000);
      const posts = (await requests(ctx)).filter((r) => r.method === 'POST');
      expect(posts.length === 1 && Object.keys(JSON.parse(posts[0]!.body ?? '{}') as object).join() === 'initial_events', `one merge-patch of the prompt only: ${JSON.stringify(posts.map((p) => p.body?.slice(0, 200)))}`);
      await wb.page.locator('.tabs-container .tab.active:not(.dirty)').waitFor({ state: 'visible', timeout: 10_000 });
      await wb.mouseAway();
      await wb.screenshot('edit-prompt');
      await wb.closeAllEditorsDiscarding();
    },
  },
];
