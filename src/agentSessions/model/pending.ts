// What a session waits for (interaction-and-files.md §3): only the LAST `session.status_idle`
// tells "waiting" from "done", and only when its `stop_reason.type` is `requires_action`; its
// `event_ids` name the blocking calls. Calls answered since (our confirmation echoed back) are
// no longer pending. Pure (no vscode).

import * as l10n from '@vscode/l10n';
import type { SessionEvent } from '../../api/sessions';
import { isObj } from '../../api/util';
import { toolInputSummary } from './transcriptEvents';

export type PendingKind = 'tool' | 'mcp' | 'custom' | 'unknown';

export interface PendingCall {
  /** The blocking event's id: `tool_use_id` / `custom_tool_use_id` of the answer. */
  id: string;
  kind: PendingKind;
  /** Tool name (`Bash`, an MCP tool, a custom tool); '?' when the event is not known. */
  name: string;
  input: unknown;
  /** MCP calls: the server's name. */
  serverName?: string;
  /** Cross-posted from a sub-agent thread: echoed on the answer (§3.1). */
  threadId?: string;
}

export interface PendingState {
  /** The `session.status_idle` that asked. */
  idleEventId: string;
  calls: PendingCall[];
}

function pendingKindOf(type: string): PendingKind {
  if (type === 'agent.tool_use') return 'tool';
  if (type === 'agent.mcp_tool_use') return 'mcp';
  if (type === 'agent.custom_tool_use') return 'custom';
  return 'unknown';
}

/** The ids a user event answers (a confirmation or a custom tool result). */
function answeredId(ev: SessionEvent): string | undefined {
  if (ev.type === 'user.tool_confirmation' && typeof ev.tool_use_id === 'string') return ev.tool_use_id;
  if (ev.type === 'user.custom_tool_result' && typeof ev.custom_tool_use_id === 'string') return ev.custom_tool_use_id;
  return undefined;
}

/**
 * The decision a session waits for, from its events in order (a full history, or the newest
 * events: the idle event and the calls it names must be among them; a named call that is not is
 * kept as kind 'unknown'). Undefined when nothing is pending.
 */
export function pendingState(events: readonly SessionEvent[], known?: (id: string) => SessionEvent | undefined): PendingState | undefined {
  let idleAt = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    const t = (events[i] as SessionEvent).type;
    if (t === 'session.status_idle') {
      idleAt = i;
      break;
    }
    // The session moved on after its last idle: nothing waits.
    if (t === 'session.status_running' || t === 'session.status_terminated' || t === 'session.deleted' || t === 'session.status_rescheduled') return undefined;
  }
  if (idleAt < 0) return undefined;
  const idle = events[idleAt] as SessionEvent;
  const reason = isObj(idle.stop_reason) ? idle.stop_reason : undefined;
  if (reason?.type !== 'requires_action' || !Array.isArray(reason.event_ids)) return undefined;
  const answered = new Set<string>();
  for (let i = idleAt + 1; i < events.length; i++) {
    const id = answeredId(events[i] as SessionEvent);
    if (id !== undefined) answered.add(id);
  }
  const byId = new Map<string, SessionEvent>();
  for (let i = 0; i < idleAt; i++) byId.set((events[i] as SessionEvent).id, events[i] as SessionEvent);
  const calls: PendingCall[] = [];
  const seen = new Set<string>();
  for (const id of reason.event_ids) {
    if (typeof id !== 'string' || id === '' || answered.has(id) || seen.has(id)) continue;
    seen.add(id);
    const ev = byId.get(id) ?? known?.(id);
    const call: PendingCall = ev
      ? { id, kind: pendingKindOf(ev.type), name: typeof ev.name === 'string' && ev.name !== '' ? ev.name : '?', input: ev.input }
      : { id, kind: 'unknown', name: '?', input: undefined };
    if (ev && typeof ev.mcp_server_name === 'string') call.serverName = ev.mcp_server_name;
    if (ev && typeof ev.session_thread_id === 'string') call.threadId = ev.session_thread_id;
    calls.push(call);
  }
  return calls.length > 0 ? { idleEventId: idle.id, calls } : undefined;
}

/** Whether an id may be answered now: it is one of the LATEST requires_action ids, not yet answered. */
export function isAnswerable(state: PendingState | undefined, id: string): boolean {
  return state?.calls.some((c) => c.id === id) === true;
}

