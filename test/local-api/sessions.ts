// Sessions, agents and environments of the local Qoder API (sessions-api.md): a session for
// every run with a session_id (a deterministic transcript, generated on first use), live
// sessions for runs started through POST /deployments/{id}/run, the SSE stream with
// heartbeats, Last-Event-ID resume and injectable stream faults, and cancel.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DepRecord, RunRec } from './model';
import { SEED_AGENTS, SEED_ENVIRONMENTS } from './seed';
import type { AccountStore } from './store';
import { ApiError, hash32, IdClock, invalid, isoMicros, isPlainObject, makeId, notFound, parseIso, prng, type Rand } from './util';
import { FileStore, fileId, SAMPLE_PNG } from './files';

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
  /** While running: when the turn started (active_seconds grows with it). */
  runningSince: number | null;
  /** Blocking event ids of the last requires_action not answered yet. */
  awaiting: string[];
  /** Answers given to the current requires_action (id → result, reason). */
  answers: Map<string, { allow: boolean; message: string | undefined }>;
  outcomes: Record<string, unknown>[];
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
    // A failed run is a long one, its one failed step in the middle (as in the issue-21 report: a
    // 2,828-line run whose push failed at line 1,697): the summary must lead to it, F8 must reach it.
    longWork(tool, repo, 0, 24);
    tool('WebFetch', { prompt: 'List the open issues', url: `https://api.github.com/repos/${repo}/issues?state=open` }, 'Request failed: 403 rate limit exceeded for unauthenticated requests.', true);
    longWork(tool, repo, 24, 12);
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

type ToolCall = (name: string, input: Record<string, unknown>, result: string, isError?: boolean) => void;

