// The Deployments tree. Reads the stores; never calls the API itself (runs are fetched through
// the RunStore). Tooltips are built lazily in resolveTreeItem.

import * as vscode from 'vscode';
import type { Deployment, DeploymentRun } from '../api/types';
import type { DeploymentStore } from './model/deploymentStore';
import type { RunStore } from '../runs/model/runStore';
import { contextTokens, detailRows, kindOf, rowTexts, shownName, sortDeployments, type DeploymentKind } from './model/describe';
import type { DetailRow } from './model/describe';
import { failureText } from '../common/errorText';
import { codeSpanSafe, displayName, displayText, markdownSafe } from '../common/display';
import { matchesFilter, type FilterState } from './model/filter';
import { ARTIFACT_SCHEME, Commands } from '../platform/constants';
import type { NameCache, SessionStatusCache } from '../agentSessions/model/sessionCache';
import { runRowText } from '../runs/model/runRow';
import { formatTime } from '../common/timeText';
import { isLive, runState, stateIcon, stateText } from '../runs/model/runState';
import { creditsOverRunsText, creditsText } from '../agentSessions/model/outcomeText';
import { runHealth } from '../runs/model/runHealth';
import { rowRedrawShowsNewChildren } from '../platform/compat';
import { Disposable } from '../platform/lifecycle';
import { formatBytes } from '../api/body';

export class DeploymentNode {
  readonly kind = 'deployment';
  constructor(readonly id: string) {}
}
export class RunNode {
  readonly kind = 'run';
  constructor(readonly deploymentId: string, readonly run: DeploymentRun) {}
}
/** "Files" under a run that started a session: what the session delivered. */
export class FilesNode {
  readonly kind = 'files';
  constructor(readonly deploymentId: string, readonly run: DeploymentRun, readonly sessionId: string) {}
}
/** One file a session delivered. */
export class FileNode {
  readonly kind = 'file';
  constructor(readonly deploymentId: string, readonly sessionId: string, readonly file: ArtifactFile) {}
}
export interface ArtifactFile {
  id: string;
  filename: string;
  mime_type: string;
  size_bytes: number | null;
}
/** What the tree needs to know about runs waiting for a decision and about files (the interaction chunk answers). */
export interface InteractionView {
  /** The waiting line of a deployment whose latest run waits, if any. */
  waiting(deploymentId: string): string | undefined;
  onDidChangeWaiting: vscode.Event<string | undefined>;
  files(sessionId: string): Promise<ArtifactFile[]>;
}
export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(readonly deploymentId: string) {}
}
export class InfoNode {
  readonly kind = 'info';
  constructor(readonly deploymentId: string, readonly text: string, readonly icon: string, readonly retry = false) {}
}
export type Node = DeploymentNode | RunNode | LoadMoreNode | InfoNode | FilesNode | FileNode;

export function deploymentIcon(kind: DeploymentKind): vscode.ThemeIcon {
  switch (kind) {
    case 'active': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    // Paused is a calm blue, needs attention the warning colour: dark themes drew both yellow.
    case 'paused': return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.blue'));
    case 'attention': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'archived': return new vscode.ThemeIcon('archive', new vscode.ThemeColor('disabledForeground'));
  }
}

/** Names fetched for the tooltip; rows keep the ids when a name is unknown. */
export interface TooltipNames {
  agent?: string;
  environment?: string;
}

/**
 * Server text goes in only through appendText, after markdownSafe (redacted, no control
 * characters, `<` as an entity) or codeSpanSafe, so none of it can become a link, an image
 * or a command.
 */
