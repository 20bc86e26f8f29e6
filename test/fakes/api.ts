// An in-memory Qoder API behind a fake fetch, for unit tests: no socket is opened. It answers
// the few routes the extension calls, one account per origin, and can hold an answer until the
// test releases it (to interleave a request with a token change, a region switch or a walk).

import type { FetchInit, FetchLike, ResponseLike } from '../../src/api';

export type JsonObject = Record<string, unknown>;

export function deploymentJson(n: number, patch: JsonObject = {}): JsonObject {
  const id = `dep_${n.toString(16).padStart(32, '0')}`;
  return {
    id,
    type: 'deployment',
    name: `deployment-${n}`,
    description: '',
    agent: { id: 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b', type: 'agent', version: 1 },
    environment_id: 'env_019ec8d21f5a7b0c84e6d3f9a2b15c70',
    environment_variables: '',
    schedule: { type: 'cron', expression: '30 8 * * 1-5', timezone: 'UTC', upcoming_runs_at: ['2099-01-01T08:30:00Z'], last_run_at: null },
    status: 'active',
    paused_reason: null,
    archived_at: null,
    created_at: '2026-07-01T00:00:00Z',
    updated_at: '2026-07-01T00:00:00Z',
    metadata: {},
    ...patch,
  };
}

export interface FakeRequest {
  method: string;
  origin: string;
  path: string;
  query: URLSearchParams;
  body?: string;
}

interface Hold {
  match: (r: FakeRequest) => boolean;
  arrived: Promise<void>;
  markArrived: () => void;
  release: Promise<void>;
  open: () => void;
}

export interface Held {
  /** Resolves when the held request has arrived (its answer is already computed). */
  arrived: Promise<void>;
  /** Lets the answer go. */
  release(): void;
}

function reply(status: number, body: unknown): ResponseLike {
  return textReply(status, JSON.stringify(body));
}

function textReply(status: number, text: string): ResponseLike {
  return { status, headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? 'application/json' : null) }, text: async () => text };
}

function apiError(status: number, type: string, message: string): ResponseLike {
  return reply(status, { type: 'error', error: { type, message } });
}

export class FakeApi {
  /** Deployments per origin (one account each). */
  readonly accounts = new Map<string, JsonObject[]>();
  readonly requests: FakeRequest[] = [];
  private holds: Hold[] = [];
  /** Answers given as raw text for a path (a body JSON.stringify could not even produce). */
  private readonly raw = new Map<string, string>();

  constructor(accounts: Record<string, JsonObject[]>) {
    for (const [origin, list] of Object.entries(accounts)) this.accounts.set(origin, list);
  }

  /** The next request that matches waits, with its answer computed on arrival, until released. */
  hold(method: string, pathEnd: string | RegExp): Held {
    let markArrived!: () => void;
    let open!: () => void;
    const hold: Hold = {
      match: (r) => r.method === method && (typeof pathEnd === 'string' ? r.path.endsWith(pathEnd) : pathEnd.test(r.path)),
      arrived: new Promise<void>((resolve) => (markArrived = resolve)),
      markArrived: () => markArrived(),
      release: new Promise<void>((resolve) => (open = resolve)),
      open: () => open(),
    };
    this.holds.push(hold);
    return { arrived: hold.arrived, release: () => hold.open() };
  }

  /** GET requests whose path ends with `pathEnd` are answered 200 with `text`, as is. */
  answerRaw(pathEnd: string, text: string): void {
    this.raw.set(pathEnd, text);
  }

  readonly fetch: FetchLike = async (url: string, init: FetchInit) => {
    const u = new URL(url);
    const request: FakeRequest = { method: init.method, origin: u.origin, path: u.pathname, query: u.searchParams, body: typeof init.body === 'string' ? init.body : undefined };
    this.requests.push(request);
    const rawText = init.method === 'GET' ? [...this.raw].find(([end]) => u.pathname.endsWith(end))?.[1] : undefined;
    const answer = rawText !== undefined ? textReply(200, rawText) : this.answer(request);
    const i = this.holds.findIndex((h) => h.match(request));
    if (i >= 0) {
      const [hold] = this.holds.splice(i, 1);
      hold!.markArrived();
      await hold!.release;
    }
    return answer;
  };

  private answer(r: FakeRequest): ResponseLike {
    const request = r;
    const list = this.accounts.get(r.origin);
    if (!list) return apiError(401, 'authentication_error', 'Unknown account.');
    const rel = r.path.replace(/^\/api\/v1\/cloud/, '');
    if (r.method === 'GET' && rel === '/deployments') {
      const all = r.query.get('include_archived') === 'true';
      const data = list.filter((d) => all || d.archived_at === null).map((d) => structuredClone(d));
      return reply(200, { data, first_id: null, last_id: null, has_more: false, next_page: null });
    }
    const m = /^\/deployments\/([^/]+)(?:\/([a-z_]+))?$/.exec(rel);
    const d = m ? list.find((x) => x.id === m[1]) : undefined;
    if (!m || !d) return apiError(404, 'not_found_error', 'No such deployment.');
    const verb = m[2];
    if (r.method === 'GET' && verb === undefined) return reply(200, structuredClone(d));
    if (r.method === 'GET' && verb === 'runs') return reply(200, { data: [], first_id: null, last_id: null, has_more: false, next_page: null });
    if (r.method !== 'POST') return apiError(404, 'not_found_error', 'No such route.');
    const archived = d.archived_at !== null;
    switch (verb) {
      case undefined: {
        // Update: a merge-patch; metadata key by key (null deletes).
        const patch = JSON.parse(request.body ?? '{}') as JsonObject;
        for (const [k, v] of Object.entries(patch)) {
          if (k !== 'metadata') d[k] = v;
          else {
            const meta = Object.assign(Object.create(null) as JsonObject, d.metadata as JsonObject);
            for (const [mk, mv] of Object.entries(v as JsonObject)) {
              if (mv === null) delete meta[mk];
              else meta[mk] = mv;
            }
            d.metadata = meta;
          }
        }
        d.updated_at = '2026-07-15T00:00:00Z';
        return reply(200, structuredClone(d));
      }
      case 'pause':
        if (archived || d.status !== 'active') return apiError(409, 'conflict_error', 'Not active.');
        Object.assign(d, { status: 'paused', paused_reason: { type: 'manual' } });
        return reply(200, structuredClone(d));
      case 'unpause':
        if (archived || d.status !== 'paused') return apiError(409, 'conflict_error', 'Not paused.');
        Object.assign(d, { status: 'active', paused_reason: null });
        return reply(200, structuredClone(d));
      case 'archive':
        if (archived) return apiError(409, 'conflict_error', 'Already archived.');
        Object.assign(d, { archived_at: '2026-07-15T00:00:00Z', name: `${String(d.name)}_archived_1` });
        return reply(200, structuredClone(d));
      case 'run':
        if (archived || d.status !== 'active') return apiError(409, 'conflict_error', 'Not active.');
        return reply(200, {
          id: 'drun_019f0b2a5c3e7d81b4a09e6f2c7d15a3', type: 'deployment_run', deployment_id: d.id, agent: d.agent,
          created_at: '2026-07-15T00:00:00Z', session_id: 'sess_019f0b2a5c4176e0a2d9f83b6c1e4a57', error: null, trigger_context: { type: 'manual' },
        });
      default:
        return apiError(404, 'not_found_error', 'No such route.');
    }
  }
}
