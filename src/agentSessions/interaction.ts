// Acting on a run (dist/interaction.js): answer a waiting agent (Allow / Deny… / answer all),
// send it a message, interrupt its turn, open and save the files it delivered, and find the
// runs that wait for a decision. The main bundle registers the commands and hands over what
// they need (InteractionDeps); everything here loads the first time one is used.

import * as vscode from 'vscode';
import type { QoderClient } from '../api/client';
import type { SessionEvent } from '../api/sessions';
import { SessionActions } from '../api/sessionActions';
import { customToolError, toolConfirmation, userInterrupt, userMessage, type QoderFile } from '../api/interaction';
import { callLabel, fullInputText, isRejection, sendMessageOnce, waitingText, type PendingCall, type PendingState } from './model/pending';
import { WaitingWatch, type WaitingRun } from './model/waitingWatch';
import type { WaitingMemory } from './model/waitingMemory';
import type { IdleText } from './model/sessionCache';
import { parseListPage, parseRun } from '../api/parse';
import type { Ui } from '../platform/ui';
import type { WritePath } from '../deployments/model/mutations';

export interface InteractionDeps {
  client(): QoderClient;
  /** The one write path (busy state, connection generation, 4xx mapping): every event is sent through it. */
  writes(): WritePath<QoderClient>;
  ui(): Ui;
  failureText(what: string, e: unknown): string;
  /** One line of server text for the UI: redacted, no control characters. */
  displayText(text: string): string;
  deploymentName(id: string): string | undefined;
  /** The open session document follows the session again (after an answer or a message). */
  follow(sessionId: string): void;
  /** The run rows and the status bar learn what changed. */
  changed(sessionId: string): void;
  openSession(deploymentId: string, runId: string, sessionId: string): Thenable<unknown>;
  log(line: string): void;
  /** Where the look for waiting runs keeps what it learned across reloads (this account's; none when signed out). */
  memory?(): WaitingMemory | undefined;
}

/** A session to act on: from a run row, a session document, or (sessionId) arguments. */
export interface SessionTarget {
  sessionId: string;
  deploymentId?: string;
  runId?: string;
  /** A single call picked in the transcript (its CodeLens). */
  callId?: string;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-yaml|yaml|x-toml|toml|x-sh|csv)\b)/i;
const MAX_TEXT_BYTES = 5 * 1024 * 1024;

export function isTextFile(f: { mime_type: string; filename: string }): boolean {
  return TEXT_TYPES.test(f.mime_type) || /\.(md|txt|json|ya?ml|csv|log|toml|xml|sh|ts|js|py)$/i.test(f.filename);
}

/** The write path sent nothing (another action on the session runs) or dropped the answer (the account changed). */
class NothingSent extends Error {}

export class Interaction {
  readonly watch: WaitingWatch;
  private readonly drafts = new Map<string, string>();

  constructor(private readonly deps: InteractionDeps) {
    this.watch = new WaitingWatch(() => ({
      recentRuns: (limit, signal) => {
        const query = new URLSearchParams({ limit: String(limit) });
        return this.deps.client().call({ method: 'GET', path: '/deployment_runs', query, signal }, (json) => parseListPage(json, parseRun));
      },
      idleSessions: async (limit, signal) => {
        const first = await this.actions().listSessions({ status: 'idle', limit }, { signal }).next();
        return first.done ? { data: [], has_more: false, first_id: null, last_id: null, next_page: null, invalid: [] } : first.value;
      },
      newestEvents: async (sessionId, limit, signal) => (await this.actions().listSessionEventsPage(sessionId, { order: 'desc', limit }, { signal })).data,
    }), { memory: () => this.deps.memory?.() });
  }

  private actions(): SessionActions {
    return new SessionActions(this.deps.client());
  }

  /** "Waiting for your decision: Bash `rm -rf build/`" for a state. */
  waitingLine(state: PendingState): string {
    return waitingText(state, (t) => this.deps.displayText(t));
  }

  // -------------------------------------------------------------------------------- decisions

