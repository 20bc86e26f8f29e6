// In-memory records of the local Deployments API and their JSON serialisation
// (keys alphabetical, as in the docs' examples).

import { upcomingRuns } from './cron';
import { hash32, isoMicros, isoSeconds, makeId, pick, prng } from './util';

export interface AgentRef {
  id: string;
  version: number;
}

export interface ScheduleRec {
  expression: string;
  timezone: string;
  last_run_at?: string;
}

export interface CasStats {
  consecutive_failures: number;
  last_triggered_at?: string;
  total_failures: number;
  total_runs: number;
}

/** Everything needed to generate a seeded deployment's run history lazily and deterministically. */
export interface RunPlan {
  seed: number;
  /** Past fire times of the schedule (ms, newest first), shared between deployments. */
  fires: readonly number[] | null;
  start: number;
  schedCount: number;
  manualCount: number;
  manualFrom: number;
  manualTo: number;
  failStreak: number;
  errType: string | null;
  lagMs: number;
  legacy: boolean;
}

export interface DepRecord {
  id: string;
  createdMs: number;
  name: string;
  description: string;
  agent: AgentRef;
  environment_id: string;
  /** undefined ⇒ [old] shape (field absent). */
  environment_variables: string | undefined;
  initial_events: unknown[];
  resources: unknown[];
  vault_ids: string[];
  /** User metadata (string → string), keys sorted. */
  metadata: Record<string, string>;
  /** [old] reserved `metadata.cas_config` (legacy deployments only). */
  cas: { stats: CasStats } | null;
  schedule: ScheduleRec | null;
  status: 'active' | 'paused';
  paused_reason: Record<string, unknown> | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  plan: RunPlan | null;
  runs: RunRec[] | null;
  /** Cached JSON and the upcoming-runs array it was built with. */
  json: string | null;
  jsonUpc: readonly string[] | null;
}

export interface RunRec {
  id: string;
  ms: number;
  /** Time of the emitted created_at (whole seconds for [new] runs, ms for [old] ones) — used by filters. */
  at: number;
  deployment_id: string;
  trigger: string;
  hasError: boolean;
  obj: Record<string, unknown>;
  json: string | null;
}

export const PAUSE_REASONS = [
  'environment_archived_error',
  'agent_archived_error',
  'environment_not_found_error',
  'vault_not_found_error',
  'file_not_found_error',
  'session_resource_not_found_error',
  'workspace_archived_error',
  'organization_disabled_error',
  'memory_store_archived_error',
  'skill_not_found_error',
  'vault_archived_error',
  'unknown_error',
  'self_hosted_resources_unsupported_error',
  'mcp_egress_blocked_error',
] as const;

export const RUN_ERRORS = [...PAUSE_REASONS, 'session_rate_limited_error', 'session_creation_rejected_error'] as const;

const NO_UPCOMING: readonly string[] = Object.freeze([]);

export function upcomingFor(rec: DepRecord, nowMs: number): readonly string[] {
  if (!rec.schedule || rec.archived_at !== null) return NO_UPCOMING;
  return upcomingRuns(rec.schedule.expression, rec.schedule.timezone, nowMs);
}

export function invalidate(rec: DepRecord): void {
  rec.json = null;
  rec.jsonUpc = null;
}

export function depObject(rec: DepRecord, upcoming: readonly string[]): Record<string, unknown> {
  const metadata = Object.create(null) as Record<string, unknown>;
  const keys = Object.keys(rec.metadata);
  if (rec.cas) keys.push('cas_config');
  keys.sort();
  for (const k of keys) {
    if (k === 'cas_config' && rec.cas) {
      const s = rec.cas.stats;
      const stats: Record<string, unknown> = { consecutive_failures: s.consecutive_failures };
      if (s.last_triggered_at) stats.last_triggered_at = s.last_triggered_at;
      if (upcoming.length > 0) stats.next_trigger_at = upcoming[0];
      stats.total_failures = s.total_failures;
      stats.total_runs = s.total_runs;
      metadata.cas_config = {
        config: { max_concurrent: 1, max_retries: 0, timeout_ms: 300000 },
        session_strategy: 'new_session',
        stats,
      };
    } else {
      metadata[k] = rec.metadata[k];
    }
  }
  let schedule: Record<string, unknown> | null = null;
  if (rec.schedule) {
    schedule = { expression: rec.schedule.expression };
    if (rec.schedule.last_run_at) schedule.last_run_at = rec.schedule.last_run_at;
    schedule.timezone = rec.schedule.timezone;
    schedule.type = 'cron';
    schedule.upcoming_runs_at = upcoming;
  }
  const o: Record<string, unknown> = {
    agent: { id: rec.agent.id, type: 'agent', version: rec.agent.version },
    archived_at: rec.archived_at,
    created_at: rec.created_at,
    description: rec.description,
    environment_id: rec.environment_id,
  };
  if (rec.environment_variables !== undefined) o.environment_variables = rec.environment_variables;
  o.id = rec.id;
  o.initial_events = rec.initial_events;
  o.metadata = metadata;
  o.name = rec.name;
  o.paused_reason = rec.paused_reason;
  o.resources = rec.resources;
  o.schedule = schedule;
  o.status = rec.status;
  o.type = 'deployment';
  o.updated_at = rec.updated_at;
  o.vault_ids = rec.vault_ids;
  return o;
}

/** Cached JSON text of a deployment, rebuilt when it changed or its upcoming runs moved on. */
export function depJson(rec: DepRecord, nowMs: number): string {
  const upc = upcomingFor(rec, nowMs);
  if (rec.json !== null && rec.jsonUpc === upc) return rec.json;
  rec.json = JSON.stringify(depObject(rec, upc));
  rec.jsonUpc = upc;
  return rec.json;
}

