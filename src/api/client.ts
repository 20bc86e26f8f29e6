// QoderClient: the Deployments endpoints of the Qoder Cloud Agents API on top of http.ts (requests.ts, streams.ts).
// Thin on purpose — ids are validated before any URL is built, responses are parsed by
// parse.ts, and everything about transport lives in http.ts.

import * as l10n from '@vscode/l10n';
import { QoderError, isApiError } from './errors';
import { HttpClient, defaultUserAgent, type HttpClientOptions, type HttpRequest, type HttpResult } from './http';
import { parseDeployment, parseListPage, parseRun } from './parse';
import { baseUrlString, isDeploymentId, isRunId, validateBaseUrl } from './validate';
import {
  agentPath,
  checkEventId,
  environmentPath,
  parseAgent,
  parseCancelAck,
  parseEnvironment,
  parseSession,
  parseSessionEvent,
  sessionPath,
  type Agent,
  type CancelAck,
  type Environment,
  type Session,
  type SessionEvent,
  type SessionEventsFilter,
} from './sessions';
import type { StreamSessionOptions } from './sessionStream';
import { defaultSleep } from './retry';
import type { DeploymentCreateBody, DeploymentPatch } from './editTypes';
import type {
  Deployment,
  DeploymentListFilter,
  DeploymentRun,
  InvalidItem,
  ListPage,
  RequestOptions,
  RunListFilter,
  AllRunsFilter,
  WriteOptions,
} from './types';

type StreamCode = typeof import('./sessionStream.chunk');
let streamModule: StreamCode | undefined;

/** The live-stream code, required on the first stream (the bundle maps it to dist/stream.js). */
function streamCode(): StreamCode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  streamModule ??= require('./sessionStream.chunk') as StreamCode;
  return streamModule;
}

/** The HTTP options (base URL, token, transport, timeout, retries, body cap, logging hook, clock). */
export interface QoderClientOptions extends HttpClientOptions {
  /**
   * Least time from the start of one page fetch to the start of the next when walking a list
   * (deployments-api.md §8 asks for ≥ 100 ms). Default 100; 0 turns the spacing off.
   */
  minPageIntervalMs?: number;
  /** A walk that still has more after this many pages stops with invalid_response. Default 1,000. */
  maxPages?: number;
  /** A walk that still has more after this many items stops with invalid_response. Default 100,000. */
  maxItems?: number;
}

export const DEFAULT_MIN_PAGE_INTERVAL_MS = 100;
export const DEFAULT_MAX_PAGES = 1_000;
export const DEFAULT_MAX_ITEMS = 100_000;

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** Page size used when walking a whole list (the documented maximum). */
export const WALK_PAGE_SIZE = 100;
/** Page size of listRunsPage when the filter has none (the server's documented default). */
export const RUNS_PAGE_SIZE = 20;

export function checkLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new QoderError('config', l10n.t('Page size (limit) must be an integer between 1 and 100, got {0}.', String(limit)));
  }
  return limit;
}

export function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new QoderError('config', l10n.t('Filter "{0}" must be a non-empty string.', name));
  }
  return value;
}

function deploymentPath(id: unknown): string {
  if (!isDeploymentId(id)) {
    throw new QoderError('config', l10n.t('"{0}" is not a valid deployment id (expected dep_…); nothing was sent.', typeof id === 'string' ? id.slice(0, 80) : String(id)));
  }
  return `/deployments/${encodeURIComponent(id as string)}`;
}

function checkBody<T>(body: T): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new QoderError('config', l10n.t('The request body must be a JSON object; nothing was sent.'));
  }
  return body;
}

/** The `Idempotency-Key` header (deployments-api.md §2), when there is a key: printable ASCII without spaces, at most 255 characters. */
function idempotencyHeader(key: string | undefined): Record<string, string> | undefined {
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new QoderError('config', l10n.t('The idempotency key is not a valid header value; nothing was sent.'));
  return { 'Idempotency-Key': key };
}

function runPath(deploymentId: unknown, runId: unknown): string {
  const base = deploymentPath(deploymentId);
  if (!isRunId(runId)) {
    throw new QoderError('config', l10n.t('"{0}" is not a valid run id (expected drun_…); nothing was sent.', typeof runId === 'string' ? runId.slice(0, 80) : String(runId)));
  }
  return `${base}/runs/${encodeURIComponent(runId as string)}`;
}

export class QoderClient {
  readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly minPageIntervalMs: number;
  private readonly maxPages: number;
  private readonly maxItems: number;
  private readonly now: () => number;
  private readonly streamTiming: { sleep?: (ms: number, signal?: AbortSignal) => Promise<void>; random?: () => number };

