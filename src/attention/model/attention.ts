// Which deployments newly need attention after a load: paused after an error (and not before),
// or more consecutive failures than at the previous load. Pure (no vscode). The first load of
// a connection only records the baseline, and an unchanged state is never reported twice.

import type { Deployment } from '../../api/types';
import { isArchived } from '../../deployments/model/deploymentStore';
import { consecutiveFailures, isPausedOnError, needsAttention } from '../../deployments/model/describe';

export interface AttentionChange {
  deployment: Deployment;
  kind: 'paused_on_error' | 'failures';
  failures: number;
}

interface Seen {
  pausedOnError: boolean;
  failures: number;
}

export class AttentionWatch {
  private seen: Map<string, Seen> | undefined;

  /** A new connection (token or region): the next load is a first load again. */
  reset(): void {
    this.seen = undefined;
  }

  get hasBaseline(): boolean {
    return this.seen !== undefined;
  }

  /** Compare a complete list with the previous one; returns what newly needs attention. */
  update(list: readonly Deployment[]): AttentionChange[] {
    const next = new Map<string, Seen>();
    const changes: AttentionChange[] = [];
    for (const d of list) {
      if (isArchived(d)) continue;
      const now: Seen = { pausedOnError: isPausedOnError(d), failures: consecutiveFailures(d) };
      next.set(d.id, now);
      const before = this.seen?.get(d.id);
      if (!this.seen || !before) continue; // first load, or a deployment not seen before: baseline only
      if (now.pausedOnError && !before.pausedOnError) changes.push({ deployment: d, kind: 'paused_on_error', failures: now.failures });
      else if (now.failures > before.failures) changes.push({ deployment: d, kind: 'failures', failures: now.failures });
    }
    this.seen = next;
    return changes;
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
