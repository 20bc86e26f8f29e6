// The write path: the one way every server mutation is sent (archive, pause, resume, run now,
// editor Save and Create, Duplicate's create, Cancel Session, and the session actions).
//
//   const outcome = await services.mutations.write({
//     verb: 'answer tool confirmation',      // for the log
//     key: sessionId,                        // one write at a time per key (or `row` for a deployment row)
//     send: (client) => client.someAction(sessionId, body),
//   });
//   switch (outcome.kind) { case 'done': … case 'invalid': … case 'failed': … }
//
// What it owns, so callers do not repeat it: the busy state (a row shows "Saving…"; a second
// write to the same row or key is refused as 'busy' and sends nothing), the connection
// generation (an answer that arrives after the token or region changed is 'dropped' and
// changes nothing; the store only takes an answer from the connection it was asked on), the
// mapping of 400 (with `param`) / 404 / 409, an Idempotency-Key for writes that are not naturally
// guarded (create, run now: the same key is reused for a retry while the last outcome was
// unsure), a pre-check before sending (the editor's conflict check and its question), and a
// reconcile (one GET of the deployment) after an outcome that may or may not have reached the
// server. Commands word the outcome. No vscode import.

import type { Deployment } from '../../api/types';
import { isApiError } from '../../api/errors';
import type { DeploymentStore } from './deploymentStore';
import { mayHaveReachedServer } from '../../common/errorText';

/** How one write ended. */
export type WriteOutcome<T> =
  | { kind: 'done'; result: T }
  /** The pre-check ended it (the user cancelled, nothing left to send): nothing was sent. */
  | { kind: 'stopped' }
  /** 400: the server refused a value; `param` names the field when the server said. */
  | { kind: 'invalid'; message: string; param?: string; error: unknown }
  /** 409, or the target was not in a state the write fits (nothing was sent). */
  | { kind: 'conflict' }
  /** 404: it no longer exists. */
  | { kind: 'gone' }
  /** Another write to the same row or key is running; nothing was sent. */
  | { kind: 'busy' }
  /** The connection changed while the request was in flight; its answer was dropped. */
  | { kind: 'dropped' }
  /** Any other failure; `unsure` when the server may have acted (it was reconciled). */
  | { kind: 'failed'; error: unknown; unsure: boolean };

export interface WriteSpec<Client, T> {
  /** For the log: "pause", "save". */
  verb: string;
  /** A deployment row: shows `busyLabel` while the write runs, one write per row at a time. */
  row?: { id: string; busyLabel: string };
  /** Anything else written to (a session id, a new document): one write per key at a time. */
  key?: string;
  /**
   * Writes the API does not guard by state (create, run now) carry an Idempotency-Key. Its
   * scope names "the same write": after an unsure outcome, the next write of that scope (same
   * connection, within an hour) sends the same key, so the server replays instead of repeating.
   */
  idempotencyScope?: string;
  /**
   * Runs before sending, on the same connection, with the row already busy: the conflict check
   * (and its question). Returns false to stop with nothing sent.
   */
  precheck?(client: Client): Promise<boolean>;
  send(client: Client, idempotencyKey: string | undefined): Promise<T>;
  /** The deployment as the server now has it, when the answer carries it: put into the list. */
  updated?(result: T): Deployment | undefined;
  /** Anything else the answer changes (run history, a document); called only on the same connection. */
  applied?(result: T): void;
  /** The deployment to re-read after a 409 or an unsure outcome (404 removes its row). */
  reconcile?: string;
}

/** The outcomes of a deployment command, each with its target (archive, pause, resume, run now). */
export type MutationOutcome<T> = WriteOutcome<T> & { target: Deployment };

export interface MutationSpec<Client, T> {
  /** For the log: "pause". */
  verb: string;
  /** Shown on the row while the request runs: "Pausing…". */
  busyLabel: string;
  /** Whether the action fits the deployment as we know it; when not, nothing is sent. */
  fits?(target: Deployment): boolean;
  /** Run now: see WriteSpec.idempotencyScope (the scope is the verb and the deployment). */
  idempotent?: boolean;
  send(client: Client, id: string, idempotencyKey: string | undefined): Promise<T>;
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
  /** Clock for the idempotency keys' lifetime (tests). */
  now?(): number;
  /** A fresh Idempotency-Key (tests). */
  newKey?(): string;
}

/** How long an unsure write's key is reused (the server keeps keys 24 h). */
const KEY_REUSE_MS = 60 * 60 * 1000;

export class WritePath<Client> {
  private readonly confirming = new Set<string>();
  private readonly writing = new Set<string>();
  private readonly unsureKeys = new Map<string, { key: string; generation: number; at: number }>();

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

