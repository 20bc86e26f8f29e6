// Keeps the view's surroundings in step with the store: context keys (welcome views, menus),
// the message line (stale + error, the filter, "Updated 2 min ago"), the badge (deployments
// needing attention). The age goes in the message, not the view's
// description: a view alone in its container has its title merged into the container's, and
// VS Code then shows no description (microsoft/vscode#166000).

import * as vscode from 'vscode';
import type { DeploymentStore } from './model/deploymentStore';
import { runHealth } from '../runs/model/runHealth';
import { relativeTime } from '../common/timeText';
import { failureText, problemKind } from '../common/errorText';
import * as config from '../platform/config';
import { filterText, type FilterState } from './model/filter';
import { ContextKeys, Regions } from '../platform/constants';
import type { Connection } from '../connection/connection';
import { Disposable } from '../platform/lifecycle';
import type { DeploymentsTreeProvider } from './deploymentsTree';

const TICK_MS = 30_000;

export class ViewState extends Disposable {
  private lastKeys = new Map<string, unknown>();
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly store: DeploymentStore,
    private readonly connection: Connection,
    private readonly filter: FilterState,
    private readonly tree: DeploymentsTreeProvider,
    /** What needs attention (attention/attentionHost.ts): the badge shows its count. */
    private readonly attention: { readonly needingCount: number; readonly onDidChangeNeeding: vscode.Event<void> },
  ) {
    super();
    const update = (): void => this.update();
    this._register(vscode.Disposable.from(
      store.onDidChange(update),
      connection.onDidConnect(update),
      connection.onDidChangeSignIn(update),
      filter.onDidChange(update),
      runHealth.onDidChange(update),
      // The attention host keeps what needs attention (one row at a time when one row changes); the badge shows its count.
      attention.onDidChangeNeeding(() => this.updateBadge()),
      view.onDidChangeVisibility(() => this.syncTicker()),
    ));
    this.update();
    this.updateBadge();
    this.syncTicker();
  }

  private setKey(key: string, value: unknown): void {
    if (this.lastKeys.get(key) === value) return;
    this.lastKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  /** "Updated 2 min ago" only changes with time, so it ticks only while the view is visible. */
  private syncTicker(): void {
    if (this.view.visible && !this.ticker) this.ticker = setInterval(() => this.updateMessage(), TICK_MS);
    else if (!this.view.visible && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    this.updateMessage();
  }

  /** `shown`: how many rows the filter lets through (computed once per update). */
  private updateMessage(shown?: number): void {
    const store = this.store;
    // VS Code shows a view's welcome content only while the view has no message: leave it
    // empty whenever a welcome view is meant to show (signed out, an empty account, a filter
    // that matches nothing), or that content never appears. A failed load keeps its message:
    // it carries the reason in words, which static welcome content cannot.
    if (this.welcomeShows(shown)) {
      this.view.message = undefined;
      return;
    }
    const lines: string[] = [];
    if (store.error && (store.state === 'error' || store.stale)) {
      const reason = failureText(vscode.l10n.t('Loading deployments'), store.error);
      lines.push(store.stale && store.lastUpdated
        ? vscode.l10n.t('Stale: showing the list from {0}. {1}', new Date(store.lastUpdated).toLocaleTimeString(vscode.env.language), reason)
        : reason);
    }
    if (store.invalid.length) lines.push(vscode.l10n.t('{0} deployments could not be read and are not shown. See the log for details.', store.invalid.length));
    if (this.filter.active) lines.push(vscode.l10n.t('Filtered: {0} ({1} of {2} shown)', filterText(this.filter.current), shown ?? this.tree.visibleDeployments().length, store.deployments.length));
    if (store.isLoading && store.state !== 'loading') lines.push(vscode.l10n.t('Updating…'));
    else if (store.lastUpdated !== undefined && !store.stale) lines.push(vscode.l10n.t('Updated {0}', relativeTime(new Date(store.lastUpdated).toISOString(), { locale: vscode.env.language })));
    this.view.message = lines.length ? lines.join(' · ') : undefined;
  }

  private welcomeShows(shown?: number): boolean {
    const s = this.store;
    if (!this.connection.hasToken || s.state === 'empty' || s.state === 'loading' || s.state === 'signedOut') return true;
    return this.filter.active && s.state === 'ready' && (shown ?? this.tree.visibleDeployments().length) === 0;
  }

  update(): void {
    const store = this.store;
    const filtering = this.filter.active;
    const shown = filtering ? this.tree.visibleDeployments().length : store.deployments.length;
    this.setKey(ContextKeys.hasToken, this.connection.hasToken);
    this.setKey(ContextKeys.loadState, store.state);
    this.setKey(ContextKeys.showArchived, store.showsArchived);
    this.setKey(ContextKeys.filterActive, filtering);
    this.setKey(ContextKeys.filterEmpty, filtering && store.state === 'ready' && shown === 0);
    this.setKey(ContextKeys.region, regionOf(this.connection.apiBaseUrl || config.apiBaseUrl()));
    const failure = !this.connection.hasToken ? this.connection.signInError : undefined;
    this.setKey(ContextKeys.problem, failure === undefined ? '' : problemKind(failure));

    this.updateMessage(shown);

  }

  private updateBadge(): void {
    const n = this.attention.needingCount;
    this.view.badge = n ? { value: n, tooltip: vscode.l10n.t('{0} deployments need attention', n) } : undefined;
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    super.dispose();
  }
}

/** Which host the welcome view names: one of the two regions, or the custom setting. */
export function regionOf(baseUrl: string): 'global' | 'china' | 'custom' {
  const url = baseUrl.replace(/\/+$/, '');
  return Regions.find((r) => r.baseUrl === url)?.id ?? 'custom';
}