export function runJson(run: RunRec): string {
  if (run.json === null) run.json = JSON.stringify(run.obj);
  return run.json;
}

export function runErrorMessage(type: string, rec: DepRecord): string {
  switch (type) {
    case 'environment_archived_error':
      return `Environment ${rec.environment_id} is archived; no session was created.`;
    case 'environment_not_found_error':
      return `Environment ${rec.environment_id} was not found; no session was created.`;
    case 'agent_archived_error':
      return `Agent ${rec.agent.id} is archived; no session was created.`;
    case 'vault_not_found_error':
    case 'vault_archived_error':
      return `Vault ${rec.vault_ids[0] ?? 'vault_019ec9f03b8e7d24a1c65f7e08b3d9a1'} is unavailable; no session was created.`;
    case 'session_rate_limited_error':
      return 'Too many sessions are being created for this workspace; the run was not started.';
    case 'session_creation_rejected_error':
      return 'The session could not be created.';
    case 'mcp_egress_blocked_error':
      return 'Outbound connection to an MCP server was blocked by the egress policy.';
    default:
      return `No session was created (${type}).`;
  }
}

/** Makes a [new]-shape run object (keys alphabetical). */
export function newRunObject(
  rec: DepRecord,
  id: string,
  createdMs: number,
  sessionId: string | null,
  error: { type: string; message: string } | null,
  trigger: Record<string, unknown>,
): Record<string, unknown> {
  return {
    agent: { id: rec.agent.id, type: 'agent', version: rec.agent.version },
    created_at: isoSeconds(createdMs),
    deployment_id: rec.id,
    error: error ? { message: error.message, type: error.type } : null,
    id,
    session_id: sessionId,
    trigger_context: trigger,
    type: 'deployment_run',
  };
}

/** Whether the j-th scheduled run (0 = newest) of a seeded plan failed. */
export function schedRunFailed(plan: RunPlan, j: number): boolean {
  if (j < plan.failStreak) return true;
  if (j === plan.failStreak) return false;
  return hash32(plan.seed, j, 0xfa11) % 100 < 9;
}

export function manualRunFailed(plan: RunPlan, k: number): boolean {
  return hash32(plan.seed, k, 0x3a7) % 100 < 5;
}

/** Newest first: by the time encoded in the id, then by id. */
export function runOrder(a: RunRec, b: RunRec): number {
  return b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Deterministically generates a seeded deployment's runs (newest first). */
export function generateRuns(rec: DepRecord): RunRec[] {
  const plan = rec.plan;
  if (!plan) return [];
  const rand = prng(plan.seed ^ 0x5eed);
  const runs: RunRec[] = [];
  const agent = { id: rec.agent.id, type: 'agent', version: rec.agent.version };
  const add = (ms: number, trigger: Record<string, unknown>, failed: boolean, errType: string | null): void => {
    const id = makeId('drun_', ms, rand);
    const sess = failed ? null : makeId('sess_', ms + 40 + Math.floor(rand() * 200), rand);
    const type = failed ? errType ?? pick(rand, RUN_ERRORS) : null;
    const error = type ? { type, message: runErrorMessage(type, rec) } : null;
    let obj: Record<string, unknown>;
    if (plan.legacy) {
      const micros = Math.floor(rand() * 1000);
      const duration = 15000 + Math.floor(rand() * 600000);
      const completedMs = failed ? ms + 300 + Math.floor(rand() * 4000) : ms + duration;
      obj = {
        agent,
        cas_run_extras: { attempt: 1, started_at: isoMicros(ms + 36, micros), turn_id: makeId('turn_', ms + 36, rand) },
        completed_at: isoMicros(completedMs, (micros * 7) % 1000),
        created_at: isoMicros(ms, micros),
        deployment_id: rec.id,
      };
      if (!failed) obj.duration_ms = duration;
      obj.error = error ? { message: error.message, type: error.type } : null;
      obj.id = id;
      obj.session_id = sess;
      obj.status = failed ? 'failed' : 'completed';
      obj.trigger_context = trigger;
      obj.triggered_at = isoMicros(ms, micros);
      obj.type = 'deployment_run';
    } else {
      obj = newRunObject(rec, id, ms, sess, error, trigger);
      obj.agent = agent;
    }
    runs.push({ id, ms, at: plan.legacy ? ms : ms - (ms % 1000), deployment_id: rec.id, trigger: trigger.type as string, hasError: failed, obj, json: null });
  };
  if (plan.fires) {
    for (let j = 0; j < plan.schedCount; j++) {
      const fire = plan.fires[plan.start + j];
      if (fire === undefined) break;
      const failed = schedRunFailed(plan, j);
      const errType = j < plan.failStreak ? plan.errType : null;
      // The newest scheduled run starts exactly at last_run_at (fire + lag, whole seconds).
      const ms = j === 0 ? fire + plan.lagMs + Math.floor(rand() * 1000) : fire + 1000 + Math.floor(rand() * 8000);
      add(ms, { scheduled_at: isoSeconds(fire), type: 'schedule' }, failed, errType);
    }
  }
  const span = Math.max(1, plan.manualTo - plan.manualFrom);
  for (let k = 0; k < plan.manualCount; k++) {
    const ms = plan.manualFrom + Math.floor(rand() * span);
    add(ms, { type: 'manual' }, manualRunFailed(plan, k), null);
  }
  runs.sort(runOrder);
  return runs;
}
