// Turning unknown JSON into the typed shapes of types.ts (ids and base URLs: see validate.ts).
//
// Policy: an object is rejected (QoderError 'invalid_response') only when the fields the
// extension cannot work without are missing or wrong (`id`, `name`, a schedule without
// expression/timezone, ...). Every other field falls back to a sane default so that one
// odd field never hides a deployment. No code path may throw anything but a QoderError:
// all reads go through the small type guards below, never through property chains on
// values of unknown type.

import { QoderError } from './errors';
import { isDeploymentId, isRunId } from './validate';
import { excerpt, isObj, type Obj } from './util';
import type {
  AgentRef,
  Deployment,
  DeploymentRun,
  InvalidItem,
  ListPage,
  PausedReason,
  RunStats,
  Schedule,
  TriggerContext,
} from './types';

// ---------------------------------------------------------------------------------------
// small guards

function str(x: unknown, fallback: string): string {
  return typeof x === 'string' ? x : fallback;
}

function strOrNull(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

function optStr(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function optNum(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return `a ${typeof x}`;
}

function invalid(message: string): QoderError {
  return new QoderError('invalid_response', message);
}

// ---------------------------------------------------------------------------------------
// Deployment

function parseAgent(x: unknown): AgentRef | null {
  if (!isObj(x) || typeof x.id !== 'string') return null;
  const version = typeof x.version === 'number' && Number.isFinite(x.version) ? x.version : 0;
  return { id: x.id, type: 'agent', version };
}

function parseSchedule(x: unknown, id: string): Schedule | null {
  if (x === null || x === undefined) return null; // manual-only
  if (!isObj(x)) throw invalid(`deployment ${id}: "schedule" is ${describe(x)}, expected an object or null`);
  if (typeof x.expression !== 'string') {
    throw invalid(`deployment ${id}: "schedule.expression" is ${describe(x.expression)}, expected a string`);
  }
  if (typeof x.timezone !== 'string') {
    throw invalid(`deployment ${id}: "schedule.timezone" is ${describe(x.timezone)}, expected a string`);
  }
  const upcoming = Array.isArray(x.upcoming_runs_at)
    ? x.upcoming_runs_at.filter((t): t is string => typeof t === 'string')
    : [];
  return {
    type: 'cron',
    expression: x.expression,
    timezone: x.timezone,
    upcoming_runs_at: upcoming,
    last_run_at: strOrNull(x.last_run_at), // omitted ([new] docs) or null ([sdk]) before the first run
  };
}

function parsePausedReason(x: unknown): PausedReason | null {
  if (!isObj(x) || typeof x.type !== 'string') return null;
  if (isObj(x.error) && typeof x.error.type === 'string') {
    return { type: x.type, error: { type: x.error.type } };
  }
  return { type: x.type };
}

function parseStats(metadata: Obj): RunStats | null {
  const cas = metadata.cas_config;
  if (!isObj(cas) || !isObj(cas.stats)) return null;
  const s = cas.stats;
  const out: RunStats = {};
  const total = optNum(s.total_runs);
  if (total !== undefined) out.total_runs = total;
  const failures = optNum(s.total_failures);
  if (failures !== undefined) out.total_failures = failures;
  const consecutive = optNum(s.consecutive_failures);
  if (consecutive !== undefined) out.consecutive_failures = consecutive;
  const next = optStr(s.next_trigger_at);
  if (next !== undefined) out.next_trigger_at = next;
  const last = optStr(s.last_triggered_at);
  if (last !== undefined) out.last_triggered_at = last;
  return out;
}

/**
 * Parse one Deployment ([new] and [old] shapes). Throws QoderError('invalid_response')
 * when the value is not an object, `id` is not a deployment id, `name` is not a string,
 * `type` is a string other than "deployment", or `schedule` is malformed.
 */
export function parseDeployment(json: unknown): Deployment {
  if (!isObj(json)) throw invalid(`deployment is ${describe(json)}, expected an object`);
  const id = json.id;
  if (typeof id !== 'string') throw invalid(`deployment has no string "id" (got ${describe(id)})`);
  if (!isDeploymentId(id)) throw invalid(`deployment id "${excerpt(id, 80)}" is not a dep_ id`);
  if (typeof json.name !== 'string') throw invalid(`deployment ${id} has no string "name" (got ${describe(json.name)})`);
  if (typeof json.type === 'string' && json.type !== 'deployment') {
    throw invalid(`object ${id} has type "${excerpt(json.type, 40)}", expected "deployment"`);
  }
  const metadata = isObj(json.metadata) ? json.metadata : {};
  return {
    id,
    type: 'deployment',
    name: json.name,
    description: str(json.description, ''), // null tolerated → ""
    agent: parseAgent(json.agent) ?? { id: '', type: 'agent', version: 0 },
    environment_id: str(json.environment_id, ''),
    schedule: parseSchedule(json.schedule, id),
    status: str(json.status, ''),
    paused_reason: parsePausedReason(json.paused_reason),
    archived_at: strOrNull(json.archived_at),
    created_at: str(json.created_at, ''),
    updated_at: str(json.updated_at, ''),
    metadata,
    stats: parseStats(metadata),
    raw: json,
  };
}

// ---------------------------------------------------------------------------------------
// Run

function parseTriggerContext(x: unknown): TriggerContext {
  if (!isObj(x) || typeof x.type !== 'string') return { type: 'unknown' };
  const scheduledAt = optStr(x.scheduled_at);
  return scheduledAt === undefined ? { type: x.type } : { type: x.type, scheduled_at: scheduledAt };
}

function parseRunError(x: unknown): { type: string; message: string } | null {
  if (!isObj(x)) return null;
  if (typeof x.type !== 'string' && typeof x.message !== 'string') return null;
  return { type: str(x.type, 'unknown_error'), message: str(x.message, '') };
}

/**
 * Parse one Deployment Run ([new]/[sdk] minimal shape and the richer [old] shape with
 * `status`, `triggered_at`, ...). Requires a drun_ `id` and a dep_ `deployment_id`.
 */
export function parseRun(json: unknown): DeploymentRun {
  if (!isObj(json)) throw invalid(`run is ${describe(json)}, expected an object`);
  const id = json.id;
  if (typeof id !== 'string') throw invalid(`run has no string "id" (got ${describe(id)})`);
  if (!isRunId(id)) throw invalid(`run id "${excerpt(id, 80)}" is not a drun_ id`);
  if (typeof json.type === 'string' && json.type !== 'deployment_run') {
    throw invalid(`object ${id} has type "${excerpt(json.type, 40)}", expected "deployment_run"`);
  }
  const deploymentId = json.deployment_id;
  if (!isDeploymentId(deploymentId)) {
    throw invalid(`run ${id} has no valid "deployment_id" (got ${typeof deploymentId === 'string' ? `"${excerpt(deploymentId, 80)}"` : describe(deploymentId)})`);
  }
  const run: DeploymentRun = {
    id,
    type: 'deployment_run',
    deployment_id: deploymentId,
    agent: parseAgent(json.agent),
    // [old] runs carry triggered_at too; prefer created_at, fall back to it.
    created_at: str(json.created_at, str(json.triggered_at, '')),
    session_id: strOrNull(json.session_id),
    error: parseRunError(json.error),
    trigger_context: parseTriggerContext(json.trigger_context),
    raw: json,
  };
  if (typeof json.status === 'string') run.status = json.status;
  return run;
}

// ---------------------------------------------------------------------------------------
// List envelope

/**
 * Parse a list envelope. Throws QoderError('invalid_response') when the body is not an
 * object with a `data` array. Items that fail `parseItem` are reported in `invalid`
 * (index within this page, id when it is a string, reason); the others are kept.
 */
export function parseListPage<T>(json: unknown, parseItem: (x: unknown) => T): ListPage<T> {
  if (!isObj(json)) throw invalid(`list response is ${describe(json)}, expected an object`);
  if (!Array.isArray(json.data)) throw invalid(`list response has no "data" array (got ${describe(json.data)})`);
  const data: T[] = [];
  const bad: InvalidItem[] = [];
  json.data.forEach((item: unknown, index: number) => {
    try {
      data.push(parseItem(item));
    } catch (e) {
      const entry: InvalidItem = { index, reason: e instanceof Error ? e.message : String(e) };
      if (isObj(item) && typeof item.id === 'string') entry.id = excerpt(item.id, 100);
      bad.push(entry);
    }
  });
  return {
    data,
    first_id: strOrNull(json.first_id),
    last_id: strOrNull(json.last_id),
    has_more: json.has_more === true,
    next_page: strOrNull(json.next_page),
    invalid: bad,
  };
}
