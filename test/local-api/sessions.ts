// Sessions, agents and environments of the local Qoder API (sessions-api.md): a session for
// every run with a session_id (a deterministic transcript, generated on first use), live
// sessions for runs started through POST /deployments/{id}/run, the SSE stream with
// heartbeats, Last-Event-ID resume and injectable stream faults, and cancel.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DepRecord, RunRec } from './model';
import { SEED_AGENTS, SEED_ENVIRONMENTS } from './seed';
import type { AccountStore } from './store';
import { ApiError, hash32, invalid, isoMicros, makeId, notFound, prng, type Rand } from './util';

export type Ev = Record<string, unknown> & { id: string; type: string };

export type StreamFault =
  /** Destroy the connection after this many event frames. */
  | { kind: 'drop'; afterEvents: number }
  /** Send heartbeats only, holding events back for `ms` (default: for the whole connection). */
  | { kind: 'stall'; ms?: number }
  /** Send one frame whose data is not JSON before the next event. */
  | { kind: 'malformed' };

export interface SessionHubOptions {
  now: () => Date;
  /** How long a live session takes from first to last event (default 20 000 ms). */
  liveSessionMs?: number;
  /** Heartbeat comment interval on streams (default 15 000 ms). */
  heartbeatMs?: number;
}

interface SessionRec {
  id: string;
  dep: DepRecord;
  run: RunRec;
  createdMs: number;
  status: 'idle' | 'running' | 'rescheduling' | 'terminated';
  events: Ev[];
  index: Map<string, number>;
  updatedMs: number;
  credits: number;
  activeSeconds: number;
  /** Live only: events still to emit and the timer emitting them. */
  pending: Ev[];
  timer: ReturnType<typeof setTimeout> | null;
  listeners: Set<(ev: Ev) => void>;
}

const AGENT_NAMES: Record<string, string> = {
  agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b: 'widgets-maintainer',
  agent_019ed0b7c3487a11a6f2e95d0b3c7f48: 'release-assistant',
  agent_019e9a52d1f07c4e8a3b6d2f90c1e7a5: 'ci-doctor',
  agent_019eb3c8e6a27f19b4d05c3e8f1a2d64: 'security-scout',
  agent_019ef1a4b5c67d28a9e03f6b7c4d1e92: '报告助手',
};
const ENV_NAMES: Record<string, { name: string; description: string }> = {
  env_019ec8d21f5a7b0c84e6d3f9a2b15c70: { name: 'widgets-ci', description: 'Cloud sandbox for the acme/widgets repository' },
  env_019eaa41d7e276c5b918f0e3c4d6a2b9: { name: 'node-22-sandbox', description: 'Node 22 with npm and pnpm' },
  env_019e8f63a0b47d15c2e9f8a1b6d3c072: { name: 'python-data', description: 'Python 3.12 with pandas' },
  env_019ed7b2c4e87a30b5f16d9e2a0c4b8f: { name: 'infra-readonly', description: 'Read-only cloud credentials for drift checks' },
};
const AGENT_CREATED = '2026-06-20T02:55:44.668401Z';
const TOOLSET = [{ enabled_tools: ['Bash', 'Read', 'Glob', 'Grep', 'WebFetch'], type: 'agent_toolset_20260401' }];

function agentSystem(id: string): string {
  return `You are ${AGENT_NAMES[id] ?? 'an agent'} for the acme repositories. Be concise and cite issue numbers.`;
}

/** GET /agents/{id}[?version=N] body (15 keys), or null when unknown. */
export function agentJson(id: string, version: number | undefined): Record<string, unknown> | null {
  const seeded = SEED_AGENTS.find((a) => a.id === id);
  if (!seeded) return null;
  const v = version ?? seeded.latest;
  if (v < 1 || v > seeded.latest) return null;
  return {
    archived_at: null,
    created_at: AGENT_CREATED,
    description: `${AGENT_NAMES[id]} (version ${v})`,
    id,
    mcp_servers: [],
    metadata: {},
    model: 'ultimate',
    multiagent: null,
    name: AGENT_NAMES[id] ?? id,
    skills: [],
    system: agentSystem(id),
    tools: TOOLSET,
    type: 'agent',
    updated_at: '2026-07-01T09:12:37.204518Z',
    version: v,
  };
}

