// Shapes and parsers of the Sessions, Agents and Environments endpoints (sessions-api.md §4,
// §5, §9). Like parse.ts: an object is rejected only when a field the extension cannot work
// without is missing; everything else falls back to a default, and `raw` keeps what the
// server sent.

import * as l10n from '@vscode/l10n';
import { invalidResponse, QoderError } from './errors';
import { isObj, str, strOrNull } from './util';

const SESSION_ID_RE = /^sess_[A-Za-z0-9]{1,64}$/;
const AGENT_ID_RE = /^agent_[A-Za-z0-9]{1,64}$/;
const ENVIRONMENT_ID_RE = /^env_[A-Za-z0-9]{1,64}$/;
/** Event ids are opaque (§1); all we require is a short printable token that cannot split a header line. */
const EVENT_ID_RE = /^[\x21-\x7e]{1,200}$/;

export function isSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID_RE.test(id);
}
export function isAgentId(id: unknown): id is string {
  return typeof id === 'string' && AGENT_ID_RE.test(id);
}
export function isEnvironmentId(id: unknown): id is string {
  return typeof id === 'string' && ENVIRONMENT_ID_RE.test(id);
}
export function isEventId(id: unknown): id is string {
  return typeof id === 'string' && EVENT_ID_RE.test(id);
}

/** Documented statuses; anything else is rendered verbatim (§4.2). */
export type SessionStatus = 'idle' | 'running' | 'rescheduling' | 'terminated' | (string & {});

export interface SessionAgent {
  id: string;
  name: string;
  version: number | null;
}

export interface Session {
  id: string;
  status: SessionStatus;
  title: string;
  agent: SessionAgent | null;
  environment_id: string | null;
  deployment_id: string | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  /** `usage.total_credits` when the server sent it (omitted when no usage data, §4.1). */
  total_credits: number | null;
  active_seconds: number | null;
  duration_seconds: number | null;
  raw: Record<string, unknown>;
}

/** A session event: flat JSON with at least `id` and `type` (§5.1); other fields vary by type. */
export interface SessionEvent {
  id: string;
  type: string;
  processed_at?: string;
  [field: string]: unknown;
}

export interface Agent {
  id: string;
  name: string;
  version: number | null;
  description: string;
  /** `model` is a string on GET /agents and an object in a session snapshot (§4.3). */
  model: string | null;
  archived_at: string | null;
  raw: Record<string, unknown>;
}

export interface Environment {
  id: string;
  name: string;
  description: string;
  /** `config.type`: cloud | self_hosted. */
  config_type: string | null;
  archived_at: string | null;
  raw: Record<string, unknown>;
}

export interface CancelAck {
  id: string;
  status: string;
  /** 202 when a running turn was cancelled, 200 for the documented no-op on an idle session. */
  httpStatus: number;
}

export interface SessionEventsFilter {
  /** 1–100, default 100 when walking. */
  limit?: number;
  /** Start after this event (the `after_id` cursor). */
  after_id?: string;
  /** `desc`: newest first (sessions-api.md §6); the default is oldest first. */
  order?: 'asc' | 'desc';
}

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
function short(x: unknown): string {
  return typeof x === 'string' ? JSON.stringify(x.slice(0, 80)) : x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
}

export function parseSession(json: unknown): Session {
  if (!isObj(json)) throw invalidResponse(`session is ${short(json)}, expected an object`);
  if (!isSessionId(json.id)) throw invalidResponse(`session has no valid "id" (got ${short(json.id)})`);
  if (typeof json.type === 'string' && json.type !== 'session') throw invalidResponse(`object ${json.id} has type ${short(json.type)}, expected "session"`);
  if (typeof json.status !== 'string' || json.status === '') throw invalidResponse(`session ${json.id} has no "status"`);
  const agent = isObj(json.agent) && typeof json.agent.id === 'string'
    ? { id: json.agent.id, name: str(json.agent.name, json.agent.id), version: num(json.agent.version) }
    : null;
  const usage = isObj(json.usage) ? json.usage : {};
  const stats = isObj(json.stats) ? json.stats : {};
  return {
    id: json.id,
    status: json.status,
    title: str(json.title),
    agent,
    environment_id: strOrNull(json.environment_id),
    deployment_id: strOrNull(json.deployment_id),
    created_at: str(json.created_at),
    updated_at: str(json.updated_at),
    archived_at: strOrNull(json.archived_at),
    total_credits: num(usage.total_credits),
    active_seconds: num(stats.active_seconds),
    duration_seconds: num(stats.duration_seconds),
    raw: json,
  };
}

