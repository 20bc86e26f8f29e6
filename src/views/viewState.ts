// Keeps the view's surroundings in step with the store: context keys (welcome views, menus),
// the message line ("stale" + error), the badge (deployments needing attention) and the
// one-time 401 prompt.

import * as vscode from 'vscode';
import type { DeploymentStore } from '../model/deploymentStore';
import { needsAttention } from '../model/describe';
import { failureText, isAuthError } from '../model/errorText';
import { ContextKeys } from '../constants';
import type { Session } from '../session';
import { reportFailure, t, type Services } from '../commands/common';

export class ViewState implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private reportedAuthError: unknown;
  private lastKeys = new Map<string, unknown>();

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly store: DeploymentStore,
    private readonly session: Session,
    private readonly services: Services,
  ) {
    this.subs.push(store.onDidChange(() => this.update()), session.onDidChange(() => this.update()));
    this.update();
  }

  private setKey(key: string, value: unknown): void {
    if (this.lastKeys.get(key) === value) return;
    this.lastKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  update(): void {
    const s = this.store;
    this.setKey(ContextKeys.hasToken, this.session.hasToken);
    this.setKey(ContextKeys.loadState, s.state);
    this.setKey(ContextKeys.showArchived, s.showsArchived);

    let message: string | undefined;
    if (s.error && (s.state === 'error' || s.stale)) {
      const reason = failureText(t('Loading deployments'), s.error, t);
      message = s.stale && s.lastUpdated
        ? t('Stale: showing the list from {0}. {1}', new Date(s.lastUpdated).toLocaleTimeString(), reason)
        : reason;
    } else if (s.invalid.length) {
      message = t('{0} deployments could not be read and are not shown. See the log for details.', s.invalid.length);
    }
    this.view.message = message;

    const attention = s.deployments.filter(needsAttention).length;
    this.view.badge = attention ? { value: attention, tooltip: t('{0} deployments need attention', attention) } : undefined;

    if (isAuthError(s.error) && s.error !== this.reportedAuthError) {
      this.reportedAuthError = s.error;
      void reportFailure(this.services, t('Loading deployments'), s.error);
    }
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
  }
}
