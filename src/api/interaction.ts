// Talking back to a session and reading what it produced (interaction-and-files.md): the
// events a client may send (§2.2, payloads exactly as documented), files and their download
// links (§4), outcome evaluations (§5.1) and the sessions list filter (§6). No vscode.

import * as l10n from '@vscode/l10n';
import { QoderError } from './errors';
import { isObj, str, strOrNull } from './util';
import { checkEventId } from './sessions';

/** A content block of a user message (§2.2: always an array of blocks, never a plain string). */
export interface TextBlock {
  type: 'text';
  text: string;
}

export interface UserMessageEvent {
  type: 'user.message';
  content: TextBlock[];
}
export interface UserInterruptEvent {
  type: 'user.interrupt';
  session_thread_id?: string;
}
export interface ToolConfirmationEvent {
  type: 'user.tool_confirmation';
  tool_use_id: string;
  result: 'allow' | 'deny';
  /** Only with `result: "deny"` (the API rejects it on allow). */
  deny_message?: string;
  session_thread_id?: string;
}
export interface CustomToolResultEvent {
  type: 'user.custom_tool_result';
  custom_tool_use_id: string;
  content?: TextBlock[];
  is_error?: boolean;
  session_thread_id?: string;
}

export type OutgoingEvent = UserMessageEvent | UserInterruptEvent | ToolConfirmationEvent | CustomToolResultEvent;

function bad(message: string): QoderError {
  return new QoderError('config', message);
}

/** `user.message` with one text block. Empty or blank text is refused before anything is sent. */
export function userMessage(text: string): UserMessageEvent {
  if (typeof text !== 'string' || text.trim() === '') throw bad(l10n.t('The message is empty; nothing was sent.'));
  return { type: 'user.message', content: [{ type: 'text', text }] };
}

export function userInterrupt(threadId?: string): UserInterruptEvent {
  return threadId === undefined ? { type: 'user.interrupt' } : { type: 'user.interrupt', session_thread_id: checkEventId(threadId, 'session_thread_id') };
}

/** `user.tool_confirmation`; a deny reason is sent only when non-blank, and never with allow. */
export function toolConfirmation(toolUseId: string, result: 'allow' | 'deny', denyMessage?: string, threadId?: string): ToolConfirmationEvent {
  if (result !== 'allow' && result !== 'deny') throw bad(l10n.t('A tool confirmation is "allow" or "deny"; nothing was sent.'));
  if (result === 'allow' && denyMessage !== undefined && denyMessage.trim() !== '') {
    throw bad(l10n.t('A reason can only be given when denying; nothing was sent.'));
  }
  const ev: ToolConfirmationEvent = { type: 'user.tool_confirmation', tool_use_id: checkEventId(toolUseId, 'tool_use_id'), result };
  if (result === 'deny' && denyMessage !== undefined && denyMessage.trim() !== '') ev.deny_message = denyMessage;
  if (threadId !== undefined) ev.session_thread_id = checkEventId(threadId, 'session_thread_id');
  return ev;
}

/** `user.custom_tool_result` saying the tool could not run (the extension cannot run custom tools). */
export function customToolError(customToolUseId: string, text: string, threadId?: string): CustomToolResultEvent {
  const ev: CustomToolResultEvent = {
    type: 'user.custom_tool_result',
    custom_tool_use_id: checkEventId(customToolUseId, 'custom_tool_use_id'),
    content: [{ type: 'text', text }],
    is_error: true,
  };
  if (threadId !== undefined) ev.session_thread_id = checkEventId(threadId, 'session_thread_id');
  return ev;
}

/** Checks a batch before it is sent: non-empty, and several events only when all are confirmations (§2.1). */
export function checkOutgoing(events: readonly OutgoingEvent[]): void {
  if (!Array.isArray(events) || events.length === 0) throw bad(l10n.t('No event to send; nothing was sent.'));
  if (events.length > 1 && events.some((e) => e.type !== 'user.tool_confirmation')) {
    throw bad(l10n.t('Only tool confirmations may be sent together; nothing was sent.'));
  }
}

// ---------------------------------------------------------------------------------------
// Files (§4.2)

const FILE_ID_RE = /^file_[A-Za-z0-9]{1,64}$/;

export function isFileId(id: unknown): id is string {
  return typeof id === 'string' && FILE_ID_RE.test(id);
}

export function filePath(id: unknown): string {
  if (!isFileId(id)) {
    const shown = typeof id === 'string' ? id.slice(0, 80) : String(id);
    throw bad(l10n.t('"{0}" is not a valid {1} id (expected {2}…); nothing was sent.', shown, 'file', 'file_'));
  }
  return `/files/${encodeURIComponent(id)}`;
}

