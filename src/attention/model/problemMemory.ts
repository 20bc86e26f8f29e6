// Notify once per problem (issue 19 item 10). A deployment that flaps between active and paused
// on error, or whose failure streak rises again and again, is told about once; it is told again
// only after the user has seen that notification (answered or closed it), or after it stayed
// fixed (needing no attention) for `quietMs`. Pure (no vscode).

export interface ProblemMemoryOptions {
  /** How long a deployment must need no attention before a new problem counts as new. */
  quietMs?: number;
  now?: () => number;
}

interface Problem {
  seen: boolean;
  /** Since when the deployment has needed no attention; undefined while it still does. */
  fixedSince: number | undefined;
}

export class ProblemMemory {
  private readonly open = new Map<string, Problem>();

  constructor(private readonly opts: ProblemMemoryOptions = {}) {}

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /**
   * After a look at the deployments: which of `changes` to tell. `needing` holds the ids that need
   * attention now; the ones not in it start (or keep) counting as fixed.
   */
  select<C extends { deployment: { id: string } }>(changes: readonly C[], needing: ReadonlySet<string>): C[] {
    const quiet = this.opts.quietMs ?? 60 * 60_000;
    for (const [id, problem] of this.open) {
      if (needing.has(id)) problem.fixedSince = undefined;
      else if (problem.fixedSince === undefined) problem.fixedSince = this.now;
      else if (this.now - problem.fixedSince >= quiet) this.open.delete(id);
    }
    return changes.filter((c) => {
      const id = c.deployment.id;
      const problem = this.open.get(id);
      if (problem && !problem.seen) return false; // still the problem already told about
      this.open.set(id, { seen: false, fixedSince: undefined });
      return true;
    });
  }

  /** The user answered or closed the notification about `id`: a new problem may be told again. */
  seen(id: string): void {
    const problem = this.open.get(id);
    if (problem) problem.seen = true;
  }

  /** Another connection: nothing told before counts. */
  reset(): void {
    this.open.clear();
  }
}
