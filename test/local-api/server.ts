// Local, in-memory implementation of the Qoder Cloud Agents Deployments API
// (the Deployments API reference) on node:http, bound to 127.0.0.1. Used by the
// contract tests, the benchmark and the demo. Control routes live under /__local/.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errorTypeForStatus, FaultQueue, validateFault, type FaultKind, type FaultSpec } from './faults';
import { invalidate as invalidateRecord, type DepRecord, type RunRec } from './model';
import { AccountStore, type DeploymentQuery, type PageQuery, type PageResult, type RunQuery } from './store';
import { ApiError, invalid, isPlainObject, notFound, parseIso } from './util';
import { agentJson, environmentJson, parseAgentVersion, SessionHub, type StreamFault } from './sessions';
import { STORAGE_PREFIX, type FileStore, type StorageRequest } from './files';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The MCP endpoint's path (mcp.ts, loaded with the SDK on the first MCP request). */
export const MCP_PATH = '/api/v1/mcp/servers/qca';

export type { FaultSpec, FaultKind } from './faults';
export type { AccountStore, AddInput } from './store';
export type { StreamFault, SessionHub } from './sessions';
export type { StorageRequest, FileLinkOptions } from './files';

export interface LocalApiOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Bearer token of the default account (default 'pt-local-demo'). */
  token?: string;
  /** Number of seeded deployments of the default account (default 40). */
  seed?: number;
  /** Clock used for every timestamp, upcoming run and archive suffix. */
  now?: () => Date;
  /** Extra tokens, each with its own separate data. */
  accounts?: { token: string; seed: number; seedOffset?: number }[];
  /** limit > 100: 'reject' with 400 (default, newest docs) or 'cap' to 100. */
  limitMode?: 'reject' | 'cap';
  faults?: FaultSpec[];
  /** Suppress warnings on stderr (internal errors). */
  quiet?: boolean;
  /** Also seed deployments and runs in the old shapes (CLI: --legacy-shapes); the default serves only the current ones. */
  legacyShapes?: boolean;
  /** Log one line per request to stderr. */
  verbose?: boolean;
  /** Pre-compute upcoming runs and the JSON of every deployment before listening (off by default). */
  warm?: boolean;
  /** How long a live session (started by POST /deployments/{id}/run) takes, first to last event. Default 20 000 ms. */
  liveSessionMs?: number;
  /** Heartbeat comment interval on event streams. Default 15 000 ms. */
  heartbeatMs?: number;
  /** Simulated network round trip: every API request is answered this many ms late (default 0). */
  latencyMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Full path without the query string, e.g. /api/v1/cloud/deployments */
  path: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 while pending or when the connection was reset / never answered. */
  status: number;
  /** Arrival time, epoch ms (real clock, not the injected one). */
  at: number;
  /** Whether the request carried a valid, unrevoked Bearer token. */
  authorized: boolean;
  /** Request headers (lower-case), without `authorization`; `x-api-key` redacted. */
  headers: Record<string, string | string[] | undefined>;
  requestId: string;
  /** The request body as text (the first 64 KiB), when it had one. */
  body?: string;
  /** Fault applied to this request, if any. */
  fault: FaultKind | null;
  durationMs: number;
}

export interface LocalApi {
  /** http://127.0.0.1:<port>/api/v1/cloud */
  baseUrl: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  token: string;
  /** Stops listening and destroys every open socket (hung requests included). */
  close(): Promise<void>;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  /** Requests to the API (control routes excluded), oldest first. Cleared in place by resetRequests(). */
  requests: RecordedRequest[];
  resetRequests(): void;
  /** Direct access to an account's data (default account when no token). */
  account(token?: string): AccountStore;
  /** Replaces the default account's data with n seeded deployments. */
  reseed(n: number): void;
  /** Makes a token invalid (401) from now on. */
  revoke(token: string): void;
  /** Pre-computes upcoming runs / JSON of every deployment of every account (e.g. before a benchmark). */
  warm(): void;
  /** Sessions of an account (default account when no token). */
  sessions(token?: string): SessionHub;
  /** The next stream connection (any session, any account) gets this fault; queued in order. */
  injectStreamFault(f: StreamFault): void;
  /** Changes the simulated round trip (see LocalApiOptions.latencyMs). */
  setLatency(ms: number): void;
  /** Every request the storage route received (any account), oldest first, with its Authorization header as received. */
  storageRequests(): StorageRequest[];
  /** How `/files/{id}/content` answers from now on: 200 or 302, link lifetime, links minted already expired. */
  setFileLinks(opts: { mode?: '200' | '302'; ttlMs?: number; expireNext?: number }): void;
}

export const BASE_PATH = '/api/v1/cloud';
export const SEARCH_BETA = 'search-2026-08-31';
const MAX_BODY = 32 * 1024 * 1024;
const MAX_RECORDED = 100_000;
const SEARCH_CONCURRENCY = 10;
const MAX_TIMER = 2_147_483_647;

interface Route {
  name: string;
  template: string;
  id?: string;
  runId?: string;
}

interface Reply {
  status: number;
  body: string | null;
  headers?: Record<string, string>;
}

