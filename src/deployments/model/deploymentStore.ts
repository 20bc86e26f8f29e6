// The current list of deployments and its loading state. The tree reads it, commands write
// to it; neither talks to the other. No vscode import: runs under plain Node.

import type { Deployment, InvalidItem } from '../../api/types';
import { Emitter, type Disposable } from '../../common/events';

export interface LoadResult {
  deployments: Deployment[];
  invalid: InvalidItem[];
}

/** Where deployments come from: normally a QoderClient bound to one base URL and token. */
export interface DeploymentSource {
  /** `onPage` receives the deployments loaded so far while more pages are coming. */
  listAll(includeArchived: boolean, signal: AbortSignal, onPage?: (soFar: readonly Deployment[]) => void): Promise<LoadResult>;
}

export type LoadState =
  | 'signedOut' // no source (no token)
  | 'loading' // first load, nothing to show yet
  | 'ready' // a list is shown (possibly stale, see `error`)
  | 'empty' // loaded, the account has nothing to show
  | 'error'; // the first load failed; nothing to show

export function isArchived(deployment: Deployment): boolean {
  return deployment.archived_at !== null;
}

export class DeploymentStore implements Disposable {
  private readonly changed = new Emitter<string | undefined>();
  /**
   * Fires with a deployment id when only that deployment's shown state changed in place (an
   * update from the server, an action starting or ending), so a view can redraw just that row;
   * with undefined when the list or the loading state changed.
   */
  readonly onDidChange = this.changed.event;

  private source: DeploymentSource | undefined;
  private includeArchived: boolean;
  private list: Deployment[] = [];
  private byId = new Map<string, Deployment>();
  private loaded = false;
  private loading: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private again = false;
  /** Bumped whenever the source changes, so a walk started for an old token is discarded. */
  private generation = 0;
  private lastError: unknown;
  private lastInvalid: InvalidItem[] = [];
  private lastUpdatedAt: number | undefined;
  private readonly actions = new Map<string, string>();
  /** Rows changed in place (or removed) since the walk in flight started: that walk's copy of them is older. */
  private readonly changedSinceWalk = new Set<string>();
  private readonly now: () => number;
  /** Number of list walks started (for tests and the benchmark). */
  walks = 0;

  constructor(opts: { includeArchived?: boolean; now?: () => number } = {}) {
    this.includeArchived = opts.includeArchived ?? false;
    this.now = opts.now ?? Date.now;
  }

  get deployments(): readonly Deployment[] {
    return this.list;
  }
  get showsArchived(): boolean {
    return this.includeArchived;
  }
  get error(): unknown {
    return this.lastError;
  }
  /** A list is shown but the last refresh failed. */
  get stale(): boolean {
    return this.loaded && this.lastError !== undefined;
  }
  get invalid(): readonly InvalidItem[] {
    return this.lastInvalid;
  }
  get lastUpdated(): number | undefined {
    return this.lastUpdatedAt;
  }
  get isLoading(): boolean {
    return this.loading !== undefined;
  }
  get state(): LoadState {
    if (!this.source) return 'signedOut';
    if (!this.loaded) return this.lastError !== undefined && !this.loading ? 'error' : 'loading';
    return this.list.length ? 'ready' : 'empty';
  }

  get(id: string): Deployment | undefined {
    return this.byId.get(id);
  }

  /** A new token or base URL: forget everything that came from the old one. */
  setSource(source: DeploymentSource | undefined): void {
    this.generation++;
    this.abort?.abort();
    this.abort = undefined;
    this.loading = undefined;
    this.again = false;
    this.source = source;
    this.setList([]);
    this.loaded = false;
    this.lastError = undefined;
    this.lastInvalid = [];
    this.lastUpdatedAt = undefined;
    this.actions.clear();
    this.changedSinceWalk.clear();
    this.changed.fire(undefined);
  }

  setIncludeArchived(include: boolean): Promise<void> {
    if (include === this.includeArchived) return Promise.resolve();
    this.includeArchived = include;
    if (!include) this.setList(this.list.filter((deployment) => !isArchived(deployment)));
    this.changed.fire(undefined);
    return this.refresh({ fresh: true });
  }

  /**
   * Loads the whole list. Concurrent calls join the walk in flight. With `fresh`, a walk
   * in flight is followed by exactly one more, so the result reflects changes made after
   * it started (for example, a mutation). Never rejects: failures land in `error`.
   */
  refresh(opts: { fresh?: boolean } = {}): Promise<void> {
    if (!this.source) return Promise.resolve();
    if (this.loading) {
      if (opts.fresh) this.again = true;
      return this.loading;
    }
    this.loading = this.walk();
    this.changed.fire(undefined);
    return this.loading;
  }