  constructor(opts: QoderClientOptions) {
    if (typeof opts?.token !== 'string' || opts.token.trim() === '') {
      throw new QoderError('config', l10n.t('No Qoder access token is set; nothing will be sent to the API.'));
    }
    if (/[^\x21-\x7e]/.test(opts.token)) {
      throw new QoderError('config', l10n.t('The Qoder access token contains spaces, control or non-ASCII characters; it was not sent. Paste the token again.'));
    }
    this.baseUrl = baseUrlString(validateBaseUrl(opts.baseUrl));
    this.minPageIntervalMs = Math.max(0, opts.minPageIntervalMs ?? DEFAULT_MIN_PAGE_INTERVAL_MS);
    this.maxPages = positive(opts.maxPages, DEFAULT_MAX_PAGES);
    this.maxItems = positive(opts.maxItems, DEFAULT_MAX_ITEMS);
    this.now = opts.now ?? (() => performance.now());
    this.streamTiming = { sleep: opts.sleep, random: opts.random };
    this.http = new HttpClient({
      baseUrl: this.baseUrl,
      token: opts.token,
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs,
      retries: opts.retries,
      maxResponseBytes: opts.maxResponseBytes,
      userAgent: opts.userAgent ?? defaultUserAgent(),
      onRequest: opts.onRequest,
      sleep: opts.sleep,
      random: opts.random,
      now: opts.now,
      budget: opts.budget,
    });
  }

  // -------------------------------------------------------------------------------------
  // Deployments

  /** Walk `GET /deployments` page by page (limit 100 unless the filter says otherwise). */
  async *listDeployments(filter?: DeploymentListFilter, opts?: RequestOptions): AsyncIterableIterator<ListPage<Deployment>> {
    // Validation errors surface on the first next(), like every other failure.
    const query = this.deploymentQuery(filter);
    yield* this.walk('/deployments', query, undefined, parseDeployment, opts);
  }

  /**
   * Collect every page. `invalid[].index` is the position in the whole walk (page offset
   * added); `requests` counts HTTP requests made, retries and redirect hops included.
   */
  async listAllDeployments(
    filter?: DeploymentListFilter,
    opts?: RequestOptions & { onPage?: (soFar: readonly Deployment[]) => void },
  ): Promise<{ deployments: Deployment[]; invalid: InvalidItem[]; requests: number }> {
    const query = this.deploymentQuery(filter);
    const stats = { requests: 0 };
    const deployments: Deployment[] = [];
    const invalid: InvalidItem[] = [];
    let offset = 0;
    for await (const page of this.walk('/deployments', query, undefined, parseDeployment, opts, stats)) {
      deployments.push(...page.data);
      for (const item of page.invalid) invalid.push({ ...item, index: item.index + offset });
      offset += page.data.length + page.invalid.length;
      if (page.has_more) opts?.onPage?.(deployments);
    }
    return { deployments, invalid, requests: stats.requests };
  }

  async getDeployment(id: string, opts?: RequestOptions): Promise<Deployment> {
    const path = deploymentPath(id);
    return this.one({ method: 'GET', path, signal: opts?.signal }, parseDeployment);
  }

  /** `GET /deployments/{id}`, or undefined when it is gone (404): a re-read after a change. */
  async findDeployment(id: string, opts?: RequestOptions): Promise<Deployment | undefined> {
    try {
      return await this.getDeployment(id, opts);
    } catch (e) {
      if (isApiError(e, 404)) return undefined;
      throw e;
    }
  }

  /** `POST /deployments` → the new Deployment (any 2xx). The body is sent as given; the server validates it. */
  async createDeployment(body: DeploymentCreateBody, opts?: WriteOptions): Promise<Deployment> {
    return this.one({ method: 'POST', path: '/deployments', body: checkBody(body), signal: opts?.signal, headers: idempotencyHeader(opts?.idempotencyKey) }, parseDeployment);
  }

  /**
   * `POST /deployments/{id}` with a merge-patch (only the fields to change; `metadata` keys
   * set to null are deleted) → the updated Deployment.
   */
  async updateDeployment(id: string, patch: DeploymentPatch, opts?: RequestOptions): Promise<Deployment> {
    const path = deploymentPath(id);
    return this.one({ method: 'POST', path, body: checkBody(patch), signal: opts?.signal }, parseDeployment);
  }

  async archiveDeployment(id: string, opts?: RequestOptions): Promise<Deployment> {
    return this.action(id, 'archive', opts);
  }

