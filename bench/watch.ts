// 8. A simulated hour (issue 22): N deployments on the local API, a scripted stream of changes
// (runs from schedules, failures that pause deployments, pauses and edits made elsewhere, new
// deployments, an archive from the extension), a virtual clock, and the view open or hidden.
// Today's strategy (walk everything every qoder.autoRefreshSeconds while visible, every
// background interval while hidden; a walk after the extension's own archive) and the new one
// (ChangeWatch) run the same script against the same seed, each on a fresh local API. The real
// client, store and mutation pipeline are used; only time is simulated: page spacing, round
// trips (50 ms each) and waits move the virtual clock, never the real one.

import { QoderClient } from '../src/api/client';
import { nodeFetch } from '../src/api/transport';
import type { Deployment } from '../src/api/types';
import { DeploymentStore } from '../src/deployments/model/deploymentStore';
import { WritePath } from '../src/deployments/model/mutations';
import { ChangeWatch, type WatchSource } from '../src/deployments/model/changeWatch';
import { backgroundIntervalMs } from '../src/attention/model/attention';
import { startLocalApi, type LocalApi } from '../test/local-api/server';
import { prng as rng } from '../test/local-api/util';
import { log, median, round } from './stats';

const TOKEN = 'pt-bench-watch';
const HOUR = 3_600_000;
const RTT_MS = 50;
/** The defaults of qoder.autoRefreshSeconds and qoder.backgroundRefreshMinutes. */
const AUTO_REFRESH_MS = 60_000;
const BACKGROUND_MINUTES = 5;
/** Rows on screen (the ones re-read one by one). */
const LOOKED_AT = 25;

export type ChangeKind = 'run' | 'failure' | 'pause elsewhere' | 'edit elsewhere' | 'new deployment';
/** The kinds the runs feed can see (watch_p95_ms is the worst of these). */
export const FEED_KINDS: readonly ChangeKind[] = ['run', 'failure'];

export interface KindFigures {
  count: number;
  medianMs: number | null;
  p95Ms: number | null;
  /** Not shown when the hour ended (shown later, by the next reconciliation). */
  waitedPastHour: number;
}

export interface StrategyFigures {
  requestsPerHour: number;
  /** Simulated minutes the request count was scaled from (60 unless the run was shortened). */
  simulatedMinutes: number;
  byKind: Record<string, number>;
  changes: Record<string, KindFigures>;
  /** Changes never shown, even after the next reconciliation (or walk) after the hour. */
  missed: number;
  /** Changes not shown when the hour ended. */
  waitingAtHourEnd: number;
  /** Requests between the archive answer and a settled view, and how many of them were list pages. */
  archiveRequestsAfter: number;
  archiveListPages: number;
  /** Real seconds this simulation took. */
  seconds: number;
}

export interface WatchScenario {
  n: number;
  visible: boolean;
  baseline: StrategyFigures;
  strategy: StrategyFigures;
  /** strategy requests / baseline requests. */
  ratio: number;
  script: Record<ChangeKind, number>;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The virtual clock: sleeping moves it, and script events due on the way are applied in order. */
class SimClock {
  private events: { at: number; apply: () => void }[] = [];
  constructor(public now: number) {}

  schedule(at: number, apply: () => void): void {
    this.events.push({ at, apply });
    this.events.sort((a, b) => a.at - b.at);
  }

  advanceTo(t: number): void {
    while (this.events.length > 0 && (this.events[0] as { at: number }).at <= t) {
      const e = this.events.shift() as { at: number; apply: () => void };
      this.now = Math.max(this.now, e.at);
      e.apply();
    }
    this.now = Math.max(this.now, t);
  }