/** GET /environments/{id} body (9 keys), or null when unknown. */
export function environmentJson(id: string): Record<string, unknown> | null {
  if (!SEED_ENVIRONMENTS.includes(id)) return null;
  const e = ENV_NAMES[id] ?? { name: id, description: '' };
  return {
    archived_at: null,
    config: {
      networking: { allow_mcp_servers: false, allow_package_managers: true, allowed_hosts: ['api.github.com'], type: 'limited' },
      packages: { apt: ['jq'], npm: [], pip: [], type: 'packages' },
      type: 'cloud',
    },
    created_at: '2026-06-15T01:07:54.330912Z',
    description: e.description,
    id,
    metadata: {},
    name: e.name,
    type: 'environment',
    updated_at: '2026-06-15T01:07:54.330912Z',
  };
}

/** The session's embedded agent (§4.3): the agent at the run's version. */
function embeddedAgent(dep: DepRecord, run: RunRec): Record<string, unknown> {
  const ref = (run.obj.agent as { id?: string; version?: number } | undefined) ?? dep.agent;
  const id = ref.id ?? dep.agent.id;
  const version = ref.version ?? dep.agent.version;
  return {
    description: agentJson(id, version)?.description ?? '',
    id,
    mcp_servers: [],
    model: { effective_context_window: 200000, id: 'ultimate' },
    name: AGENT_NAMES[id] ?? id,
    skills: [],
    system: agentSystem(id),
    tools: TOOLSET,
    type: 'agent',
    version,
  };
}

function promptOf(dep: DepRecord): string {
  const first = dep.initial_events[0] as { content?: unknown } | undefined;
  const c = first?.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((b) => (typeof b === 'object' && b !== null && typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : '')).join('');
  return dep.description || dep.name;
}

function repoOf(dep: DepRecord): string {
  const r = dep.resources[0] as { url?: string } | undefined;
  return r?.url?.replace('https://github.com/', '') ?? 'acme/widgets';
}

/**
 * A realistic transcript (without ids and times): the prompt, running, thinking, tool pairs
 * for Bash, Read, Grep and WebFetch, a Markdown report, model spans, then idle (end_turn) or,
 * when `fails`, a session.error and terminated.
 */
