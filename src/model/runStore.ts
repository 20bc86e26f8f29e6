// Recent runs per deployment, one page at a time ("Load more"). No vscode import.

import type { DeploymentRun, ListPage, RunListFilter } from '../api/types';
import { Emitter, type Disposable } from './events';

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
}

export class RunStore implements Disposable {
  private readonly changed = new Emitter<string>();
  /** Fires with the deployment id whose runs changed. */
  readonly onDidChange = this.changed.event;
  private entries = new Map<string, Entry>();
  private source: RunSource | undefined;

  constructor(private readonly pageSize = 10) {}

  setSource(source: RunSource | undefined): void {
    this.source = source;
    this.entries.clear();
  }

  get(deploymentId: string): RunHistory | undefined {
    return this.entries.get(deploymentId);
  }

  /** Forget the runs of one deployment (after Run Now, say), or all. */
  invalidate(deploymentId?: string): void {
    if (deploymentId) this.entries.delete(deploymentId);
    else this.entries.clear();
  }

  /** First page, once; later calls reuse it until invalidated. */
  ensure(deploymentId: string): Promise<void> {
    const e = this.entries.get(deploymentId);
    if (e) return e.inFlight ?? Promise.resolve();
    return this.fetch(deploymentId, undefined);
  }

  /** Next page. A second call while one is loading joins it instead of loading twice. */
  loadMore(deploymentId: string): Promise<void> {
    const e = this.entries.get(deploymentId);
    if (!e) return this.ensure(deploymentId);
    if (e.inFlight) return e.inFlight;
    if (!e.hasMore || !e.nextPage) return Promise.resolve();
    return this.fetch(deploymentId, e.nextPage);
  }

  private fetch(deploymentId: string, page: string | undefined): Promise<void> {
    const source = this.source;
    const entry: Entry = this.entries.get(deploymentId) ?? { runs: [], hasMore: false, nextPage: null, error: undefined, loading: false, inFlight: undefined };
    this.entries.set(deploymentId, entry);
    if (!source) return Promise.resolve();
    entry.loading = true;
    entry.inFlight = (async () => {
      try {
        const result = await source.listRunsPage(deploymentId, { limit: this.pageSize, ...(page ? { page } : {}) });
        if (this.entries.get(deploymentId) !== entry) return;
        const seen = new Set(entry.runs.map((r) => r.id));
        entry.runs = [...entry.runs, ...result.data.filter((r) => !seen.has(r.id))];
        entry.hasMore = result.has_more;
        entry.nextPage = result.next_page ?? result.last_id;
        entry.error = undefined;
      } catch (err) {
        entry.error = err;
      } finally {
        entry.loading = false;
        entry.inFlight = undefined;
        this.changed.fire(deploymentId);
      }
    })();
    return entry.inFlight;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
