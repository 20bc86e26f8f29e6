// One session as a document's text: it loads the session and its history, follows the live
// stream while the session runs (resuming after a message or an answer, saying "reconnecting…"
// after 5 s without a connection), and asks for a redraw at most every 250 ms. The stream is
// closed when the turn ends, the session ends or the view is disposed. SessionDocuments
// (sessionDocument.ts) keeps one per open document.

import * as vscode from 'vscode';
import type { QoderClient } from '../api/client';
import { isSettledStatus, type Session, type SessionEvent } from '../api/sessions';
import type { StreamState } from '../api/sessionStream';
import type { EventFacts, NameCache, SessionStatusCache } from './model/sessionCache';
import { sessionState, stateText, type RunState } from '../runs/model/runState';
import { SessionTranscript } from './model/sessionTranscript';
import type { LiveState } from './model/transcriptSummary';
import { pendingState, callLabel, fullInputText } from './model/pending';
import { outcomeLines } from './model/outcomeText';
import { codeBlock } from './model/safeMarkdown';

const REDRAW_MS = 250;
const RECONNECTING_AFTER_MS = 5_000;

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

export class SessionView implements vscode.Disposable {
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
