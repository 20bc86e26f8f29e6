// Agents and environments by name in deployment documents: the name after each `agent_…` /
// `env_…` id (inlay hint) and in its hover, completion by name (label the name, inserted text
// the id), and for a name typed where an id belongs one message of ours with a quick fix that
// puts the id in. The agents and environments offered are the ones the user's deployments use
// (the API documents no list of them); their names come from the NameCache.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import type { NameCache } from '../agentSessions/model/sessionCache';
import { markdownSafe } from '../common/display';
import { findRefs, nameFixes, refAt, refProblem, type Named, type RefSpot } from './model/nameRefs';
import { isDeploymentDocument } from './scheduleLens';
import { Disposable } from '../platform/lifecycle';

const SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.deployment.json' }];
const FIX_CODE = 'qoder.nameForId';

/** The agents and environments of the user's deployments, named once their names arrive. */
export class NameBook extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private known: Named[] = [];
  private asked = new Set<string>();

  constructor(
    private readonly names: NameCache,
    private readonly deployments: () => readonly Deployment[],
  ) {
    super();
  }

  /** Every agent and environment the deployments use, with the names known so far (ids until then). */
  list(): Named[] {
    void this.ask();
    return this.known;
  }

  nameOf(kind: Named['kind'], id: string): string | undefined {
    const hit = this.list().find((n) => n.kind === kind && n.id === id);
    return hit && hit.name !== id ? hit.name : undefined;
  }

  /** Asks the names of ids not asked yet; `changed` fires when they are in. */
  ask(): Promise<void> {
    const agents = new Map<string, number>();
    const environments = new Set<string>();
    for (const d of this.deployments()) {
      if (d.agent) agents.set(d.agent.id, Math.max(agents.get(d.agent.id) ?? 0, d.agent.version));
      if (d.environment_id) environments.add(d.environment_id);
    }
    const all: Promise<Named>[] = [
      ...[...agents].map(([id, version]) => this.names.agentName(id, version).then((name) => ({ kind: 'agent' as const, id, name }))),
      ...[...environments].map((id) => this.names.environmentName(id).then((name) => ({ kind: 'environment' as const, id, name }))),
    ];
    const fresh = [...agents.keys(), ...environments].some((id) => !this.asked.has(id));
    for (const id of [...agents.keys(), ...environments]) this.asked.add(id);
    return Promise.all(all).then((known) => {
      const before = JSON.stringify(this.known);
      this.known = known;
      if (fresh || JSON.stringify(known) !== before) this.changed.fire();
    });
  }

  /** A new token or region: names of another account are never offered. */
  reset(): void {
    this.known = [];
    this.asked.clear();
    this.changed.fire();
  }

}

const rangeOf = (doc: vscode.TextDocument, s: { offset: number; length: number }): vscode.Range => new vscode.Range(doc.positionAt(s.offset), doc.positionAt(s.offset + s.length));
const kindWord = (spot: RefSpot): string => (spot.kind === 'agent' ? vscode.l10n.t('Agent') : vscode.l10n.t('Environment'));

export class NameHelp extends Disposable implements vscode.HoverProvider, vscode.InlayHintsProvider, vscode.CompletionItemProvider, vscode.CodeActionProvider {
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('qoder-names'));
  private readonly hintsChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeInlayHints = this.hintsChanged.event;

  constructor(private readonly book: NameBook) {
    super();
    for (const d of [
      vscode.languages.registerHoverProvider(SELECTOR, this),
      vscode.languages.registerInlayHintsProvider(SELECTOR, this),
      vscode.languages.registerCompletionItemProvider(SELECTOR, this, '"'),
      vscode.languages.registerCodeActionsProvider(SELECTOR, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.check(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
      book.onDidChange(() => {
        this.hintsChanged.fire();
        for (const d of vscode.workspace.textDocuments) this.check(d);
      }),
    ])
      this._register(d);
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  /** One error on each agent or environment value that is not an id (a known name says so, with a quick fix). */
  check(doc: vscode.TextDocument): void {
    if (!isDeploymentDocument(doc)) return;
    const known = this.book.list();
    const out: vscode.Diagnostic[] = [];
    for (const spot of findRefs(doc.getText())) {
      const message = refProblem(spot, known);
      if (!message) continue;
      const d = new vscode.Diagnostic(rangeOf(doc, spot), message, vscode.DiagnosticSeverity.Error);
      d.source = 'Qoder';
      d.code = FIX_CODE;
      out.push(d);
    }
    this.diagnostics.set(doc.uri, out);
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const spot = refAt(findRefs(doc.getText()), doc.offsetAt(position));
    if (!spot) return undefined;
    const name = this.book.nameOf(spot.kind, spot.value);
    if (!name) return undefined;
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.appendText(`${kindWord(spot)}: `);
    md.appendMarkdown('**');
    md.appendText(markdownSafe(name));
    md.appendMarkdown('**');
    return new vscode.Hover(md, rangeOf(doc, spot));
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const hints: vscode.InlayHint[] = [];
    for (const spot of findRefs(doc.getText())) {
      const name = this.book.nameOf(spot.kind, spot.value);
      const at = doc.positionAt(spot.offset + spot.length + 1);
      if (!name || !range.contains(at)) continue;
      const hint = new vscode.InlayHint(at, name);
      hint.paddingLeft = true;
      hint.tooltip = `${kindWord(spot)}: ${name}`;
      hints.push(hint);
    }
    return hints;
  }

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const spot = refAt(findRefs(doc.getText()), doc.offsetAt(position));
    if (!spot) return [];
    const range = rangeOf(doc, spot);
    return this.book
      .list()
      .filter((n) => n.kind === spot.kind)
      .map((n) => {
        const item = new vscode.CompletionItem({ label: n.name, description: n.id }, spot.kind === 'agent' ? vscode.CompletionItemKind.Class : vscode.CompletionItemKind.Module);
        item.insertText = n.id;
        item.filterText = `${n.name} ${n.id}`;
        item.range = range;
        item.detail = n.id;
        item.sortText = `0${n.name}`;
        return item;
      });
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const spot = refAt(findRefs(doc.getText()), doc.offsetAt(range.start));
    if (!spot) return [];
    const diagnostics = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === FIX_CODE && d.range.contains(range.start));
    return nameFixes(spot, this.book.list()).map((fix) => {
      const action = new vscode.CodeAction(vscode.l10n.t('Use the ID of “{0}” ({1})', fix.name, fix.id), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, rangeOf(doc, fix), fix.id);
      action.diagnostics = diagnostics;
      action.isPreferred = true;
      return action;
    });
  }
}
