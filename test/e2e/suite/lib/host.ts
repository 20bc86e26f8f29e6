// Helpers for the in-host suite: the extension's test hooks, a scripted Ui that answers modals,
// input boxes and quick picks inside the extension host, waits on conditions, and the local
// Qoder API started inside the host (bundled into the suite by test/e2e/build.mjs).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TestHooks } from '../../../../src/extension';
import { windowUi, type Ui } from '../../../../src/platform/ui';
import { startLocalApi, type LocalApi, type RecordedRequest } from '../../../local-api/server';

import { EXTENSION_ID } from './ids';

export { EXTENSION_ID, QODER_ID } from './ids';

export async function hooks(): Promise<TestHooks> {
  const ext = vscode.extensions.getExtension<TestHooks | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const h = await ext.activate();
  if (!h) throw new Error('activate() returned no test hooks: is the extension running in ExtensionMode.Test?');
  return h;
}

/** Polls `cond` until it returns a truthy value (never a fixed sleep for correctness). */
export async function waitFor<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type UiKind = 'warning' | 'info' | 'error' | 'input' | 'pick' | 'status' | 'announce';

export interface UiCall {
  kind: UiKind;
  message: string;
  options: unknown;
  items: string[];
  answer: unknown;
}

type MessageAnswer = (message: string, items: string[], options: vscode.MessageOptions) => string | undefined;

/**
 * A Ui that records every call and answers from a script. Messages with buttons or `modal`
 * are answered by the script (default: dismissed, like Escape) and never reach the client;
 * plain notifications and status bar messages are also forwarded to vscode.window.
 */
export class ScriptedUi implements Ui {
  calls: UiCall[] = [];
  /** every call since the suite started (reset() does not clear it) */
  readonly history: UiCall[] = [];
  warning: MessageAnswer = () => undefined;
  info: MessageAnswer = () => undefined;
  error: MessageAnswer = () => undefined;
  input: (options: vscode.InputBoxOptions) => string | undefined = () => undefined;
  pick: (items: readonly vscode.QuickPickItem[], options: vscode.QuickPickOptions) => readonly vscode.QuickPickItem[] | vscode.QuickPickItem | undefined = () => undefined;

  reset(): void {
    this.calls = [];
    this.warning = () => undefined;
    this.info = () => undefined;
    this.error = () => undefined;
    this.input = () => undefined;
    this.pick = () => undefined;
  }

  private record(call: UiCall): void {
    this.calls.push(call);
    this.history.push(call);
  }

  of(kind: UiKind): UiCall[] {
    return this.calls.filter((c) => c.kind === kind);
  }

  private message(kind: 'warning' | 'info' | 'error', message: string, options: vscode.MessageOptions, items: string[]): Thenable<string | undefined> {
    const script = kind === 'warning' ? this.warning : kind === 'info' ? this.info : this.error;
    const answer = script(message, items, options);
    this.record({ kind, message, options, items, answer });
    if (!options?.modal && items.length === 0) {
      const show = kind === 'warning' ? vscode.window.showWarningMessage : kind === 'info' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
      void show(message);
    }
    return Promise.resolve(answer);
  }

  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined> {
    return this.message('warning', message, options, items);
  }
  showInformationMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined> {
    return this.message('info', message, options, items);
  }
  showErrorMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined> {
    return this.message('error', message, options, items);
  }
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    const answer = this.input(options);
    this.record({ kind: 'input', message: options.prompt ?? '', options, items: [], answer });
    return Promise.resolve(answer);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  showQuickPick(items: readonly any[], options: vscode.QuickPickOptions): Thenable<any> {
    const answer = this.pick(items, options);
    this.record({ kind: 'pick', message: options.placeHolder ?? '', options, items: items.map((i: vscode.QuickPickItem) => i.label), answer });
    return Promise.resolve(answer);
  }
  /** Recorded, and shown as the extension would (a self-closing progress notification). */
  announce(text: string): void {
    this.record({ kind: 'announce', message: text, options: {}, items: [], answer: undefined });
    windowUi().announce(text);
  }
  setStatusBarMessage(text: string, hideAfterTimeout: number): vscode.Disposable {
    this.record({ kind: 'status', message: text, options: { hideAfterTimeout }, items: [], answer: undefined });
    return vscode.window.setStatusBarMessage(text, hideAfterTimeout);
  }
}

export interface HostApi {
  api: LocalApi;
  /** token of the default account */
  token: string;
  /** a second account with the same seeded data (same seed salt), used to replace a revoked token */
  replacementToken: string;
}

export async function startApi(seed = 40): Promise<HostApi> {
  // random tails, so a search of the disk for them after the run finds nothing by chance
  const token = `pt-e2e-host-${randomBytes(12).toString('hex')}`;
  const replacementToken = `pt-e2e-replacement-${randomBytes(12).toString('hex')}`;
  const api = await startLocalApi({
    port: 0,
    token,
    seed,
    quiet: true,
    accounts: [{ token: replacementToken, seed, seedOffset: 0 }],
  });
  return { api, token, replacementToken };
}

export type Json = Record<string, unknown>;

/** Requests to one API route, e.g. ('POST', /\/deployments\/dep_x\/archive$/). */
export function requestsTo(api: LocalApi, method: string, path: RegExp): RecordedRequest[] {
  return api.requests.filter((r) => r.method === method && path.test(r.path));
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('qoder').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Another local API (e.g. an "attacker" a workspace setting might point at), with its own token. */
export async function startOtherApi(seed = 3): Promise<LocalApi> {
  return startLocalApi({ port: 0, token: `pt-e2e-other-${randomBytes(6).toString('hex')}`, seed, quiet: true });
}