  /** One write, through every step above. Never rejects for a server or network failure. */
  async write<T>(spec: WriteSpec<Client, T>): Promise<WriteOutcome<T>> {
    const { store } = this.deps;
    const lock = spec.row?.id ?? spec.key;
    if (lock !== undefined && this.writing.has(lock)) return { kind: 'busy' };
    if (spec.row && !store.beginAction(spec.row.id, spec.row.busyLabel)) return { kind: 'busy' };
    if (lock !== undefined) this.writing.add(lock);
    const ticket = store.ticket();
    let generation = this.deps.generation();
    try {
      const { client, generation: asked } = this.deps.connect();
      generation = asked;
      if (spec.precheck && !(await spec.precheck(client))) return generation === this.deps.generation() ? { kind: 'stopped' } : this.dropped(spec);
      if (generation !== this.deps.generation()) return this.dropped(spec);
      const key = spec.idempotencyScope === undefined ? undefined : this.keyFor(spec.idempotencyScope, generation);
      let result: T;
      try {
        result = await spec.send(client, key);
      } catch (error) {
        if (generation !== this.deps.generation()) return this.dropped(spec);
        const unsure = mayHaveReachedServer(error);
        if (spec.idempotencyScope !== undefined && !unsure) this.unsureKeys.delete(spec.idempotencyScope);
        if (isApiError(error, 400)) return { kind: 'invalid', message: error.message, param: error.param, error };
        if (isApiError(error, 404)) {
          await this.reconcile(client, spec.reconcile, ticket, generation);
          return { kind: 'gone' };
        }
        if (isApiError(error, 409)) {
          await this.reconcile(client, spec.reconcile, ticket, generation);
          return { kind: 'conflict' };
        }
        if (unsure) await this.reconcile(client, spec.reconcile, ticket, generation);
        return { kind: 'failed', error, unsure };
      }
      if (spec.idempotencyScope !== undefined) this.unsureKeys.delete(spec.idempotencyScope);
      if (generation !== this.deps.generation()) return this.dropped(spec);
      const updated = spec.updated?.(result);
      if (updated) store.replace(updated, ticket);
      spec.applied?.(result);
      return { kind: 'done', result };
    } catch (error) {
      // No client (signed out), or a pre-check that failed: nothing was sent.
      if (generation !== this.deps.generation()) return this.dropped(spec);
      return { kind: 'failed', error, unsure: false };
    } finally {
      if (lock !== undefined) this.writing.delete(lock);
      // A new connection has already cleared every action (and may have started its own).
      if (spec.row && generation === this.deps.generation()) store.endAction(spec.row.id);
    }
  }

  /** A deployment command on every target at once; each answer is applied as it is (no list walk). */
  async run<T>(targets: readonly Deployment[], spec: MutationSpec<Client, T>): Promise<MutationOutcome<T>[]> {
    return Promise.all(targets.map(async (target): Promise<MutationOutcome<T>> => {
      if (spec.fits && !spec.fits(target)) return { kind: 'conflict', target };
      const outcome = await this.write<T>({
        verb: spec.verb,
        row: { id: target.id, busyLabel: spec.busyLabel },
        idempotencyScope: spec.idempotent ? `${spec.verb} ${target.id}` : undefined,
        send: (client, key) => spec.send(client, target.id, key),
        updated: spec.updated,
        applied: spec.applied && ((result) => spec.applied?.(result, target)),
        reconcile: target.id,
      });
      return { ...outcome, target };
    }));
  }

  /** The key of a write of `scope`: the unsure one's again, else a new one (kept until a sure outcome). */
  private keyFor(scope: string, generation: number): string {
    const now = this.deps.now?.() ?? Date.now();
    const kept = this.unsureKeys.get(scope);
    if (kept && kept.generation === generation && now - kept.at < KEY_REUSE_MS) return kept.key;
    const key = this.deps.newKey?.() ?? globalThis.crypto.randomUUID();
    this.unsureKeys.set(scope, { key, generation, at: now });
    return key;
  }

  /** One GET of the deployment, so the row shows what the server did; only on the same connection. */
  private async reconcile(client: Client, id: string | undefined, ticket: number, generation: number): Promise<void> {
    if (id === undefined) return;
    try {
      const now = await this.deps.reread(client, id);
      if (generation !== this.deps.generation()) return;
      if (now) this.deps.store.replace(now, ticket);
      else this.deps.store.remove(id);
    } catch (e) {
      if (generation === this.deps.generation()) this.deps.log(`Re-reading ${id} after a change failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private dropped<T>(spec: WriteSpec<Client, T>): WriteOutcome<T> {
    this.deps.log(`Dropped the answer to ${spec.verb}${spec.row ? ` ${spec.row.id}` : ''}: the connection changed while it was in flight.`);
    return { kind: 'dropped' };
  }
}
