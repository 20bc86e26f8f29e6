// Read-only Markdown documents for sessions (`qoder-session:/<deployment> · <run time>?session=…`).
// Each open document has one SessionView: it loads the session and its history, follows the
// live stream while the session runs, and redraws at most every 250 ms. The stream is closed
// when the turn ends, the session ends, the document closes or the connection changes.

import * as vscode from 'vscode';
import type { QoderClient } from '../api/client';
import { isSettledStatus, type Session, type SessionEvent } from '../api/sessions';
import type { StreamState } from '../api/sessionStream';
import { ContextKeys, SESSION_SCHEME } from '../platform/constants';
import type { EventFacts, NameCache, SessionStatusCache } from './model/sessionCache';
import { sessionState, stateText, type RunState } from '../runs/model/runState';
import { failureLines, SessionTranscript } from './model/sessionTranscript';
import { saveTranscriptCommand } from './transcriptFile';
import type { LiveState } from './model/transcriptSummary';
import { sessionIdOf } from './sessionUris';
import { pendingState, callLabel, fullInputText } from './model/pending';
import { outcomeLines } from './model/outcomeText';
import { codeBlock } from './model/safeMarkdown';

import { redactSecrets } from '../common/display';
import type { Ui } from '../platform/ui';
import { Disposable } from '../platform/lifecycle';

const REDRAW_MS = 250;
const RECONNECTING_AFTER_MS = 5_000;
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

export interface SessionDocDeps {
  client(): QoderClient;
  names: NameCache;
  statuses: SessionStatusCache;
  /** Deployment name by id when the list knows it. */
  deploymentName(id: string): string | undefined;
  log(message: string): void;
  /** How long the stream may be down before the header says "reconnecting…" (default 5 s; tests shorten it). */
  reconnectingAfterMs?: number;
  // Text helpers from the main bundle, so this chunk does not carry its own copy of them
  // (and errors are recognised by the same classes that threw them).
  failureText(what: string, e: unknown): string;
  formatTime(iso: string): string;
  durationText(seconds: number): string;
}


class SessionView implements vscode.Disposable {
  readonly transcript = new SessionTranscript();
  private readonly decisions: SessionEvent[] = [];
  private following = false;
  /** A message or an answer came while the follow of the turn that ended was still closing its stream. */
  private followAgain = false;
  session: Session | undefined;
  private environment = '';
  private live: LiveState;
  private cancelling = false;
  private streamError: string | undefined;
  private readonly abort = new AbortController();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private loaded: Promise<void> | undefined;
  private disposed = false;

  constructor(
    readonly uri: vscode.Uri,
    readonly sessionId: string,
    private readonly deps: SessionDocDeps,
    private readonly onChange: (uri: vscode.Uri) => void,
  ) {}

  /** How the last turn ended and why the session failed, as the events tell. */
  facts(): EventFacts {
    return { stopReason: this.transcript.lastStopReason, errorType: this.transcript.lastErrorType };
  }

  get running(): boolean {
    return this.session !== undefined && !isSettledStatus(this.session.status) && this.transcript.end === undefined;
  }

  /** The session waits for the user to allow or deny a tool call. */
  get waiting(): boolean {
    return pendingState(this.decisions) !== undefined;
  }

  /** The session's state, as its header says it. */
  state(): RunState {
    return sessionState({ ...this.facts(), status: this.running ? 'running' : this.session?.status ?? 'running' });
  }

  load(): Promise<void> {
    this.loaded ??= this.loadOnce();
    return this.loaded;
  }

  private async loadOnce(): Promise<void> {
    const client = this.deps.client();
    const session = await client.getSession(this.sessionId, { signal: this.abort.signal });
    this.session = session;
    const env = session.environment_id;
    this.environment = env ? await this.deps.names.environmentName(env) : '—';
    for await (const page of client.listSessionEvents(this.sessionId, undefined, { signal: this.abort.signal })) {
      for (const ev of page.data) this.keep(ev);
    }
    this.deps.statuses.put(session, this.facts());
    if (!isSettledStatus(session.status) && this.transcript.end === undefined) void this.follow(client);
  }

  /** Into the transcript; the events that say what is pending are also kept (a few per turn). */
  private keep(ev: SessionEvent): void {
    if (!this.transcript.add(ev)) return;
    if (/^(agent\.(tool_use|mcp_tool_use|custom_tool_use)|session\.(status_|deleted)|user\.(tool_confirmation|custom_tool_result))/.test(ev.type)) {
      this.decisions.push(ev);
      if (this.decisions.length > 2000) this.decisions.splice(0, 1000);
    }
  }

  /** A message or an answer was sent: follow the session again (its next turn streams in). */
  resume(): void {
    if (this.disposed || this.session === undefined) return;
    if (this.following) {
      // Following a live turn: it goes on by itself. Its end already seen, the stream may still
      // be closing (the turn's end is on screen, and the user may have answered): follow again
      // once it has closed, or the next turn never shows.
      if (this.transcript.end === 'turn') this.followAgain = true;
      return;
    }
    this.transcript.reopen();
    void this.follow(this.deps.client());
  }

