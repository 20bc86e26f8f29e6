// Told without watching: a status-bar item `$(warning) N` while deployments need attention,
// and one notification per deployment that newly needs attention after a load (one grouped
// notification when more than three change at once). Actions: Show, Open Last Session, Resume.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { Commands } from '../platform/constants';
import type { AttentionChange } from './model/attention';
import { errorTypeText } from '../common/errorTypes';
import { displayName, displayText, markdownSafe, quote } from '../common/display';
import type { Ui } from '../platform/ui';


export class AttentionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private shown = false;

  constructor() {
    this.item = vscode.window.createStatusBarItem('qoder.attention', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Qoder: deployments that need attention');
    this.item.command = Commands.showNeedsAttention;
  }

  /** Shows `$(warning) N` with the names in the tooltip; hidden at 0 or when turned off. */
  update(list: readonly Deployment[], enabled: boolean): void {
    if (!enabled || list.length === 0) {
      this.item.hide();
      this.shown = false;
      return;
    }
    this.item.text = `$(warning) ${list.length}`;
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
  return vscode.l10n.t('{0} failed {1} times in a row.', quote(d.name), c.failures);
}

export interface AttentionActions {
  show(deploymentId: string | undefined): Promise<void>;
  openLastSession(deploymentId: string): Promise<void>;
  resume(deploymentId: string): Promise<void>;
  /** The user answered or closed the notification about these deployments. */
  seen?(deploymentIds: readonly string[]): void;
}

/** Shows the notifications for one load's changes. Resolves when each was answered or dismissed. */
export async function notifyAttention(ui: Ui, changes: readonly AttentionChange[], actions: AttentionActions): Promise<void> {
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
  const openLast = vscode.l10n.t('Open Last Session');
  const resume = vscode.l10n.t('Resume');
  await Promise.all(changes.map(async (c) => {
    const buttons = [show, openLast];
    if (c.deployment.status === 'paused') buttons.push(resume);
    const answer = await ui.showWarningMessage(attentionMessage(c), {}, ...buttons);
    actions.seen?.([c.deployment.id]);
    if (answer === show) await actions.show(c.deployment.id);
    else if (answer === openLast) await actions.openLastSession(c.deployment.id);
    else if (answer === resume) await actions.resume(c.deployment.id);
  }));
}
