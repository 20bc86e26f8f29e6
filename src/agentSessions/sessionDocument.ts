// Read-only Markdown documents for sessions (`qoder-session:/<deployment> · <run time>?session=…`).
// Each open document has one SessionView (sessionView.ts), which loads the session, follows it
// live and asks for redraws; this provider serves its text, lists its failures as problems,
// keeps a view while a document or a report panel shows it, and drops every view when the
// connection changes.

import * as vscode from 'vscode';
import { ContextKeys, SESSION_SCHEME } from '../platform/constants';
import type { RunState } from '../runs/model/runState';
import { failureLines } from './model/sessionTranscript';
import { saveTranscriptCommand } from './transcriptFile';
import { sessionIdOf } from './sessionUris';
import { SessionView, type SessionDocDeps } from './sessionView';
import { TailFollower } from './tailFollower';

import { redactSecrets } from '../common/display';
import type { Ui } from '../platform/ui';
import { Disposable } from '../platform/lifecycle';

/** How long a view outlives its closed document (reopening it soon keeps the stream). */
const CLOSE_GRACE_MS = 2_000;

/** What a session's report panel shows (see SessionDocuments.report). */
export interface SessionReportState {
  /** The document's text: redacted Markdown. */
  markdown: string;
  /** The session's state; undefined when it could not be loaded. */
  kind: RunState['kind'] | undefined;
  running: boolean;
  /** It waits for the user to allow or deny a tool call. */
  waiting: boolean;
}

export class SessionDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly views = new Map<string, SessionView>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  /** Failed tool calls and session errors, so the Problems list them and F8 goes from one to the next. */
  private readonly problems = this._register(vscode.languages.createDiagnosticCollection('qoder-session'));
  private readonly tail = new TailFollower();
  /** Report panels showing a view, by its address. */
  private readonly held = new Map<string, number>();

  constructor(private readonly deps: SessionDocDeps) {
    super();
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== SESSION_SCHEME) return;
        // Setting the language to Markdown closes and reopens the document at once: stop
        // following only when it is really gone.
        const key = doc.uri.toString();
        setTimeout(() => {
          if (this.held.has(key) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return;
          this.drop(doc.uri);
        }, CLOSE_GRACE_MS);
      }));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme === SESSION_SCHEME) this.tail.afterChange(e.document);
    }));
    this._register({ dispose: () => this.reset() });
  }

  private view(uri: vscode.Uri): SessionView | undefined {
    const key = uri.toString();
    let v = this.views.get(key);
    if (!v) {
      const id = sessionIdOf(uri);
      if (!id) return undefined;
      v = new SessionView(uri, id, this.deps, (u) => {
        this.tail.beforeChange(u);
        this.changed.fire(u);
        this.updateContext();
      });
      this.views.set(key, v);
    }
    return v;
  }

  /** The loaded view of `uri` and its text (redacted), or only a text that says why there is none. */
  private async read(uri: vscode.Uri): Promise<{ view?: SessionView; text: string }> {
    const v = this.view(uri);
    if (!v) return { text: `# ${vscode.l10n.t('Not a session ID.')}\n` };
    try {
      await v.load();
    } catch (e) {
      // A failed load is retried the next time the document is asked for.
      this.views.delete(uri.toString());
      v.dispose();
      return { text: `# ${uri.path.replace(/^\//, '')}\n\n${this.deps.failureText(vscode.l10n.t('Loading the session'), e)}\n` };
    }
    this.updateContext();
    // The transcript is server text: the token must not show even if a tool printed it.
    return { view: v, text: redactSecrets(v.text()) };
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { view, text } = await this.read(uri);
    if (!view) return text;
    this.problems.set(uri, failureLines(text, view.transcript.failures).map((f) => {
      const d = new vscode.Diagnostic(new vscode.Range(f.line, 0, f.line, 1_000), f.message, f.kind === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'Qoder';
      return d;
    }));
    return text;
  }

  /** What the report panel of `uri` shows: the document's Markdown and the session's state. */
  async report(uri: vscode.Uri): Promise<SessionReportState> {
    const { view, text } = await this.read(uri);
    return { markdown: text, kind: view?.state().kind, running: view?.running === true, waiting: view?.waiting === true };
  }

  /**
   * A report panel shows `uri`: its view (and stream) stays while the panel is open, even when
   * no document of it is. Dispose when the panel closes.
   */
  hold(uri: vscode.Uri): vscode.Disposable {
    const key = uri.toString();
    this.held.set(key, (this.held.get(key) ?? 0) + 1);
    return new vscode.Disposable(() => {
      const n = (this.held.get(key) ?? 1) - 1;
      if (n > 0) return void this.held.set(key, n);
      this.held.delete(key);
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this.drop(uri);
    });
  }

  private drop(uri: vscode.Uri): void {
    const key = uri.toString();
    this.views.get(key)?.dispose();
    this.views.delete(key);
    this.problems.delete(uri);
  }

  /** The problems shown for a session document. */
  problemsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.problems.get(uri) ?? [];
  }

  /**
   * The address to open for `uri`: the open document of the same session when there is one
   * (opened from the tree, a toast or the palette, under another title), so a session has one
   * document, one history and one stream.
   */
  openUri(uri: vscode.Uri): vscode.Uri {
    const id = sessionIdOf(uri);
    if (id === undefined) return uri;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === SESSION_SCHEME && sessionIdOf(d.uri) === id);
    return open?.uri ?? [...this.views.values()].find((v) => v.sessionId === id)?.uri ?? uri;
  }

  /** Save Session Transcript… (transcriptFile.ts); lives in this chunk so the main bundle holds only the registration. */
  saveTranscriptCommand(arg: unknown, ui: Pick<Ui, 'showInformationMessage' | 'setStatusBarMessage'>): Promise<void> {
    return saveTranscriptCommand(() => this.deps.client(), arg, ui);
  }

  /** The open view of a session, if any. */
  find(sessionId: string): { running: boolean; markCancelling(): void; resume(): void } | undefined {
    for (const v of this.views.values()) if (v.sessionId === sessionId) return v;
    return undefined;
  }

  private updateContext(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const v = uri && uri.scheme === SESSION_SCHEME ? this.views.get(uri.toString()) : undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.activeSessionRunning, v?.running === true);
  }

  /** A new connection: close every stream (documents show what they had). */
  reset(): void {
    for (const v of this.views.values()) v.dispose();
    this.views.clear();
    this.problems.clear();
    this.reset_.fire();
  }
  private readonly reset_ = this._register(new vscode.EventEmitter<void>());
  /** Fired by reset(): a report panel shows what it had and follows nothing more. */
  readonly onDidReset = this.reset_.event;

}
