// How each deployment's runs have been going (streak.ts counts), kept for the rows, the badge,
// the status bar and the notifications. The deployment object has no run statistics, so this is
// the only place a failure streak comes from (the legacy `metadata.cas_config.stats` aside).
// One book per extension host, handed to the lazy chunks through the kernel. No vscode import.

import type { DeploymentRun } from '../../api/types';
import { Emitter, type Disposable } from '../../common/events';
import type { SessionFacts } from './runState';
import type { RunHealth } from './streak';
import { runsChunk } from '../runsChunk';

export type { RunHealth } from './streak';

export interface RunSessions {
  get(id: string): SessionFacts | undefined;
}

/**
 * The health of every deployment whose runs were fetched. Fed with run pages (`setRuns`) and told
 * when a session's state changed (`sessionChanged`); fires the ids of deployments whose health
 * changed. `clear()` on a new connection: one account's runs never count for another.
 */
export class RunHealthBook implements Disposable {
  private readonly runs = new Map<string, { list: readonly DeploymentRun[]; hasMore: boolean }>();
  private readonly health = new Map<string, RunHealth>();
  private readonly owners = new Map<string, string>();
  private sessions: RunSessions = { get: () => undefined };
  private readonly changed = new Emitter<string>();
  readonly onDidChange = this.changed.event;

  setSessions(sessions: RunSessions): void {
    this.sessions = sessions;
  }

  get(deploymentId: string): RunHealth | undefined {
    return this.health.get(deploymentId);
  }

  /** Failed runs in a row, or undefined when no runs of this deployment were fetched. */
  streak(deploymentId: string): number | undefined {
    return this.health.get(deploymentId)?.streak;
  }

  /** The runs of a deployment, newest first (a page of its history); returns the sessions worth asking about. */
  setRuns(deploymentId: string, list: readonly DeploymentRun[], hasMore: boolean): string[] {
    this.runs.set(deploymentId, { list, hasMore });
    for (const r of list) if (r.session_id) this.owners.set(r.session_id, deploymentId);
    this.recompute(deploymentId);
    return runsChunk().sessionsToAsk(list, (id) => this.sessions.get(id));
  }

  /** A run the extension started or the runs feed found: it goes first. */
  addRun(run: DeploymentRun): void {
    const have = this.runs.get(run.deployment_id);
    if (!have) return; // the history was never fetched: one run is no streak
    if (have.list.some((r) => r.id === run.id)) return;
    this.setRuns(run.deployment_id, [run, ...have.list], have.hasMore);
  }

  /** A session's state changed: recompute the deployment whose run started it. */
  sessionChanged(sessionId: string): void {
    const owner = this.owners.get(sessionId);
    if (owner !== undefined) this.recompute(owner);
  }

  clear(): void {
    const ids = [...this.health.keys()];
    this.runs.clear();
    this.health.clear();
    this.owners.clear();
    for (const id of ids) this.changed.fire(id);
  }

  private recompute(deploymentId: string): void {
    const have = this.runs.get(deploymentId);
    if (!have) return;
    const next = runsChunk().healthOf(have.list, (id) => this.sessions.get(id), have.hasMore);
    const prev = this.health.get(deploymentId);
    this.health.set(deploymentId, next);
    if (!prev || !runsChunk().sameHealth(prev, next)) this.changed.fire(deploymentId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Where the book's facts come from: run histories and the session statuses they ask for. */
export interface RunHealthSources {
  runs: { onDidChange(listener: (deploymentId: string) => void): Disposable; get(deploymentId: string): { runs: readonly DeploymentRun[]; hasMore: boolean; loading: boolean; error?: unknown } | undefined };
  statuses: RunSessions & { onDidChange(listener: (sessionId: string) => void): Disposable; request(sessionId: string): void };
}

/** Feeds `book` with each settled page of a deployment's runs, and with the session states it asks for (and reads). */
export function feedRunHealth(book: RunHealthBook, runs: RunHealthSources['runs'], statuses: RunHealthSources['statuses']): Disposable[] {
  // The book reads session states from the same cache it asks: without it every failed session
  // counted as "not known yet" and only runs that could not start made a streak.
  book.setSessions(statuses);
  return [
    { dispose: () => book.setSessions({ get: () => undefined }) },
    runs.onDidChange((id) => {
      const history = runs.get(id);
      if (!history || history.loading || history.error !== undefined) return;
      for (const sid of book.setRuns(id, history.runs, history.hasMore)) statuses.request(sid);
    }),
    statuses.onDidChange((sid) => book.sessionChanged(sid)),
  ];
}

/** The one book of the extension host; the connection clears it. */
export const runHealth = new RunHealthBook();