  /** Allow (answer = 'allow') or Deny… ('deny') one call, or all pending calls after one modal. */
  async decide(target: SessionTarget, answer: 'allow' | 'deny'): Promise<void> {
    const { ui } = this.deps;
    this.watch.forget(target.sessionId);
    const state = await this.watch.pendingOf(target.sessionId);
    if (!state) {
      void ui().showInformationMessage(vscode.l10n.t('This session is not waiting for a decision (any more).'), {});
      this.deps.changed(target.sessionId);
      return;
    }
    let calls = state.calls;
    if (target.callId !== undefined) {
      const one = calls.find((c) => c.id === target.callId);
      if (!one) {
        void ui().showInformationMessage(vscode.l10n.t('That call is no longer waiting; the session was read again.'), {});
        this.refreshAfter(target.sessionId);
        return;
      }
      calls = [one];
    } else if (calls.length > 1) {
      const all = { label: answer === 'allow' ? vscode.l10n.t('Allow all {0} calls…', calls.length) : vscode.l10n.t('Deny all {0} calls…', calls.length), calls };
      const items = [...calls.map((c) => ({ label: this.deps.displayText(callLabel(c)), detail: this.deps.displayText(fullInputText(c)).slice(0, 300), calls: [c] })), all];
      const picked = await ui().showQuickPick(items, { placeHolder: answer === 'allow' ? vscode.l10n.t('Which call do you allow?') : vscode.l10n.t('Which call do you deny?') });
      if (!picked) return;
      calls = picked.calls;
    }
    const custom = calls.filter((c) => c.kind === 'custom');
    if (custom.length > 0) {
      await this.answerCustom(target.sessionId, custom);
      calls = calls.filter((c) => c.kind !== 'custom');
      if (calls.length === 0) return;
    }
    let reason: string | undefined;
    if (answer === 'allow') {
      const ok = vscode.l10n.t('Allow');
      const message = calls.length === 1
        ? vscode.l10n.t('Allow {0} to run this?', this.deps.displayText(callLabel(calls[0] as PendingCall)))
        : vscode.l10n.t('Allow these {0} calls to run?', calls.length);
      const detail = calls.map((c) => `${this.deps.displayText(callLabel(c))}:\n${this.deps.displayText(fullInputText(c))}`).join('\n\n');
      if ((await ui().showWarningMessage(message, { modal: true, detail }, ok)) !== ok) return;
    } else {
      reason = await ui().showInputBox({
        title: calls.length === 1 ? vscode.l10n.t('Deny {0}', this.deps.displayText(callLabel(calls[0] as PendingCall))) : vscode.l10n.t('Deny {0} calls', calls.length),
        prompt: vscode.l10n.t('Reason for the agent (optional). Press Enter to deny, Escape to keep it waiting.'),
        placeHolder: vscode.l10n.t('e.g. Do not open pull requests from scheduled runs'),
      });
      if (reason === undefined) return;
    }
    await this.send(target.sessionId, calls.map((c) => toolConfirmation(c.id, answer, answer === 'deny' ? reason : undefined, c.threadId)));
  }

  /** The extension cannot run a custom tool: return an error result, or leave it waiting. */
  private async answerCustom(sessionId: string, calls: readonly PendingCall[]): Promise<void> {
    for (const c of calls) {
      const ret = vscode.l10n.t('Return an Error');
      const leave = vscode.l10n.t('Leave Waiting');
      const picked = await this.deps.ui().showWarningMessage(
        vscode.l10n.t('The agent asks for its custom tool {0}, which this extension cannot run.', this.deps.displayText(c.name)),
        { modal: true, detail: vscode.l10n.t('Return an error result so the agent can go on without it, or leave the session waiting for the program that implements the tool.') },
        ret,
        leave,
      );
      if (picked !== ret) continue;
      await this.send(sessionId, [customToolError(c.id, 'The tool could not be run: it was answered from the Qoder Deployments editor extension, which cannot run custom tools.', c.threadId)], 'answer custom tool use');
    }
  }