/** `count` successful steps of reading and checking the repository's modules (no randomness: the seed's draws stay as they were). */
function longWork(tool: ToolCall, repo: string, from: number, count: number): void {
  const dir = `/workspace/${repo.split('/')[1]}/src`;
  for (let k = from; k < from + count; k++) {
    const module = `module${String(k + 1).padStart(2, '0')}`;
    if (k % 3 === 2) {
      tool('Bash', { command: `npx vitest run src/${module}` }, ` ✓ src/${module}.test.ts (${8 + (k % 5)} tests)\n\n Test Files  1 passed (1)\n      Tests  ${8 + (k % 5)} passed`);
      continue;
    }
    const lines = Array.from({ length: 56 }, (_, i) => `${String(i + 1).padStart(4)}\t${i % 8 === 0 ? `// ${module}, part ${i / 8 + 1}` : `export const ${module}_${i} = load(${k}, ${i});`}`);
    tool('Read', { file_path: `${dir}/${module}.ts` }, lines.join('\n'));
  }
}

/** What a seeded session is made from: deterministic from its id. */
function sessionSeed(id: string): number {
  return hash32(...Array.from(id.slice(-12), (c) => c.charCodeAt(0)));
}

/** A seeded session that ends terminated (about 15 %). */
function failsBySeed(seed: number): boolean {
  return seed % 100 < 15;
}

/** The two calls the seeded waiting session asks about (tool name and exact input). */
export const WAITING_CALLS = [
  { name: 'Bash', input: { command: 'rm -rf build/ && npm run build' } },
  { name: 'Bash', input: { command: 'gh pr create --base main --head triage/weekly --title "Weekly triage labels" --body-file /data/triage.md' } },
] as const;

/** A turn that pauses on two `ask` tool calls and waits (§2.6): the last event is requires_action. */
export function waitingTranscript(dep: DepRecord): Record<string, unknown>[] {
  const text = (t: string): unknown[] => [{ text: t, type: 'text' }];
  const out: Record<string, unknown>[] = [];
  out.push({ content: text(promptOf(dep)), type: 'user.message' });
  out.push({ type: 'session.status_running' });
  out.push({ type: 'span.model_request_start' });
  out.push({ type: 'agent.thinking' });
  out.push({ evaluated_permission: 'allow', input: { command: 'git status --short' }, name: 'Bash', type: 'agent.tool_use' });
  out.push({ content: text(' M src/export/csv.ts'), is_error: false, tool_use_id: 4, type: 'agent.tool_result' });
  out.push({ content: text('Before I open the pull request I need to rebuild from scratch and then create the PR.'), type: 'agent.message' });
  const first = out.length;
  for (const call of WAITING_CALLS) out.push({ evaluated_permission: 'ask', input: { ...call.input }, name: call.name, type: 'agent.tool_use' });
  out.push({ is_error: false, model_request_start_id: 2, model_usage: { credits: 0.34 }, type: 'span.model_request_end' });
  out.push({ stop_reason: { event_ids: [first, first + 1], type: 'requires_action' }, type: 'session.status_idle' });
  return out;
}

export const VERDICTS = ['satisfied', 'needs_revision', 'failed', 'max_iterations_reached', 'interrupted'] as const;

/** Give transcript entries ids and times; numeric references (tool_use_id, span start) become ids. */
function stamp(entries: Record<string, unknown>[], startMs: number, stepMs: number, rand: Rand | null, times?: number[]): Ev[] {
  const ids = entries.map((_, i) => makeId('evt_', (times?.[i] ?? startMs + i * stepMs), rand, i));
  return entries.map((e, i) => {
    const ev: Record<string, unknown> = { ...e, id: ids[i], processed_at: isoMicros(times?.[i] ?? startMs + i * stepMs, 0).replace(/(\.\d{3})000Z$/, '$1Z') };
    if (typeof e.tool_use_id === 'number') ev.tool_use_id = ids[e.tool_use_id];
    if (typeof e.model_request_start_id === 'number') ev.model_request_start_id = ids[e.model_request_start_id];
    const reason = e.stop_reason as { type?: string; event_ids?: unknown[] } | undefined;
    if (Array.isArray(reason?.event_ids)) ev.stop_reason = { ...reason, event_ids: reason.event_ids.map((x) => (typeof x === 'number' ? ids[x] : x)) };
    if (typeof e.outcome_evaluation_start_id === 'number') ev.outcome_evaluation_start_id = ids[e.outcome_evaluation_start_id];
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
  private readonly ids = new IdClock();
  private waitingId: string | null | undefined;
  readonly files = new FileStore();
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
    this.waitingId = undefined;
    this.files.clear();
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
    const seed = sessionSeed(id);
    const rand = prng(seed);
    const waiting = id === this.waitingSessionId();
    const fails = !waiting && failsBySeed(seed);
    const createdMs = run.ms + 40;
    const entries = waiting ? waitingTranscript(dep) : transcript(dep, rand, fails);
    const extras = waiting || fails ? null : this.deliveries(id, dep, seed, createdMs);
    if (extras) {
      entries.splice(entries.length - 1, 0, ...extras.entries);
      const start = entries.findIndex((e) => e.type === 'span.outcome_evaluation_start');
      const end = entries.find((e) => e.type === 'span.outcome_evaluation_end');
      if (end && start >= 0) end.outcome_evaluation_start_id = start;
    }
    const times: number[] = [];
    let t = createdMs + 600;
    for (let i = 0; i < entries.length; i++) {
      times.push(t);
      t += 200 + Math.floor(rand() * 4000);
    }
    const events = stamp(entries, createdMs, 0, prng(seed ^ 0xe7), times);
    const last = times[times.length - 1] ?? createdMs;
    const rec = this.record(id, dep, run, createdMs, events, fails ? 'terminated' : 'idle', last);
    if (waiting) rec.awaiting = (events[events.length - 1]?.stop_reason as { event_ids: string[] }).event_ids.slice();
    if (extras?.outcome) {
      const end = events.find((e) => e.type === 'span.outcome_evaluation_end') as Ev;
      rec.outcomes = [{ completed_at: end.processed_at, description: extras.outcome.description, explanation: end.explanation, iteration: end.iteration, outcome_id: end.outcome_id, result: end.result }];
    }
    return rec;
  }

  /**
   * The session whose turn waits for a decision: the latest run of the first deployment in
   * the list (newest first) that is not archived and whose latest run started a session, among
   * the 100 newest runs of the runs feed. The extension looks for waiting runs on that page; the
   * runs are made up to the moment the seed is made, so without this bound the waiting run left
   * that page at some hours of the day (then no test saw it waiting).
   */
  waitingSessionId(): string | null {
    if (this.waitingId === undefined) {
      this.waitingId = null;
      const recent = new Set(this.store.newestRuns(100).map((r) => r.obj.session_id));
      for (const dep of this.store.records()) {
        if (dep.archived_at !== null) continue;
        const latest = this.store.runsOf(dep)[0];
        const sid = latest?.obj.session_id;
        // never one that would have failed: the seeded failed sessions stay the same whichever waits
        if (typeof sid === 'string' && recent.has(sid) && !failsBySeed(sessionSeed(sid))) {
          this.waitingId = sid;
          break;
        }
      }
    }
    return this.waitingId;
  }

  /**
   * What a finished seeded session delivered: every one a Markdown report; every other one
   * also a PNG chart; every third one was checked against an outcome (verdict by seed).
   */
  private deliveries(sessionId: string, dep: DepRecord, seed: number, createdMs: number): { entries: Record<string, unknown>[]; outcome: { description: string } | null } {
    const entries: Record<string, unknown>[] = [];
    const rand = prng(seed ^ 0x51);
    const report = `# ${dep.name}\n\nReport of session ${sessionId}.\n\n- 3 issues triaged\n- 1 pull request proposed\n`;
    const files = [{ filename: `report-${dep.name.replace(/[^\w-]+/g, '_')}.md`, mime: 'text/markdown', bytes: Buffer.from(report, 'utf8') }];
    if (seed % 2 === 0) files.push({ filename: 'coverage.png', mime: 'image/png', bytes: SAMPLE_PNG });
    files.forEach((f, i) => {
      const id = fileId(createdMs + 1000 + i, rand, i);
      this.files.add({ id, filename: f.filename, mime: f.mime, bytes: f.bytes, sessionId, createdMs: createdMs + 1000 + i, downloadable: true });
      entries.push({ content_type: f.mime, file_id: id, original_filename: f.filename, size: f.bytes.byteLength, type: 'agent.artifact_delivered' });
    });
    if (seed % 3 !== 0) return { entries, outcome: null };
    const result = VERDICTS[seed % VERDICTS.length] as string;
    const outcomeId = makeId('outcome_', createdMs, rand);
    const description = `Write the report for ${dep.name} and deliver it as an artifact.`;
    entries.push({ iteration: 1, outcome_id: outcomeId, type: 'span.outcome_evaluation_start' });
    entries.push({
      explanation: result === 'satisfied' ? 'All criteria met: the report is present and complete.' : `The report misses required sections (${result}).`,
      iteration: 1,
      outcome_id: outcomeId,
      result,
      type: 'span.outcome_evaluation_end',
    });
    return { entries, outcome: { description } };
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
      runningSince: status === 'running' ? createdMs : null,
      awaiting: [],
      answers: new Map(),
      outcomes: [],
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
    const before = rec.status;
    rec.status = statusAfter(ev, rec.status);
    if (before !== 'running' && rec.status === 'running') rec.runningSince = nowMs;
    if (before === 'running' && rec.status !== 'running') {
      rec.activeSeconds += Math.max(0, nowMs - (rec.runningSince ?? nowMs)) / 1000;
      rec.runningSince = null;
    }
    if (ev.type === 'session.status_idle') {
      const reason = ev.stop_reason as { type?: string; event_ids?: string[] } | undefined;
      rec.awaiting = reason?.type === 'requires_action' && Array.isArray(reason.event_ids) ? reason.event_ids.slice() : [];
    }
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
      outcome_evaluations: rec.outcomes,
      resources,
      stats: {
        active_seconds: Math.round((rec.activeSeconds + (rec.status === 'running' && rec.runningSince !== null ? Math.max(0, nowMs - rec.runningSince) / 1000 : 0)) * 1000) / 1000,
        duration_seconds: Math.round(endMs - rec.createdMs) / 1000,
      },
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
    // created_at[gt|gte|lt|lte] compares the event's processed_at (the SDK sends created_at[gte]).
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const raw = query.get(`created_at[${op}]`);
      if (raw === null) continue;
      const bound = parseIso(raw.trim());
      if (Number.isNaN(bound)) throw invalid(`created_at[${op}] must be an ISO 8601 timestamp`, `created_at[${op}]`);
      list = list.filter((e) => {
        const t = Date.parse(String(e.processed_at));
        return op === 'gt' ? t > bound : op === 'gte' ? t >= bound : op === 'lt' ? t < bound : t <= bound;
      });
    }
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

  // ---------------------------------------------------------------- sending events (§2)

  /**
   * POST /sessions/{id}/events → the accepted events (202). Documented shapes only; our
   * choices where the reference is silent are in README.md ("Sending events").
   */
  postEvents(id: string, body: unknown): string {
    const rec = this.find(id);
    if (!isPlainObject(body) || !('events' in body)) throw invalid('Request body must be an object with an "events" array.', 'events');
    const events = body.events;
    if (!Array.isArray(events) || events.length === 0) throw invalid('"events" must be a non-empty array.', 'events');
    events.forEach((e, i) => this.checkEvent(e, i));
    const list = events as Record<string, unknown>[];
    if (list.length > 1 && list.some((e) => e.type !== 'user.tool_confirmation' && e.type !== 'user.custom_tool_result')) {
      throw invalid('Send one event per request (several are accepted only when they answer the same requires_action).', 'events');
    }
    if (rec.status === 'terminated') throw new ApiError(409, 'conflict_error', `Session ${id} is terminated and accepts no new events.`);
    const type = list[0]?.type as string;
    if (type === 'user.message') return this.acceptMessage(rec, list[0] as Record<string, unknown>);
    if (type === 'user.interrupt') return this.acceptInterrupt(rec, list[0] as Record<string, unknown>);
    return this.acceptAnswers(rec, list);
  }

  private checkEvent(e: unknown, i: number): void {
    const at = `events[${i}]`;
    if (!isPlainObject(e) || typeof e.type !== 'string') throw invalid(`${at} must be an object with a "type".`, `${at}.type`);
    const blocks = (v: unknown, param: string, required: boolean): void => {
      if (v === undefined && !required) return;
      if (!Array.isArray(v) || v.length === 0) throw invalid(`${param} must be a non-empty array of content blocks.`, param);
      v.forEach((b, j) => {
        if (!isPlainObject(b) || b.type !== 'text' || typeof b.text !== 'string') throw invalid(`${param}[${j}] must be a text block {"type":"text","text":…}.`, `${param}[${j}]`);
      });
    };
    switch (e.type) {
      case 'user.message':
        blocks(e.content, `${at}.content`, true);
        return;
      case 'user.interrupt':
        return;
      case 'user.tool_confirmation':
        if (typeof e.tool_use_id !== 'string' || e.tool_use_id === '') throw invalid(`${at}.tool_use_id is required.`, `${at}.tool_use_id`);
        if (e.result !== 'allow' && e.result !== 'deny') throw invalid(`${at}.result must be "allow" or "deny".`, `${at}.result`);
        if (e.deny_message !== undefined && (e.result !== 'deny' || typeof e.deny_message !== 'string')) throw invalid(`${at}.deny_message is only allowed when result is "deny".`, `${at}.deny_message`);
        return;
      case 'user.custom_tool_result':
        if (typeof e.custom_tool_use_id !== 'string' || e.custom_tool_use_id === '') throw invalid(`${at}.custom_tool_use_id is required.`, `${at}.custom_tool_use_id`);
        blocks(e.content, `${at}.content`, false);
        if (e.is_error !== undefined && typeof e.is_error !== 'boolean') throw invalid(`${at}.is_error must be a boolean.`, `${at}.is_error`);
        return;
      default:
        throw invalid(`${at}.type ${JSON.stringify(e.type).slice(0, 60)} is not supported by the local API (user.message, user.interrupt, user.tool_confirmation, user.custom_tool_result).`, `${at}.type`);
    }
  }

  /** The accepted event as stored and echoed: server id and processed_at added. */
  private accept(rec: SessionRec, e: Record<string, unknown>): Ev {
    const id = this.ids.next('evt_', this.now().getTime());
    this.emit(rec, sortKeys({ ...e, id }) as Ev);
    return rec.events[rec.events.length - 1] as Ev;
  }

  private acceptMessage(rec: SessionRec, e: Record<string, unknown>): string {
    if (rec.status !== 'idle') throw new ApiError(409, 'conflict_error', `Session ${rec.id} is ${rec.status}; wait for the turn to end before sending a message.`);
    if (rec.awaiting.length > 0) throw new ApiError(409, 'conflict_error', `Session ${rec.id} is waiting for a tool confirmation; answer it first.`);
    const echo = this.accept(rec, e);
    const asked = ((e.content as { text: string }[]).map((b) => b.text).join('')).slice(0, 200);
    const text = (t: string): unknown[] => [{ text: t, type: 'text' }];
    const reply = [
      `Looking into it: “${asked}”.`,
      'I checked the staging manifests as well: nothing else needs to change.',
      'Done. The summary above is complete.',
    ];
    const turn: Record<string, unknown>[] = [
      { type: 'session.status_running' },
      { type: 'span.model_request_start' },
      { type: 'agent.thinking' },
      ...reply.map((t) => ({ content: text(t), type: 'agent.message' })),
      { is_error: false, model_request_start_id: 1, model_usage: { credits: 0.05 }, type: 'span.model_request_end' },
      { stop_reason: { type: 'end_turn' }, type: 'session.status_idle' },
    ];
    this.queueTurn(rec, turn);
    return JSON.stringify({ data: [echo] });
  }

  private acceptInterrupt(rec: SessionRec, e: Record<string, unknown>): string {
    if (rec.status !== 'running' && rec.status !== 'rescheduling') throw new ApiError(409, 'conflict_error', `Session ${rec.id} is not running; there is no turn to interrupt.`);
    const echo = this.accept(rec, e);
    if (rec.timer) clearTimeout(rec.timer);
    rec.timer = null;
    rec.pending = [];
    setTimeout(() => this.emit(rec, { id: this.ids.next('evt_', this.now().getTime()), stop_reason: { type: 'cancelled' }, type: 'session.status_idle' }), 20);
    return JSON.stringify({ data: [echo] });
  }

  /** Confirmations and custom tool results: only ids of the latest requires_action, each once. */
  private acceptAnswers(rec: SessionRec, list: Record<string, unknown>[]): string {
    const ids = list.map((e) => (e.type === 'user.tool_confirmation' ? e.tool_use_id : e.custom_tool_use_id) as string);
    for (const [i, tid] of ids.entries()) {
      if (!rec.awaiting.includes(tid) || rec.answers.has(tid) || ids.indexOf(tid) !== i) {
        throw new ApiError(409, 'conflict_error', `Event ${tid.slice(0, 80)} is not pending on session ${rec.id} (not in the latest requires_action, or already answered).`);
      }
      const want = (rec.events[rec.index.get(tid) ?? -1]?.type ?? '') === 'agent.custom_tool_use' ? 'user.custom_tool_result' : 'user.tool_confirmation';
      if (list[i]?.type !== want) throw invalid(`Event ${tid.slice(0, 80)} must be answered with ${want}.`, `events[${i}].type`);
    }
    const echoes = list.map((e) => this.accept(rec, e));
    list.forEach((e, i) => {
      const allow = e.type === 'user.tool_confirmation' ? e.result === 'allow' : e.is_error !== true;
      rec.answers.set(ids[i] as string, { allow, message: typeof e.deny_message === 'string' ? e.deny_message : undefined });
    });
    const remainder = rec.awaiting.filter((x) => !rec.answers.has(x));
    if (remainder.length > 0) {
      // Resolving fewer than all re-emits session.status_idle with the remainder (§2.6).
      this.emit(rec, { id: this.ids.next('evt_', this.now().getTime()), stop_reason: { event_ids: remainder, type: 'requires_action' }, type: 'session.status_idle' });
      return JSON.stringify({ data: echoes });
    }
    const text = (t: string): unknown[] => [{ text: t, type: 'text' }];
    const turn: Record<string, unknown>[] = [{ type: 'session.status_running' }];
    const outcomes: string[] = [];
    for (const [tid, answer] of rec.answers) {
      const use = rec.events[rec.index.get(tid) ?? -1];
      const name = typeof use?.name === 'string' ? use.name : 'tool';
      const command = (use?.input as { command?: string } | undefined)?.command ?? JSON.stringify(use?.input ?? {});
      if (use?.type === 'agent.custom_tool_use') continue; // its result came from the user
      turn.push(answer.allow
        ? { content: text(`$ ${command}\nok`), is_error: false, tool_use_id: tid, type: 'agent.tool_result' }
        : { content: text(`Permission denied by the user.${answer.message ? ` Reason: ${answer.message}` : ''}`), is_error: true, tool_use_id: tid, type: 'agent.tool_result' });
      outcomes.push(answer.allow ? `ran ${name}: ${command}` : `did not run ${name} (denied${answer.message ? `: ${answer.message}` : ''})`);
    }
    rec.answers.clear();
    turn.push({ type: 'span.model_request_start' });
    turn.push({ content: text(`Thanks. I ${outcomes.join('; ') || 'continued'}.`), type: 'agent.message' });
    turn.push({ is_error: false, model_request_start_id: turn.length - 2, model_usage: { credits: 0.08 }, type: 'span.model_request_end' });
    turn.push({ stop_reason: { type: 'end_turn' }, type: 'session.status_idle' });
    this.queueTurn(rec, turn);
    return JSON.stringify({ data: echoes });
  }

  /** Emit a turn's events over liveSessionMs / 4 (a follow-up is shorter than a whole run). */
  private queueTurn(rec: SessionRec, entries: Record<string, unknown>[]): void {
    const nowMs = this.now().getTime();
    const ids = entries.map(() => this.ids.next('evt_', nowMs));
    const stamped = entries.map((e, i) => {
      const ev: Record<string, unknown> = { ...e, id: ids[i] };
      if (typeof e.model_request_start_id === 'number') ev.model_request_start_id = ids[e.model_request_start_id];
      return sortKeys(ev) as Ev;
    });
    if (rec.timer) clearTimeout(rec.timer);
    // The session is running as soon as the event that starts the turn is accepted.
    if (stamped[0]?.type === 'session.status_running') this.emit(rec, stamped.shift() as Ev);
    rec.pending = stamped;
    const step = Math.max(1, this.liveSessionMs / 4 / Math.max(1, stamped.length));
    const tick = (): void => {
      rec.timer = null;
      const next = rec.pending.shift();
      if (!next) return;
      this.emit(rec, next);
      if (rec.pending.length > 0) rec.timer = setTimeout(tick, step);
    };
    rec.timer = setTimeout(tick, step);
  }

  // ---------------------------------------------------------------- GET /sessions (§6)

  listSessions(query: URLSearchParams, limit: number): string {
    const order = query.get('order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw invalid('order must be asc or desc', 'order');
    const statuses = [...query.getAll('statuses'), ...query.getAll('statuses[]')].flatMap((t) => t.split(',')).filter((t) => t !== '');
    for (const st of statuses) if (!['running', 'idle', 'rescheduling', 'terminated'].includes(st)) throw invalid(`Unknown status ${JSON.stringify(st).slice(0, 40)}.`, 'statuses');
    const depId = query.get('deployment_id');
    const agentId = query.get('agent_id');
    const bounds = (['gt', 'gte', 'lt', 'lte'] as const).map((op) => {
      const raw = query.get(`created_at[${op}]`);
      if (raw === null) return undefined;
      const ms = parseIso(raw.trim());
      if (Number.isNaN(ms)) throw invalid(`created_at[${op}] must be an ISO 8601 timestamp`, `created_at[${op}]`);
      return ms;
    });
    const [gt, gte, lt, lte] = bounds;
    const candidates: { dep: DepRecord; run: RunRec; sid: string; ms: number }[] = [];
    const deps = depId !== null ? [this.store.record(depId)].filter((d): d is DepRecord => d !== undefined) : this.store.records();
    for (const dep of deps) {
      for (const run of this.store.runsOf(dep)) {
        const sid = run.obj.session_id;
        if (typeof sid !== 'string') continue;
        const ms = this.sessions.get(sid)?.createdMs ?? run.ms + 40;
        const agent = (run.obj.agent as { id?: string } | undefined)?.id ?? dep.agent.id;
        if (agentId !== null && agent !== agentId) continue;
        const sec = ms - (ms % 1000);
        if ((gt !== undefined && !(sec > gt)) || (gte !== undefined && !(sec >= gte)) || (lt !== undefined && !(sec < lt)) || (lte !== undefined && !(sec <= lte))) continue;
        candidates.push({ dep, run, sid, ms });
      }
    }
    candidates.sort((a, b) => (order === 'desc' ? b.ms - a.ms || (a.sid < b.sid ? 1 : -1) : a.ms - b.ms || (a.sid < b.sid ? -1 : 1)));
    let start = 0;
    const cursor = query.get('page') ?? query.get('after_id');
    if (cursor !== null) {
      const pos = candidates.findIndex((c) => c.sid === cursor);
      if (pos < 0) throw invalid('Invalid or expired cursor: page', 'page');
      start = pos + 1;
    }
    const items: string[] = [];
    const ids: string[] = [];
    let i = start;
    for (; i < candidates.length && items.length < limit; i++) {
      const c = candidates[i] as (typeof candidates)[number];
      if (statuses.length > 0 && !statuses.includes(this.find(c.sid).status)) continue;
      items.push(this.sessionJson(c.sid));
      ids.push(c.sid);
    }
    let hasMore = false;
    for (let j = i; j < candidates.length && !hasMore; j++) {
      if (statuses.length === 0 || statuses.includes(this.find((candidates[j] as (typeof candidates)[number]).sid).status)) hasMore = true;
    }
    const first = ids[0] ?? null;
    const last = ids[ids.length - 1] ?? null;
    return `{"data":[${items.join(',')}],"first_id":${JSON.stringify(first)},"has_more":${hasMore},"last_id":${JSON.stringify(last)},"next_page":${hasMore ? JSON.stringify(last) : 'null'}}`;
  }

  // ---------------------------------------------------------------- files (§4)

  /** GET /files[?scope_id=…]: a session's files (its transcript is generated first). */
  listFiles(query: URLSearchParams, limit: number): string {
    const scope = query.get('scope_id') ?? undefined;
    if (scope !== undefined) this.find(scope);
    const all = this.files.list(scope);
    let start = 0;
    const cursor = query.get('page') ?? query.get('after_id');
    if (cursor !== null) {
      const pos = all.findIndex((f) => f.id === cursor);
      if (pos < 0) throw invalid('Invalid or expired cursor: page', 'page');
      start = pos + 1;
    }
    const items = all.slice(start, start + limit);
    const hasMore = start + limit < all.length;
    const first = items[0]?.id ?? null;
    const last = items[items.length - 1]?.id ?? null;
    return JSON.stringify({ data: items.map((f) => this.files.json(f)), first_id: first, has_more: hasMore, last_id: last, next_page: hasMore ? last : null });
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