export interface QoderFile {
  id: string;
  filename: string;
  size_bytes: number | null;
  mime_type: string;
  downloadable: boolean;
  /** `scope.id` (a session id, not length-checked: §9.14). */
  scope_id: string | null;
  created_at: string;
  raw: Record<string, unknown>;
}

export interface FileContentLink {
  url: string;
  expires_at: string | null;
  /** 200 ([new]) or 302 ([old]). */
  httpStatus: number;
}

function invalid(message: string): QoderError {
  return new QoderError('invalid_response', message);
}

export function parseFile(json: unknown): QoderFile {
  if (!isObj(json)) throw invalid('file is not an object');
  // [old] shape: `file_id` instead of `id`.
  const id = typeof json.id === 'string' ? json.id : json.file_id;
  if (!isFileId(id)) throw invalid(`file has no valid "id" (got ${typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : typeof id})`);
  const size = typeof json.size_bytes === 'number' && Number.isFinite(json.size_bytes) ? json.size_bytes : null;
  const scope = isObj(json.scope) ? strOrNull(json.scope.id) : strOrNull(json.session_id);
  const purpose = strOrNull(json.purpose);
  const downloadable = typeof json.downloadable === 'boolean' ? json.downloadable : purpose === 'tool_output' || purpose === 'skill_output';
  return {
    id,
    filename: str(json.filename, id),
    size_bytes: size,
    mime_type: str(json.mime_type, 'application/octet-stream') || 'application/octet-stream',
    downloadable,
    scope_id: scope,
    created_at: str(json.created_at),
    raw: json,
  };
}

/** The `/content` answer: `{expires_at, url}` in the body, or (302) the URL in `Location`. */
export function parseContentLink(json: unknown, httpStatus: number, location?: string): FileContentLink {
  const body = isObj(json) ? json : {};
  const url = typeof body.url === 'string' && body.url !== '' ? body.url : location;
  if (url === undefined || url === '') throw invalid('the download link answer has no "url"');
  return { url, expires_at: strOrNull(body.expires_at), httpStatus };
}

/** A file named by an `agent.artifact_delivered` event (§4.1). */
export interface DeliveredArtifact {
  eventId: string;
  file_id: string;
  filename: string;
  content_type: string;
  size: number | null;
}

export function artifactOf(ev: { id: string; type: string; [k: string]: unknown }): DeliveredArtifact | undefined {
  if (ev.type !== 'agent.artifact_delivered' || !isFileId(ev.file_id)) return undefined;
  return {
    eventId: ev.id,
    file_id: ev.file_id,
    filename: str(ev.original_filename, ev.file_id),
    content_type: str(ev.content_type, 'application/octet-stream') || 'application/octet-stream',
    size: typeof ev.size === 'number' && Number.isFinite(ev.size) ? ev.size : null,
  };
}

// ---------------------------------------------------------------------------------------
// Outcomes (§5.1)

export interface OutcomeEvaluation {
  outcome_id: string;
  description: string;
  /** satisfied | needs_revision | failed | max_iterations_reached | interrupted, or null while running. */
  result: string | null;
  explanation: string;
  iteration: number | null;
  completed_at: string | null;
}

export function outcomeEvaluationsOf(raw: Record<string, unknown>): OutcomeEvaluation[] {
  const list = Array.isArray(raw.outcome_evaluations) ? raw.outcome_evaluations : [];
  const out: OutcomeEvaluation[] = [];
  for (const item of list) {
    if (!isObj(item)) continue;
    out.push({
      outcome_id: str(item.outcome_id),
      description: str(item.description),
      result: strOrNull(item.result),
      explanation: str(item.explanation),
      iteration: typeof item.iteration === 'number' ? item.iteration : null,
      completed_at: strOrNull(item.completed_at),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Listing sessions (§6)

export type SessionListStatus = 'running' | 'idle' | 'rescheduling' | 'terminated';

export interface SessionListFilter {
  /** 1–100, default 100 when walking. */
  limit?: number;
  order?: 'asc' | 'desc';
  include_archived?: boolean;
  /** One status per request (the safe encoding, §6). */
  status?: SessionListStatus;
  deployment_id?: string;
  agent_id?: string;
  created_at_gte?: string;
  created_at_lte?: string;
  created_at_gt?: string;
  created_at_lt?: string;
}

/** Filter of one events page: newest first, only some types (for "what is pending" and "was it sent"). */
export interface SessionEventsPageFilter {
  limit?: number;
  order?: 'asc' | 'desc';
  types?: readonly string[];
  created_at_gte?: string;
}
