// The failure streak of one deployment, counted from its runs (newest first) and what is known of
// their sessions. Pure; part of the lazily loaded runs chunk.

import type { DeploymentRun } from '../../api/types';
import { isFailure, isOver, runState, type RunState, type SessionFacts } from './runState';

export interface RunHealth {
  /** The newest run and its state. */
  last: { run: DeploymentRun; state: RunState } | undefined;
  /** Failed runs in a row (failed or could not start), newest first; cancelled and live runs are skipped. */
  streak: number;
  /** The streak reaches the oldest run fetched and more exist: it may be longer. */
  streakAtLeast: boolean;
  /** The newest run that failed (what a notification's run button opens). */
  lastFailure: { run: DeploymentRun; state: RunState } | undefined;
}

/**
 * The health of `runs` (newest first). Counting stops at the first run that finished well, or at a
 * run whose session state is not known yet (then the streak is what is known for sure).
 */
export function healthOf(runs: readonly DeploymentRun[], session: (id: string) => SessionFacts | undefined, hasMore = false): RunHealth {
  const stateOf = (run: DeploymentRun): RunState => runState(run, run.session_id ? session(run.session_id) : undefined);
  const first = runs[0];
  const health: RunHealth = { last: first ? { run: first, state: stateOf(first) } : undefined, streak: 0, streakAtLeast: false, lastFailure: undefined };
  let ended = false;
  for (const run of runs) {
    const state = stateOf(run);
    if (isFailure(state)) {
      health.streak++;
      health.lastFailure ??= { run, state };
      continue;
    }
    if (state.kind === 'cancelled' || (!isOver(state) && state.kind !== 'started')) continue;
    ended = true; // done, or not known yet
    break;
  }
  health.streakAtLeast = !ended && hasMore && health.streak > 0;
  return health;
}

/** Session ids of the runs `healthOf` would need to know to count the streak: the newest ones, up to the first finished well. */
export function sessionsToAsk(runs: readonly DeploymentRun[], session: (id: string) => SessionFacts | undefined, max = 10): string[] {
  const out: string[] = [];
  for (const run of runs) {
    if (out.length >= max) break;
    if (!run.session_id) {
      if (run.error) continue;
      break;
    }
    const known = session(run.session_id);
    if (!known) {
      out.push(run.session_id);
      continue;
    }
    const state = runState(run, known);
    if (!isFailure(state) && state.kind !== 'cancelled' && isOver(state)) break;
  }
  return out;
}

export function sameHealth(a: RunHealth, b: RunHealth): boolean {
  return a.streak === b.streak && a.streakAtLeast === b.streakAtLeast && a.last?.run.id === b.last?.run.id && sameState(a.last?.state, b.last?.state) && a.lastFailure?.run.id === b.lastFailure?.run.id;
}

function sameState(a: RunState | undefined, b: RunState | undefined): boolean {
  return a?.kind === b?.kind && a?.cause === b?.cause;
}