  sleep = async (ms: number): Promise<void> => {
    if (ms > 0) this.advanceTo(this.now + ms);
  };
}

interface Change {
  kind: ChangeKind;
  at: number;
  shown: (store: DeploymentStore) => boolean;
  shownAt?: number;
}

interface Script {
  fires: { at: number; id: string; errorType?: string }[];
  pauses: { at: number; id: string }[];
  edits: { at: number; id: string }[];
  creates: { at: number; name: string }[];
  archive: { at: number; id: string };
}

/** The hour's changes, from the seed's own schedules (a fire happens 1 s after its due time). */
function makeScript(api: LocalApi, t0: number, n: number): Script {
  const random = rng(n * 7 + 1);
  const account = api.account(TOKEN);
  const candidates: { id: string; due: number }[] = [];
  const others: string[] = [];
  for (const rec of account.records()) {
    if (rec.archived_at !== null || rec.status !== 'active') continue;
    const json = JSON.parse(account.json(rec, t0)) as Deployment;
    const due = json.schedule ? Date.parse(json.schedule.upcoming_runs_at[0] ?? '') : NaN;
    if (due > t0 && due < t0 + HOUR) candidates.push({ id: rec.id, due });
    else others.push(rec.id);
  }
  candidates.sort((a, b) => a.due - b.due);
  // About one fire per 50 deployments an hour, spread over the hour; one in ten fails and pauses.
  const wanted = Math.min(candidates.length, Math.max(10, Math.round(n / 50)));
  const step = candidates.length / wanted;
  const fires = Array.from({ length: wanted }, (_, i) => candidates[Math.floor(i * step)] as { id: string; due: number }).map((c, i) => ({
    at: c.due + 1_000,
    id: c.id,
    ...(i % 10 === 5 ? { errorType: 'environment_not_found_error' } : {}),
  }));
  const pick = (): string => others.splice(Math.floor(random() * others.length), 1)[0] as string;
  const at = (): number => t0 + 60_000 + Math.floor(random() * (HOUR - 120_000));
  const elsewhere = Math.max(3, Math.round(n / 1_000));
  return {
    fires,
    pauses: Array.from({ length: elsewhere }, () => ({ at: at(), id: pick() })),
    edits: Array.from({ length: elsewhere }, () => ({ at: at(), id: pick() })),
    creates: Array.from({ length: 5 }, (_, i) => ({ at: at(), name: `created-elsewhere-${i + 1}` })),
    archive: { at: t0 + HOUR / 2, id: pick() },
  };
}

function requestKind(path: string): string {
  const rel = path.replace(/^\/api\/v1\/cloud/, '');
  return rel
    .replace(/\/deployments\/dep_[A-Za-z0-9]+/, '/deployments/:id')
    .replace(/\/sessions\/sesn_[A-Za-z0-9]+/, '/sessions/:id');
}

/**
 * One strategy through the scripted hour. `windowMs` shorter than an hour simulates only that
 * much (today's strategy at N = 50,000 walks 500 pages a minute; its hour would take minutes of
 * real time) and scales the request count to an hour.
 */
async function simulate(n: number, visible: boolean, strategy: 'today' | 'watch', windowMs = HOUR): Promise<StrategyFigures> {
  const started = performance.now();
  const t0 = Date.parse('2026-12-07T09:00:30Z');
  const clock = new SimClock(t0);
  const api = await startLocalApi({ token: TOKEN, seed: n, quiet: true, now: () => new Date(clock.now), warm: true, liveSessionMs: 60_000 });
  try {
    const script = makeScript(api, t0, n);
    const account = api.account(TOKEN);
    const client = new QoderClient({
      baseUrl: api.baseUrl,
      token: TOKEN,
      now: () => clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      fetch: async (url, init) => {
        const res = await nodeFetch(url, init);
        await clock.sleep(RTT_MS);
        return res;
      },
    });
    const store = new DeploymentStore({ now: () => clock.now });
    store.setSource({
      listAll: (includeArchived, signal, onPage) => client.listAllDeployments({ include_archived: includeArchived }, { signal, onPage }),
    });
    const changes: Change[] = [];
    const check = (): void => {
      for (const c of changes) if (c.shownAt === undefined && c.shown(store)) c.shownAt = clock.now;
    };
    store.onDidChange(check);

    for (const f of script.fires) {
      clock.schedule(f.at, () => {
        const run = account.fire(f.id, { errorType: f.errorType });
        const runAt = Date.parse(run.created_at as string);
        changes.push(f.errorType
          ? { kind: 'failure', at: clock.now, shown: (s) => s.get(f.id)?.paused_reason?.type === 'error' }
          : { kind: 'run', at: clock.now, shown: (s) => Date.parse(s.get(f.id)?.schedule?.last_run_at ?? '') >= runAt });
      });
    }
    for (const p of script.pauses) {
      clock.schedule(p.at, () => {
        account.pause(p.id);
        changes.push({ kind: 'pause elsewhere', at: clock.now, shown: (s) => s.get(p.id)?.status === 'paused' });
      });
    }
    for (const [i, e] of script.edits.entries()) {
      const description = `edited elsewhere ${i}`;
      clock.schedule(e.at, () => {
        account.update(e.id, { description });
        changes.push({ kind: 'edit elsewhere', at: clock.now, shown: (s) => s.get(e.id)?.description === description });
      });
    }
    for (const c of script.creates) {
      clock.schedule(c.at, () => {
        const id = account.add({ name: c.name }).id as string;
        changes.push({ kind: 'new deployment', at: clock.now, shown: (s) => s.get(id) !== undefined });
      });
    }

    // The view was loaded just before the hour starts (not counted).
    await store.refresh();
    if (store.error) throw store.error;
    const lookedAt = (): string[] => store.deployments.slice(0, LOOKED_AT).map((d) => d.id);
    const mode = { visible, focused: true };
    const source: WatchSource = {
      runsSince: async (since, signal) => {
        const runs = [];
        for await (const page of client.listAllRuns({ created_at_gte: since }, { signal })) runs.push(...page.data);
        return runs;
      },
      deploymentPages: async function* (signal) {
        for await (const page of client.listDeployments({ limit: 20 }, { signal })) yield page.data;
      },
      getDeployment: (id, signal) => client.findDeployment(id, { signal }),
      sessionStatus: async (id, signal) => (await client.getSession(id, { signal })).status,
    };
    const watch = new ChangeWatch(
      source,
      store,
      { fullWalk: () => store.refresh({ fresh: true }) },
      () => ({ freshnessMs: AUTO_REFRESH_MS, backgroundMs: BACKGROUND_MINUTES * 60_000 }),
      lookedAt,
      () => clock.now,
      rng(99),
    );
    watch.walked(clock.now);
    api.resetRequests();
    const from = clock.now;
    let walks = store.walks;

    // One step of the strategy; resolves with when the next one is due.
    const step = async (): Promise<number> => {
      if (strategy === 'watch') return clock.now + (await watch.tick(mode));
      await store.refresh();
      return clock.now + (mode.visible ? AUTO_REFRESH_MS : backgroundIntervalMs(BACKGROUND_MINUTES, store.deployments.length));
    };
    const mutations = new WritePath({ store, connect: () => ({ client, generation: 0 }), generation: () => 0, reread: (c, id) => c.findDeployment(id), log: () => undefined });
    let archiveDone = false;
    let archiveAfter = { requests: 0, listPages: 0 };
    const archive = async (): Promise<void> => {
      const target = store.get(script.archive.id);
      if (!target) throw new Error('the archive target is not shown');
      let answered = 0;
      await mutations.run([target], {
        verb: 'archive',
        busyLabel: 'Archiving…',
        send: async (c, id) => {
          const result = await c.archiveDeployment(id);
          answered = api.requests.length;
          return result;
        },
        updated: (after) => after,
      });
      // Today's archive command walked the whole list after the answer.
      if (strategy === 'today') await store.refresh({ fresh: true });
      const after = api.requests.slice(answered);
      archiveAfter = { requests: after.length, listPages: after.filter((r) => requestKind(r.path) === '/deployments').length };
      if (store.get(script.archive.id)) throw new Error('the archived deployment is still shown');
      archiveDone = true;
    };

    let next = clock.now;
    let hourRequests = -1;
    let waitingAtHourEnd = 0;
    const waited = new Set<Change>();
    for (;;) {
      const target = !archiveDone && hourRequests < 0 ? Math.min(next, script.archive.at) : next;
      if (hourRequests < 0 && target >= from + windowMs) {
        clock.advanceTo(from + windowMs);
        check();
        hourRequests = api.requests.length;
        for (const c of changes) if (c.shownAt === undefined) waited.add(c);
        waitingAtHourEnd = waited.size;
        walks = store.walks;
        // Then the user opens the view: what waited is shown by the next full walk (the reconciliation).
        mode.visible = true;
      }
      clock.advanceTo(target);
      check();
      if (!archiveDone && target === script.archive.at && hourRequests < 0) {
        await archive();
        check();
        continue;
      }
      next = await step();
      check();
      // After the hour: run until a full walk has happened (the next reconciliation).
      if (hourRequests >= 0 && store.walks > walks) break;
      if (clock.now > from + HOUR * 12) throw new Error('no reconciliation within 12 simulated hours');
    }

    // Changes scripted after a shortened window are not part of it.
    const counted = changes.filter((c) => c.at < from + windowMs);
    const hourly = api.requests.slice(0, hourRequests);
    const byKind: Record<string, number> = {};
    for (const r of hourly) byKind[`${r.method} ${requestKind(r.path)}`] = (byKind[`${r.method} ${requestKind(r.path)}`] ?? 0) + 1;
    const perKind: Record<string, KindFigures> = {};
    for (const kind of ['run', 'failure', 'pause elsewhere', 'edit elsewhere', 'new deployment'] as ChangeKind[]) {
      const these = counted.filter((c) => c.kind === kind);
      const times = these.filter((c) => c.shownAt !== undefined).map((c) => (c.shownAt as number) - c.at).sort((a, b) => a - b);
      perKind[kind] = {
        count: these.length,
        medianMs: times.length ? round(median(times), 0) : null,
        p95Ms: times.length ? round(percentile(times, 95) as number, 0) : null,
        waitedPastHour: these.filter((c) => waited.has(c)).length,
      };
    }
    const scale = HOUR / windowMs;
    for (const k of Object.keys(byKind)) byKind[k] = Math.round((byKind[k] as number) * scale);
    return {
      requestsPerHour: Math.round(hourRequests * scale),
      simulatedMinutes: windowMs / 60_000,
      byKind,
      changes: perKind,
      missed: counted.filter((c) => c.shownAt === undefined).length,
      waitingAtHourEnd,
      archiveRequestsAfter: archiveAfter.requests,
      archiveListPages: archiveAfter.listPages,
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await api.close();
  }
}

export async function measureWatch(n: number, visible: boolean): Promise<WatchScenario> {
  // Today's strategy with the view open at N = 50,000 is simulated for 15 minutes (a walk is 500 pages).
  const baseline = await simulate(n, visible, 'today', visible && n > 20_000 ? HOUR / 4 : HOUR);
  log(`simulated hour N=${n} ${visible ? 'view open' : 'view hidden'}: today ${baseline.requestsPerHour} requests (${baseline.seconds} s)`);
  const strategy = await simulate(n, visible, 'watch');
  log(`simulated hour N=${n} ${visible ? 'view open' : 'view hidden'}: new ${strategy.requestsPerHour} requests (${strategy.seconds} s)`);
  const script: Record<ChangeKind, number> = { run: 0, failure: 0, 'pause elsewhere': 0, 'edit elsewhere': 0, 'new deployment': 0 };
  for (const [kind, figures] of Object.entries(strategy.changes)) script[kind as ChangeKind] = figures.count;
  return { n, visible, baseline, strategy, ratio: round(strategy.requestsPerHour / Math.max(1, baseline.requestsPerHour), 4), script };
}

/** The worst p95 over the kinds the runs feed can see. */
export function feedP95(figures: StrategyFigures): number | null {
  const values = FEED_KINDS.map((k) => figures.changes[k]?.p95Ms).filter((v): v is number => typeof v === 'number');
  return values.length ? Math.max(...values) : null;
}

export interface WatchResult {
  scenarios: WatchScenario[];
  /** The headline scenario: N = 10,000 (smoke: the smoke N) with the view open. */
  main: WatchScenario;
  hidden: WatchScenario | undefined;
}

/** Full run: N = 1,000, 10,000 and 50,000, view open and hidden. Smoke: one small N, view open. */
export async function measureWatchAll(mainN: number, smoke: boolean): Promise<WatchResult> {
  const plan: { n: number; visible: boolean }[] = smoke
    ? [{ n: mainN, visible: true }]
    : [mainN, 1_000, 50_000].filter((n, i, all) => all.indexOf(n) === i).flatMap((n) => [{ n, visible: true }, { n, visible: false }]);
  const scenarios: WatchScenario[] = [];
  for (const p of plan) scenarios.push(await measureWatch(p.n, p.visible));
  return {
    scenarios,
    main: scenarios[0] as WatchScenario,
    hidden: scenarios.find((s) => s.n === mainN && !s.visible),
  };
}