function matchRoute(method: string, rel: string): Route | null {
  const parts = rel.split('/');
  if (parts[0] !== '' || parts.length < 2) return null;
  parts.shift();
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  let seg: string[];
  try {
    seg = parts.map(decodeURIComponent);
  } catch {
    return null;
  }
  const [a, b, c, d] = seg;
  if (a === 'deployments') {
    if (seg.length === 1) {
      if (method === 'GET') return { name: 'list', template: 'GET /deployments' };
      if (method === 'POST') return { name: 'create', template: 'POST /deployments' };
      return null;
    }
    if (seg.length === 2) {
      if (b === 'search' && method === 'POST') return { name: 'search', template: 'POST /deployments/search' };
      if (method === 'GET') return { name: 'get', template: 'GET /deployments/:id', id: b as string };
      if (method === 'POST') return { name: 'update', template: 'POST /deployments/:id', id: b as string };
      return null;
    }
    if (seg.length === 3) {
      if (method === 'POST' && (c === 'pause' || c === 'unpause' || c === 'archive' || c === 'run')) {
        return { name: c, template: `POST /deployments/:id/${c}`, id: b as string };
      }
      if (method === 'GET' && c === 'runs') return { name: 'runs', template: 'GET /deployments/:id/runs', id: b as string };
      return null;
    }
    if (seg.length === 4 && method === 'GET' && c === 'runs') {
      return { name: 'run', template: 'GET /deployments/:id/runs/:run_id', id: b as string, runId: d as string };
    }
    return null;
  }
  if (a === 'sessions' && seg.length === 1 && method === 'GET') return { name: 'sessions', template: 'GET /sessions' };
  if (a === 'files' && method === 'GET') {
    if (seg.length === 1) return { name: 'files', template: 'GET /files' };
    if (seg.length === 2) return { name: 'file', template: 'GET /files/:id', id: b as string };
    if (seg.length === 3 && c === 'content') return { name: 'fileContent', template: 'GET /files/:id/content', id: b as string };
    return null;
  }
  if (a === 'sessions' && b !== undefined) {
    if (seg.length === 3 && method === 'POST' && c === 'events') return { name: 'sessionSend', template: 'POST /sessions/:id/events', id: b };
    if (seg.length === 2 && method === 'GET') return { name: 'session', template: 'GET /sessions/:id', id: b };
    if (seg.length === 3 && method === 'GET' && c === 'events') return { name: 'sessionEvents', template: 'GET /sessions/:id/events', id: b };
    if (seg.length === 3 && method === 'POST' && c === 'cancel') return { name: 'sessionCancel', template: 'POST /sessions/:id/cancel', id: b };
    if (seg.length === 4 && method === 'GET' && c === 'events' && d === 'stream') return { name: 'sessionStream', template: 'GET /sessions/:id/events/stream', id: b };
    return null;
  }
  if (seg.length === 2 && method === 'GET' && a === 'agents' && b !== undefined) return { name: 'agent', template: 'GET /agents/:id', id: b };
  if (seg.length === 2 && method === 'GET' && a === 'environments' && b !== undefined) return { name: 'environment', template: 'GET /environments/:id', id: b };
  if (a === 'deployment_runs' && method === 'GET') {
    if (seg.length === 1) return { name: 'allRuns', template: 'GET /deployment_runs' };
    if (seg.length === 2) return { name: 'globalRun', template: 'GET /deployment_runs/:run_id', runId: b as string };
  }
  return null;
}

const LIST_ROUTES = new Set(['list', 'search', 'runs', 'allRuns', 'sessionEvents', 'sessions', 'files']);

function envelope(requestId: string, type: string, message: string, param?: string): string {
  const error: Record<string, string> = { type, message };
  if (param !== undefined) error.param = param;
  return JSON.stringify({ type: 'error', request_id: requestId, error });
}

function listBody(parts: string[], ids: string[], hasMore: boolean, total?: number | null): string {
  const first = ids.length ? JSON.stringify(ids[0]) : 'null';
  const last = ids.length ? JSON.stringify(ids[ids.length - 1]) : 'null';
  let s = `{"data":[${parts.join(',')}],"first_id":${first},"has_more":${hasMore},"last_id":${last},"next_page":${hasMore ? last : 'null'}`;
  if (total !== undefined) s += `,"total":${total === null ? 'null' : total}`;
  return s + '}';
}

function parseLimit(raw: unknown, mode: 'reject' | 'cap'): number {
  if (raw === undefined || raw === null) return 20;
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^[+-]?\d+$/.test(s)) throw invalid('limit must be an integer between 1 and 100', 'limit');
  const n = Number(s);
  if (n < 1) throw invalid('limit must be between 1 and 100', 'limit');
  if (n > 100) {
    if (mode === 'cap') return 100;
    throw invalid('limit must be between 1 and 100', 'limit');
  }
  return n;
}

function parseBool(raw: unknown, param: string): boolean | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw invalid(`${param} must be true or false`, param);
}

function parseTime(raw: unknown, param: string): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const ms = typeof raw === 'string' ? parseIso(raw.trim()) : NaN;
  if (Number.isNaN(ms)) throw invalid(`${param} must be an ISO 8601 timestamp`, param);
  return ms;
}

function parseString(raw: unknown, param: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || raw === '') throw invalid(`${param} must be a non-empty string`, param);
  return raw;
}

type Getter = (k: string) => unknown;