export function transcript(dep: DepRecord, rand: Rand, fails: boolean): Record<string, unknown>[] {
  const repo = repoOf(dep);
  const prompt = promptOf(dep);
  const n1 = 400 + Math.floor(rand() * 90);
  const out: Record<string, unknown>[] = [];
  const text = (t: string): unknown[] => [{ text: t, type: 'text' }];
  let span = 0;
  const startSpan = (): void => {
    span = out.length;
    out.push({ type: 'span.model_request_start' });
  };
  const endSpan = (credits: number): void => {
    out.push({ is_error: false, model_request_start_id: span, model_usage: { credits }, type: 'span.model_request_end' });
  };
  const tool = (name: string, input: Record<string, unknown>, result: string, isError = false): void => {
    const use = out.length;
    out.push({ evaluated_permission: 'allow', input, name, type: 'agent.tool_use' });
    out.push({ content: text(result), is_error: isError, tool_use_id: use, type: 'agent.tool_result' });
  };
  out.push({ content: text(prompt), type: 'user.message' });
  out.push({ type: 'session.status_running' });
  startSpan();
  out.push({ type: 'agent.thinking' });
  tool('Bash', { command: 'git status --short && git log --oneline -5' }, ` M src/export/csv.ts\n?? notes/triage.md\n${(n1 * 7919).toString(16).slice(0, 7)} Fix CSV header escaping\n3f2a9c1 Bump dependencies\n9b8e7d6 Add dark-mode toggle (WIP)\n1c2d3e4 Docs: install section\n0a9b8c7 Release 2.4.0`);
  endSpan(0.12 + Math.floor(rand() * 10) / 100);
  startSpan();
  out.push({ type: 'agent.thinking' });
  const lines = Array.from({ length: 64 }, (_, i) => `${String(i + 1).padStart(4)}\t${i % 9 === 0 ? `// section ${i / 9 + 1}` : `export const row${i} = parseRow(input[${i}]);`}`);
  tool('Read', { file_path: `/workspace/${repo.split('/')[1]}/src/export/csv.ts` }, lines.join('\n'));
  tool('Grep', { path: 'src', pattern: 'emptyRow|skipBlank' }, 'src/export/csv.ts:41:  if (emptyRow(row)) return;\nsrc/export/csv.ts:58:  const skipBlank = options.skipBlank ?? true;\nsrc/import/csv.ts:12:import { emptyRow } from "../export/csv";');
  if (fails) {
    tool('WebFetch', { prompt: 'List the open issues', url: `https://api.github.com/repos/${repo}/issues?state=open` }, 'Request failed: 403 rate limit exceeded for unauthenticated requests.', true);
    endSpan(0.2);
    out.push({
      error: { message: 'The model request failed after 3 attempts.', retry_status: { type: 'terminal' }, type: 'model_request_failed_error' },
      type: 'session.error',
    });
    out.push({ type: 'session.status_terminated' });
    return out;
  }
  tool('WebFetch', { prompt: 'List the open issues', url: `https://api.github.com/repos/${repo}/issues?state=open` }, `[{"number": ${n1}, "title": "Crash when exporting CSV with empty rows"}, {"number": ${n1 + 1}, "title": "Docs: typo in README install section"}, {"number": ${n1 + 2}, "title": "Add dark mode to settings page"}]`);
  endSpan(0.2 + Math.floor(rand() * 20) / 100);
  startSpan();
  out.push({
    content: text(
      `## Report: ${dep.name}\n\n${prompt}\n\n### Findings\n\n| # | Title | Label | Priority |\n|---|---|---|---|\n| #${n1} | Crash when exporting CSV with empty rows | bug | high |\n| #${n1 + 1} | Docs: typo in README install section | docs | low |\n| #${n1 + 2} | Add dark mode to settings page | feature | needs design |\n\n### Next steps\n\n- Fix the empty-row check in \`src/export/csv.ts\` (line 41).\n- Label #${n1 + 1} as a *good first issue*.\n\nI could not post this summary to the tracking issue: this session has no GitHub credential with write access.`,
    ),
    type: 'agent.message',
  });
  endSpan(0.3 + Math.floor(rand() * 20) / 100);
  out.push({ stop_reason: { type: 'end_turn' }, type: 'session.status_idle' });
  return out;
}

/** Give transcript entries ids and times; numeric references (tool_use_id, span start) become ids. */
function stamp(entries: Record<string, unknown>[], startMs: number, stepMs: number, rand: Rand | null, times?: number[]): Ev[] {
  const ids = entries.map((_, i) => makeId('evt_', (times?.[i] ?? startMs + i * stepMs), rand, i));
  return entries.map((e, i) => {
    const ev: Record<string, unknown> = { ...e, id: ids[i], processed_at: isoMicros(times?.[i] ?? startMs + i * stepMs, 0).replace(/(\.\d{3})000Z$/, '$1Z') };
    if (typeof e.tool_use_id === 'number') ev.tool_use_id = ids[e.tool_use_id];
    if (typeof e.model_request_start_id === 'number') ev.model_request_start_id = ids[e.model_request_start_id];
    return sortKeys(ev) as Ev;
  });
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

function creditsOf(events: readonly Ev[]): number {
  let c = 0;
  for (const e of events) {
    const u = e.model_usage as { credits?: number } | undefined;
    if (e.type === 'span.model_request_end' && typeof u?.credits === 'number') c += u.credits;
  }
  return Math.floor(c * 100 + 1e-6) / 100;
}

function statusAfter(ev: Ev, current: SessionRec['status']): SessionRec['status'] {
  switch (ev.type) {
    case 'session.status_running':
      return 'running';
    case 'session.status_idle':
      return 'idle';
    case 'session.status_rescheduled':
      return 'rescheduling';
    case 'session.status_terminated':
      return 'terminated';
    default:
      return current;
  }
}

function sse(ev: Ev): string {
  return `id: ${ev.id}\nevent: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;
}

export class SessionHub {
  private readonly sessions = new Map<string, SessionRec>();
  private index: Map<string, { dep: DepRecord; run: RunRec }> | null = null;
  private readonly streamFaults: StreamFault[] = [];
  private readonly openStreams = new Set<ServerResponse>();
  private readonly now: () => Date;
  liveSessionMs: number;
  heartbeatMs: number;

  constructor(private readonly store: AccountStore, opts: SessionHubOptions) {
    this.now = opts.now;
    this.liveSessionMs = opts.liveSessionMs ?? 20_000;
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
  }

  /** Forget generated sessions (after a reseed) and stop live ones. */
  reset(): void {
    for (const s of this.sessions.values()) if (s.timer) clearTimeout(s.timer);
    this.sessions.clear();
    this.index = null;
    this.streamFaults.length = 0;
  }

  close(): void {
    for (const s of this.sessions.values()) if (s.timer) clearTimeout(s.timer);
    for (const res of this.openStreams) res.destroy();
    this.openStreams.clear();
  }

  injectStreamFault(f: StreamFault): void {
    this.streamFaults.push(f);
  }

  clearStreamFaults(): void {
    this.streamFaults.length = 0;
  }

  /** Ids of sessions started by seeded or new runs (for tests). */
  sessionIdsOf(depId: string): string[] {
    const dep = this.store.record(depId);
    if (!dep) return [];
    return this.store.runsOf(dep).map((r) => r.obj.session_id).filter((s): s is string => typeof s === 'string');
  }

  private find(id: string): SessionRec {
    const have = this.sessions.get(id);
    if (have) return have;
    if (this.index === null) {
      this.index = new Map();
      for (const dep of this.store.records()) {
        for (const run of this.store.runsOf(dep)) {
          const sid = run.obj.session_id;
          if (typeof sid === 'string') this.index.set(sid, { dep, run });
        }
      }
    }
    const hit = this.index.get(id);
    if (!hit) throw notFound(`Session ${id} not found.`);
    const rec = this.seeded(id, hit.dep, hit.run);
    this.sessions.set(id, rec);
    return rec;
  }

  /** A finished session for a seeded run: deterministic from the session id. */
  private seeded(id: string, dep: DepRecord, run: RunRec): SessionRec {
    const seed = hash32(...Array.from(id.slice(-12), (c) => c.charCodeAt(0)));
    const rand = prng(seed);
    const fails = seed % 100 < 15;
    const createdMs = run.ms + 40;
    const entries = transcript(dep, rand, fails);
    const times: number[] = [];
    let t = createdMs + 600;
    for (let i = 0; i < entries.length; i++) {
      times.push(t);
      t += 200 + Math.floor(rand() * 4000);
    }
    const events = stamp(entries, createdMs, 0, prng(seed ^ 0xe7), times);
    const last = times[times.length - 1] ?? createdMs;
    return this.record(id, dep, run, createdMs, events, fails ? 'terminated' : 'idle', last);
  }

  private record(id: string, dep: DepRecord, run: RunRec, createdMs: number, events: Ev[], status: SessionRec['status'], updatedMs: number): SessionRec {
    return {
      id,
      dep,
      run,
      createdMs,
      status,
      events,
      index: new Map(events.map((e, i) => [e.id, i])),
      updatedMs,
      credits: creditsOf(events),
      activeSeconds: Math.round((updatedMs - createdMs) * 0.6) / 1000,
      pending: [],
      timer: null,
      listeners: new Set(),
    };
  }

  /** A run started by POST /deployments/{id}/run: its session emits its transcript over liveSessionMs. */
  startLive(dep: DepRecord, run: RunRec, opts: { fails?: boolean; events?: number } = {}): void {
    const id = run.obj.session_id;
    if (typeof id !== 'string') return;
    const nowMs = this.now().getTime();
    const entries = transcript(dep, prng(hash32(nowMs & 0x7fffffff, 0x11fe)), opts.fails ?? false);
    const rec = this.record(id, dep, run, nowMs, [], 'running', nowMs);
    rec.pending = stamp(entries, nowMs, 0, null, entries.map((_, i) => nowMs + i));
    this.sessions.set(id, rec);
    this.index?.set(id, { dep, run });
    this.schedule(rec);
  }

  /** Add a finished session with `n` events (benchmarks). Returns its id. */
  addLargeSession(dep: DepRecord, run: RunRec, n: number): string {
    const id = run.obj.session_id as string;
    const rand = prng(n);
    const base = transcript(dep, rand, false).slice(2, -1);
    const entries: Record<string, unknown>[] = [{ content: [{ text: promptOf(dep), type: 'text' }], type: 'user.message' }, { type: 'session.status_running' }];
    while (entries.length < n - 1) {
      const offset = entries.length;
      for (const e of base) {
        if (entries.length >= n - 1) break;
        const copy = { ...e };
        if (typeof copy.tool_use_id === 'number') copy.tool_use_id += offset - 2;
        if (typeof copy.model_request_start_id === 'number') copy.model_request_start_id += offset - 2;
        entries.push(copy);
      }
    }
    entries.push({ stop_reason: { type: 'end_turn' }, type: 'session.status_idle' });
    const events = stamp(entries, run.ms + 40, 100, rand);
    const rec = this.record(id, dep, run, run.ms + 40, events, 'idle', run.ms + 40 + n * 100);
    this.sessions.set(id, rec);
    this.index?.set(id, { dep, run });
    return id;
  }

  private schedule(rec: SessionRec): void {
    if (rec.pending.length === 0) return;
    const total = rec.pending.length + rec.events.length;
    const step = this.liveSessionMs / Math.max(1, total - 1);
    rec.timer = setTimeout(() => {
      rec.timer = null;
      const next = rec.pending.shift();
      if (!next) return;
      this.emit(rec, next);
      this.schedule(rec);
    }, rec.events.length === 0 ? 0 : step);
  }

  /** Append an event with the current time and tell open streams. */
  private emit(rec: SessionRec, template: Ev): void {
    const nowMs = this.now().getTime();
    const ev = { ...template, processed_at: new Date(nowMs).toISOString() } as Ev;
    rec.index.set(ev.id, rec.events.length);
    rec.events.push(ev);
    rec.status = statusAfter(ev, rec.status);
    rec.updatedMs = nowMs;
    rec.credits = creditsOf(rec.events);
    for (const l of rec.listeners) l(ev);
  }

  // ---------------------------------------------------------------- HTTP handlers

  sessionJson(id: string): string {
    const rec = this.find(id);
    const nowMs = this.now().getTime();
    const endMs = rec.status === 'running' || rec.status === 'rescheduling' ? nowMs : rec.updatedMs;
    const dep = rec.dep;
    const resources = (dep.resources as Record<string, unknown>[]).map((r, i) =>
      sortKeys({ ...r, created_at: isoMicros(rec.createdMs, 0), id: `sesr_${hash32(i, rec.createdMs & 0xffffff).toString(16).padStart(8, '0')}${'0'.repeat(16)}`, updated_at: isoMicros(rec.createdMs, 0) }),
    );
    return JSON.stringify({
      agent: embeddedAgent(dep, rec.run),
      archived_at: null,
      created_at: isoMicros(rec.createdMs, 215),
      deployment_id: dep.id,
      environment_id: dep.environment_id,
      environment_variables: {},
      id: rec.id,
      metadata: {},
      outcome_evaluations: [],
      resources,
      stats: { active_seconds: rec.activeSeconds, duration_seconds: Math.round(endMs - rec.createdMs) / 1000 },
      status: rec.status,
      title: '',
      type: 'session',
      updated_at: new Date(rec.updatedMs).toISOString(),
      usage: { total_credits: rec.credits },
      vault_ids: dep.vault_ids,
    });
  }

  /** GET /sessions/{id}/events: ascending by default, limit 1–100, one cursor at a time. */
  eventsPage(id: string, query: URLSearchParams): string {
    const rec = this.find(id);
    const rawLimit = query.get('limit');
    let limit = 20;
    if (rawLimit !== null) {
      if (!/^\d+$/.test(rawLimit.trim())) throw invalid('limit must be an integer between 1 and 100', 'limit');
      limit = Number(rawLimit);
      if (limit < 1 || limit > 100) throw invalid('limit must be between 1 and 100', 'limit');
    }
    const order = query.get('order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw invalid('order must be asc or desc', 'order');
    const cursors = ['page', 'before_id', 'after_id'].filter((k) => query.has(k));
    if (cursors.length > 1) throw invalid('page, before_id and after_id are mutually exclusive.', cursors[1]);
    const types = query.getAll('types').concat(query.getAll('types[]')).flatMap((t) => t.split(',')).filter((t) => t !== '');
    let list: readonly Ev[] = rec.events;
    if (order === 'desc') list = [...list].reverse();
    if (types.length > 0) list = list.filter((e) => types.includes(e.type));
    let start = 0;
    const cursorParam = cursors[0];
    if (cursorParam === 'page' || cursorParam === 'after_id' || cursorParam === 'before_id') {
      const value = query.get(cursorParam) as string;
      if (!rec.index.has(value)) throw invalid(`Invalid or expired cursor: ${cursorParam}`, cursorParam);
      const pos = list.findIndex((e) => e.id === value);
      if (cursorParam === 'before_id') {
        const end = pos < 0 ? 0 : pos;
        list = list.slice(Math.max(0, end - limit), end);
      } else start = pos < 0 ? list.length : pos + 1;
    }
    const items = list.slice(start, start + limit);
    const hasMore = cursorParam === 'before_id' ? false : start + limit < list.length;
    const first = items[0]?.id ?? null;
    const last = items[items.length - 1]?.id ?? null;
    return JSON.stringify({ data: items, first_id: first, has_more: hasMore, last_id: last, next_page: hasMore ? last : null });
  }

  /** POST /sessions/{id}/cancel → [status, body]. */
  cancel(id: string): [number, string] {
    const rec = this.find(id);
    const ack = JSON.stringify({ id: rec.id, status: 'canceling', type: 'session' });
    if (rec.status !== 'running' && rec.status !== 'rescheduling') return [200, ack];
    if (rec.timer) clearTimeout(rec.timer);
    rec.timer = null;
    rec.pending = [];
    // The turn ends shortly after the acknowledgement; nothing follows the idle event.
    setTimeout(() => {
      this.emit(rec, { id: makeId('evt_', this.now().getTime(), null), stop_reason: { type: 'cancelled' }, type: 'session.status_idle' });
    }, 50);
    return [202, ack];
  }

  /** GET /sessions/{id}/events/stream (also GET /events with Accept: text/event-stream). */
  stream(id: string, req: IncomingMessage, res: ServerResponse): void {
    const rec = this.find(id);
    const lastEventId = req.headers['last-event-id'];
    let from: number;
    if (typeof lastEventId === 'string' && lastEventId !== '') {
      const pos = rec.index.get(lastEventId);
      if (pos === undefined) throw new ApiError(400, 'invalid_request_error', 'Last-Event-ID does not identify a public event of this session.');
      from = pos + 1;
    } else from = rec.events.length; // tail-only since 2026-08-24 (§7.3)
    const fault = this.streamFaults.shift();
    res.writeHead(200, { 'cache-control': 'no-cache', connection: 'keep-alive', 'content-type': 'text/event-stream' });
    res.flushHeaders();
    this.openStreams.add(res);
    let sent = 0;
    let held: Ev[] | null = fault?.kind === 'stall' ? [] : null;
    let malformedDue = fault?.kind === 'malformed';
    const write = (ev: Ev): void => {
      if (res.destroyed) return;
      if (held) {
        held.push(ev);
        return;
      }
      if (malformedDue) {
        malformedDue = false;
        res.write(`id: evt_malformed\nevent: agent.message\ndata: {"content":[{"text":"cut off\n\n`);
      }
      res.write(sse(ev));
      sent++;
      if (fault?.kind === 'drop' && sent >= fault.afterEvents) res.destroy();
    };
    const heartbeat = setInterval(() => {
      if (!res.destroyed) res.write(': heartbeat\n\n');
    }, this.heartbeatMs);
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    if (fault?.kind === 'stall' && fault.ms !== undefined) {
      stallTimer = setTimeout(() => {
        const queued = held ?? [];
        held = null;
        for (const ev of queued) write(ev);
      }, fault.ms);
    }
    for (let i = from; i < rec.events.length; i++) write(rec.events[i] as Ev);
    const listener = (ev: Ev): void => write(ev);
    rec.listeners.add(listener);
    res.once('close', () => {
      clearInterval(heartbeat);
      if (stallTimer) clearTimeout(stallTimer);
      rec.listeners.delete(listener);
      this.openStreams.delete(res);
    });
  }

  /** Called by the server after POST /deployments/{id}/run created `run`. */
  onRun(dep: DepRecord, run: RunRec): void {
    this.startLive(dep, run);
  }

  /** For tests: a stored session's events (copies). */
  events(id: string): Ev[] {
    return this.find(id).events.map((e) => ({ ...e }));
  }

  status(id: string): string {
    return this.find(id).status;
  }
}

export function parseAgentVersion(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw invalid('version must be a positive integer', 'version');
  const v = Number(raw);
  if (v < 1) throw invalid('version must be a positive integer', 'version');
  return v;
}
