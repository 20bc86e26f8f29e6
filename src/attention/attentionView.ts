// Told without watching: a status-bar item `$(warning) Qoder: N need attention` while deployments need attention,
// and one notification per deployment that newly needs attention after a load (one grouped
// notification when more than three change at once). Actions: Show, Open Failed Run, and Edit
// Deployment or Resume by what can fix the cause.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { Commands } from '../platform/constants';
import type { AttentionChange } from './model/attention';
import { errorCause, errorTypeText } from '../common/errorTypes';
import { displayName, displayText, markdownSafe, quote } from '../common/display';
import type { Ui } from '../platform/ui';
import { runHealth } from '../runs/model/runHealth';


export class AttentionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private shown = false;

  constructor() {
    this.item = vscode.window.createStatusBarItem('qoder.attention', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Qoder: deployments that need attention');
    this.item.command = Commands.showNeedsAttention;
  }

  /** Shows `$(warning) Qoder: N need attention` with the names in the tooltip; hidden at 0 or when turned off. */
  update(list: readonly Deployment[], enabled: boolean): void {
    if (!enabled || list.length === 0) {
      this.item.hide();
      this.shown = false;
      return;
    }
    // Says what it counts: a bare "⚠ 3" beside the Problems counts reads as "3 warnings".
    this.item.text = `$(warning) ${vscode.l10n.t('Qoder: {0} need attention', list.length)}`;
    const label = list.length === 1
      ? vscode.l10n.t('1 Qoder deployment needs attention')
      : vscode.l10n.t('{0} Qoder deployments need attention', list.length);
    this.item.accessibilityInformation = { label };
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendText(label);
    md.appendMarkdown('\n');
    for (const d of list.slice(0, 10)) {
      md.appendMarkdown('\n- ');
      md.appendText(markdownSafe(displayName(d.name)));
    }
    if (list.length > 10) {
      md.appendMarkdown('\n- ');
      md.appendText(vscode.l10n.t('and {0} more', list.length - 10));
    }
    this.item.tooltip = md;
    this.item.show();
    this.shown = true;
  }

  /** What the item shows now (undefined when hidden), for tests. */
  get shownText(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** The sentence for one change. */
export function attentionMessage(c: AttentionChange): string {
  const d = c.deployment;
  if (c.kind === 'paused_on_error') {
    const type = (d.paused_reason as { error?: { type?: string } } | null)?.error?.type ?? 'unknown_error';
    return vscode.l10n.t('{0} was paused after an error: {1}.', quote(d.name), displayText(errorTypeText(type)));
  }
  // as the row says "5+" when older runs were not fetched
  if (runHealth.get(d.id)?.streakAtLeast) return vscode.l10n.t('{0} failed {1} or more times in a row.', quote(d.name), c.failures);
  if (c.failures === 1) return vscode.l10n.t('{0}: its last run failed.', quote(d.name));
  return vscode.l10n.t('{0} failed {1} times in a row.', quote(d.name), c.failures);
}

export interface AttentionActions {
  show(deploymentId: string | undefined): Promise<void>;
  /** Opens the run that caused the notification: its session, or its error when it never started one. */
  openFailedRun(deploymentId: string): Promise<void>;
  edit(deploymentId: string): Promise<void>;
  resume(deploymentId: string): Promise<void>;
  /** The user answered or closed the notification about these deployments. */
  seen?(deploymentIds: readonly string[]): void;
}

/** The error type behind a change: the pause reason, or the newest failed run's. */
export function causeOf(c: AttentionChange, lastFailureCause: string | undefined): string | undefined {
  if (c.kind === 'paused_on_error') return (c.deployment.paused_reason as { error?: { type?: string } } | null)?.error?.type ?? 'unknown_error';
  return lastFailureCause;
}

/**
 * The buttons of one notification: Show; the failed run; Edit Deployment when the cause is the
 * deployment's configuration; Resume only for a paused deployment that running again can help.
 */
export function attentionButtons(c: AttentionChange, cause: string | undefined): string[] {
  const buttons = [vscode.l10n.t('Show'), vscode.l10n.t('Open Failed Run')];
  const kind = cause === undefined ? 'transient' : errorCause(cause);
  if (kind === 'configuration') buttons.push(vscode.l10n.t('Edit Deployment'));
  if (c.deployment.status === 'paused' && kind === 'transient') buttons.push(vscode.l10n.t('Resume'));
  return buttons;
}

/** Shows the notifications for one load's changes. Resolves when each was answered or dismissed. */
export async function notifyAttention(ui: Ui, changes: readonly AttentionChange[], actions: AttentionActions, lastFailureCause: (deploymentId: string) => string | undefined = () => undefined): Promise<void> {
  if (changes.length === 0) return;
  const show = vscode.l10n.t('Show');
  if (changes.length > 3) {
    const names = changes.slice(0, 5).map((c) => quote(c.deployment.name)).join(', ');
    const more = changes.length > 5 ? ` ${vscode.l10n.t('and {0} more', changes.length - 5)}` : '';
    const answer = await ui.showWarningMessage(vscode.l10n.t('{0} deployments newly need attention: {1}.', changes.length, names + more), {}, show);
    actions.seen?.(changes.map((c) => c.deployment.id));
    if (answer === show) await actions.show(undefined);
    return;
  }
  await Promise.all(changes.map(async (c) => {
    const answer = await ui.showWarningMessage(attentionMessage(c), {}, ...attentionButtons(c, causeOf(c, lastFailureCause(c.deployment.id))));
    const id = c.deployment.id;
    actions.seen?.([id]);
    if (answer === show) await actions.show(id);
    else if (answer === vscode.l10n.t('Open Failed Run')) await actions.openFailedRun(id);
    else if (answer === vscode.l10n.t('Edit Deployment')) await actions.edit(id);
    else if (answer === vscode.l10n.t('Resume')) await actions.resume(id);
  }));
}