export function deploymentTooltip(deployment: Deployment, names: TooltipNames = {}, extra: { waiting?: string; credits?: string } = {}): vscode.MarkdownString {
  const d = deployment;
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  md.appendText(markdownSafe(displayName(deployment.name)));
  md.appendMarkdown('**\n\n');
  if (extra.waiting) appendWaiting(md, extra.waiting);
  if (extra.credits) md.appendText(`${markdownSafe(extra.credits)}\n\n`);
  const rows = detailRows(d, { locale: vscode.env.language });
  // The problem and the last run come before the description: they are what the user needs.
  const firstRows = rows.filter((r) => r.first);
  const restRows = rows.filter((r) => !r.first);
  for (const row of firstRows) appendRow(md, row);
  if (d.description) {
    md.appendMarkdown('\n');
    md.appendText(markdownSafe(d.description, true));
    md.appendMarkdown('\n\n');
  }
  for (const row of restRows) {
    if (row.label === vscode.l10n.t('Agent') && names.agent && names.agent !== d.agent.id) {
      row.value = vscode.l10n.t('{0} (version {1})', names.agent, d.agent.version) + ` — ${d.agent.id}`;
    }
    if (row.label === vscode.l10n.t('Environment') && names.environment && names.environment !== deployment.environment_id) {
      row.value = `${names.environment} — ${deployment.environment_id}`;
      row.code = false;
    }
    appendRow(md, row);
  }
  return md;
}