/** An event needs a string `id` and `type`; the stream fills them from the `id:`/`event:` lines first. */
export function parseSessionEvent(json: unknown): SessionEvent {
  if (!isObj(json)) throw invalidResponse(`event is ${short(json)}, expected an object`);
  if (typeof json.id !== 'string' || json.id === '') throw invalidResponse(`event has no "id" (got ${short(json.id)})`);
  if (typeof json.type !== 'string' || json.type === '') throw invalidResponse(`event ${json.id.slice(0, 80)} has no "type"`);
  return json as SessionEvent;
}

export function parseAgent(json: unknown): Agent {
  if (!isObj(json)) throw invalidResponse(`agent is ${short(json)}, expected an object`);
  if (!isAgentId(json.id)) throw invalidResponse(`agent has no valid "id" (got ${short(json.id)})`);
  const model = typeof json.model === 'string' ? json.model : isObj(json.model) ? strOrNull(json.model.id) : null;
  return {
    id: json.id,
    name: str(json.name, json.id),
    version: num(json.version),
    description: str(json.description),
    model,
    archived_at: strOrNull(json.archived_at),
    raw: json,
  };
}

export function parseEnvironment(json: unknown): Environment {
  if (!isObj(json)) throw invalidResponse(`environment is ${short(json)}, expected an object`);
  if (!isEnvironmentId(json.id)) throw invalidResponse(`environment has no valid "id" (got ${short(json.id)})`);
  return {
    id: json.id,
    name: str(json.name, json.id),
    description: str(json.description),
    config_type: isObj(json.config) ? strOrNull(json.config.type) : null,
    archived_at: strOrNull(json.archived_at),
    raw: json,
  };
}

export function parseCancelAck(json: unknown, httpStatus: number): CancelAck {
  if (!isObj(json)) throw invalidResponse(`cancel acknowledgement is ${short(json)}, expected an object`);
  if (!isSessionId(json.id)) throw invalidResponse(`cancel acknowledgement has no valid "id" (got ${short(json.id)})`);
  return { id: json.id, status: str(json.status, 'canceling'), httpStatus };
}

/**
 * The final statuses of sessions-api.md §4.2, the one list: `terminated`, the CLI's `cancelled`
 * and the old API's `archived`. Nothing changes after them.
 */
export const FINAL_SESSION_STATUSES: ReadonlySet<string> = new Set(['terminated', 'cancelled', 'archived']);

/** Final statuses: nothing will change any more (§4.2). */
export function isFinalSessionStatus(status: string): boolean {
  return FINAL_SESSION_STATUSES.has(status);
}

/** Settled: final, or `idle` (the turn ended); nothing changes until someone sends a message. */
export function isSettledStatus(status: string): boolean {
  return status === 'idle' || isFinalSessionStatus(status);
}

/** Events after which the stream must not reconnect (§7.5). */
export function isFinalEventType(type: string): boolean {
  return type === 'session.status_terminated' || type === 'session.deleted';
}

function badId(what: string, prefix: string, id: unknown): QoderError {
  const shown = typeof id === 'string' ? id.slice(0, 80) : String(id);
  return new QoderError('config', l10n.t('"{0}" is not a valid {1} id (expected {2}…); nothing was sent.', shown, what, prefix));
}

export function sessionPath(id: unknown): string {
  if (!isSessionId(id)) throw badId('session', 'sess_', id);
  return `/sessions/${encodeURIComponent(id)}`;
}
export function agentPath(id: unknown): string {
  if (!isAgentId(id)) throw badId('agent', 'agent_', id);
  return `/agents/${encodeURIComponent(id)}`;
}
export function environmentPath(id: unknown): string {
  if (!isEnvironmentId(id)) throw badId('environment', 'env_', id);
  return `/environments/${encodeURIComponent(id)}`;
}
export function checkEventId(id: unknown, what: string): string {
  if (!isEventId(id)) throw new QoderError('config', l10n.t('{0} must be an event id of printable characters; nothing was sent.', what));
  return id;
}