/** The full input as text: the command for Bash, else pretty JSON. */
export function fullInputText(call: PendingCall): string {
  const input = (isObj(call.input) ? call.input : {}) as Record<string, unknown>;
  if (call.name === 'Bash' && typeof input.command === 'string') return input.command;
  try {
    return JSON.stringify(call.input ?? null, null, 2) ?? '';
  } catch {
    return '';
  }
}

/** `Bash` / `github · create_issue` (MCP) / `lookup_tier (custom tool)`. */
export function callLabel(call: PendingCall): string {
  if (call.kind === 'mcp' && call.serverName) return `${call.serverName} · ${call.name}`;
  if (call.kind === 'custom') return l10n.t('{0} (custom tool)', call.name);
  return call.name;
}

/**
 * "Waiting for your decision: Bash `rm -rf build/`" — one call as a line of UI. `clean` is the
 * redaction and control-character filter of the caller (the main bundle's displayText).
 */
export function waitingText(state: PendingState, clean: (text: string) => string): string {
  const first = state.calls[0] as PendingCall;
  const summary = clean(toolInputSummary(first.name, first.input)).replace(/`/g, 'ˋ');
  const what = `${clean(callLabel(first))} \`${summary}\``;
  return state.calls.length === 1
    ? l10n.t('Waiting for your decision: {0}', what)
    : l10n.t('Waiting for your decision: {0} and {1} more', what, state.calls.length - 1);
}

// ---------------------------------------------------------------------------------------
// The no-resend rule (§2.5): after a send whose fate is unknown, look in the events first.

/** Whether an error leaves it open that the server processed the request (a timeout, a network failure, a 5xx). */
export function sendFateUnknown(e: unknown): boolean {
  const err = e as { kind?: unknown; status?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.kind === 'timeout' || err.kind === 'network' || err.kind === 'invalid_response') return true;
  return err.kind === 'api' && typeof err.status === 'number' && err.status >= 500;
}

/** Whether an error is a 4xx answer to an event: the server rejected it (re-read, never guess). */
export function isRejection(e: unknown): boolean {
  const err = e as { kind?: unknown; status?: unknown } | null;
  return !!err && err.kind === 'api' && typeof err.status === 'number' && err.status >= 400 && err.status < 500;
}

function messageText(ev: SessionEvent): string {
  const content = ev.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b) => (isObj(b) && typeof b.text === 'string' ? b.text : '')).join('');
}

/**
 * A `user.message` among `recent` (newest first or not) with exactly this text and not one of
 * the messages already known before sending (`before`): the message arrived after all.
 */
export function findSentMessage(recent: readonly SessionEvent[], text: string, before: ReadonlySet<string>): SessionEvent | undefined {
  return recent.find((ev) => ev.type === 'user.message' && !before.has(ev.id) && messageText(ev) === text);
}

export type SendResult =
  | { kind: 'sent'; event: SessionEvent | undefined }
  /** The first attempt failed in a way that may have reached the server, and the events show it did. */
  | { kind: 'found'; event: SessionEvent }
  /** Not found in the events: the user decides whether to send again (never automatic). */
  | { kind: 'unknown'; error: unknown }
  | { kind: 'failed'; error: unknown };

export interface MessageSender {
  send(text: string): Promise<SessionEvent[]>;
  /** The newest `user.message` events (newest first). */
  recentMessages(): Promise<SessionEvent[]>;
}

/**
 * Send a message once. After a timeout, a network failure or a 5xx: look for it in the events
 * (ids known before sending excluded); never send it again here.
 */
export async function sendMessageOnce(sender: MessageSender, text: string): Promise<SendResult> {
  let before: Set<string>;
  try {
    before = new Set((await sender.recentMessages()).map((e) => e.id));
  } catch (error) {
    return { kind: 'failed', error };
  }
  try {
    const accepted = await sender.send(text);
    return { kind: 'sent', event: accepted[0] };
  } catch (error) {
    if (!sendFateUnknown(error)) return { kind: 'failed', error };
    try {
      const found = findSentMessage(await sender.recentMessages(), text, before);
      if (found) return { kind: 'found', event: found };
    } catch {
      // Could not look: still unknown.
    }
    return { kind: 'unknown', error };
  }
}