function parseCursors(get: Getter, known: (id: string) => boolean): Pick<PageQuery, 'after' | 'before'> & { viaPage: boolean } {
  const page = get('page');
  const after = get('after_id');
  const before = get('before_id');
  const has = (v: unknown): boolean => v !== undefined && v !== null;
  if (has(before) && has(after)) throw invalid('before_id and after_id cannot be used together.', 'before_id');
  if (has(page) && (has(before) || has(after))) throw invalid('page cannot be combined with after_id or before_id.', 'page');
  const check = (v: unknown, param: string): string | undefined => {
    if (!has(v)) return undefined;
    if (typeof v !== 'string' || !known(v)) throw invalid(`Invalid or expired cursor: ${param}`, param);
    return v;
  };
  const p = check(page, 'page');
  const a = check(after, 'after_id');
  const b = check(before, 'before_id');
  return { after: p ?? a, before: b, viaPage: p !== undefined };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    if (ms < MAX_TIMER) timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

function isLoopback(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

/**
 * Every control call sends this header (or a JSON body with its content type). A web page can
 * send neither without a CORS preflight, which this server never grants, so no page open in a
 * browser can drive the control routes.
 */
export const LOCAL_CONTROL_HEADER = 'x-qoder-local';

/**
 * Why a control request is refused, or undefined. Beside a loopback peer it needs a loopback
 * `Host` with our port (a DNS-rebound name is refused), no foreign `Origin`, and a non-simple
 * request (the header above, or `Content-Type: application/json`).
 */
export function controlRefusal(req: IncomingMessage, port: number): string | undefined {
  if (!isLoopback(req.socket.remoteAddress)) return 'Control routes are loopback-only.';
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.includes(host)) return 'Control routes answer only a loopback Host header with this port.';
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin.toLowerCase() === `http://${h}`)) return 'Control routes refuse requests from another origin.';
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (req.headers[LOCAL_CONTROL_HEADER] === undefined && !/^application\/json\b/.test(type)) {
    return `Control routes need the ${LOCAL_CONTROL_HEADER} header or a JSON content type.`;
  }
  return undefined;
}

