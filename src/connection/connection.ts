// Owns the current connection: base URL + token → QoderClient. Two kinds of change, two events:
// - onDidConnect: now connected to another account or region, or signed out. The generation goes
//   up (answers that belong to the old one are recognised and dropped), and every part that
//   holds data of the connection has been reset first, through the one reset list (onReset).
// - onDidChangeSignIn: a sign-in attempt failed or its message was cleared. Nothing else changes:
//   a rejected token (a typo while signed in) keeps the list, open documents and live sessions.

import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { QoderClient, QoderError, RequestBudget, type Deployment, type FetchLike, type InvalidItem } from '../api';
import type { DeploymentSource, LoadResult } from '../deployments/model/deploymentStore';
import { DeploymentStore } from '../deployments/model/deploymentStore';
import { RunStore } from '../runs/model/runStore';
import { WritePath } from '../deployments/model/mutations';
import { TokenStore } from './tokenStore';
import { Log } from '../platform/log';
import * as config from '../platform/config';
import { Disposable } from '../platform/lifecycle';

/** What a part that belongs to the connection starts over from. */
export interface ConnectionState {
  /** The client of the new connection; undefined when signed out or misconfigured. */
  client: QoderClient | undefined;
  /** Why there is no client although a token exists (a bad base URL, say). */
  error: QoderError | undefined;
  generation: number;
}

export interface ConnectionOptions {
  timeoutMs?: number;
  /** The transport of every client (tests); node-fetch when absent. */
  fetch?: FetchLike;
  /** Shows a failure to re-read the connection (once per failure). */
  onReloadError?: (e: unknown) => void;
}

export class Connection extends Disposable {
  private client: QoderClient | undefined;
  private configError: QoderError | undefined;
  private baseUrl = '';
  private token: string | undefined;
  private loaded = false;
  private connectionGeneration = 0;
  /** One budget for every request the extension makes, whatever the client, token or host. */
  readonly budget = new RequestBudget();
  private readonly connected = this._register(new vscode.EventEmitter<void>());
  /** Another account or region, or signed out; every registered reset has run already. */
  readonly onDidConnect = this.connected.event;
  private readonly signInChanged = this._register(new vscode.EventEmitter<void>());
  /** A sign-in attempt failed, or its message was cleared. The connection itself is unchanged. */
  readonly onDidChangeSignIn = this.signInChanged.event;
  /** What starts over when the connection changes: "what does sign-out reset?" is this list. */
  private readonly resets: { what: string; reset: (state: ConnectionState) => void }[] = [];
  private reloading: Promise<void> | undefined;
  /** The last failed Set Token check: its error, and the token (memory only) for Try Again. */
  private failedSignIn: { error: unknown; baseUrl: string; token: string } | undefined;
  private reloadAgain = false;
  /** What was last logged about unreadable deployments, so auto-refresh does not repeat it. */
  private loggedInvalid = '';

  constructor(
    private readonly tokens: TokenStore,
    readonly store: DeploymentStore,
    readonly runs: RunStore,
    private readonly log: Log,
    private readonly options: ConnectionOptions = {},
  ) {
    super();
    // A token set or cleared (in this window or another) or another region: connect again.
    this._register(tokens.onDidChange(() => void this.reload()));
    this._register(config.onDidChange((change) => {
      // A workspace value is ignored (application scope), so only a real change reconnects.
      if (change.apiBaseUrl && config.apiBaseUrl() !== this.baseUrl) void this.reload();
    }));
    this.onReset('deployments', ({ client, error }) => this.store.setSource(this.deploymentSource(client, error)));
    this.onReset('runs', ({ client }) => this.runs.setSource(client ? { listRunsPage: (id, filter, signal) => client.listRunsPage(id, filter, { signal }) } : undefined));
  }

  /**
   * Registers what starts over when the connection changes (another account or region, or
   * signed out), under a name for the log. Runs in registration order, before onDidConnect.
   */
  onReset(what: string, reset: (state: ConnectionState) => void): vscode.Disposable {
    const entry = { what, reset };
    this.resets.push(entry);
    return new vscode.Disposable(() => {
      const i = this.resets.indexOf(entry);
      if (i >= 0) this.resets.splice(i, 1);
    });
  }

  /** The write path for every mutation, on this connection's clients and generations. */
  writePath(): WritePath<QoderClient> {
    return new WritePath<QoderClient>({
      store: this.store,
      connect: () => ({ client: this.requireClient(), generation: this.connectionGeneration }),
      generation: () => this.connectionGeneration,
      reread: (client, id) => client.findDeployment(id),
      log: (line) => this.log.info(line),
    });
  }

  /** The names of the registered resets, in the order they run. */
  resetNames(): string[] {
    return this.resets.map((r) => r.what);
  }

  get hasToken(): boolean {
    return this.client !== undefined || this.configError !== undefined;
  }

  get apiBaseUrl(): string {
    return this.baseUrl;
  }

  /** Why the last Set Token check failed (shown in the welcome view until a token works). */
  get signInError(): unknown {
    return this.failedSignIn?.error;
  }