  /** Follow the live stream until the turn or the session ends (or the document closes). */
  private async follow(client: QoderClient): Promise<void> {
    this.following = true;
    this.live = 'live';
    try {
      for await (const ev of client.streamSessionEvents(this.sessionId, {
        lastEventId: this.transcript.lastEventId,
        signal: this.abort.signal,
        isKnown: (id) => this.transcript.has(id),
        onState: (s) => this.onStreamState(s),
        onMalformed: (reason) => this.deps.log(`Session ${this.sessionId}: skipped a stream frame (${reason}).`),
      })) {
        this.keep(ev);
        this.scheduleRedraw();
        if (this.transcript.end !== undefined) break;
      }
    } catch (e) {
      if (!this.abort.signal.aborted) {
        this.streamError = this.deps.failureText(vscode.l10n.t('Following the session'), e);
        this.deps.log(this.streamError);
      }
    } finally {
      this.clearReconnectTimer();
      this.live = undefined;
      this.cancelling = false;
      this.following = false;
    }
    if (this.disposed) return;
    if (this.followAgain) {
      this.followAgain = false;
      this.resume();
      return;
    }
    // The turn ended: the session's final figures (status, credits, duration).
    try {
      this.session = await client.getSession(this.sessionId, { signal: this.abort.signal });
      this.deps.statuses.put(this.session, this.facts());
    } catch {
      // keep what we have
    }
    this.scheduleRedraw(0);
  }

  private onStreamState(s: StreamState): void {
    if (s.kind === 'open') {
      this.clearReconnectTimer();
      if (this.live === 'reconnecting') {
        this.live = this.cancelling ? 'cancelling' : 'live';
        this.scheduleRedraw();
      }
    } else if (s.kind === 'reconnecting' && this.reconnectTimer === undefined && this.live !== 'reconnecting') {
      const wait = Math.max(0, (this.deps.reconnectingAfterMs ?? RECONNECTING_AFTER_MS) - (Date.now() - s.downSince));
      this.reconnectTimer = setTimeout(() => {
        this.live = 'reconnecting';
        this.scheduleRedraw(0);
      }, wait);
    }
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  markCancelling(): void {
    this.cancelling = true;
    if (this.live !== 'reconnecting') this.live = 'cancelling';
    this.scheduleRedraw(0);
  }

  scheduleRedraw(delay = REDRAW_MS): void {
    if (this.disposed || this.redrawTimer !== undefined) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      if (!this.disposed) this.onChange(this.uri);
    }, delay);
  }

  text(): string {
    const s = this.session;
    const title = this.uri.path.replace(/^\//, '');
    if (!s) return `# ${title}\n\n${vscode.l10n.t('Loading…')}\n`;
    const credits = s.total_credits ?? this.transcript.creditsFromSpans;
    const started = s.created_at ? this.deps.formatTime(s.created_at) : '—';
    const duration = this.running && s.created_at
      ? this.deps.durationText((Date.now() - Date.parse(s.created_at)) / 1000)
      : s.duration_seconds !== null ? this.deps.durationText(s.duration_seconds) : '—';
    let status = stateText(this.state(), true);
    if (this.streamError) status += ` · ${this.streamError}`;
    return this.transcript.markdown({
      title,
      status,
      live: this.cancelling && this.live !== 'reconnecting' ? 'cancelling' : this.live,
      agent: s.agent ? (s.agent.version !== null ? vscode.l10n.t('{0} (version {1})', s.agent.name, s.agent.version) : s.agent.name) : '—',
      environment: this.environment || '—',
      started,
      duration,
      credits: String(credits),
      outcomes: outcomeLines(s.raw),
      sessionId: s.id,
    }) + this.pendingText();
  }

  /**
   * The calls the session waits for, each with its tool and full input; the CodeLens on each
   * `### ⏸` line offers Allow and Deny… (the line ends with the call's id, in a code span).
   */
  private pendingText(): string {
    const state = pendingState(this.decisions);
    if (!state) return '';
    const parts = [`\n---\n\n## ⏸ ${vscode.l10n.t('Waiting for your decision')}\n`];
    for (const c of state.calls) {
      parts.push(`### ⏸ ${callLabel(c).replace(/[`\n\r]/g, ' ')} · \`${c.id}\`\n\n${codeBlock(fullInputText(c))}\n`);
    }
    return parts.join('\n');
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    this.clearReconnectTimer();
    if (this.redrawTimer !== undefined) clearTimeout(this.redrawTimer);
  }
}

/**
 * Follows the end of a growing session document in the editors that showed its last line
 * before the change; an editor the user scrolled up stays where it is.
 */
export class TailFollower {
  private readonly following = new Map<string, vscode.TextEditor[]>();

  /** Call before the document of `uri` changes. */
  beforeChange(uri: vscode.Uri): void {
    const key = uri.toString();
    const atEnd = (vscode.window.visibleTextEditors ?? []).filter((e) =>
      e.document.uri.toString() === key && (e.visibleRanges.at(-1)?.end.line ?? -1) >= e.document.lineCount - 2);
    if (atEnd.length > 0) this.following.set(key, atEnd);
  }

  /** Call when the document changed: reveal its new last line in the editors that were at the end. */
  afterChange(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const editors = this.following.get(key);
    if (!editors) return;
    this.following.delete(key);
    const last = new vscode.Range(doc.lineCount - 1, 0, doc.lineCount - 1, 0);
    for (const e of editors) e.revealRange(last);
  }
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
