// The window side of "act on a run" (in dist/interaction.js): what the commands do with their
// arguments, the files as read-only documents, the Allow / Deny… lenses on a session document,
// the status bar count of runs waiting for a decision, and what the tree asks (waiting lines, a
// session's files). The main bundle's InteractionHost forwards to it.

import * as vscode from 'vscode';
import { isSessionId } from '../api/sessions';
import type { IdleText } from './model/sessionCache';
import type { WaitingMemory } from './model/waitingMemory';
import { ARTIFACT_SCHEME, Commands, SESSION_SCHEME } from '../platform/constants';
import { sessionIdOf } from './sessionUris';
import type { ArtifactFile } from '../deployments/deploymentsTree';
import { Interaction, isTextFile, type SessionTarget } from './interaction';
import type { Ui } from '../platform/ui';
import type { QoderClient } from '../api/client';
import type { WritePath } from '../deployments/model/mutations';

/** What the main bundle hands over (one copy of each service, and its text helpers). */
export interface InteractionUiDeps {
  client(): QoderClient;
  writes(): WritePath<QoderClient>;
  hasToken(): boolean;
  ui(): Ui;
  failureText(what: string, e: unknown): string;
  displayText(text: string): string;
  deploymentName(id: string): string | undefined;
  log(line: string): void;
  follow(sessionId: string): void;
  refreshStatus(sessionId: string): void;
  /** A deployment's waiting line changed (undefined: all). */
  waitingChanged(deploymentId: string | undefined): void;
  lensesChanged(): void;
  /** The session of the report panel in front (its title bar's buttons pass nothing). */
  activeReport(): vscode.Uri | undefined;
  /** Where the look for waiting runs keeps what it learned across reloads (this account's). */
  memory(): WaitingMemory | undefined;
}

/** `### ⏸ Bash · `evt_…`` in a session document: one pending call (see SessionView.pendingText). */
const PENDING_LINE = /^### ⏸ .* · `([^`\s]+)`$/;

export class InteractionUi implements vscode.Disposable {
  private impl: Interaction | undefined;
  private byDeployment = new Map<string, string>();
  private readonly bar: vscode.StatusBarItem;
  private first: { deploymentId: string; runId: string; sessionId: string } | undefined;

  constructor(private readonly deps: InteractionUiDeps) {
    this.bar = vscode.window.createStatusBarItem('qoder.waiting', vscode.StatusBarAlignment.Left, 49);
    this.bar.name = vscode.l10n.t('Qoder: runs waiting for your decision');
    this.bar.command = Commands.reviewWaiting;
  }

  private interaction(): Interaction {
    this.impl ??= new Interaction({
      client: () => this.deps.client(),
      writes: () => this.deps.writes(),
      ui: () => this.deps.ui(),
      failureText: this.deps.failureText,
      displayText: this.deps.displayText,
      deploymentName: this.deps.deploymentName,
      follow: this.deps.follow,
      changed: (sid) => {
        this.deps.refreshStatus(sid);
        this.deps.lensesChanged();
        void this.check(false);
      },
      openSession: (d, r, sid) => vscode.commands.executeCommand(Commands.openSession, d, r, sid),
      log: this.deps.log,
      memory: this.deps.memory,
    });
    return this.impl;
  }

  /** A command of the main bundle's InteractionHost, with its arguments. */
  async run(id: string, a: unknown): Promise<void> {
    switch (id) {
      case Commands.openArtifact: return this.openFile(a);
      case Commands.saveArtifact: return this.saveFile(a);
      case Commands.reviewWaiting: return this.review();
    }
    const target = targetOf(a ?? this.deps.activeReport());
    if (!target) {
      void this.deps.ui().showInformationMessage(vscode.l10n.t('Open a session, or use this on a run in the Qoder view.'), {});
      return;
    }
    this.deps.client();
    const i = this.interaction();
    if (id === Commands.allowToolUse) return i.decide(target, 'allow');
    if (id === Commands.denyToolUse) return i.decide(target, 'deny');
    if (id === Commands.sendMessage) return i.sendMessage(target);
    if (id === Commands.interruptSession) return i.interrupt(target);
  }

  /** For the run rows: what an idle session waits for, in words, and how its last turn ended (loads the chunk). */
  idleLook(sessionId: string, updatedAt: string | undefined): Promise<IdleText> {
    return this.interaction().idleLook(sessionId, updatedAt);
  }

  waiting(deploymentId: string): string | undefined {
    return this.byDeployment.get(deploymentId);
  }

  files(sessionId: string): Promise<ArtifactFile[]> {
    return this.interaction().files(sessionId);
  }

