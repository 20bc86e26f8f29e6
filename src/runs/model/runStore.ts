// Recent runs per deployment, one page at a time ("Load more"). No vscode import.

import type { DeploymentRun, ListPage, RunListFilter } from '../../api/types';
import { Emitter, type Disposable } from '../../common/events';

export interface RunSource {
  listRunsPage(deploymentId: string, filter: RunListFilter, signal?: AbortSignal): Promise<ListPage<DeploymentRun>>;
}

export interface RunHistory {
  runs: DeploymentRun[];
  hasMore: boolean;
  error: unknown;
  loading: boolean;
}

interface Entry extends RunHistory {
  nextPage: string | null;
  inFlight: Promise<void> | undefined;
  abort: AbortController | undefined;
}

export class RunStore implements Disposable {
  private readonly changed = new Emitter<string>();
  /** Fires with the deployment id whose runs changed (loaded, failed or forgotten). */
  readonly onDidChange = this.changed.event;
  private entries = new Map<string, Entry>();
  private source: RunSource | undefined;

  constructor(private readonly pageSize = 10) {}

  setSource(source: RunSource | undefined): void {
    this.source = source;
    this.forgetAll();
  }

  get(deploymentId: string): RunHistory | undefined {
    return this.entries.get(deploymentId);
  }

  /** Forget the runs of one deployment (after Run Now, say), or all; a load in flight is cancelled. */
  invalidate(deploymentId?: string): void {
    if (deploymentId === undefined) {
      for (const id of this.forgetAll()) this.changed.fire(id);
      return;
    }
    const entry = this.entries.get(deploymentId);
    if (!entry) return;
    entry.abort?.abort();
    this.entries.delete(deploymentId);
    this.changed.fire(deploymentId);
  }

  private forgetAll(): string[] {
    const ids = [...this.entries.keys()];
    for (const entry of this.entries.values()) entry.abort?.abort();
    this.entries.clear();
    return ids;
  }

  /**
   * First page, once; later calls reuse it (or its error: a view asking again must not retry in
   * a loop) until invalidated or retried with loadMore().
   */
  ensure(deploymentId: string): Promise<void> {
    const entry = this.entries.get(deploymentId);
    if (entry) return entry.inFlight ?? Promise.resolve();
    return this.fetch(deploymentId, undefined);
  }

  /**
   * Next page, or the page that failed again. A second call while one is loading joins it
   * instead of loading twice.
   */
  loadMore(deploymentId: string): Promise<void> {
    const entry = this.entries.get(deploymentId);
    if (!entry) return this.ensure(deploymentId);
    if (entry.inFlight) return entry.inFlight;
    if (entry.error !== undefined) return this.fetch(deploymentId, entry.runs.length ? entry.nextPage ?? undefined : undefined);
    if (!entry.hasMore || !entry.nextPage) return Promise.resolve();
    return this.fetch(deploymentId, entry.nextPage);
  }

  private fetch(deploymentId: string, page: string | undefined): Promise<void> {
    const source = this.source;
    const entry: Entry = this.entries.get(deploymentId) ?? { runs: [], hasMore: false, nextPage: null, error: undefined, loading: false, inFlight: undefined, abort: undefined };
    this.entries.set(deploymentId, entry);
    if (!source) return Promise.resolve();
    const abort = new AbortController();
    entry.abort = abort;
    entry.loading = true;
    entry.inFlight = (async () => {
      try {
        const result = await source.listRunsPage(deploymentId, { limit: this.pageSize, ...(page ? { page } : {}) }, abort.signal);
        if (this.entries.get(deploymentId) !== entry) return;
        const seen = new Set(entry.runs.map((r) => r.id));
        entry.runs = [...entry.runs, ...result.data.filter((r) => !seen.has(r.id))];
        entry.hasMore = result.has_more;
        entry.nextPage = result.next_page ?? result.last_id;
        entry.error = undefined;
      } catch (err) {
        if (this.entries.get(deploymentId) !== entry) return;
        entry.error = err;
      } finally {
        entry.loading = false;
        entry.inFlight = undefined;
        entry.abort = undefined;
        if (this.entries.get(deploymentId) === entry) this.changed.fire(deploymentId);
      }
    })();
    return entry.inFlight;
  }

  dispose(): void {
    this.forgetAll();
    this.changed.dispose();
  }
}