  async pauseDeployment(id: string, opts?: RequestOptions): Promise<Deployment> {
    return this.action(id, 'pause', opts);
  }

  /** Resume a paused deployment (the endpoint is `POST /deployments/{id}/unpause`). */
  async resumeDeployment(id: string, opts?: RequestOptions): Promise<Deployment> {
    return this.action(id, 'unpause', opts);
  }

  /** `POST /deployments/{id}/run` → the Run (a 200 Run may carry `error` and no session). */
  async runDeployment(id: string, opts?: WriteOptions): Promise<DeploymentRun> {
    const path = `${deploymentPath(id)}/run`;
    return this.one({ method: 'POST', path, body: {}, signal: opts?.signal, headers: idempotencyHeader(opts?.idempotencyKey) }, parseRun);
  }

  // -------------------------------------------------------------------------------------
  // Runs

  /** Exactly one page (for "Load more"): limit defaults to 20; pass `filter.page` = previous `next_page`. */
  async listRunsPage(deploymentId: string, filter?: RunListFilter, opts?: RequestOptions): Promise<ListPage<DeploymentRun>> {
    const path = `${deploymentPath(deploymentId)}/runs`;
    const query = this.runQuery(filter, RUNS_PAGE_SIZE);
    if (filter?.page !== undefined) query.set('page', checkString('page', filter.page));
    return this.one({ method: 'GET', path, query, signal: opts?.signal }, (json) => parseListPage(json, parseRun));
  }

  /**
   * `GET /deployment_runs` across every deployment, newest first (the runs feed): with
   * `created_at_gte`, every page of runs created at or after it; without, only the newest page.
   */
  async *listAllRuns(filter: AllRunsFilter = {}, opts?: RequestOptions): AsyncIterableIterator<ListPage<DeploymentRun>> {
    const query = new URLSearchParams();
    query.set('limit', String(checkLimit(filter.limit, WALK_PAGE_SIZE)));
    if (filter.created_at_gte !== undefined) query.set('created_at[gte]', checkString('created_at_gte', filter.created_at_gte));
    if (filter.created_at_gte === undefined) {
      yield await this.one({ method: 'GET', path: '/deployment_runs', query, signal: opts?.signal }, (json) => parseListPage(json, parseRun));
      return;
    }
    yield* this.walk('/deployment_runs', query, undefined, parseRun, opts);
  }

  async getRun(deploymentId: string, runId: string, opts?: RequestOptions): Promise<DeploymentRun> {
    const path = runPath(deploymentId, runId);
    return this.one({ method: 'GET', path, signal: opts?.signal }, parseRun);
  }

  // -------------------------------------------------------------------------------------
  // Sessions, agents, environments (sessions-api.md)

  async getSession(id: string, opts?: RequestOptions): Promise<Session> {
    const path = sessionPath(id);
    return this.one({ method: 'GET', path, signal: opts?.signal }, parseSession);
  }

  /** Walk `GET /sessions/{id}/events` oldest first (limit 100 unless given), optionally after an event. */
  async *listSessionEvents(id: string, filter?: SessionEventsFilter, opts?: RequestOptions): AsyncIterableIterator<ListPage<SessionEvent>> {
    const path = `${sessionPath(id)}/events`;
    const query = new URLSearchParams();
    query.set('limit', String(checkLimit(filter?.limit, WALK_PAGE_SIZE)));
    if (filter?.order === 'desc') query.set('order', 'desc');
    if (filter?.after_id === undefined) {
      yield* this.walk(path, query, undefined, parseSessionEvent, opts);
      return;
    }
    // after_id and page are mutually exclusive (§6): the first page uses after_id, the rest page.
    const first = new URLSearchParams(query);
    first.set('after_id', checkEventId(filter.after_id, 'after_id'));
    const page = await this.one({ method: 'GET', path, query: first, signal: opts?.signal }, (json) => parseListPage(json, parseSessionEvent));
    yield page;
    if (!page.has_more) return;
    if (page.next_page !== null && page.next_page !== '') {
      await this.http.pause(this.minPageIntervalMs, `GET ${path}`, opts?.signal);
      yield* this.walk(path, query, page.next_page, parseSessionEvent, opts);
    } else if (page.last_id !== null && page.last_id !== filter.after_id) {
      await this.http.pause(this.minPageIntervalMs, `GET ${path}`, opts?.signal);
      yield* this.listSessionEvents(id, { ...filter, after_id: page.last_id }, opts);
    } else {
      throw new QoderError('invalid_response', `GET ${path}: the server said has_more=true but sent no cursor; cannot continue the list.`, `GET ${path}`);
    }
  }