  private async walk(): Promise<void> {
    const generation = this.generation;
    do {
      this.again = false;
      const source = this.source;
      if (!source) break;
      const abort = new AbortController();
      this.abort = abort;
      this.walks++;
      // The server answers this walk after everything changed so far: only later changes win.
      this.changedSinceWalk.clear();
      try {
        // The first load shows rows as pages arrive; later walks keep the shown list until
        // they are complete, so it never shrinks or flickers.
        const onPage = (soFar: readonly Deployment[]): void => {
          if (generation !== this.generation || this.loaded) return;
          this.setList(this.visible(this.newest(soFar)));
          this.changed.fire(undefined);
        };
        const result = await source.listAll(this.includeArchived, abort.signal, onPage);
        if (generation !== this.generation) return;
        this.setList(this.visible(this.newest(result.deployments)));
        this.lastInvalid = result.invalid;
        this.loaded = true;
        this.lastError = undefined;
        this.lastUpdatedAt = this.now();
      } catch (e) {
        if (generation !== this.generation) return;
        this.lastError = e;
        // The first walk failed after some pages were shown: keep them, marked stale.
        if (!this.loaded && this.list.length) {
          this.loaded = true;
          this.lastUpdatedAt = this.now();
        }
      }
    } while (this.again && generation === this.generation);
    this.loading = undefined;
    this.abort = undefined;
    this.changed.fire(undefined);
  }

  /**
   * A walk's list, except rows changed in place since the walk started: those keep the newer
   * copy (or stay removed), so an older list never undoes a mutation.
   */
  private newest(list: readonly Deployment[]): readonly Deployment[] {
    if (!this.changedSinceWalk.size) return list;
    const out: Deployment[] = [];
    for (const deployment of list) {
      if (!this.changedSinceWalk.has(deployment.id)) out.push(deployment);
      else {
        const current = this.byId.get(deployment.id);
        if (current) out.push(current);
      }
    }
    const listed = new Set(list.map((deployment) => deployment.id));
    const added = [...this.changedSinceWalk].filter((id) => !listed.has(id)).map((id) => this.byId.get(id));
    return [...added.filter((deployment): deployment is Deployment => deployment !== undefined), ...out];
  }

  /** Which source the store is on now: take one before asking, hand it to `replace` with the answer. */
  ticket(): number {
    return this.generation;
  }

  /**
   * Puts the server's latest copy of one deployment in place (or removes it when it is now
   * hidden), if it was asked for on the source the store still has (`ticket`): an answer from
   * an older token or region never appears in the new one's list.
   */
  replace(deployment: Deployment, ticket: number): void {
    if (!this.source || ticket !== this.generation) return;
    this.changedSinceWalk.add(deployment.id);
    if (isArchived(deployment) && !this.includeArchived) {
      this.remove(deployment.id);
      return;
    }
    const index = this.list.findIndex((x) => x.id === deployment.id);
    if (index >= 0) this.list = [...this.list.slice(0, index), deployment, ...this.list.slice(index + 1)];
    else this.list = [deployment, ...this.list];
    this.byId.set(deployment.id, deployment);
    this.changed.fire(index >= 0 ? deployment.id : undefined);
  }

  remove(id: string): void {
    if (!this.byId.delete(id)) return;
    this.changedSinceWalk.add(id);
    this.list = this.list.filter((deployment) => deployment.id !== id);
    this.changed.fire(undefined);
  }

  /**
   * Marks an action as running on a deployment ("Archiving…"). Returns false when one is
   * already running, so a double click sends nothing twice.
   */
  beginAction(id: string, label: string): boolean {
    if (this.actions.has(id)) return false;
    this.actions.set(id, label);
    this.changed.fire(id);
    return true;
  }

  endAction(id: string): void {
    if (this.actions.delete(id)) this.changed.fire(id);
  }

  pendingAction(id: string): string | undefined {
    return this.actions.get(id);
  }

  private visible(list: readonly Deployment[]): Deployment[] {
    return this.includeArchived ? list.slice() : list.filter((deployment) => !isArchived(deployment));
  }

  private setList(list: Deployment[]): void {
    this.list = list;
    this.byId = new Map(list.map((deployment) => [deployment.id, deployment]));
  }

  dispose(): void {
    this.abort?.abort();
    this.changed.dispose();
  }
}
