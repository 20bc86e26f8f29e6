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
  constructor(readonly deploymentId: string, readonly text: string, readonly icon: string, readonly retry = false) {}
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

export function deploymentTooltip(deployment: Deployment): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  md.appendText(deployment.name);
  md.appendMarkdown('**\n\n');
  if (deployment.description) {
    md.appendText(deployment.description);
    md.appendMarkdown('\n\n');
  }
  for (const row of detailRows(deployment, { locale: vscode.env.language })) {
    md.appendMarkdown('**');
    md.appendText(row.label);
    md.appendMarkdown(':** ');
    if (row.list) {
      for (const value of row.list) {
        md.appendMarkdown('\n- ');
        md.appendText(value);
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

  constructor(private readonly store: DeploymentStore, private readonly runs: RunStore, private readonly filter?: FilterState) {
    this.subs = [
      // One deployment changed in place: redraw its row only. With a filter on, the change may
      // move it in or out of view, so redraw the list.
      store.onDidChange((id) => {
        if (id === undefined && this.store.deployments === this.rendered) return; // only the loading state changed
        if (id !== undefined && !this.store.get(id)) return; // already gone: its removal redrew the list
        // An in-place change leaves the same rows in the same order: that list counts as drawn.
        if (id !== undefined && !this.filter?.active) {
          this.rendered = this.store.deployments;
          this.changed.fire(this.nodes.get(id));
          return;
        }
        this.changed.fire(undefined);
      }),
      ...(filter ? [filter.onDidChange(() => this.changed.fire(undefined))] : []),
      runs.onDidChange((id) => {
        const node = this.nodes.get(id);
        if (node) this.changed.fire(node);
      }),
    ];
  }

  /** The stable node of a deployment (same object across refreshes). */
  nodeFor(id: string): DeploymentNode {
    let node = this.nodes.get(id);
    if (!node) {
      node = new DeploymentNode(id);
      this.nodes.set(id, node);
    }
    return node;
  }

  /** The deployments the view shows: the store's list through the filter. */
  visibleDeployments(): readonly Deployment[] {
    const filter = this.filter?.active ? this.filter.current : undefined;
    return filter ? this.store.deployments.filter((deployment) => matchesFilter(deployment, filter)) : this.store.deployments;
  }

  getChildren(element?: Node): Node[] | Promise<Node[]> {
    if (!element) {
      this.rendered = this.store.deployments;
      // Forget nodes of deployments that are gone; keep filtered-out ones stable.
      for (const id of this.nodes.keys()) if (!this.store.get(id)) this.nodes.delete(id);
      return this.visibleDeployments().map((deployment) => this.nodeFor(deployment.id));
    }
    if (element instanceof DeploymentNode) return this.runChildren(element.id);
    return [];
  }

  private async runChildren(id: string): Promise<Node[]> {
    await this.runs.ensure(id);
    const history = this.runs.get(id);
    if (!history) return [];
    const out: Node[] = history.runs.map((r) => new RunNode(id, r));
    if (history.error) out.push(new InfoNode(id, failureText(vscode.l10n.t('Loading runs'), history.error), 'error', true));
    else if (!history.runs.length) out.push(new InfoNode(id, vscode.l10n.t('No runs yet'), 'info'));
    if (history.hasMore && !history.error) out.push(new LoadMoreNode(id));
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
    item.tooltip = element.text;
    // A failed page is loaded again on click.
    if (element.retry) item.command = { command: Commands.loadMoreRuns, title: vscode.l10n.t('Load more runs…'), arguments: [element.deploymentId] };
    return item;
  }

  private deploymentItem(node: DeploymentNode): vscode.TreeItem {
    const deployment = this.store.get(node.id);
    const item = new vscode.TreeItem(deployment?.name ?? node.id, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    if (!deployment) return item;
    const pending = this.store.pendingAction(deployment.id);
    item.description = descriptionText(deployment, pending, { locale: vscode.env.language });
    item.iconPath = pending ? new vscode.ThemeIcon('loading~spin') : deploymentIcon(kindOf(deployment));
    item.contextValue = pending ? 'deployment busy' : contextTokens(deployment);
    item.accessibilityInformation = { label: `${deployment.name}, ${item.description}` };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: Node): vscode.TreeItem {
    if (element instanceof DeploymentNode && !item.tooltip) {
      const deployment = this.store.get(element.id);
      if (deployment) item.tooltip = deploymentTooltip(deployment);
    }
    return item;
  }

  dispose(): void {
    for (const sub of this.subs) sub.dispose();
    this.changed.dispose();
  }
}

function runItem(node: RunNode): vscode.TreeItem {
  const run = node.run;
  const when = formatTime(run.created_at, { locale: vscode.env.language });
  const item = new vscode.TreeItem(`${runTriggerText(run)} · ${when}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.deploymentId}/${run.id}`;
  item.description = runOutcomeText(run);
  item.iconPath = run.error
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
    : new vscode.ThemeIcon('history');
  item.contextValue = 'run';
  item.command = { command: Commands.showRunDetails, title: vscode.l10n.t('Show Run Details'), arguments: [node.deploymentId, run.id] };
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.appendText(`${run.id}\n\n${runTriggerText(run)} · ${when}\n\n${runOutcomeText(run)}`);
  if (run.error?.message) md.appendText(`\n\n${run.error.message}`);
  item.tooltip = md;
  return item;
}