  /** The newest event of one type: `GET /sessions/{id}/events?types=<type>&order=desc&limit=1`. */
  async lastSessionEvent(id: string, type: string, opts?: RequestOptions): Promise<SessionEvent | undefined> {
    const path = `${sessionPath(id)}/events`;
    const query = new URLSearchParams({ types: checkString('types', type), order: 'desc', limit: '1' });
    const page = await this.one({ method: 'GET', path, query, signal: opts?.signal }, (json) => parseListPage(json, parseSessionEvent));
    return page.data[0];
  }

  /** `POST /sessions/{id}/cancel`: 202 when a running turn is being cancelled, 200 no-op when idle. */
  async cancelSession(id: string, opts?: RequestOptions): Promise<CancelAck> {
    const path = `${sessionPath(id)}/cancel`;
    const res = await this.http.request({ method: 'POST', path, body: {}, signal: opts?.signal });
    return this.parsed(res, (json) => parseCancelAck(json, res.status));
  }

  /** `GET /agents/{id}[?version=N]`: without a version, the current one. */
  async getAgent(id: string, version?: number, opts?: RequestOptions): Promise<Agent> {
    const path = agentPath(id);
    let query: URLSearchParams | undefined;
    if (version !== undefined) {
      if (!Number.isInteger(version) || version < 1) throw new QoderError('config', l10n.t('Agent version must be a positive integer, got {0}; nothing was sent.', String(version)));
      query = new URLSearchParams({ version: String(version) });
    }
    return this.one({ method: 'GET', path, query, signal: opts?.signal }, parseAgent);
  }

  async getEnvironment(id: string, opts?: RequestOptions): Promise<Environment> {
    const path = environmentPath(id);
    return this.one({ method: 'GET', path, signal: opts?.signal }, parseEnvironment);
  }

  /** One request through this client's HTTP layer, its body parsed by `parse` (for api/sessionActions.ts). */
  call<T>(req: HttpRequest, parse: (json: unknown) => T): Promise<T> {
    return this.one(req, parse);
  }

  /** Every page of a list through this client's cursor walk (for api/sessionActions.ts). */
  pages<T>(path: string, query: URLSearchParams, parse: (x: unknown) => T, opts?: RequestOptions): AsyncGenerator<ListPage<T>, void, undefined> {
    return this.walk(path, query, undefined, parse, opts);
  }

  /** The HTTP layer (its transport and limits, for a download that must go without the token). */
  get transport(): HttpClient {
    return this.http;
  }

  /**
   * Live events of a session over SSE (see sessionStream.ts). The token goes only to the
   * configured origin: the stream is opened on the base URL and never follows a redirect.
   */
  streamSessionEvents(id: string, opts: StreamSessionOptions & { sleep?: (ms: number, signal?: AbortSignal) => Promise<void>; random?: () => number } = {}): AsyncGenerator<SessionEvent, void, undefined> {
    const path = `${sessionPath(id)}/events/stream`;
    if (opts.lastEventId !== undefined) checkEventId(opts.lastEventId, 'Last-Event-ID');
    return streamCode().streamEvents(
      {
        open: (lastEventId, signal) => this.http.openStream({ path, lastEventId, signal }),
        history: (signal) => this.listSessionEvents(id, undefined, { signal }),
        sleep: opts.sleep ?? this.streamTiming.sleep ?? defaultSleep,
        random: opts.random ?? this.streamTiming.random ?? Math.random,
        now: Date.now,
        redact: (text) => this.http.redact(text),
      },
      opts,
    );
  }

  // -------------------------------------------------------------------------------------
  // internals

  private async action(id: string, verb: 'archive' | 'pause' | 'unpause', opts?: RequestOptions): Promise<Deployment> {
    const path = `${deploymentPath(id)}/${verb}`;
    return this.one({ method: 'POST', path, body: {}, signal: opts?.signal }, parseDeployment);
  }

  private deploymentQuery(filter: DeploymentListFilter | undefined): URLSearchParams {
    const query = new URLSearchParams();
    query.set('limit', String(checkLimit(filter?.limit, WALK_PAGE_SIZE)));
    if (filter?.include_archived === true) query.set('include_archived', 'true');
    if (filter?.status !== undefined) {
      if (filter.status !== 'active' && filter.status !== 'paused') {
        throw new QoderError('config', l10n.t('Filter "status" must be "active" or "paused", got {0}.', JSON.stringify(filter.status)));
      }
      query.set('status', filter.status);
    }
    if (filter?.agent_id !== undefined) query.set('agent_id', checkString('agent_id', filter.agent_id));
    if (filter?.created_at_gte !== undefined) query.set('created_at[gte]', checkString('created_at_gte', filter.created_at_gte));
    if (filter?.created_at_lte !== undefined) query.set('created_at[lte]', checkString('created_at_lte', filter.created_at_lte));
    return query;
  }