export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  const now = options.now ?? ((): Date => new Date());
  const token = options.token ?? 'pt-local-demo';
  const seedN = options.seed ?? 40;
  const limitMode = options.limitMode ?? 'reject';
  const quiet = options.quiet ?? false;
  const verbose = options.verbose ?? false;
  let latencyMs = Math.max(0, options.latencyMs ?? 0);

  const accounts = new Map<string, AccountStore>();
  const accountSeeds = new Map<string, number>();
  const legacyShapes = options.legacyShapes === true;
  accounts.set(token, new AccountStore({ now, seed: seedN, salt: 0, legacyShapes }));
  accountSeeds.set(token, seedN);
  for (const a of options.accounts ?? []) {
    accounts.set(a.token, new AccountStore({ now, seed: a.seed, salt: a.seedOffset ?? hashToken(a.token), legacyShapes }));
    accountSeeds.set(a.token, a.seed);
  }
  if (options.warm) for (const a of accounts.values()) a.warm();
  const revoked = new Set<string>();
  const faults = new FaultQueue();
  for (const f of options.faults ?? []) faults.add(f);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const searchInFlight = new Map<string, number>();
  const lifetime = new AbortController();
  const hubs = new Map<AccountStore, SessionHub>();
  const hubOf = (store: AccountStore): SessionHub => {
    let hub = hubs.get(store);
    if (!hub) {
      hub = new SessionHub(store, { now, liveSessionMs: options.liveSessionMs, heartbeatMs: options.heartbeatMs });
      hub.files.links.mode = fileLinks.mode;
      hub.files.links.ttlMs = fileLinks.ttlMs;
      hubs.set(store, hub);
    }
    return hub;
  };
  const streamFaults: StreamFault[] = [];
  /** Defaults for the file links of every account (control route /__local/file-links). */
  const fileLinks: { mode: '200' | '302'; ttlMs: number } = { mode: '200', ttlMs: 3_600_000 };
  const storageMisses: StorageRequest[] = [];
  /** The account whose file a storage path names (storage knows no tokens: the signature is the credential). */
  const storageOwner = (path: string): FileStore | undefined => {
    let id: string;
    try {
      id = decodeURIComponent(path.slice(STORAGE_PREFIX.length));
    } catch {
      return undefined;
    }
    for (const hub of hubs.values()) {
      try {
        hub.files.get(id);
        return hub.files;
      } catch {
        // not this account's
      }
    }
    return undefined;
  };
  const storageRequests = (): StorageRequest[] => [...storageMisses, ...[...hubs.values()].flatMap((h) => h.files.storageRequests)];
  const originOf = (req: IncomingMessage): string => `http://127.0.0.1:${(req.socket.localPort ?? 0)}`;

  const warn = (msg: string): void => {
    if (!quiet) process.stderr.write(`[local-api] ${msg}\n`);
  };

  const authenticate = (req: IncomingMessage): AccountStore | null => {
    if (req.headers['x-api-key'] !== undefined) return null;
    const m = /^Bearer +(\S+) *$/.exec(req.headers.authorization ?? '');
    if (!m) return null;
    const t = m[1] as string;
    if (revoked.has(t)) return null;
    return accounts.get(t) ?? null;
  };

  const bearer = (req: IncomingMessage): string => /^Bearer +(\S+)/.exec(req.headers.authorization ?? '')?.[1] ?? '';

  function send(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest | null, reply: Reply, started: number): void {
    if (rec) {
      rec.status = reply.status;
      rec.durationMs = Date.now() - started;
    }
    if (verbose) process.stderr.write(`${req.method} ${req.url} → ${reply.status} (${Date.now() - started} ms)\n`);
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string | number> = { ...reply.headers };
    if (reply.body !== null) {
      if (!headers['content-type']) headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(reply.body);
    } else headers['content-length'] = 0;
    res.writeHead(reply.status, headers);
    res.end(reply.body ?? undefined);
  }

  // ------------------------------------------------------------------ API handlers

  function handleApi(route: Route, store: AccountStore, query: URLSearchParams, body: unknown, req: IncomingMessage): Reply {
    const qget: Getter = (k) => query.get(k) ?? undefined;
    const ok = (json: string): Reply => ({ status: 200, body: json });
    const nowMs = now().getTime();
    switch (route.name) {
      case 'list': {
        const limit = parseLimit(qget('limit'), limitMode);
        const cur = parseCursors(qget, (id) => store.record(id) !== undefined);
        const status = parseString(qget('status'), 'status');
        if (status !== undefined && status !== 'active' && status !== 'paused') throw invalid('status must be one of active, paused', 'status');
        const q: DeploymentQuery = {
          limit,
          after: cur.after,
          before: cur.before,
          includeArchived: parseBool(qget('include_archived'), 'include_archived') ?? false,
          status,
          agentId: parseString(qget('agent_id'), 'agent_id'),
          createdGte: parseTime(qget('created_at[gte]'), 'created_at[gte]'),
          createdLte: parseTime(qget('created_at[lte]'), 'created_at[lte]'),
        };
        return ok(depPage(store, store.queryDeployments(q), nowMs));
      }
      case 'search': {
        const beta = String(req.headers['x-qoder-beta'] ?? '')
          .split(',')
          .map((s) => s.trim());
        if (!beta.includes(SEARCH_BETA)) throw invalid(`Search requires the beta header x-qoder-beta: ${SEARCH_BETA}.`, 'x-qoder-beta');
        const b = body === undefined ? {} : body;
        if (!isPlainObject(b)) throw invalid('Request body must be a JSON object.');
        const nested = isPlainObject(b.created_at) ? b.created_at : {};
        const bget: Getter = (k) => b[k];
        const limit = parseLimit(b.limit, limitMode);
        const cur = parseCursors(bget, (id) => store.record(id) !== undefined);
        if (b.after_id !== undefined || b.before_id !== undefined) throw invalid('search pages with page only.', b.after_id !== undefined ? 'after_id' : 'before_id');
        const status = parseString(b.status, 'status');
        if (status !== undefined && status !== 'active' && status !== 'paused') throw invalid('status must be one of active, paused', 'status');
        let metadata: Record<string, string> | undefined;
        if (b.metadata !== undefined && b.metadata !== null) {
          if (!isPlainObject(b.metadata)) throw invalid('metadata must be an object of strings', 'metadata');
          metadata = {};
          for (const [k, v] of Object.entries(b.metadata)) {
            if (k.length < 1 || k.length > 64) throw invalid('metadata keys must be 1–64 characters', 'metadata');
            if (typeof v !== 'string' || v.length > 512) throw invalid(`metadata.${k} must be a string of at most 512 characters`, `metadata.${k}`);
            metadata[k] = v;
          }
        }
        const name = b.name === undefined || b.name === null ? undefined : b.name;
        if (name !== undefined && typeof name !== 'string') throw invalid('name must be a string', 'name');
        const q: DeploymentQuery = {
          limit,
          after: cur.after,
          includeArchived: parseBool(b.include_archived, 'include_archived') ?? false,
          status,
          agentId: parseString(b.agent_id, 'agent_id'),
          createdGte: parseTime(b['created_at[gte]'] ?? nested.gte, 'created_at[gte]'),
          createdLte: parseTime(b['created_at[lte]'] ?? nested.lte, 'created_at[lte]'),
          name: name === '' ? undefined : name,
          metadata,
          wantTotal: !cur.viaPage,
        };
        const page = store.queryDeployments(q);
        return ok(depPage(store, page, nowMs, cur.viaPage ? null : (page.total ?? 0)));
      }
      case 'create':
        return ok(store.json(store.createRecord(body ?? {}), nowMs));
      case 'get':
        return ok(store.json(store.mustRecord(route.id as string), nowMs));
      case 'update':
        return ok(store.json(store.updateRecord(route.id as string, body ?? {}), nowMs));
      case 'pause':
        return ok(store.json(store.pauseRecord(route.id as string), nowMs));
      case 'unpause':
        return ok(store.json(store.unpauseRecord(route.id as string), nowMs));
      case 'archive':
        return ok(store.json(store.archiveRecord(route.id as string), nowMs));
      case 'run':
        if (route.runId !== undefined) {
          const dep = store.mustRecord(route.id as string);
          const run = store.findRun(route.runId, dep);
          if (!run) throw notFound(`Deployment run ${route.runId} not found.`);
          return ok(store.runJson(run));
        }
        if (body !== undefined && !isPlainObject(body)) throw invalid('Request body must be a JSON object.');
        {
          const run = store.runRecord(route.id as string);
          hubOf(store).onRun(store.mustRecord(route.id as string), run);
          return ok(store.runJson(run));
        }
      case 'runs': {
        const dep = store.mustRecord(route.id as string);
        const limit = parseLimit(qget('limit'), limitMode);
        const cur = parseCursors(qget, (id) => store.isRunId(id, dep));
        const q: RunQuery = {
          limit,
          after: cur.after,
          before: cur.before,
          gt: parseTime(qget('triggered_after'), 'triggered_after'),
          lt: parseTime(qget('triggered_before'), 'triggered_before'),
        };
        return ok(runPage(store, store.queryRuns(dep, q)));
      }
      case 'allRuns': {
        const limit = parseLimit(qget('limit'), limitMode);
        const cur = parseCursors(qget, (id) => store.isRunId(id, null));
        const triggerType = parseString(qget('trigger_type'), 'trigger_type');
        if (triggerType !== undefined && !['manual', 'schedule', 'retry'].includes(triggerType)) throw invalid('trigger_type must be one of manual, schedule', 'trigger_type');
        const q: RunQuery = {
          limit,
          after: cur.after,
          before: cur.before,
          deploymentId: parseString(qget('deployment_id'), 'deployment_id'),
          triggerType,
          hasError: parseBool(qget('has_error'), 'has_error'),
          gt: parseTime(qget('created_at[gt]'), 'created_at[gt]'),
          gte: parseTime(qget('created_at[gte]'), 'created_at[gte]'),
          lt: parseTime(qget('created_at[lt]'), 'created_at[lt]'),
          lte: parseTime(qget('created_at[lte]'), 'created_at[lte]'),
        };
        return ok(runPage(store, store.queryRuns(null, q)));
      }
      case 'session':
        return ok(hubOf(store).sessionJson(route.id as string));
      case 'sessionEvents':
        return ok(hubOf(store).eventsPage(route.id as string, query));
      case 'sessionSend':
        return { status: 202, body: hubOf(store).postEvents(route.id as string, body) };
      case 'sessions':
        return ok(hubOf(store).listSessions(query, parseLimit(qget('limit'), limitMode)));
      case 'files':
        return ok(hubOf(store).listFiles(query, parseLimit(qget('limit'), limitMode)));
      case 'file':
        return ok(JSON.stringify(hubOf(store).files.json(hubOf(store).files.get(route.id as string))));
      case 'fileContent': {
        const link = hubOf(store).files.contentLink(route.id as string, originOf(req), nowMs);
        return { status: link.status, body: link.body, headers: link.headers };
      }
      case 'sessionCancel': {
        const [status, json] = hubOf(store).cancel(route.id as string);
        return { status, body: json };
      }
      case 'agent': {
        const json = agentJson(route.id as string, parseAgentVersion(query.get('version')));
        if (!json) throw notFound(`Agent ${route.id}${query.has('version') ? ` version ${query.get('version')}` : ''} not found.`);
        return ok(JSON.stringify(json));
      }
      case 'environment': {
        const json = environmentJson(route.id as string);
        if (!json) throw notFound(`Environment ${route.id} not found.`);
        return ok(JSON.stringify(json));
      }
      case 'globalRun': {
        const run = store.findRun(route.runId as string, null);
        if (!run) throw notFound(`Deployment run ${route.runId} not found.`);
        return ok(store.runJson(run));
      }
      default:
        throw notFound('Not found.');
    }
  }

  function depPage(store: AccountStore, page: PageResult<DepRecord>, nowMs: number, total?: number | null): string {
    const parts = new Array<string>(page.items.length);
    const ids = new Array<string>(page.items.length);
    for (let i = 0; i < page.items.length; i++) {
      const d = page.items[i]!;
      parts[i] = store.json(d, nowMs);
      ids[i] = d.id;
    }
    return listBody(parts, ids, page.hasMore, total);
  }

  function runPage(store: AccountStore, page: PageResult<RunRec>): string {
    return listBody(
      page.items.map((r) => store.runJson(r)),
      page.items.map((r) => r.id),
      page.hasMore,
    );
  }

  /** Auth, routing, body parsing, idempotency — the "normal" answer to an API request. */
  function answer(req: IncomingMessage, method: string, rel: string, route: Route | null, query: URLSearchParams, raw: Buffer | null, requestId: string, rec: RecordedRequest): Reply {
    const fail = (e: ApiError): Reply => ({ status: e.status, body: envelope(requestId, e.type, e.message, e.param) });
    const store = authenticate(req);
    rec.authorized = store !== null;
    if (!store) return fail(new ApiError(401, 'authentication_error', 'Invalid API key or token.'));
    if (!route) return fail(notFound(`Unknown route: ${method} ${BASE_PATH}${rel}`));
    let body: unknown;
    const text = raw && raw.length > 0 ? raw.toString('utf8') : '';
    if (method === 'POST' && text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return fail(invalid('Request body must be valid JSON.'));
      }
    }
    const idemKey = method === 'POST' ? ((req.headers['idempotency-key'] ?? req.headers['x-idempotency-key']) as string | undefined) : undefined;
    const fingerprint = `${method} ${rel} ${text}`;
    if (idemKey) {
      const prev = store.idempotentReply(idemKey);
      if (prev) {
        if (prev.fingerprint !== fingerprint) return fail(new ApiError(409, 'conflict_error', 'Idempotency key reused with a different request body.'));
        return { status: prev.status, body: prev.body, headers: { 'idempotent-replayed': 'true' } };
      }
    }
    let reply: Reply;
    try {
      reply = handleApi(route, store, query, body, req);
    } catch (e) {
      if (e instanceof ApiError) reply = fail(e);
      else {
        warn(`internal error on ${method} ${rel}: ${(e as Error).stack ?? String(e)}`);
        reply = fail(new ApiError(500, 'api_error', 'Internal server error.'));
      }
    }
    if (idemKey && reply.status < 500 && reply.body !== null) store.rememberIdempotent(idemKey, { fingerprint, status: reply.status, body: reply.body });
    return reply;
  }

  // ------------------------------------------------------------------ control routes

  function control(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, raw: Buffer | null, requestId: string): void {
    const reply = (status: number, value: unknown): void => send(req, res, null, { status, body: JSON.stringify(value) }, Date.now());
    const bad = (status: number, type: string, message: string): void => send(req, res, null, { status, body: envelope(requestId, type, message) }, Date.now());
    const refused = controlRefusal(req, req.socket.localPort ?? 0);
    if (refused !== undefined) return bad(403, 'permission_error', refused);
    let body: unknown;
    if (raw && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return bad(400, 'invalid_request_error', 'Request body must be valid JSON.');
      }
    }
    const key = `${req.method} ${path}`;
    try {
      switch (key) {
        case 'POST /__local/faults': {
          const list = Array.isArray(body) ? body : [body];
          const specs = list.map(validateFault);
          specs.forEach((f) => faults.add(f));
          return reply(200, { faults: faults.pending });
        }
        case 'GET /__local/faults':
          return reply(200, { faults: faults.pending });
        case 'DELETE /__local/faults':
          faults.clear();
          return reply(200, { faults: [] });
        case 'GET /__local/requests':
          return reply(200, requests);
        case 'DELETE /__local/requests':
          requests.length = 0;
          return reply(200, { ok: true });
        case 'POST /__local/reset': {
          const n = isPlainObject(body) && typeof body.seed === 'number' ? body.seed : undefined;
          if (n !== undefined && (!Number.isInteger(n) || n < 0)) return bad(400, 'invalid_request_error', 'seed must be a non-negative integer.');
          for (const [t, store] of accounts) {
            store.reseed(t === token && n !== undefined ? n : accountSeeds.get(t));
            hubs.get(store)?.reset();
          }
          if (n !== undefined) accountSeeds.set(token, n);
          revoked.clear();
          return reply(200, { ok: true, seed: accountSeeds.get(token) });
        }
        case 'GET /__local/deployments': {
          const store = accounts.get(query.get('token') ?? token);
          if (!store) return bad(404, 'not_found_error', 'Unknown token.');
          const nowMs = now().getTime();
          return send(req, res, null, { status: 200, body: `[${store.records().map((d) => store.json(d, nowMs)).join(',')}]` }, Date.now());
        }
        case 'POST /__local/stream-faults': {
          const list = (Array.isArray(body) ? body : [body]) as StreamFault[];
          for (const f of list) {
            if (!isPlainObject(f) || !['drop', 'stall', 'malformed'].includes(f.kind as string)) return bad(400, 'invalid_request_error', 'stream fault kind must be drop, stall or malformed.');
            streamFaults.push(f);
          }
          return reply(200, { streamFaults });
        }
        case 'POST /__local/file-links': {
          const b = isPlainObject(body) ? body : {};
          const mode = b.mode;
          if (mode !== undefined && mode !== '200' && mode !== '302') return bad(400, 'invalid_request_error', 'mode must be "200" or "302".');
          for (const hub of hubs.values()) {
            if (mode !== undefined) hub.files.links.mode = mode;
            if (typeof b.ttlMs === 'number') hub.files.links.ttlMs = b.ttlMs;
            if (typeof b.expireNext === 'number') hub.files.links.expireNext = b.expireNext;
          }
          if (mode !== undefined) fileLinks.mode = mode;
          if (typeof b.ttlMs === 'number') fileLinks.ttlMs = b.ttlMs;
          return reply(200, fileLinks);
        }
        case 'GET /__local/storage-requests':
          return reply(200, storageRequests());
        case 'POST /__local/sessions/speed': {
          const ms = isPlainObject(body) ? body.liveSessionMs : undefined;
          if (typeof ms !== 'number' || !(ms >= 0)) return bad(400, 'invalid_request_error', 'Body must be {"liveSessionMs": <ms>}.');
          for (const hub of hubs.values()) hub.liveSessionMs = ms;
          options.liveSessionMs = ms;
          return reply(200, { liveSessionMs: ms });
        }
        case 'POST /__local/pause-on-error': {
          // What the platform does after a failed run: pause with paused_reason {type: error}.
          const id = isPlainObject(body) ? body.id : undefined;
          const errorType = isPlainObject(body) && typeof body.errorType === 'string' ? body.errorType : 'environment_not_found_error';
          const store = accounts.get(query.get('token') ?? token);
          const rec = typeof id === 'string' ? store?.record(id) : undefined;
          if (!rec) return bad(404, 'not_found_error', 'Unknown deployment (body {"id": "dep_…"}).');
          rec.status = 'paused';
          rec.paused_reason = { error: { type: errorType }, type: 'error' };
          rec.updated_at = new Date(now().getTime()).toISOString().replace(/\.\d+Z$/, 'Z');
          invalidateRecord(rec);
          return reply(200, { ok: true, id });
        }
        case 'POST /__local/fire': {
          // A scheduled fire made now: {"id": "dep_…", "errorType"?: "…"}; with errorType the run
          // failed to start and the deployment is paused on error.
          const id = isPlainObject(body) ? body.id : undefined;
          const errorType = isPlainObject(body) && typeof body.errorType === 'string' ? body.errorType : undefined;
          const store = accounts.get(query.get('token') ?? token);
          if (typeof id !== 'string' || !store?.record(id)) return bad(404, 'not_found_error', 'Unknown deployment (body {"id": "dep_…"}).');
          return reply(200, store.fire(id, { errorType }));
        }
        case 'POST /__local/revoke': {
          const t = isPlainObject(body) ? body.token : undefined;
          if (typeof t !== 'string' || t === '') return bad(400, 'invalid_request_error', 'Body must be {"token": "<token>"}.');
          revoked.add(t);
          return reply(200, { ok: true, revoked: t });
        }
        default:
          return bad(404, 'not_found_error', `Unknown control route: ${key}`);
      }
    } catch (e) {
      return bad(400, 'invalid_request_error', (e as Error).message);
    }
  }

  // ------------------------------------------------------------------ MCP (Streamable HTTP)

  async function mcp(req: IncomingMessage, res: ServerResponse, method: string, raw: Buffer | null, requestId: string, rec: RecordedRequest, started: number): Promise<void> {
    const store = authenticate(req);
    rec.authorized = store !== null;
    if (!store) return send(req, res, rec, { status: 401, body: envelope(requestId, 'authentication_error', 'Invalid API key or token.'), headers: { 'www-authenticate': 'Bearer' } }, started);
    // Stateless: no session stream to open (GET) or end (DELETE).
    if (method !== 'POST') return send(req, res, rec, { status: 405, body: envelope(requestId, 'invalid_request_error', 'Only POST is supported.'), headers: { allow: 'POST' } }, started);
    let body: unknown;
    try {
      body = JSON.parse((raw ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      return send(req, res, rec, { status: 400, body: envelope(requestId, 'invalid_request_error', 'Request body must be valid JSON.') }, started);
    }
    const { apiCallOf, serveMcp, ToolArgumentError, toolResult } = await import('./mcp');
    const call = (name: string, args: Record<string, unknown>): CallToolResult => {
      try {
        const { route, query } = apiCallOf(name, args);
        const reply = handleApi(route, store, query, undefined, req);
        return toolResult(reply.status, reply.body ?? '{}');
      } catch (e) {
        if (e instanceof ApiError) return toolResult(e.status, envelope(requestId, e.type, e.message, e.param));
        if (e instanceof ToolArgumentError) return { isError: true, content: [{ type: 'text', text: e.message }] };
        throw e;
      }
    };
    await serveMcp(req, res, body, call);
    rec.status = res.statusCode;
    rec.durationMs = Date.now() - started;
  }

  // ------------------------------------------------------------------ request entry point

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1));
    const hdrId = req.headers['x-request-id'];
    const requestId = typeof hdrId === 'string' && hdrId.trim() !== '' && hdrId.length <= 256 ? hdrId : randomUUID();
    res.setHeader('x-request-id', requestId);

    // Read the body (bounded). Oversized bodies are cut and rejected like the CN docs describe.
    let raw: Buffer | null = null;
    let tooLarge = false;
    if (method !== 'GET' && method !== 'HEAD') {
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of req) {
          size += (chunk as Buffer).length;
          if (size > MAX_BODY) tooLarge = true;
          else chunks.push(chunk as Buffer);
        }
      } catch {
        return; // client went away
      }
      raw = Buffer.concat(chunks);
    }

    if (path === '/__local' || path.startsWith('/__local/')) return control(req, res, path, query, raw, requestId);
    if (path.startsWith(STORAGE_PREFIX) && method === 'GET') {
      const files = storageOwner(path);
      const answer = files
        ? files.storage(req, path, query, now().getTime())
        : (storageMisses.push({ path, query: Object.fromEntries(query), authorization: req.headers.authorization, cookie: req.headers.cookie, status: 404 }), { status: 404, body: 'No such key.', headers: {} as Record<string, string> });
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
      return;
    }

    const headers: Record<string, string | string[] | undefined> = { ...req.headers };
    delete headers.authorization;
    if (headers['x-api-key'] !== undefined) headers['x-api-key'] = '[redacted]';
    const rec: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(query),
      status: 0,
      at: started,
      authorized: false,
      headers,
      requestId,
      ...(raw && raw.length ? { body: raw.subarray(0, 65_536).toString('utf8') } : {}),
      fault: null,
      durationMs: 0,
    };
    requests.push(rec);
    if (requests.length > MAX_RECORDED) requests.splice(0, requests.length - MAX_RECORDED);

    // The hosted QCA MCP server's path on this origin, with the same token check (mcp.ts).
    if (path === MCP_PATH) return mcp(req, res, method, raw, requestId, rec, started);

    const inApi = path === BASE_PATH || path.startsWith(BASE_PATH + '/');
    const rel = inApi ? path.slice(BASE_PATH.length) || '/' : path;
    const route = inApi ? matchRoute(method, rel) : null;
    const template = route ? route.template.slice(route.template.indexOf(' ') + 1) : rel;

    // Search: in-flight concurrency cap per caller (documented 429 rate_limit_error).
    if (route?.name === 'search') {
      const t = bearer(req);
      const n = searchInFlight.get(t) ?? 0;
      if (n >= SEARCH_CONCURRENCY && authenticate(req)) {
        rec.authorized = true;
        return send(req, res, rec, { status: 429, body: envelope(requestId, 'rate_limit_error', 'Too many concurrent search requests.') }, started);
      }
      searchInFlight.set(t, n + 1);
      res.once('close', () => searchInFlight.set(t, Math.max(0, (searchInFlight.get(t) ?? 1) - 1)));
    }

    if (inApi && latencyMs > 0) {
      await sleep(latencyMs, lifetime.signal);
      if (res.destroyed || lifetime.signal.aborted) return;
    }

    const wantsStream = route?.name === 'sessionStream' || (route?.name === 'sessionEvents' && /text\/event-stream/i.test(String(req.headers.accept ?? '')));
    const fault = inApi ? faults.take(method, template, rel, query) : null;
    if (wantsStream && !fault && route) {
      const store = authenticate(req);
      rec.authorized = store !== null;
      if (!store) return send(req, res, rec, { status: 401, body: envelope(requestId, 'authentication_error', 'Invalid API key or token.') }, started);
      try {
        const hub = hubOf(store);
        const sf = streamFaults.shift();
        if (sf) hub.injectStreamFault(sf);
        hub.stream(route.id as string, req, res);
        rec.status = 200;
      } catch (e) {
        if (e instanceof ApiError) return send(req, res, rec, { status: e.status, body: envelope(requestId, e.type, e.message, e.param) }, started);
        throw e;
      }
      return;
    }
    const normal = (): Reply => {
      if (!inApi) return { status: 404, body: envelope(requestId, 'not_found_error', `Unknown route: ${method} ${path}`) };
      if (tooLarge) return { status: 400, body: envelope(requestId, 'invalid_request_error', 'Request body must be valid JSON.') };
      return answer(req, method, rel, route, query, raw, requestId, rec);
    };

    if (!fault) return send(req, res, rec, normal(), started);
    rec.fault = fault.kind;
    rec.authorized = authenticate(req) !== null;
    switch (fault.kind) {
      case 'delay': {
        const ac = new AbortController();
        const onGone = (): void => ac.abort();
        res.once('close', onGone);
        lifetime.signal.addEventListener('abort', onGone, { once: true });
        await sleep(fault.delayMs ?? 1000, ac.signal);
        lifetime.signal.removeEventListener('abort', onGone);
        if (ac.signal.aborted || res.destroyed) return;
        return send(req, res, rec, normal(), started);
      }
      case 'reset':
        rec.status = 0;
        rec.durationMs = Date.now() - started;
        req.socket.destroy();
        return;
      case 'status': {
        const status = fault.status ?? 500;
        const type = fault.errorType ?? errorTypeForStatus(status);
        const message = fault.message ?? (status >= 500 ? 'Internal server error.' : `Injected ${status} fault.`);
        return send(req, res, rec, { status, body: envelope(requestId, type, message) }, started);
      }
      case 'rate_limit': {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        const body = fault.errorType ? envelope(requestId, fault.errorType, fault.message ?? 'Rate limit exceeded.') : null;
        return send(req, res, rec, { status: fault.status ?? 429, body, headers }, started);
      }
      case 'html': {
        const status = fault.status ?? 502;
        const title = `${status} ${status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : status === 504 ? 'Gateway Time-out' : 'Error'}`;
        const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
        return send(req, res, rec, { status, body, headers: { 'content-type': 'text/html' } }, started);
      }
      case 'truncated': {
        const full = normal().body ?? '{"data":[]}';
        const cut = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
        return send(req, res, rec, { status: 200, body: cut }, started);
      }
      case 'wrong_shape': {
        normal(); // the server did the work; the answer is garbage
        const body = fault.body !== undefined ? JSON.stringify(fault.body) : route && LIST_ROUTES.has(route.name) ? '{"items":"nope"}' : '["nope"]';
        return send(req, res, rec, { status: 200, body }, started);
      }
    }
  }

  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      warn(`unhandled: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(envelope(randomUUID(), 'api_error', 'Internal server error.'));
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (!socket.destroyed) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  /** Every account's session hub (created now if missing, so a setting reaches them all). */
  const hubOfAll = (): SessionHub[] => [...accounts.values()].map(hubOf);
  const origin = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | null = null;

  return {
    baseUrl: origin + BASE_PATH,
    origin,
    port,
    token,
    requests,
    close(): Promise<void> {
      if (!closing) {
        closing = new Promise<void>((resolve) => {
          lifetime.abort();
          for (const hub of hubs.values()) hub.close();
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
          sockets.clear();
          server.closeAllConnections?.();
        });
      }
      return closing;
    },
    injectFault(f: FaultSpec): void {
      faults.add(f);
    },
    clearFaults(): void {
      faults.clear();
    },
    resetRequests(): void {
      requests.length = 0;
    },
    account(t?: string): AccountStore {
      const store = accounts.get(t ?? token);
      if (!store) throw new Error(`No account for token ${t}`);
      return store;
    },
    reseed(n: number): void {
      accounts.get(token)!.reseed(n);
      hubs.get(accounts.get(token)!)?.reset();
      accountSeeds.set(token, n);
    },
    revoke(t: string): void {
      revoked.add(t);
    },
    setLatency(ms: number): void {
      latencyMs = Math.max(0, ms);
    },
    warm(): void {
      for (const a of accounts.values()) a.warm();
    },
    sessions(t?: string): SessionHub {
      const store = accounts.get(t ?? token);
      if (!store) throw new Error(`No account for token ${t}`);
      return hubOf(store);
    },
    injectStreamFault(f: StreamFault): void {
      streamFaults.push(f);
    },
    storageRequests,
    setFileLinks(opts): void {
      if (opts.mode !== undefined) fileLinks.mode = opts.mode;
      if (opts.ttlMs !== undefined) fileLinks.ttlMs = opts.ttlMs;
      for (const hub of hubOfAll()) {
        if (opts.mode !== undefined) hub.files.links.mode = opts.mode;
        if (opts.ttlMs !== undefined) hub.files.links.ttlMs = opts.ttlMs;
        if (opts.expireNext !== undefined) hub.files.links.expireNext = opts.expireNext;
      }
    },
  };
}

function hashToken(t: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