  setSignInFailure(error: unknown, baseUrl: string, token: string): void {
    this.failedSignIn = { error, baseUrl, token };
    this.signInChanged.fire();
  }

  /** The token of the failed check, if it was for the current base URL (never sent elsewhere). */
  retryToken(): string | undefined {
    const f = this.failedSignIn;
    return f && f.baseUrl === config.apiBaseUrl() ? f.token : undefined;
  }

  clearSignInFailure(): void {
    if (!this.failedSignIn) return;
    this.failedSignIn = undefined;
    this.signInChanged.fire();
  }

  /** A name for the signed-in account that reveals nothing of its token; undefined when signed out. */
  get accountName(): string | undefined {
    if (!this.client || !this.token) return undefined;
    return createHash('sha256').update(`qoder-account\n${this.baseUrl}\n${this.token}`).digest('hex').slice(0, 32);
  }

  /** Goes up every time the connection (token or base URL) changes. */
  get generation(): number {
    return this.connectionGeneration;
  }

  /** The client for the current token, or a clear error saying why there is none. */
  requireClient(): QoderClient {
    if (this.configError) throw this.configError;
    if (!this.client) throw new QoderError('config', vscode.l10n.t('No Personal Access Token is set. Run “Qoder: Set Personal Access Token” first.'));
    return this.client;
  }

  createClient(baseUrl: string, token: string): QoderClient {
    this.log.addSecret(token);
    return new QoderClient({
      baseUrl,
      token,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
      budget: this.budget,
      onRequest: (entry) => {
        const line = `${entry.method} ${entry.path} → ${entry.status ?? entry.error ?? 'no answer'} in ${Math.round(entry.durationMs)} ms${entry.attempt > 1 ? ` (attempt ${entry.attempt})` : ''}${entry.requestId ? ` [request ${entry.requestId}]` : ''}`;
        if (entry.status !== undefined && entry.status < 400) this.log.info(line);
        else this.log.warn(line);
      },
    });
  }

  /**
   * Re-reads the setting and the token. Serialized: rapid token changes end on the newest.
   * Never rejects: a failure (SecretStorage unavailable, say) is logged and shown once, and the
   * next call tries again.
   */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          await this.reloadOnce();
        } while (this.reloadAgain);
      } catch (e) {
        this.log.error(`Could not read the connection settings: ${e instanceof Error ? e.message : String(e)}`);
        this.options.onReloadError?.(e);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private async reloadOnce(): Promise<void> {
    const baseUrl = config.apiBaseUrl();
    const token = await this.tokens.get(baseUrl);
    // The same connection again (our own token write echoed by onDidChange): keep the list.
    if (this.loaded && baseUrl === this.baseUrl && token === this.token) return;
    const first = !this.loaded;
    this.loaded = true;
    const clearsSignIn = this.failedSignIn !== undefined && (token !== undefined || baseUrl !== this.baseUrl);
    if (clearsSignIn) this.failedSignIn = undefined;
    this.connectionGeneration++;
    this.baseUrl = baseUrl;
    this.token = token;
    this.client = undefined;
    this.configError = undefined;
    if (token) {
      try {
        this.client = this.createClient(this.baseUrl, token);
      } catch (e) {
        this.configError = e instanceof QoderError ? e : new QoderError('config', String(e));
        this.log.error(`Not connecting: ${this.configError.message}`);
      }
    }
    const state: ConnectionState = { client: this.client, error: this.configError, generation: this.connectionGeneration };
    if (!first) this.log.info(`${state.client ? 'Signed in' : 'Signed out'} (another connection): resetting ${this.resetNames().join(', ')}.`);
    for (const { reset } of [...this.resets]) reset(state);
    if (clearsSignIn) this.signInChanged.fire();
    this.connected.fire();
  }

  private deploymentSource(client: QoderClient | undefined, configError: QoderError | undefined): DeploymentSource | undefined {
    if (client) {
      return {
        listAll: async (includeArchived, signal, onPage): Promise<LoadResult> => {
          const result = await client.listAllDeployments({ include_archived: includeArchived }, { signal, onPage });
          this.logInvalid(result.invalid);
          return result;
        },
      };
    }
    return configError ? { listAll: () => Promise.reject(configError) } : undefined;
  }

  /** "See the log for details": one line per deployment that could not be read, with its id and the reason. */
  private logInvalid(invalid: readonly InvalidItem[]): void {
    const lines = invalid.map((item) => item.id !== undefined
      ? `Deployment ${item.id} (item ${item.index + 1} of the list) could not be read and is not shown: ${item.reason}`
      : `A deployment without an id (item ${item.index + 1} of the list) could not be read and is not shown: ${item.reason}`);
    const key = lines.join('\n');
    if (key === this.loggedInvalid) return;
    this.loggedInvalid = key;
    for (const line of lines) this.log.warn(line);
  }

  /** A deployment by id: from the list when present, else from the API. */
  async deployment(id: string): Promise<Deployment> {
    return this.store.get(id) ?? (await this.requireClient().getDeployment(id));
  }
}
