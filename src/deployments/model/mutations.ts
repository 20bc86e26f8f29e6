// The one path every mutation takes (archive, pause, resume, run now): mark the row busy → call
// the client → apply the answer only if the connection is still the one it started on →
// map 404/409 → re-read that one deployment when the server may have changed → clear busy. Commands declare what
// differs (a MutationSpec) and word the outcome; they do not repeat the steps. No vscode import.

import type { Deployment } from '../../api/types';
import { isApiError } from '../../api/errors';
import type { DeploymentStore } from './deploymentStore';
import { mayHaveReachedServer } from '../../common/errorText';

export type MutationOutcome<T> =
  | { kind: 'done'; target: Deployment; result: T }
  /** 409, or the deployment was not in a state the action fits (nothing was sent). */
  | { kind: 'conflict'; target: Deployment }
  /** 404: it no longer exists. */
  | { kind: 'gone'; target: Deployment }
  /** Another action on it is running; nothing was sent. */
  | { kind: 'busy'; target: Deployment }
  /** The connection changed while the request was in flight; its answer was dropped. */
  | { kind: 'dropped'; target: Deployment }
  | { kind: 'failed'; target: Deployment; error: unknown };

export interface MutationSpec<Client, T> {
  /** For the log: "pause". */
  verb: string;
  /** Shown on the row while the request runs: "Pausing…". */
  busyLabel: string;
  /** Whether the action fits the deployment as we know it; when not, nothing is sent. */
  fits?(target: Deployment): boolean;
  send(client: Client, id: string): Promise<T>;
  /** The deployment as the server now has it, when the answer carries it. */
  updated?(result: T): Deployment;
  /** Anything else the answer changes (the run history, say); called only on the same connection. */
  applied?(result: T, target: Deployment): void;
}

export interface MutationDeps<Client> {
  store: DeploymentStore;
  /** The current client and the connection generation it belongs to; throws when there is none. */
  connect(): { client: Client; generation: number };
  /** The current connection generation. */
  generation(): number;
  /** `GET /deployments/{id}`: the server's copy now, or undefined when it is gone (404). */
  reread(client: Client, id: string): Promise<Deployment | undefined>;
  log(line: string): void;
}

export class Mutations<Client> {
  private readonly confirming = new Set<string>();

  constructor(private readonly deps: MutationDeps<Client>) {}

  /**
   * Asks once per deployment: while a question about any of `ids` is open, another call
   * returns undefined without asking (a double click shows one modal).
   */
  async confirmOnce<R>(ids: readonly string[], ask: () => PromiseLike<R>): Promise<R | undefined> {
    if (ids.some((id) => this.confirming.has(id))) return undefined;
    for (const id of ids) this.confirming.add(id);
    try {
      return await ask();
    } finally {
      for (const id of ids) this.confirming.delete(id);
    }
  }

  /**
   * Runs the mutation on every target at once. An answer is applied as it is (no list page);
   * a target whose outcome may or may not have reached the server is re-read with one GET.
   */
  async run<T>(targets: readonly Deployment[], spec: MutationSpec<Client, T>): Promise<MutationOutcome<T>[]> {
    const outcomes = await Promise.all(targets.map((target) => this.one(target, spec)));
    const unsure = outcomes.filter((o) => o.kind === 'conflict' || o.kind === 'gone' || (o.kind === 'failed' && mayHaveReachedServer(o.error)));
    await Promise.all(unsure.map((o) => this.reread(o.target.id)));
    return outcomes;
  }

  /** The server's copy of one deployment replaces the shown one (or removes it); a failure leaves the row as it was. */
  private async reread(id: string): Promise<void> {
    try {
      const { client, generation } = this.deps.connect();
      const deployment = await this.deps.reread(client, id);
      if (generation !== this.deps.generation()) return;
      if (deployment) this.deps.store.replace(deployment);
      else this.deps.store.remove(id);
    } catch (e) {
      this.deps.log(`Re-reading ${id} after a change failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async one<T>(target: Deployment, spec: MutationSpec<Client, T>): Promise<MutationOutcome<T>> {
    const { store } = this.deps;
    if (spec.fits && !spec.fits(target)) return { kind: 'conflict', target };
    if (!store.beginAction(target.id, spec.busyLabel)) return { kind: 'busy', target };
    let generation = this.deps.generation();
    try {
      const connection = this.deps.connect();
      generation = connection.generation;
      const result = await spec.send(connection.client, target.id);
      if (generation !== this.deps.generation()) return this.dropped(target, spec);
      if (spec.updated) store.replace(spec.updated(result));
      spec.applied?.(result, target);
      return { kind: 'done', target, result };
    } catch (error) {
      if (generation !== this.deps.generation()) return this.dropped(target, spec);
      if (isApiError(error, 409)) return { kind: 'conflict', target };
      if (isApiError(error, 404)) return { kind: 'gone', target };
      return { kind: 'failed', target, error };
    } finally {
      // A new connection has already cleared every action (and may have started its own).
      if (generation === this.deps.generation()) store.endAction(target.id);
    }
  }

  private dropped<T>(target: Deployment, spec: MutationSpec<Client, T>): MutationOutcome<T> {
    this.deps.log(`Dropped the answer to ${spec.verb} ${target.id}: the connection changed while it was in flight.`);
    return { kind: 'dropped', target };
  }
}