  /**
   * One session action through the write path. Throws the request's own error (so a 4xx or an
   * unsure outcome reads as it came) and NothingSent when it sent nothing or the answer was dropped.
   */
  private async write<T>(verb: string, sessionId: string, send: (a: SessionActions) => Promise<T>): Promise<T> {
    let failure: unknown;
    const outcome = await this.deps.writes().write({
      verb,
      key: sessionId,
      send: (client) => send(new SessionActions(client)).catch((e: unknown) => {
        failure = e;
        throw e;
      }),
    });
    if (outcome.kind === 'done') return outcome.result;
    if (outcome.kind === 'dropped' || outcome.kind === 'busy' || outcome.kind === 'stopped') throw new NothingSent(outcome.kind);
    throw failure ?? ('error' in outcome ? outcome.error : new NothingSent(outcome.kind));
  }

  /** Send answers; a 4xx means our picture was stale: read again and redraw, never guess. */
  private async send(sessionId: string, events: Parameters<SessionActions['sendSessionEvents']>[1], verb = 'answer tool use'): Promise<void> {
    try {
      await this.write(verb, sessionId, (a) => a.sendSessionEvents(sessionId, events));
      this.deps.ui().announce(vscode.l10n.t('Answer sent; the session goes on.'));
    } catch (e) {
      if (e instanceof NothingSent) return; // busy, or another account now: nothing of this one is shown
      if (isRejection(e)) {
        void this.deps.ui().showWarningMessage(vscode.l10n.t('The server did not take this answer (the decision may have been made elsewhere). The session was read again: {0}', this.deps.failureText(vscode.l10n.t('Answering'), e)), {});
      } else {
        this.refreshAfter(sessionId);
        throw e;
      }
    }
    this.refreshAfter(sessionId);
  }

  private refreshAfter(sessionId: string): void {
    this.watch.forget(sessionId);
    this.deps.follow(sessionId);
    this.deps.changed(sessionId);
  }

  // -------------------------------------------------------------------------------- talking

  /** Send a message (only when idle and nothing is pending); the input keeps the text when sending fails. */
  async sendMessage(target: SessionTarget): Promise<void> {
    const { ui } = this.deps;
    const client = this.deps.client();
    const session = await client.getSession(target.sessionId);
    this.watch.forget(target.sessionId);
    if (session.archived_at !== null || session.status === 'terminated') {
      void ui().showInformationMessage(vscode.l10n.t('This session has ended; it takes no more messages.'), {});
      return;
    }
    if (session.status !== 'idle') {
      void ui().showInformationMessage(vscode.l10n.t('The agent is working on a turn. Wait for it to finish, or interrupt it, before sending a message.'), {});
      return;
    }
    if (await this.watch.pendingOf(target.sessionId)) {
      void ui().showInformationMessage(vscode.l10n.t('The session waits for your decision on a tool call. Allow or deny it first.'), {});
      return;
    }
    const text = await ui().showInputBox({
      title: vscode.l10n.t('Message to the agent'),
      prompt: vscode.l10n.t('The agent reads it as the next turn of this session.'),
      value: this.drafts.get(target.sessionId) ?? '',
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Type a message.') : undefined),
    });
    if (text === undefined) return;
    this.drafts.set(target.sessionId, text);
    const actions = this.actions();
    const result = await sendMessageOnce({
      send: (t) => this.write('send message', target.sessionId, (a) => a.sendSessionEvents(target.sessionId, [userMessage(t)])),
      recentMessages: async () => (await actions.listSessionEventsPage(target.sessionId, { order: 'desc', limit: 20, types: ['user.message'] })).data,
    }, text);
    if (result.kind === 'sent' || result.kind === 'found') {
      this.drafts.delete(target.sessionId);
      this.deps.ui().announce(vscode.l10n.t('Message sent.'));
      this.refreshAfter(target.sessionId);
      return;
    }
    if (result.error instanceof NothingSent) return; // the draft is kept
    const again = vscode.l10n.t('Edit and Send Again');
    const message = result.kind === 'unknown'
      ? vscode.l10n.t('It is not known whether the message arrived, and it is not in the session. It was not sent again. {0}', this.deps.failureText(vscode.l10n.t('Sending the message'), result.error))
      : this.deps.failureText(vscode.l10n.t('Sending the message'), result.error);
    if ((await ui().showErrorMessage(message, {}, again)) === again) await this.sendMessage(target);
  }

