// The Deployments tree. Reads the stores; never calls the API itself (runs are fetched through
// the RunStore). Tooltips are built lazily in resolveTreeItem.

import * as vscode from 'vscode';
import type { Deployment, DeploymentRun } from '../api/types';
import type { DeploymentStore } from '../model/deploymentStore';
import type { RunStore } from '../model/runStore';
import {
  contextTokens, descriptionText, detailRows, formatTime, kindOf, runOutcomeText, runTriggerText, type DeploymentKind,
} from '../model/describe';
import { failureText } from '../model/errorText';
import { matchesFilter, type FilterState } from '../model/filter';
import { Commands } from '../constants';
import { rowRedrawShowsNewChildren } from './compat';

export class DeploymentNode {
  readonly kind = 'deployment';
  constructor(readonly id: string) {}
}
export class RunNode {
  readonly kind = 'run';
  constructor(readonly deploymentId: string, readonly run: DeploymentRun) {}
}
export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(readonly deploymentId: string) {}
}
export class InfoNode {
  readonly kind = 'info';
  constructor(readonly deploymentId: string, readonly text: string, readonly icon: string, readonly tooltip?: string) {}
}
export type Node = DeploymentNode | RunNode | LoadMoreNode | InfoNode;

export function deploymentIcon(kind: DeploymentKind): vscode.ThemeIcon {
  switch (kind) {
    case 'active': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'paused': return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
    case 'attention': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'archived': return new vscode.ThemeIcon('archive', new vscode.ThemeColor('disabledForeground'));
  }
}

