// activate(): build the services, the view and the commands, then wire the events between them.

import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { DeploymentStore } from './model/deploymentStore';
import { RunStore } from './model/runStore';
import { Mutations } from './model/actions';
import { FilterState } from './model/filter';
import { Poller } from './model/poller';
import { TokenStore } from './auth/tokenStore';
import { Log } from './log';
import { Session } from './session';
import { windowUi, type Ui } from './ui';
import * as config from './config';
import { VIEW_ID, DETAILS_SCHEME } from './constants';
import { QoderApiError, type FetchLike, type QoderClient } from './api';
import { DeploymentsTreeProvider } from './views/deploymentsTree';
import { DetailsProvider } from './views/detailsDocument';
import { ViewState } from './views/viewState';
import { reportFailure, type Services } from './commands/common';
import { promptOnRejectedToken } from './commands/authPrompt';
import { registerArchive } from './commands/archive';
import { registerPause } from './commands/pause';
import { registerResume } from './commands/resume';
import { registerRunNow } from './commands/runNow';
import { registerCopyId } from './commands/copyId';
import { registerCopyAsCurl } from './commands/copyAsCurl';
import { registerShowDetails } from './commands/showDetails';
import { registerShowRunDetails } from './commands/showRunDetails';
import { registerSetToken } from './commands/setToken';
import { registerClearToken } from './commands/clearToken';
import { registerRefresh } from './commands/refresh';
import { registerShowArchived } from './commands/showArchived';
import { registerHideArchived } from './commands/hideArchived';
import { registerShowLog } from './commands/showLog';
import { registerLoadMoreRuns } from './commands/loadMoreRuns';
import { registerFilter } from './commands/filter';
import { registerClearFilter } from './commands/clearFilter';
import { registerSwitchRegion } from './commands/switchRegion';

/** Returned by activate() only in ExtensionMode.Test, for the in-host test suite. */
export interface TestHooks {
  services: Services;
  tree: DeploymentsTreeProvider;
  view: vscode.TreeView<unknown>;
  filter: FilterState;
  poller: Poller;
  /** Replace to answer modals, input boxes and picks from a test. */
  setUi(ui: Ui): void;
}

/** What tests may change about the services (unit tests run without a network). */
export interface BuildOptions {
  fetch?: FetchLike;
}

interface Parts {
  services: Services;
  filter: FilterState;
  tree: DeploymentsTreeProvider;
  view: vscode.TreeView<unknown>;
  poller: Poller;
  /** Loads the list once the view has been seen (or a command asks). */
  loadIfSeen(): void;
  disposables: vscode.Disposable[];
}

function buildServices(context: vscode.ExtensionContext, options: BuildOptions): Parts {
  const log = new Log(vscode.window.createOutputChannel('Qoder', { log: true }));
  const tokens = new TokenStore(context.secrets);
  const store = new DeploymentStore({ includeArchived: config.showArchived() });
  const runs = new RunStore();
  const ui = windowUi();
  // Tests only: a short client timeout (QODER_TEST_TIMEOUT_MS), ignored outside ExtensionMode.Test.
  const testTimeoutMs = context.extensionMode === vscode.ExtensionMode.Test ? Number(process.env.QODER_TEST_TIMEOUT_MS) : NaN;
  const session = new Session(tokens, store, runs, log, {
    ...(testTimeoutMs > 0 ? { timeoutMs: testTimeoutMs } : {}),
    fetch: options.fetch,
    // Called during a reload, long after `services` below exists.
    onReloadError: (e) => void reportFailure(services, vscode.l10n.t('Reading the Qoder token'), e),
  });
  const mutations = new Mutations<QoderClient>({
    store,
    connect: () => ({ client: session.requireClient(), generation: session.generation }),
    generation: () => session.generation,
    log: (line) => log.info(line),
  });
  const services: Services = { session, store, runs, tokens, mutations, log, ui };

  const filter = new FilterState();
  const tree = new DeploymentsTreeProvider(store, runs, filter);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true }) as vscode.TreeView<unknown>;
  const viewState = new ViewState(view, store, session, filter, tree);
  const details = new DetailsProvider(services);

  let seen = view.visible;
  const loadIfSeen = (): void => {
    if (seen) void store.refresh();
  };
  const markSeen = view.onDidChangeVisibility((e) => {
    if (e.visible && !seen) {
      seen = true;
      loadIfSeen();
    }
  });

  // Auto-refresh only while someone can see it; never two walks at once (the store joins them).
  const poller = new Poller({
    intervalMs: () => config.autoRefreshSeconds() * 1000,
    isActive: () => view.visible && vscode.window.state.focused && session.hasToken,
    lastUpdated: () => store.lastUpdated,
    poll: async () => {
      await store.refresh();
      const error = store.error;
      if (!error) return { ok: true };
      return { ok: false, retryAfterMs: error instanceof QoderApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined };
    },
  });

  const disposables: vscode.Disposable[] = [
    log, tokens, store, runs, session, filter, tree, view, viewState, details, poller, markSeen,
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    promptOnRejectedToken(services),
    registerArchive(services),
    registerPause(services),
    registerResume(services),
    registerRunNow(services),
    registerCopyId(services),
    registerCopyAsCurl(services),
    registerShowDetails(services),
    registerShowRunDetails(services),
    registerSetToken(services),
    registerClearToken(services),
    registerRefresh(services),
    registerShowArchived(services),
    registerHideArchived(services),
    registerShowLog(services),
    registerLoadMoreRuns(services),
    ...registerFilter(services, filter),
    registerClearFilter(filter),
    registerSwitchRegion(services),
  ];
  return { services, filter, tree, view, poller, loadIfSeen, disposables };
}

/** The events that connect the pieces: visibility, focus, token and settings changes. */
function wireEvents(parts: Parts): vscode.Disposable[] {
  const { services: { session, store, tokens }, view, poller, loadIfSeen } = parts;
  return [
    view.onDidChangeVisibility(() => poller.update()),
    vscode.window.onDidChangeWindowState(() => poller.update()),
    // The poll timer counts from the end of the last load; row-level changes don't move it.
    store.onDidChange((id) => {
      if (id === undefined && !store.isLoading) poller.update();
    }),
    session.onDidChange(() => poller.update()),
    tokens.onDidChange(() => void session.reload().then(loadIfSeen)),
    config.onDidChange((change) => {
      // A workspace value is ignored (application scope), so only a real change reloads.
      if (change.apiBaseUrl && config.apiBaseUrl() !== session.apiBaseUrl) void session.reload().then(loadIfSeen);
      if (change.showArchived) void store.setIncludeArchived(config.showArchived());
      if (change.autoRefresh) poller.update();
    }),
  ];
}

/** activate() with test options (unit tests pass an in-memory fetch). */
export async function start(context: vscode.ExtensionContext, options: BuildOptions = {}): Promise<TestHooks | undefined> {
  // The model (no vscode import) translates through @vscode/l10n: give it VS Code's bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const parts = buildServices(context, options);
  context.subscriptions.push(...parts.disposables, ...wireEvents(parts));

  const { services } = parts;
  await services.session.reload();
  parts.loadIfSeen();
  services.log.info(`Qoder Deployments ${context.extension.packageJSON.version as string} activated (API ${services.session.apiBaseUrl}).`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { services, tree: parts.tree, view: parts.view, filter: parts.filter, poller: parts.poller, setUi: (ui) => (services.ui = ui) };
}

export function activate(context: vscode.ExtensionContext): Promise<TestHooks | undefined> {
  return start(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