  /** After a load: which runs wait for a decision (status bar, rows, one notification per new one). */
  async check(notify: boolean): Promise<void> {
    if (!this.deps.hasToken()) return;
    let found;
    try {
      found = await this.interaction().checkWaiting(notify);
    } catch (e) {
      this.deps.log(this.deps.failureText(vscode.l10n.t('Looking for runs waiting for a decision'), e));
      return;
    }
    const next = new Map(found.map((w) => [w.deploymentId, this.impl!.waitingLine(w.state)]));
    const changed = [...new Set([...next.keys(), ...this.byDeployment.keys()])].filter((id) => next.get(id) !== this.byDeployment.get(id));
    this.byDeployment = next;
    this.first = found[0];
    for (const id of changed) this.deps.waitingChanged(id);
    if (found.length === 0) {
      this.bar.hide();
      return;
    }
    // says what it counts: a bare number beside the bell reads as VS Code's own notifications
    this.bar.text = `$(bell-dot) ${vscode.l10n.t('Qoder: {0} waiting', found.length)}`;
    const label = found.length === 1 ? vscode.l10n.t('1 Qoder run waits for your decision') : vscode.l10n.t('{0} Qoder runs wait for your decision', found.length);
    this.bar.tooltip = `${label}\n${[...next.values()].slice(0, 5).join('\n')}`;
    this.bar.accessibilityInformation = { label };
    this.bar.show();
  }

  /** A new connection: nothing of the old account's waiting runs stays. */
  reset(): void {
    this.impl?.watch.reset();
    const ids = [...this.byDeployment.keys()];
    this.byDeployment.clear();
    this.first = undefined;
    for (const id of ids) this.deps.waitingChanged(id);
    this.bar.hide();
  }

  private async review(): Promise<void> {
    const w = this.first;
    if (w) await vscode.commands.executeCommand(Commands.openSession, w.deploymentId, w.runId, w.sessionId);
  }

  // ------------------------------------------------------------------ lenses on pending calls

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const sessionId = sessionIdOf(doc.uri);
    if (!sessionId) return [];
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < doc.lineCount; line++) {
      const m = PENDING_LINE.exec(doc.lineAt(line).text);
      if (!m) continue;
      const range = new vscode.Range(line, 0, line, 0);
      const target: SessionTarget = { sessionId, callId: m[1] };
      lenses.push(new vscode.CodeLens(range, { title: `$(check) ${vscode.l10n.t('Allow')}`, command: Commands.allowToolUse, arguments: [target] }));
      lenses.push(new vscode.CodeLens(range, { title: `$(close) ${vscode.l10n.t('Deny…')}`, command: Commands.denyToolUse, arguments: [target] }));
    }
    return lenses;
  }

  // ------------------------------------------------------------------ files

  /** `qoder-artifact:/<name>?file=<id>`: the text, fetched without the token. */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = new URLSearchParams(uri.query).get('file') ?? '';
    try {
      return await this.interaction().fileText(id);
    } catch (e) {
      return this.deps.failureText(vscode.l10n.t('Downloading the file'), e);
    }
  }

  async openFile(a?: unknown): Promise<void> {
    const file = fileOf(a);
    if (!file) return;
    if (!isTextFile(file)) {
      const save = vscode.l10n.t('Save As…');
      if ((await this.deps.ui().showInformationMessage(vscode.l10n.t('{0} is not a text file; it cannot be shown in an editor. Save it instead?', this.deps.displayText(file.filename)), {}, save)) === save) await this.saveFile(a);
      return;
    }
    this.deps.client();
    const name = file.filename.replace(/[\\/\r\n]+/g, '_').slice(0, 160) || file.id;
    const uri = vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: `/${name}`, query: `file=${file.id}` });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  private async saveFile(a?: unknown): Promise<void> {
    let file = fileOf(a);
    if (!file && (a === undefined || a instanceof vscode.Uri)) {
      const uri = a instanceof vscode.Uri ? a : vscode.window.activeTextEditor?.document.uri;
      if (uri?.scheme === ARTIFACT_SCHEME) file = { id: new URLSearchParams(uri.query).get('file') ?? '', filename: uri.path.replace(/^\//, ''), mime_type: 'text/plain', size_bytes: null };
    }
    if (!file) return;
    this.deps.client();
    await this.interaction().saveFile(file);
  }

  dispose(): void {
    this.impl?.watch.reset();
    this.bar.dispose();
  }
}

/** A run row (RunNode), a session document (its Uri or the active editor), or a lens's {sessionId, callId}. */
function targetOf(a: unknown): SessionTarget | undefined {
  if (a && typeof a === 'object' && 'sessionId' in a && isSessionId((a as { sessionId: unknown }).sessionId)) return a as SessionTarget;
  if (a && typeof a === 'object' && 'run' in a && 'deploymentId' in a) {
    const node = a as { deploymentId: string; run: { id: string; session_id: string | null } };
    return node.run.session_id ? { sessionId: node.run.session_id, deploymentId: node.deploymentId, runId: node.run.id } : undefined;
  }
  const uri = a instanceof vscode.Uri ? a : vscode.window.activeTextEditor?.document.uri;
  const sid = uri?.scheme === SESSION_SCHEME ? sessionIdOf(uri) : undefined;
  return sid ? { sessionId: sid } : undefined;
}

function fileOf(a: unknown): ArtifactFile | undefined {
  if (a && typeof a === 'object' && 'file' in a) return (a as { file: ArtifactFile }).file;
  return undefined;
}