  async interrupt(target: SessionTarget): Promise<void> {
    const stop = vscode.l10n.t('Interrupt');
    const answer = await this.deps.ui().showWarningMessage(
      vscode.l10n.t('Interrupt the agent\'s current turn? It stops what it is doing; the session stays open for a new message.'),
      { modal: true },
      stop,
    );
    if (answer !== stop) return;
    try {
      await this.write('interrupt session', target.sessionId, (a) => a.sendSessionEvents(target.sessionId, [userInterrupt()]));
      this.deps.ui().announce(vscode.l10n.t('Interrupt sent.'));
    } catch (e) {
      if (e instanceof NothingSent) return;
      if (!isRejection(e)) throw e;
      void this.deps.ui().showInformationMessage(vscode.l10n.t('The session has no running turn to interrupt.'), {});
    }
    this.refreshAfter(target.sessionId);
  }

  // -------------------------------------------------------------------------------- files

  /** The session's files: `GET /files?scope_id=` joined with the `agent.artifact_delivered` events' files. */
  async files(sessionId: string): Promise<QoderFile[]> {
    return this.actions().listFiles(sessionId);
  }

  async fileText(fileId: string): Promise<string> {
    const d = await this.actions().downloadFile(fileId, { maxBytes: MAX_TEXT_BYTES });
    return new TextDecoder('utf-8').decode(d.bytes);
  }

  async saveFile(file: { id: string; filename: string; size_bytes: number | null }): Promise<void> {
    // eslint-disable-next-line no-control-regex
    const safeName = file.filename.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 200) || file.id;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ defaultUri: base ? vscode.Uri.joinPath(base, safeName) : undefined, title: vscode.l10n.t('Save {0}', this.deps.displayText(file.filename)) });
    if (!target) return;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', this.deps.displayText(file.filename)), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        try {
          const d = await this.actions().downloadFile(file.id, {
            signal: abort.signal,
            maxBytes: 1024 * 1024 * 1024,
            onBytes: (n, total) => {
              const all = total ?? file.size_bytes ?? undefined;
              if (!all) return;
              const pct = Math.min(100, (n / all) * 100);
              progress.report({ increment: pct - reported, message: `${Math.round(pct)} %` });
              reported = pct;
            },
          });
          await vscode.workspace.fs.writeFile(target, d.bytes);
        } finally {
          sub.dispose();
        }
      },
    );
    this.deps.ui().announce(vscode.l10n.t('Saved {0}', this.deps.displayText(file.filename)));
  }

  // -------------------------------------------------------------------------------- waiting runs

  /** One look for runs waiting for a decision; new ones are told once with Review. */
  async checkWaiting(notify: boolean): Promise<WaitingRun[]> {
    const found = await this.watch.check();
    const fresh = found.filter((w) => this.watch.isNew(w));
    for (const w of fresh) this.watch.markSeen(w);
    if (notify) for (const w of fresh) void this.tell(w);
    return found;
  }

  private async tell(w: WaitingRun): Promise<void> {
    const review = vscode.l10n.t('Review');
    const name = this.deps.deploymentName(w.deploymentId) ?? w.deploymentId;
    const message = `“${this.deps.displayText(name).slice(0, 120)}” — ${this.waitingLine(w.state)}`;
    const answer = await this.deps.ui().showWarningMessage(message, {}, review);
    if (answer === review) await this.deps.openSession(w.deploymentId, w.runId, w.sessionId);
  }

  /** For a run row: what an idle session waits for, in words, and its newest `session.status_idle`, from one request. */
  async idleLook(sessionId: string, updatedAt: string | undefined): Promise<IdleText> {
    const look = await this.watch.idleLook(sessionId, updatedAt);
    return { waiting: look.state ? this.waitingLine(look.state) : undefined, lastIdle: look.lastIdle };
  }

  /** Events to keep for the transcript's pending section. */
  static relevant(ev: SessionEvent): boolean {
    return /^(agent\.(tool_use|mcp_tool_use|custom_tool_use)|session\.status_|user\.(tool_confirmation|custom_tool_result))/.test(ev.type);
  }
}