export function deploymentTooltip(d: Deployment): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  md.appendText(d.name);
  md.appendMarkdown('**\n\n');
  if (d.description) {
    md.appendText(d.description);
    md.appendMarkdown('\n\n');
  }
  for (const row of detailRows(d, { locale: vscode.env.language })) {
    md.appendMarkdown('**');
    md.appendText(row.label);
    md.appendMarkdown(':** ');
    if (row.list) {
      for (const v of row.list) {
        md.appendMarkdown('\n- ');
        md.appendText(v);
      }
      md.appendMarkdown('\n\n');
      continue;
    }
    if (row.code) md.appendMarkdown('`' + row.value.replace(/[`\\\n]/g, '') + '`');
    else md.appendText(row.value);
    md.appendMarkdown('  \n');
  }
  return md;
}

export class DeploymentsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, DeploymentNode>();
  /** The store's list as the view last asked for it. */
  private rendered: readonly Deployment[] | undefined;
  private readonly subs: vscode.Disposable[];

  /**
   * @param redrawRowForRuns redraw only the deployment's row when its run history changes; false
   *   redraws the whole list (VS Code before 1.139 shows no new children on a row redraw, compat.ts)
   */
  constructor(
    private readonly store: DeploymentStore,
    private readonly runs: RunStore,
    private readonly filter?: FilterState,
    private readonly redrawRowForRuns = rowRedrawShowsNewChildren(vscode.version),
  ) {
    this.subs = [
      // One deployment changed in place: redraw its row only. With a filter on, the change may
      // move it in or out of view, so redraw the list.
      store.onDidChange((id) => {
        if (id === undefined && this.store.deployments === this.rendered) return; // only the loading state changed
        if (id !== undefined && !this.store.get(id)) return; // already gone: its removal redrew the list
        this.changed.fire(id !== undefined && !this.filter?.active ? this.nodes.get(id) : undefined);
      }),
      ...(filter ? [filter.onDidChange(() => this.changed.fire(undefined))] : []),
      runs.onDidChange((id) => {
        const node = this.nodes.get(id);
        if (node) this.changed.fire(this.redrawRowForRuns ? node : undefined);
      }),
    ];
  }

  /** The stable node of a deployment (same object across refreshes). */
  nodeFor(id: string): DeploymentNode {
    let n = this.nodes.get(id);
    if (!n) {
      n = new DeploymentNode(id);
      this.nodes.set(id, n);
    }
    return n;
  }

  /** The deployments the view shows: the store's list through the filter. */
  visibleDeployments(): readonly Deployment[] {
    const f = this.filter?.active ? this.filter.current : undefined;
    return f ? this.store.deployments.filter((d) => matchesFilter(d, f)) : this.store.deployments;
  }

  getChildren(element?: Node): Node[] | Promise<Node[]> {
    if (!element) {
      this.rendered = this.store.deployments;
      // Forget nodes of deployments that are gone; keep filtered-out ones stable.
      for (const id of this.nodes.keys()) if (!this.store.get(id)) this.nodes.delete(id);
      return this.visibleDeployments().map((d) => this.nodeFor(d.id));
    }
    if (element instanceof DeploymentNode) return this.runChildren(element.id);
    return [];
  }

  private async runChildren(id: string): Promise<Node[]> {
    await this.runs.ensure(id);
    const h = this.runs.get(id);
    if (!h) return [];
    const out: Node[] = h.runs.map((r) => new RunNode(id, r));
    if (h.error) out.push(new InfoNode(id, failureText(vscode.l10n.t('Loading runs'), h.error), 'error'));
    else if (!h.runs.length) out.push(new InfoNode(id, vscode.l10n.t('No runs yet'), 'info'));
    if (h.hasMore) out.push(new LoadMoreNode(id));
    return out;
  }

  getParent(element: Node): Node | undefined {
    return element instanceof DeploymentNode ? undefined : this.nodeFor(element.deploymentId);
  }

  getTreeItem(element: Node): vscode.TreeItem {
    if (element instanceof DeploymentNode) return this.deploymentItem(element);
    if (element instanceof RunNode) return runItem(element);
    if (element instanceof LoadMoreNode) {
      const item = new vscode.TreeItem(vscode.l10n.t('Load more runs…'), vscode.TreeItemCollapsibleState.None);
      item.id = `${element.deploymentId}/more`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'loadMore';
      item.command = { command: Commands.loadMoreRuns, title: vscode.l10n.t('Load more runs…'), arguments: [element.deploymentId] };
      return item;
    }
    const item = new vscode.TreeItem(element.text, vscode.TreeItemCollapsibleState.None);
    item.id = `${element.deploymentId}/info`;
    item.iconPath = new vscode.ThemeIcon(element.icon);
    item.tooltip = element.tooltip ?? element.text;
    return item;
  }

  private deploymentItem(node: DeploymentNode): vscode.TreeItem {
    const d = this.store.get(node.id);
    const item = new vscode.TreeItem(d?.name ?? node.id, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    if (!d) return item;
    const pending = this.store.pendingAction(d.id);
    item.description = descriptionText(d, pending, { locale: vscode.env.language });
    item.iconPath = pending ? new vscode.ThemeIcon('loading~spin') : deploymentIcon(kindOf(d));
    item.contextValue = pending ? 'deployment busy' : contextTokens(d);
    item.accessibilityInformation = { label: `${d.name}, ${item.description}` };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: Node): vscode.TreeItem {
    if (element instanceof DeploymentNode && !item.tooltip) {
      const d = this.store.get(element.id);
      if (d) item.tooltip = deploymentTooltip(d);
    }
    return item;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}

function runItem(node: RunNode): vscode.TreeItem {
  const r = node.run;
  const when = formatTime(r.created_at, { locale: vscode.env.language });
  const item = new vscode.TreeItem(`${runTriggerText(r)} · ${when}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.deploymentId}/${r.id}`;
  item.description = runOutcomeText(r);
  item.iconPath = r.error
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
    : new vscode.ThemeIcon('history');
  item.contextValue = 'run';
  item.command = { command: Commands.showRunDetails, title: vscode.l10n.t('Show Run Details'), arguments: [node.deploymentId, r.id] };
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.appendText(`${r.id}\n\n${runTriggerText(r)} · ${when}\n\n${runOutcomeText(r)}`);
  if (r.error?.message) md.appendText(`\n\n${r.error.message}`);
  item.tooltip = md;
  return item;
}