  private runQuery(filter: RunListFilter | undefined, defaultLimit: number): URLSearchParams {
    const query = new URLSearchParams();
    query.set('limit', String(checkLimit(filter?.limit, defaultLimit)));
    if (filter?.triggered_after !== undefined) query.set('triggered_after', checkString('triggered_after', filter.triggered_after));
    if (filter?.triggered_before !== undefined) query.set('triggered_before', checkString('triggered_before', filter.triggered_before));
    return query;
  }

  /** One request, body parsed by `parse`; a parse failure becomes invalid_response naming the operation. */
  private async one<T>(req: HttpRequest, parse: (json: unknown) => T, stats?: { requests: number; sentAgoMs?: number }): Promise<T> {
    const res = await this.http.request(req);
    if (stats) {
      stats.requests += res.requests;
      stats.sentAgoMs = res.sentAgoMs;
    }
    return this.parsed(res, parse);
  }

  /** A parse failure becomes invalid_response naming the operation (never a raw TypeError). */
  parsed<T>(res: HttpResult, parse: (json: unknown) => T): T {
    try {
      return parse(res.json);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const requestId = res.requestId === undefined ? undefined : this.http.redact(res.requestId);
      throw new QoderError('invalid_response', this.http.redact(`${res.operation}: unexpected response (${reason})`), res.operation, { requestId });
    }
  }

  /**
   * Cursor walk: `page=<next_page>`, or `after_id=<last_id>` when an older server sends no
   * next_page. Never requests the same cursor twice — a repeated cursor is a server loop and
   * ends the walk with invalid_response, and so does a list that still has more after
   * `maxPages` pages or `maxItems` items. Page requests go out `minPageIntervalMs` apart,
   * counted from when the previous one really left (after node-fetch loaded and the connection
   * opened), so the server never sees two closer than that.
   */
  private async *walk<T>(
    path: string,
    baseQuery: URLSearchParams,
    startCursor: string | undefined,
    parseItem: (x: unknown) => T,
    opts: RequestOptions | undefined,
    stats?: { requests: number },
  ): AsyncGenerator<ListPage<T>, void, undefined> {
    const operation = `GET ${path}`;
    const seen = new Set<string>();
    let cursor: { param: 'page' | 'after_id'; value: string } | undefined =
      startCursor === undefined ? undefined : { param: 'page', value: startCursor };
    if (cursor) seen.add(cursor.value);
    let items = 0;
    let lastSent: number | undefined;
    const hop: { requests: number; sentAgoMs?: number } = { requests: 0 };
    for (let pageNo = 0; ; pageNo++) {
      if (lastSent !== undefined && this.minPageIntervalMs > 0) {
        // Whole milliseconds up: a timer may fire up to 1 ms before a fractional delay.
        await this.http.pause(Math.ceil(this.minPageIntervalMs - (this.now() - lastSent)), operation, opts?.signal);
      }
      const started = this.now();
      const query = new URLSearchParams(baseQuery);
      if (cursor) query.set(cursor.param, cursor.value);
      hop.requests = 0;
      const page = await this.one(
        { method: 'GET', path, query, signal: opts?.signal },
        (json) => parseListPage(json, parseItem),
        hop,
      );
      if (stats) stats.requests += hop.requests;
      lastSent = hop.sentAgoMs === undefined ? started : this.now() - hop.sentAgoMs;
      yield page;
      if (!page.has_more) return;
      items += page.data.length + page.invalid.length;
      if (pageNo + 1 >= this.maxPages || items >= this.maxItems) {
        throw new QoderError(
          'invalid_response',
          `${operation}: the API kept returning pages (still more after ${pageNo + 1} pages and ${items} items); stopped there.`,
          operation,
        );
      }
      const value = page.next_page ?? page.last_id;
      if (value === null || value === '') {
        throw new QoderError(
          'invalid_response',
          `${operation}: the server said has_more=true but sent neither next_page nor last_id; cannot continue the list.`,
          operation,
        );
      }
      if (seen.has(value)) {
        throw new QoderError(
          'invalid_response',
          this.http.redact(`${operation}: the server returned cursor "${value.slice(0, 80)}" again (already requested); stopped to avoid an endless pagination loop.`),
          operation,
        );
      }
      seen.add(value);
      cursor = { param: page.next_page !== null ? 'page' : 'after_id', value };
    }
  }
}
