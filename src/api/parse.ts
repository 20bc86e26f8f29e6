// Turning unknown JSON into the typed shapes of types.ts (ids and base URLs: see validate.ts).
//
// Policy: an object is rejected (QoderError 'invalid_response') only when the fields the
// extension cannot work without are missing or wrong (`id`, `name`, a schedule without
// expression/timezone, ...). Every other field falls back to a sane default so that one
// odd field never hides a deployment. No code path may throw anything but a QoderError:
// all reads go through the small type guards below, never through property chains on
// values of unknown type.

import { invalidResponse } from './errors';
import { isDeploymentId, isRunId } from './validate';
import { excerpt, isObj, str, strOrNull, type Obj } from './util';
import type {
  AgentRef,
  Deployment,
  DeploymentRun,
  InvalidItem,
  ListPage,
  RunStats,
  Schedule,
  TriggerContext,
} from './types';

// ---------------------------------------------------------------------------------------
// small guards

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


// ---------------------------------------------------------------------------------------
// Deployment

function parseAgentRef(x: unknown): AgentRef | null {
  if (!isObj(x) || typeof x.id !== 'string') return null;
  const version = typeof x.version === 'number' && Number.isFinite(x.version) ? x.version : 0;
  return { id: x.id, type: 'agent', version };
}

/** Checks a schedule in place: expression and time zone are required; the rest gets a default. */
function checkSchedule(x: unknown, id: string): Schedule | null {
  if (x === null || x === undefined) return null; // manual-only
  if (!isObj(x)) throw invalidResponse(`deployment ${id}: "schedule" is ${describe(x)}, expected an object or null`);
  if (typeof x.expression !== 'string') {
    throw invalidResponse(`deployment ${id}: "schedule.expression" is ${describe(x.expression)}, expected a string`);
  }
  if (typeof x.timezone !== 'string') {
    throw invalidResponse(`deployment ${id}: "schedule.timezone" is ${describe(x.timezone)}, expected a string`);
  }
  if (!Array.isArray(x.upcoming_runs_at)) x.upcoming_runs_at = [];
  else if (!x.upcoming_runs_at.every((t) => typeof t === 'string')) x.upcoming_runs_at = x.upcoming_runs_at.filter((t): t is string => typeof t === 'string');
  if (typeof x.last_run_at !== 'string') x.last_run_at = null; // omitted ([new] docs) or null ([sdk]) before the first run
  if (x.type === undefined) x.type = 'cron';
  return x as unknown as Schedule;
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

/** A string field: kept when it is one, else set to `fallback`. */
function stringField(json: Obj, key: string, fallback: string): void {
  if (typeof json[key] !== 'string') json[key] = fallback;
}

/**
 * Check one Deployment ([new] and [old] shapes) in place and return the same object, typed:
 * one object per deployment, which Show Details prints as the server sent it. Throws
 * QoderError('invalid_response') when the value is not an object, `id` is not a deployment
 * id, `name` is not a string, `type` is a string other than "deployment", or `schedule` is
 * malformed. Any other field of the wrong type gets its default (`description: null` → "").
 * `stats` (from the old `metadata.cas_config.stats`) is added as a non-enumerable property,
 * so it never shows in the JSON.
 */
export function parseDeployment(json: unknown): Deployment {
  if (!isObj(json)) throw invalidResponse(`deployment is ${describe(json)}, expected an object`);
  const id = json.id;
  if (typeof id !== 'string') throw invalidResponse(`deployment has no string "id" (got ${describe(id)})`);
  if (!isDeploymentId(id)) throw invalidResponse(`deployment id "${excerpt(id, 80)}" is not a dep_ id`);
  if (typeof json.name !== 'string') throw invalidResponse(`deployment ${id} has no string "name" (got ${describe(json.name)})`);
  if (typeof json.type === 'string' && json.type !== 'deployment') {
    throw invalidResponse(`object ${id} has type "${excerpt(json.type, 40)}", expected "deployment"`);
  }
  json.schedule = checkSchedule(json.schedule, id);
  json.type = 'deployment';
  stringField(json, 'description', ''); // null tolerated → ""
  stringField(json, 'environment_id', '');
  stringField(json, 'status', '');
  stringField(json, 'created_at', '');
  stringField(json, 'updated_at', '');
  if (typeof json.archived_at !== 'string') json.archived_at = null;
  if (!isObj(json.agent) || typeof json.agent.id !== 'string') json.agent = { id: '', type: 'agent', version: 0 };
  else if (typeof json.agent.version !== 'number' || !Number.isFinite(json.agent.version)) json.agent.version = 0;
  if (!isObj(json.paused_reason) || typeof json.paused_reason.type !== 'string') json.paused_reason = null;
  if (!isObj(json.metadata)) json.metadata = {};
  Object.defineProperty(json, 'stats', { value: parseStats(json.metadata as Obj), enumerable: false, writable: true, configurable: true });
  return json as unknown as Deployment;
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
  if (!isObj(json)) throw invalidResponse(`run is ${describe(json)}, expected an object`);
  const id = json.id;
  if (typeof id !== 'string') throw invalidResponse(`run has no string "id" (got ${describe(id)})`);
  if (!isRunId(id)) throw invalidResponse(`run id "${excerpt(id, 80)}" is not a drun_ id`);
  if (typeof json.type === 'string' && json.type !== 'deployment_run') {
    throw invalidResponse(`object ${id} has type "${excerpt(json.type, 40)}", expected "deployment_run"`);
  }
  const deploymentId = json.deployment_id;
  if (!isDeploymentId(deploymentId)) {
    throw invalidResponse(`run ${id} has no valid "deployment_id" (got ${typeof deploymentId === 'string' ? `"${excerpt(deploymentId, 80)}"` : describe(deploymentId)})`);
  }
  const run: DeploymentRun = {
    id,
    type: 'deployment_run',
    deployment_id: deploymentId,
    agent: parseAgentRef(json.agent),
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
  if (!isObj(json)) throw invalidResponse(`list response is ${describe(json)}, expected an object`);
  if (!Array.isArray(json.data)) throw invalidResponse(`list response has no "data" array (got ${describe(json.data)})`);
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