/** "Waiting for your decision: Bash `rm -rf build/`": the words as text, the call as code. */
function appendWaiting(md: vscode.MarkdownString, line: string): void {
  const m = /^(.*?)`([^`]*)`(.*)$/s.exec(line);
  md.appendMarkdown('**');
  md.appendText(markdownSafe(m ? (m[1] ?? '') : line));
  md.appendMarkdown('**');
  if (m) md.appendMarkdown(' `' + codeSpanSafe(m[2] ?? '') + '`' + (m[3] ? ' ' : ''));
  if (m?.[3]) md.appendText(markdownSafe(m[3]));
  md.appendMarkdown('\n\n');
}

function appendRow(md: vscode.MarkdownString, row: DetailRow): void {
  md.appendMarkdown('**');
  md.appendText(row.label);
  md.appendMarkdown(':** ');
  if (row.list) {
    for (const v of row.list) {
      md.appendMarkdown('\n- ');
      md.appendText(markdownSafe(v));
    }
    md.appendMarkdown('\n\n');
    return;
  }
  if (row.code) md.appendMarkdown('`' + codeSpanSafe(row.value) + '`');
  else md.appendText(markdownSafe(row.value));
  md.appendMarkdown('  \n');
}

export class DeploymentsTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = this._register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, DeploymentNode>();
  /** The store's list as the view last asked for it. */
  private rendered: readonly Deployment[] | undefined;

  /** Session id → the deployment whose run started it (to redraw that row's runs). */
  private readonly sessionOwners = new Map<string, string>();

  /**
   * How a deployment's run rows are redrawn when they change (run history, session status):
   * 'row' redraws that deployment only; 'list' redraws the whole list, for VS Code before 1.139,
   * where a row redraw left the row with no children (compat.ts).
   */
  childRedraw: 'row' | 'list' = rowRedrawShowsNewChildren(vscode.version) ? 'row' : 'list';

  constructor(
    private readonly store: DeploymentStore,
    private readonly runs: RunStore,
    private readonly filter?: FilterState,
    private readonly sessions?: SessionStatusCache,
    private readonly names?: NameCache,
    private readonly interaction?: InteractionView,
  ) {
    super();
    if (interaction) this._register(interaction.onDidChangeWaiting((id) => this.changed.fire(id === undefined ? undefined : this.nodes.get(id))));
    if (sessions) {
      this._register(sessions.onDidChange((sid) => {
        const owner = this.sessionOwners.get(sid);
        const node = owner === undefined ? undefined : this.nodes.get(owner);
        if (node) this.redrawRunsOf(node);
      }));
    }
    // One deployment changed in place: redraw its row only. With a filter on, the change may
    // move it in or out of view, so redraw the list.
    this._register(store.onDidChange((id) => {
        if (id === undefined && this.store.deployments === this.rendered) return; // only the loading state changed
        if (id !== undefined && !this.store.get(id)) return; // already gone: its removal redrew the list
        // An in-place change leaves the same rows in the same order: that list counts as drawn.
        if (id !== undefined && !this.filter?.active) {
          this.rendered = this.store.deployments;
          this.changed.fire(this.nodes.get(id));
          return;
        }
        this.changed.fire(undefined);
    }));
    if (filter) this._register(filter.onDidChange(() => this.changed.fire(undefined)));
    this._register(runs.onDidChange((id) => {
      const node = this.nodes.get(id);
      if (node) this.redrawRunsOf(node);
    }));
    // A deployment's runs went differently (a failure streak began or ended): its row's words,
    // icon, place in the order and the "needs attention" filter may all change.
    this._register(runHealth.onDidChange(() => {
      this.sorted = undefined;
      this.changed.fire(undefined);
    }));
  }

  private redrawRunsOf(node: DeploymentNode): void {
    this.changed.fire(this.childRedraw === 'row' ? node : undefined);
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

  private sorted: { from: readonly Deployment[]; list: readonly Deployment[] } | undefined;

  /**
   * The deployments the view shows, in its order (needs attention first, then newest first,
   * archived last), through the filter. The sort is kept until the store's list changes.
   */
  visibleDeployments(): readonly Deployment[] {
    if (this.sorted?.from !== this.store.deployments) this.sorted = { from: this.store.deployments, list: sortDeployments(this.store.deployments) };
    const list = this.sorted.list;
    const f = this.filter?.active ? this.filter.current : undefined;
    return f ? list.filter((d) => matchesFilter(d, f)) : list;
  }

  getChildren(element?: Node): Node[] | Promise<Node[]> {
    if (!element) {
      this.rendered = this.store.deployments;
      // Forget nodes of deployments that are gone; keep filtered-out ones stable.
      for (const id of this.nodes.keys()) if (!this.store.get(id)) this.nodes.delete(id);
      return this.visibleDeployments().map((deployment) => this.nodeFor(deployment.id));
    }
    if (element instanceof DeploymentNode) return this.runChildren(element.id);
    if (element instanceof RunNode && element.run.session_id && this.interaction) return [new FilesNode(element.deploymentId, element.run, element.run.session_id)];
    if (element instanceof FilesNode && this.interaction) return this.fileChildren(element);
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

  private async fileChildren(node: FilesNode): Promise<Node[]> {
    try {
      const files = await this.interaction!.files(node.sessionId);
      return files.length > 0 ? files.map((f) => new FileNode(node.deploymentId, node.sessionId, f)) : [new InfoNode(node.deploymentId, vscode.l10n.t('No files delivered'), 'info')];
    } catch (e) {
      return [new InfoNode(node.deploymentId, failureText(vscode.l10n.t('Loading files'), e), 'error')];
    }
  }

  getParent(element: Node): Node | undefined {
    return element instanceof DeploymentNode || element instanceof FilesNode || element instanceof FileNode ? undefined : this.nodeFor(element.deploymentId);
  }

  getTreeItem(element: Node): vscode.TreeItem {
    if (element instanceof DeploymentNode) return this.deploymentItem(element);
    if (element instanceof RunNode) {
      const sid = element.run.session_id;
      if (sid && this.sessions) {
        this.sessionOwners.set(sid, element.deploymentId);
        this.sessions.request(sid);
      }
      return runItem(element, this.sessions, this.interaction !== undefined);
    }
    if (element instanceof FilesNode) {
      const item = new vscode.TreeItem(vscode.l10n.t('Files'), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `${element.deploymentId}/${element.run.id}/files`;
      item.iconPath = new vscode.ThemeIcon('files');
      item.contextValue = 'files';
      return item;
    }
    if (element instanceof FileNode) {
      const f = element.file;
      const item = new vscode.TreeItem(displayText(f.filename), vscode.TreeItemCollapsibleState.None);
      item.id = `${element.sessionId}/${f.id}`;
      item.description = [displayText(f.mime_type), f.size_bytes !== null ? formatBytes(f.size_bytes) : ''].filter(Boolean).join(' · ');
      item.iconPath = vscode.ThemeIcon.File;
      item.resourceUri = vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: `/${f.filename.replace(/[\\/]/g, '_')}` });
      item.contextValue = 'artifact';
      item.command = { command: Commands.openArtifact, title: vscode.l10n.t('Open File'), arguments: [element] };
      return item;
    }
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
    const d = this.store.get(node.id);
    const item = new vscode.TreeItem(d ? shownName(d) : node.id, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    if (!d) return item;
    const pending = this.store.pendingAction(d.id);
    const waiting = this.interaction?.waiting(d.id);
    // A write in progress ("Archiving…") leads while it runs, and "archived" on an archived row (as
    // its icon and kindOf say; the run row and the tooltip still say a run waits).
    // In words: a ⏸ glyph is a box in some fonts and "double vertical bar" to a screen reader.
    const waitingWords = waiting && !pending && kindOf(d) !== 'archived' ? vscode.l10n.t('waiting for your decision') : undefined;
    const texts = rowTexts(d, pending, { locale: vscode.env.language });
    item.description = (waitingWords ? `${waitingWords} · ` : '') + displayText(texts.description);
    item.iconPath = pending ? new vscode.ThemeIcon('loading~spin') : deploymentIcon(kindOf(d));
    item.contextValue = pending ? 'deployment busy' : contextTokens(d);
    item.accessibilityInformation = { label: (waitingWords ? `${waitingWords}, ` : '') + texts.accessibility };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: Node): vscode.TreeItem | Promise<vscode.TreeItem> {
    if (element instanceof DeploymentNode && !item.tooltip) {
      const d = this.store.get(element.id);
      if (!d) return item;
      const extra = { waiting: this.interaction?.waiting(d.id), credits: this.creditsOf(d.id) };
      if (!this.names) {
        item.tooltip = deploymentTooltip(d, {}, extra);
        return item;
      }
      // Names are fetched once per id (and agent version) and fall back to the id.
      const names = this.names;
      return Promise.all([names.agentName(d.agent.id, d.agent.version), names.environmentName(d.environment_id)]).then(([agent, environment]) => {
        item.tooltip = deploymentTooltip(d, { agent, environment }, extra);
        return item;
      });
    }
    return item;
  }

  /** "12.5 credits over the last 8 runs": the sessions of the loaded runs whose credits are known. */
  private creditsOf(deploymentId: string): string | undefined {
    let sum = 0;
    let n = 0;
    for (const r of this.runs.get(deploymentId)?.runs ?? []) {
      const c = r.session_id ? this.sessions?.get(r.session_id)?.credits : null;
      if (typeof c === 'number') {
        sum += c;
        n++;
      }
    }
    return n > 0 ? creditsOverRunsText(sum, n) : undefined;
  }
}

function runItem(node: RunNode, sessions: SessionStatusCache | undefined, withFiles: boolean): vscode.TreeItem {
  const run = node.run;
  const summary = run.session_id ? sessions?.get(run.session_id) : undefined;
  const words = displayText(runRowText(run, summary, { locale: vscode.env.language }));
  const when = formatTime(run.created_at, { locale: vscode.env.language });
  const item = new vscode.TreeItem(words, withFiles && run.session_id ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `${node.deploymentId}/${run.id}`;
  item.accessibilityInformation = { label: words };
  const state = runState(run, summary);
  const icon = stateIcon(state);
  item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  const tokens = ['run'];
  if (run.session_id) tokens.push('hasSession');
  if (run.session_id && isLive(state) && state.kind !== 'started') tokens.push('sessionRunning');
  if (state.kind === 'waiting') tokens.push('waiting');
  else if (summary?.status === 'idle') tokens.push('sessionIdle');
  item.contextValue = tokens.join(' ');
  item.command = run.session_id
    ? { command: Commands.openSession, title: vscode.l10n.t('Open Session'), arguments: [node.deploymentId, run.id, run.session_id] }
    : { command: Commands.showRunDetails, title: vscode.l10n.t('Show Run Details'), arguments: [node.deploymentId, run.id] };
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.appendText(markdownSafe(words));
  if (summary?.waiting) {
    md.appendMarkdown('\n\n');
    appendWaiting(md, summary.waiting);
  }
  md.appendText(markdownSafe(`\n\n${stateText(state, true)}\n\n${when}`, true));
  if (state.message) md.appendText(markdownSafe(`\n\n${state.message}`, true));
  if (summary?.credits != null) md.appendText(`\n\n${vscode.l10n.t('Credits')}: ${creditsText(summary.credits)}`);
  for (const o of summary?.outcomes ?? []) md.appendText(markdownSafe(`\n\n${vscode.l10n.t('Outcome')}: ${o}`, true));
  md.appendText(markdownSafe(`\n\n${run.id}`, true));
  item.tooltip = md;
  return item;
}

/** A run as its tree node, for commands that receive the clicked run. */
export function runNodeOf(arg: unknown): RunNode | undefined {
  return arg instanceof RunNode ? arg : undefined;
}
