// One account's data (deployments + runs) with the API's semantics: validation,
// lifecycle rules (pause/unpause/archive/run), filtering and cursor paging.

import { cronError, isValidTimeZone } from './cron';
import {
  depJson,
  depObject,
  generateRuns,
  invalidate,
  newRunObject,
  runErrorMessage,
  runJson,
  runOrder,
  upcomingFor,
  type DepRecord,
  type RunRec,
  type ScheduleRec,
} from './model';
import { SEED_AGENTS, SEED_ENVIRONMENTS, seedDeployments } from './seed';
import { ApiError, conflict, IdClock, idTime, invalid, isId, isoSeconds, isPlainObject, makeId, notFound, sortKeysDeep } from './util';

export interface PageQuery {
  limit: number;
  /** Exclusive cursor: items older than this id (after_id / page). */
  after?: string;
  /** Exclusive cursor: items newer than this id (before_id). */
  before?: string;
}

export interface DeploymentQuery extends PageQuery {
  includeArchived?: boolean;
  status?: string;
  agentId?: string;
  createdGte?: number;
  createdLte?: number;
  /** search: case-insensitive substring of the name */
  name?: string;
  /** search: exact match on every given key */
  metadata?: Record<string, string>;
  wantTotal?: boolean;
}

export interface RunQuery extends PageQuery {
  deploymentId?: string;
  triggerType?: string;
  hasError?: boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface PageResult<T> {
  items: T[];
  hasMore: boolean;
  total?: number;
}

/** Input accepted by AccountStore.add(): a create body (all optional here) plus state overrides for tests. */
export interface AddInput {
  name?: string;
  description?: string | null;
  agent?: string | { id: string; type?: 'agent'; version: number };
  environment_id?: string;
  environment_variables?: string;
  initial_events?: unknown[];
  schedule?: { type?: 'cron'; expression: string; timezone: string } | null;
  resources?: unknown[];
  vault_ids?: string[];
  metadata?: Record<string, string>;
  /** Overrides (not part of the API's create body). */
  created_at?: string | Date;
  updated_at?: string | Date;
  status?: 'active' | 'paused';
  paused_reason?: { type: string; error?: { type: string } } | null;
  archived_at?: string | Date | null;
  last_run_at?: string;
}

type JsonObject = Record<string, unknown>;

const EVENT_TYPES = new Set(['user.message', 'user.define_outcome', 'system.message']);
const RESOURCE_TYPES = new Set(['github_repository', 'file', 'memory_store']);

/** First index i in an id-descending array with arr[i].id < id (or <= id when inclusive). */
function firstBelow<T extends { id: string }>(arr: readonly T[], id: string, inclusive: boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = (arr[mid] as T).id;
    if (v > id || (!inclusive && v === id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function pageOf<T extends { id: string }>(arr: readonly T[], q: PageQuery, pred: ((t: T) => boolean) | null, wantTotal = false): PageResult<T> {
  const items: T[] = [];
  const want = q.limit + 1;
  let hasMore: boolean;
  if (q.before !== undefined) {
    const end = firstBelow(arr, q.before, true); // arr[0..end) are newer than the cursor
    for (let i = end - 1; i >= 0 && items.length < want; i--) {
      const t = arr[i] as T;
      if (!pred || pred(t)) items.push(t);
    }
    hasMore = items.length > q.limit;
    if (hasMore) items.length = q.limit;
    items.reverse();
  } else {
    const start = q.after !== undefined ? firstBelow(arr, q.after, false) : 0;
    for (let i = start; i < arr.length && items.length < want; i++) {
      const t = arr[i] as T;
      if (!pred || pred(t)) items.push(t);
    }
    hasMore = items.length > q.limit;
    if (hasMore) items.length = q.limit;
  }
  const res: PageResult<T> = { items, hasMore };
  if (wantTotal) {
    let total = 0;
    if (!pred) total = arr.length;
    else for (const t of arr) if (pred(t)) total++;
    res.total = total;
  }
  return res;
}

function toMs(v: string | Date, field: string): number {
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (Number.isNaN(ms)) throw invalid(`Invalid timestamp for ${field}.`, field);
  return ms;
}

export interface StoreOptions {
  now: () => Date;
  seed: number;
  salt?: number;
  /** Seed some deployments and runs in the old shapes (see SeedOptions.legacyShapes). */
  legacyShapes?: boolean;
}

export class AccountStore {
  private deps: DepRecord[] = [];
  private byId = new Map<string, DepRecord>();
  private allRuns: RunRec[] | null = null;
  private readonly depIds = new IdClock();
  private readonly runIds = new IdClock();
  private readonly now: () => Date;
  private readonly salt: number;
  private seedCount: number;
  private readonly legacyShapes: boolean;
  /** Idempotency-Key → fingerprint of the request and the response it got. */
  readonly idempotency = new Map<string, { fingerprint: string; status: number; body: string; atMs: number }>();

  constructor(opts: StoreOptions) {
    this.now = opts.now;
    this.salt = opts.salt ?? 0;
    this.legacyShapes = opts.legacyShapes ?? false;
    this.seedCount = opts.seed;
    this.reseed(opts.seed);
  }

  /** Keys are kept 24 h (deployments-api.md §2). */
  idempotentReply(key: string): { fingerprint: string; status: number; body: string } | undefined {
    const kept = this.idempotency.get(key);
    if (kept && this.nowMs() - kept.atMs >= 24 * 3600_000) this.idempotency.delete(key);
    return this.idempotency.get(key);
  }

  rememberIdempotent(key: string, reply: { fingerprint: string; status: number; body: string }): void {
    this.idempotency.set(key, { ...reply, atMs: this.nowMs() });
  }

  private nowMs(): number {
    return this.now().getTime();
  }

  /** Replaces all data with n freshly seeded deployments (relative to now()). */
  reseed(n: number = this.seedCount): void {
    this.seedCount = n;
    this.deps = seedDeployments(n, { nowMs: this.nowMs(), salt: this.salt, legacyShapes: this.legacyShapes });
    this.byId = new Map(this.deps.map((d) => [d.id, d]));
    this.allRuns = null;
    this.idempotency.clear();
  }

  /** Computes upcoming runs and caches the JSON of every deployment (optional warm-up). */
  warm(): void {
    const nowMs = this.nowMs();
    for (const d of this.deps) depJson(d, nowMs);
  }

  get size(): number {
    return this.deps.length;
  }

  // ---------------------------------------------------------------- raw access (server)

  record(id: string): DepRecord | undefined {
    return this.byId.get(id);
  }

  mustRecord(id: string): DepRecord {
    const rec = this.byId.get(id);
    if (!rec) throw notFound(`Deployment ${id} not found.`);
    return rec;
  }

  records(): readonly DepRecord[] {
    return this.deps;
  }

  json(rec: DepRecord, nowMs = this.nowMs()): string {
    return depJson(rec, nowMs);
  }

  queryDeployments(q: DeploymentQuery): PageResult<DepRecord> {
    const { includeArchived, status, agentId, createdGte, createdLte, metadata } = q;
    const name = q.name !== undefined ? q.name.toLowerCase() : undefined;
    const metaEntries = metadata ? Object.entries(metadata) : [];
    const trivial = includeArchived && !status && !agentId && createdGte === undefined && createdLte === undefined && !name && metaEntries.length === 0;
    const pred = trivial
      ? null
      : (d: DepRecord): boolean => {
          if (!includeArchived && d.archived_at !== null) return false;
          if (status !== undefined && d.status !== status) return false;
          if (agentId !== undefined && d.agent.id !== agentId) return false;
          const sec = d.createdMs - (d.createdMs % 1000);
          if (createdGte !== undefined && sec < createdGte) return false;
          if (createdLte !== undefined && sec > createdLte) return false;
          if (name !== undefined && !d.name.toLowerCase().includes(name)) return false;
          for (const [k, v] of metaEntries) if (d.metadata[k] !== v) return false;
          return true;
        };
    return pageOf(this.deps, q, pred, q.wantTotal);
  }

  runsOf(rec: DepRecord): RunRec[] {
    if (rec.runs === null) rec.runs = generateRuns(rec);
    return rec.runs;
  }

  /** The newest `n` runs of every deployment: the runs feed's first page of that size. */
  newestRuns(n: number): readonly RunRec[] {
    return this.materializeAllRuns().slice(0, n);
  }

  private materializeAllRuns(): RunRec[] {
    if (this.allRuns === null) {
      const all: RunRec[] = [];
      for (const d of this.deps) for (const r of this.runsOf(d)) all.push(r);
      all.sort(runOrder);
      this.allRuns = all;
    }
    return this.allRuns;
  }

  isRunId(id: string, scope: DepRecord | null): boolean {
    return this.findRun(id, scope) !== undefined;
  }

  findRun(id: string, scope: DepRecord | null): RunRec | undefined {
    if (!isId('drun_', id)) return undefined;
    const arr = scope ? this.runsOf(scope) : this.materializeAllRuns();
    // Binary search on (time encoded in the id desc, id desc) — the order of runOrder.
    const ms = idTime(id);
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const r = arr[mid] as RunRec;
      if (r.ms > ms || (r.ms === ms && r.id > id)) lo = mid + 1;
      else hi = mid;
    }
    const hit = arr[lo];
    return hit && hit.id === id ? hit : undefined;
  }

  queryRuns(scope: DepRecord | null, q: RunQuery): PageResult<RunRec> {
    let arr: readonly RunRec[];
    if (scope) arr = this.runsOf(scope);
    else if (q.deploymentId !== undefined) {
      const d = this.byId.get(q.deploymentId);
      arr = d ? this.runsOf(d) : [];
    } else arr = this.materializeAllRuns();
    const { triggerType, hasError, gt, gte, lt, lte } = q;
    const trivial = triggerType === undefined && hasError === undefined && gt === undefined && gte === undefined && lt === undefined && lte === undefined;
    const pred = trivial
      ? null
      : (r: RunRec): boolean => {
          if (triggerType !== undefined && r.trigger !== triggerType) return false;
          if (hasError !== undefined && r.hasError !== hasError) return false;
          const sec = r.at;
          if (gt !== undefined && !(sec > gt)) return false;
          if (gte !== undefined && !(sec >= gte)) return false;
          if (lt !== undefined && !(sec < lt)) return false;
          if (lte !== undefined && !(sec <= lte)) return false;
          return true;
        };
    return pageOf(arr, q, pred);
  }

  runJson(run: RunRec): string {
    return runJson(run);
  }

  // ---------------------------------------------------------------- mutations (throw ApiError)

  private insert(rec: DepRecord): void {
    const pos = firstBelow(this.deps, rec.id, false);
    this.deps.splice(pos, 0, rec);
    this.byId.set(rec.id, rec);
  }

  /**
   * updated_at moves on every change: now, or one second past the previous value when now
   * would not move it (timestamps are whole seconds, and a client's conflict check compares them).
   */
  private touch(rec: DepRecord): void {
    const previous = Date.parse(rec.updated_at);
    const nowMs = this.nowMs();
    rec.updated_at = isoSeconds(Number.isFinite(previous) && nowMs - (nowMs % 1000) <= previous ? previous + 1000 : nowMs);
  }

  createRecord(body: unknown): DepRecord {
    if (!isPlainObject(body)) throw invalid('Request body must be a JSON object.');
    const nowMs = this.nowMs();
    for (const f of ['name', 'agent', 'environment_id', 'initial_events']) {
      if (body[f] === undefined || body[f] === null) throw invalid(`Missing required field: ${f}`, f);
    }
    const rec: DepRecord = {
      id: this.depIds.next('dep_', nowMs),
      createdMs: nowMs,
      name: checkName(body.name),
      description: checkDescription(body.description),
      agent: checkAgent(body.agent),
      environment_id: checkEnvironment(body.environment_id),
      environment_variables: body.environment_variables === undefined ? '' : checkEnvVars(body.environment_variables),
      initial_events: checkEvents(body.initial_events),
      resources: body.resources === undefined ? [] : checkResources(body.resources),
      vault_ids: body.vault_ids === undefined ? [] : checkVaults(body.vault_ids),
      metadata: body.metadata === undefined ? {} : mergeMetadata({}, body.metadata, false),
      cas: null,
      schedule: body.schedule === undefined || body.schedule === null ? null : checkSchedule(body.schedule),
      status: 'active',
      paused_reason: null,
      archived_at: null,
      created_at: isoSeconds(nowMs),
      updated_at: isoSeconds(nowMs),
      plan: null,
      runs: [],
      json: null,
      jsonUpc: null,
    };
    this.insert(rec);
    return rec;
  }

  updateRecord(id: string, body: unknown): DepRecord {
    const rec = this.mustRecord(id);
    if (!isPlainObject(body)) throw invalid('Request body must be a JSON object.');
    if (rec.archived_at !== null) throw conflict(`Deployment ${id} is archived and cannot be updated.`);
    // Validate everything first, then apply (no partial updates on a 400).
    const next: Partial<DepRecord> = {};
    if (body.name !== undefined) next.name = checkName(body.name);
    if (body.description !== undefined) next.description = checkDescription(body.description);
    if (body.agent !== undefined) next.agent = checkAgent(body.agent);
    if (body.environment_id !== undefined) next.environment_id = checkEnvironment(body.environment_id);
    if (body.environment_variables !== undefined) next.environment_variables = checkEnvVars(body.environment_variables);
    if (body.initial_events !== undefined) next.initial_events = checkEvents(body.initial_events);
    if (body.resources !== undefined) next.resources = body.resources === null ? [] : checkResources(body.resources);
    if (body.vault_ids !== undefined) next.vault_ids = body.vault_ids === null ? [] : checkVaults(body.vault_ids);
    if (body.metadata !== undefined) next.metadata = body.metadata === null ? {} : mergeMetadata(rec.metadata, body.metadata, true);
    if (body.schedule !== undefined) {
      if (body.schedule === null) next.schedule = null;
      else {
        const s = checkSchedule(body.schedule);
        if (rec.schedule?.last_run_at) s.last_run_at = rec.schedule.last_run_at;
        next.schedule = s;
      }
    }
    Object.assign(rec, next);
    this.touch(rec);
    invalidate(rec);
    return rec;
  }

  pauseRecord(id: string): DepRecord {
    const rec = this.mustRecord(id);
    if (rec.archived_at !== null) throw conflict(`Deployment ${id} is archived.`);
    if (rec.status === 'paused') throw conflict(`Deployment ${id} is already paused.`);
    rec.status = 'paused';
    rec.paused_reason = { type: 'manual' };
    this.touch(rec);
    invalidate(rec);
    return rec;
  }

  unpauseRecord(id: string): DepRecord {
    const rec = this.mustRecord(id);
    if (rec.archived_at !== null) throw conflict(`Deployment ${id} is archived.`);
    if (rec.status !== 'paused') throw conflict(`Deployment ${id} is not paused.`);
    rec.status = 'active';
    rec.paused_reason = null;
    this.touch(rec);
    invalidate(rec); // upcoming_runs_at is recomputed from now() on the next read
    return rec;
  }

  archiveRecord(id: string): DepRecord {
    const rec = this.mustRecord(id);
    if (rec.archived_at !== null) throw conflict(`Deployment ${id} is already archived.`);
    const nowMs = this.nowMs();
    rec.archived_at = isoSeconds(nowMs);
    rec.updated_at = rec.archived_at;
    rec.name = `${rec.name}_archived_${Math.floor(nowMs / 1000)}`;
    invalidate(rec);
    return rec;
  }

  runRecord(id: string): RunRec {
    const rec = this.mustRecord(id);
    if (rec.archived_at !== null) throw conflict(`Deployment ${id} is archived.`);
    if (rec.status !== 'active') throw conflict(`Deployment ${id} is not active.`);
    const nowMs = this.nowMs();
    const run = this.addRun(rec, nowMs, { type: 'manual' }, null);
    if (rec.cas) {
      const s = rec.cas.stats;
      rec.cas = { stats: { ...s, consecutive_failures: 0, total_runs: s.total_runs + 1, last_triggered_at: isoSeconds(nowMs) } };
    }
    invalidate(rec);
    return run;
  }

  /** A run created now (with a session unless `error`), in the deployment's runs and the global list; last_run_at moves. */
  private addRun(rec: DepRecord, nowMs: number, trigger: Record<string, unknown>, error: { type: string; message: string } | null): RunRec {
    const runId = this.runIds.next('drun_', nowMs);
    const run: RunRec = {
      id: runId,
      ms: idTime(runId),
      at: nowMs - (nowMs % 1000),
      deployment_id: rec.id,
      trigger: trigger.type as string,
      hasError: error !== null,
      obj: newRunObject(rec, runId, nowMs, error ? null : makeId('sess_', nowMs + 37, null), error, trigger),
      json: null,
    };
    insertRun(this.runsOf(rec), run);
    if (this.allRuns) insertRun(this.allRuns, run);
    if (rec.schedule) rec.schedule = { ...rec.schedule, last_run_at: isoSeconds(nowMs) };
    return run;
  }

  /**
   * A scheduled fire, as the platform makes it at a due time: a run created now with a session,
   * or with `errorType` and no session, after which the deployment is paused on error (what
   * the platform does after a failed scheduled fire). Archived or paused deployments do not fire.
   */
  fireRecord(id: string, opts: { errorType?: string } = {}): RunRec {
    const rec = this.mustRecord(id);
    if (rec.archived_at !== null || rec.status !== 'active') throw conflict(`Deployment ${id} is not active; it does not fire.`);
    const nowMs = this.nowMs();
    const error = opts.errorType === undefined ? null : { type: opts.errorType, message: runErrorMessage(opts.errorType, rec) };
    const run = this.addRun(rec, nowMs, { scheduled_at: isoSeconds(nowMs), type: 'schedule' }, error);
    if (error) {
      rec.status = 'paused';
      rec.paused_reason = { error: { type: error.type }, type: 'error' };
      this.touch(rec);
    }
    invalidate(rec);
    return run;
  }

  // ---------------------------------------------------------------- test-friendly API (plain JSON objects)

  private obj(rec: DepRecord): JsonObject {
    return JSON.parse(depJson(rec, this.nowMs())) as JsonObject;
  }

  /** Deployments newest first, as the API would return them (archived hidden unless asked). */
  list(opts: { include_archived?: boolean } = {}): JsonObject[] {
    const nowMs = this.nowMs();
    const out: JsonObject[] = [];
    for (const d of this.deps) if (opts.include_archived || d.archived_at === null) out.push(depObject(d, upcomingFor(d, nowMs)));
    return JSON.parse(JSON.stringify(out)) as JsonObject[];
  }

  /** Every deployment, archived included. */
  all(): JsonObject[] {
    return this.list({ include_archived: true });
  }

  get(id: string): JsonObject | undefined {
    const rec = this.byId.get(id);
    return rec ? this.obj(rec) : undefined;
  }

  /** Adds a deployment (defaults filled in) with optional state overrides; returns it. */
  add(input: AddInput = {}): JsonObject {
    const body: Record<string, unknown> = {
      name: `test-deployment-${this.deps.length + 1}`,
      agent: { id: SEED_AGENTS[0]!.id, type: 'agent', version: SEED_AGENTS[0]!.latest },
      environment_id: SEED_ENVIRONMENTS[0],
      initial_events: [{ type: 'user.message', content: [{ type: 'text', text: 'Do the thing.' }] }],
    };
    for (const [k, v] of Object.entries(input)) {
      if (!['created_at', 'updated_at', 'status', 'paused_reason', 'archived_at', 'last_run_at'].includes(k) && v !== undefined) body[k] = v;
    }
    let rec = this.createRecord(body);
    if (input.created_at !== undefined) {
      const ms = toMs(input.created_at, 'created_at');
      this.deps.splice(this.deps.indexOf(rec), 1);
      this.byId.delete(rec.id);
      rec = { ...rec, id: makeId('dep_', ms, null), createdMs: ms, created_at: isoSeconds(ms), updated_at: isoSeconds(ms) };
      this.insert(rec);
    }
    if (input.updated_at !== undefined) rec.updated_at = isoSeconds(toMs(input.updated_at, 'updated_at'));
    if (input.status === 'paused') {
      rec.status = 'paused';
      rec.paused_reason = input.paused_reason ?? { type: 'manual' };
    }
    if (input.last_run_at !== undefined && rec.schedule) rec.schedule.last_run_at = input.last_run_at;
    if (input.archived_at) {
      const ms = toMs(input.archived_at, 'archived_at');
      rec.archived_at = isoSeconds(ms);
      rec.name = `${rec.name}_archived_${Math.floor(ms / 1000)}`;
      if (input.updated_at === undefined) rec.updated_at = rec.archived_at;
    }
    invalidate(rec);
    return this.obj(rec);
  }

  update(id: string, patch: unknown): JsonObject {
    return this.obj(this.updateRecord(id, patch));
  }

  pause(id: string): JsonObject {
    return this.obj(this.pauseRecord(id));
  }

  unpause(id: string): JsonObject {
    return this.obj(this.unpauseRecord(id));
  }

  archive(id: string): JsonObject {
    return this.obj(this.archiveRecord(id));
  }

  run(id: string): JsonObject {
    return JSON.parse(runJson(this.runRecord(id))) as JsonObject;
  }

  /** A scheduled fire now (see fireRecord); returns the run. */
  fire(id: string, opts: { errorType?: string } = {}): JsonObject {
    return JSON.parse(runJson(this.fireRecord(id, opts))) as JsonObject;
  }

  /** Runs of one deployment, newest first. */
  runs(id: string): JsonObject[] {
    return this.runsOf(this.mustRecord(id)).map((r) => JSON.parse(runJson(r)) as JsonObject);
  }
}

function insertRun(arr: RunRec[], run: RunRec): void {
  let i = 0;
  while (i < arr.length && runOrder(arr[i] as RunRec, run) < 0) i++;
  arr.splice(i, 0, run);
}

// ---------------------------------------------------------------- validation helpers

function checkName(v: unknown): string {
  if (typeof v !== 'string') throw invalid('name must be a string.', 'name');
  if (v.trim() === '') throw invalid('name must not be empty.', 'name');
  if (v.length > 256) throw invalid('name must be at most 256 characters.', 'name');
  return v;
}

function checkDescription(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid('description must be a string.', 'description');
  return v;
}

function checkEnvVars(v: unknown): string {
  if (v === null) return '';
  if (typeof v !== 'string') throw invalid('environment_variables must be a string.', 'environment_variables');
  return v;
}

function checkAgent(v: unknown): { id: string; version: number } {
  if (typeof v === 'string') {
    if (!v.startsWith('agent_') || v.length < 7) throw invalid(`Invalid agent id: ${v}`, 'agent');
    return { id: v, version: SEED_AGENTS.find((a) => a.id === v)?.latest ?? 1 };
  }
  if (isPlainObject(v)) {
    const { id, type, version } = v;
    if (typeof id !== 'string' || !id.startsWith('agent_')) throw invalid('agent.id must be an agent id.', 'agent.id');
    if (type !== undefined && type !== 'agent') throw invalid('agent.type must be "agent".', 'agent.type');
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw invalid('agent.version must be a positive integer.', 'agent.version');
    return { id, version };
  }
  throw invalid('agent must be an agent id or {id, type, version}.', 'agent');
}

function checkEnvironment(v: unknown): string {
  if (typeof v !== 'string' || !v.startsWith('env_')) throw invalid('environment_id must be an environment id.', 'environment_id');
  return v;
}

function checkEvents(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw invalid('initial_events must be an array.', 'initial_events');
  if (v.length < 1 || v.length > 50) throw invalid('initial_events must contain between 1 and 50 events.', 'initial_events');
  v.forEach((e, i) => {
    const p = `initial_events[${i}]`;
    if (!isPlainObject(e) || typeof e.type !== 'string' || !EVENT_TYPES.has(e.type)) throw invalid(`${p}.type must be one of user.message, user.define_outcome, system.message.`, `${p}.type`);
    if (e.type === 'user.define_outcome') {
      if (typeof e.description !== 'string') throw invalid(`Missing required field: ${p}.description`, `${p}.description`);
      if (!isPlainObject(e.rubric)) throw invalid(`Missing required field: ${p}.rubric`, `${p}.rubric`);
    } else if (typeof e.content !== 'string' && !Array.isArray(e.content)) {
      throw invalid(`${p}.content must be a string or an array of content blocks.`, `${p}.content`);
    }
  });
  return sortKeysDeep(v) as unknown[];
}

function checkResources(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw invalid('resources must be an array.', 'resources');
  if (v.length > 500) throw invalid('resources must contain at most 500 items.', 'resources');
  return v.map((r, i) => {
    if (!isPlainObject(r) || typeof r.type !== 'string' || !RESOURCE_TYPES.has(r.type)) throw invalid(`resources[${i}].type must be one of github_repository, file, memory_store.`, `resources[${i}].type`);
    const { authorization_token: _secret, ...rest } = r; // write-only, never echoed
    return sortKeysDeep(rest);
  });
}

function checkVaults(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid('vault_ids must be an array of strings.', 'vault_ids');
  if (v.length > 50) throw invalid('vault_ids must contain at most 50 items.', 'vault_ids');
  return [...(v as string[])];
}

function checkSchedule(v: unknown): ScheduleRec {
  if (!isPlainObject(v)) throw invalid('schedule must be an object.', 'schedule');
  if (v.type !== 'cron') throw invalid('schedule.type must be "cron".', 'schedule.type');
  if (typeof v.expression !== 'string') throw invalid('Missing required field: schedule.expression', 'schedule.expression');
  if (typeof v.timezone !== 'string') throw invalid('Missing required field: schedule.timezone', 'schedule.timezone');
  if (!isValidTimeZone(v.timezone)) throw invalid(`Unknown time zone: ${v.timezone}`, 'schedule.timezone');
  const err = cronError(v.expression, v.timezone);
  if (err) throw invalid(err, 'schedule.expression');
  return { expression: v.expression.trim().replace(/\s+/g, ' '), timezone: v.timezone };
}

function mergeMetadata(base: Record<string, string>, patch: unknown, allowNull: boolean): Record<string, string> {
  if (!isPlainObject(patch)) throw invalid('metadata must be an object of string values.', 'metadata');
  // Keys are data: `__proto__` or `constructor` are stored like any other key.
  const out = Object.assign(Object.create(null) as Record<string, string>, base);
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'cas_config') throw invalid('metadata key cas_config is reserved.', 'metadata.cas_config');
    if (k.length < 1 || k.length > 64) throw invalid('metadata keys must be 1–64 characters.', 'metadata');
    if (v === null && allowNull) {
      delete out[k];
      continue;
    }
    if (typeof v !== 'string') throw invalid(`metadata.${k} must be a string.`, `metadata.${k}`);
    if (v.length > 512) throw invalid(`metadata.${k} must be at most 512 characters.`, `metadata.${k}`);
    out[k] = v;
  }
  if (Object.keys(out).length > 16) throw invalid('metadata can have at most 16 keys.', 'metadata');
  const sorted = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(out).sort()) sorted[k] = out[k] as string;
  return sorted;
}

export { ApiError };
