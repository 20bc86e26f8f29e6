// Attention wired to the list: after every complete load (rows the change watch re-read count
// too), the status bar shows what needs attention and each newly failing deployment gets one
// notification; an unchanged state is never reported twice. Starts over with the connection.

import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import type { DeploymentStore } from '../deployments/model/deploymentStore';
import type { RunStore } from '../runs/model/runStore';
import * as config from '../platform/config';
import { Commands, VIEW_ID } from '../platform/constants';
import { Disposable } from '../platform/lifecycle';
import type { Ui } from '../platform/ui';
import { AttentionWatch, attentionList } from './model/attention';
import { ProblemMemory } from './model/problemMemory';
import { AttentionStatusBar, notifyAttention, type AttentionActions } from './attentionView';
import { runHealth } from '../runs/model/runHealth';
import { runsChunk } from '../runs/runsChunk';
import { quote } from '../common/display';
import { needsAttention } from '../deployments/model/describe';
import type { Deployment } from '../api/types';

export interface AttentionDeps {
  connection: Connection;
  store: DeploymentStore;
  runs: RunStore;
  ui(): Ui;
  view: vscode.TreeView<unknown>;
  /** The tree node of a deployment's row. */
  nodeFor(deploymentId: string): unknown;
  /** Reads the newest page of a deployment's runs again. */
  rereadRuns(deploymentId: string): Promise<void>;
}

export class AttentionHost extends Disposable {
  private readonly watch = new AttentionWatch();
  private readonly problems = new ProblemMemory();
  readonly statusBar = this._register(new AttentionStatusBar());
  private readonly actions: AttentionActions;
  /** What needs attention now, in list order (what the status bar shows and the view's badge counts). */
  private needing: Deployment[] = [];
  private readonly needingChanged = this._register(new vscode.EventEmitter<void>());
  /** How many deployments need attention changed (the view's badge shows it). */
  readonly onDidChangeNeeding = this.needingChanged.event;
  /** The store's walk the problem baseline was last compared with. */
  private checkedWalk = -1;

  constructor(private readonly d: AttentionDeps) {
    super();
    this.actions = {
      show: async (id) => {
        if (id === undefined) await vscode.commands.executeCommand(Commands.showNeedsAttention);
        else await this.reveal(id);
      },
      openFailedRun: async (id) => {
        await d.rereadRuns(id);
        await runsChunk().openFailedRun({ runs: d.runs, store: d.store, ui: d.ui() }, id);
      },
      edit: async (id) => {
        await vscode.commands.executeCommand(Commands.editDeployment, id);
      },
      resume: async (id) => {
        await vscode.commands.executeCommand(Commands.resume, id);
      },
      seen: (ids) => ids.forEach((id) => this.problems.seen(id)),
    };
    this._register(d.store.onDidChange((id) => (id === undefined ? this.loaded() : this.rowChanged(id))));
    this._register(runHealth.onDidChange((id) => this.healthChanged(id)));
    this._register(d.connection.onReset('attention', () => {
      this.watch.reset();
      this.problems.reset();
      this.checkedWalk = -1;
      this.setNeeding([]);
    }));
    this._register(config.onDidChange((change) => {
      if (change.attention) this.showCount();
    }));
  }

  /** Focuses the view and selects the deployment's row, when the list has it. */
  private async reveal(id: string): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    const d = this.d.store.get(id);
    if (!d) return;
    await this.d.view.reveal(this.d.nodeFor(id), { select: true, focus: true });
    this.d.ui().announce(vscode.l10n.t('{0} is selected in the Qoder Deployments view.', quote(d.name)));
  }

  get needingCount(): number {
    return this.needing.length;
  }

  /** A deployment's runs went differently (a failure streak began or ended). */
  healthChanged(id: string): void {
    const d = this.patchNeeding(id);
    this.notify(d ? this.watch.updateOne(d) : []);
  }

  private notify(changes: ReturnType<AttentionWatch['update']>): void {
    if (changes.length === 0 || config.notifications() === 'off') return;
    // Once per problem: a deployment that flaps is told about again only after the user has seen
    // the notification, or after it needed no attention for an hour.
    const told = this.problems.select(changes, new Set(this.needing.map((x) => x.id)));
    if (told.length > 0) void notifyAttention(this.d.ui(), told, this.actions, (x) => runHealth.get(x)?.lastFailure?.state.cause);
  }

  private showCount(): void {
    this.setNeeding(attentionList(this.d.store.deployments));
  }

  private setNeeding(list: Deployment[]): void {
    const counted = list.length !== this.needing.length;
    this.needing = list;
    this.statusBar.update(list, config.attentionStatusBar());
    if (counted) this.needingChanged.fire();
  }

  /** One row may have changed: it alone is looked at again, unless it came in or went out (then the list, in order). */
  private patchNeeding(id: string): Deployment | undefined {
    const d = this.d.store.get(id);
    const at = this.needing.findIndex((x) => x.id === id);
    const needs = d !== undefined && needsAttention(d);
    if (needs !== at >= 0) this.showCount();
    else if (needs && this.needing[at] !== d) this.setNeeding(this.needing.map((x) => (x.id === id ? (d as Deployment) : x)));
    return d;
  }

  /**
   * The list or the loading state changed: the count looks at every deployment; the problem
   * baseline only once per finished walk. Between walks the list changes only by a row added
   * (a baseline, never news) or removed (gone), and a row changed in place comes to rowChanged.
   */
  private loaded(): void {
    const { store } = this.d;
    this.showCount();
    if (store.isLoading || store.lastUpdated === undefined || store.walks === this.checkedWalk) return;
    this.checkedWalk = store.walks;
    this.notify(this.watch.update(store.deployments));
  }

  /**
   * Only one row changed in place (an answer applied, "Archiving…" shown): only it is looked at
   * again. With 10,000 deployments a whole look costs milliseconds, and a write changes a row
   * twice before its answer is even shown.
   */
  private rowChanged(id: string): void {
    const { store } = this.d;
    const d = this.patchNeeding(id);
    if (store.isLoading || store.lastUpdated === undefined || !d) return;
    this.notify(this.watch.updateOne(d));
  }
}
