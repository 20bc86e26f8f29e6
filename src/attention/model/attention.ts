// Which deployments newly need attention after a load: paused after an error (and not before),
// or more consecutive failures than at the previous look (a load, or the runs of one deployment). Pure (no vscode). The first load of
// a connection only records the baseline, and an unchanged state is never reported twice.

import type { Deployment } from '../../api/types';
import { isArchived } from '../../deployments/model/deploymentStore';
import { consecutiveFailures, isPausedOnError, needsAttention } from '../../deployments/model/describe';
import { runHealth } from '../../runs/model/runHealth';

export interface AttentionChange {
  deployment: Deployment;
  kind: 'paused_on_error' | 'failures';
  failures: number;
}

interface Seen {
  pausedOnError: boolean;
  failures: number;
  /** The failure count came from fetched runs (runHealth.ts), not the legacy stats. */
  fromRuns: boolean;
  /** The update that last saw this deployment in the list. */
  stamp: number;
}

function seenOf(d: Deployment, stamp: number): Seen {
  return { pausedOnError: isPausedOnError(d), failures: consecutiveFailures(d), fromRuns: runHealth.streak(d.id) !== undefined, stamp };
}

/** What newly needs attention between two looks at one deployment; a count from another source is a new baseline. */
function changeOf(d: Deployment, before: Seen, now: Seen): AttentionChange | undefined {
  if (now.pausedOnError && !before.pausedOnError) return { deployment: d, kind: 'paused_on_error', failures: now.failures };
  if (now.fromRuns === before.fromRuns && now.failures > before.failures) return { deployment: d, kind: 'failures', failures: now.failures };
  return undefined;
}

export class AttentionWatch {
  private seen: Map<string, Seen> | undefined;
  private stamp = 0;

  /** A new connection (token or region): the next load is a first load again. */
  reset(): void {
    this.seen = undefined;
  }

  get hasBaseline(): boolean {
    return this.seen !== undefined;
  }

  /**
   * Compare a complete list with the previous one; returns what newly needs attention. Runs on
   * every change of the list (10,000 rows for one archived row), so what it saw is updated in
   * place rather than built again.
   */
  update(list: readonly Deployment[]): AttentionChange[] {
    const seen = (this.seen ??= new Map());
    const stamp = ++this.stamp;
    const changes: AttentionChange[] = [];
    let count = 0;
    for (const d of list) {
      if (isArchived(d)) continue;
      count++;
      const now = seenOf(d, stamp);
      const before = seen.get(d.id);
      if (!before) {
        seen.set(d.id, now);
        continue; // first load, or a deployment not seen before: baseline only
      }
      const change = changeOf(d, before, now);
      if (change) changes.push(change);
      Object.assign(before, now);
    }
    // Gone from the list (archived, deleted, another filter): forgotten, so a return is a new baseline.
    if (seen.size > count) for (const [id, s] of seen) if (s.stamp !== stamp) seen.delete(id);
    return changes;
  }

  /**
   * One deployment's runs went differently between loads (runs fetched, a session ended). The
   * first count from its runs is a baseline: only a later rise is news.
   */
  updateOne(d: Deployment): AttentionChange[] {
    const before = this.seen?.get(d.id);
    if (!this.seen || !before || isArchived(d)) return [];
    const now = seenOf(d, before.stamp);
    this.seen.set(d.id, now);
    const change = changeOf(d, before, now);
    return change ? [change] : [];
  }
}

/** The deployments that need attention now (for the status bar). */
export function attentionList(list: readonly Deployment[]): Deployment[] {
  return list.filter(needsAttention);
}

/**
 * Milliseconds between background loads: the setting, stretched so that walking all pages
 * stays under `maxPagesPerMinute` page requests a minute (with 20 % headroom for retries).
 */
export function backgroundIntervalMs(minutes: number, deployments: number, pageSize = 100, maxPagesPerMinute = 10): number {
  if (!(minutes > 0)) return 0;
  const pages = Math.max(1, Math.ceil(deployments / pageSize));
  const floor = Math.ceil((pages / maxPagesPerMinute) * 60_000 * 1.2);
  return Math.max(minutes * 60_000, floor);
}
