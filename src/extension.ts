// Builds the pieces and registers them. Nothing else lives here.

import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { DeploymentStore } from './model/deploymentStore';
import { RunStore } from './model/runStore';
import { TokenStore } from './auth/tokenStore';
import { Log } from './log';
import { Session } from './session';
import { windowUi, type Ui } from './ui';
import * as config from './config';
import { VIEW_ID } from './constants';
import { DeploymentsTreeProvider } from './views/deploymentsTree';
import { ViewState } from './views/viewState';
import type { Services } from './commands/common';
import { registerArchive } from './commands/archive';
import { registerPauseUnpause } from './commands/pauseUnpause';
import { registerRunNow } from './commands/runNow';
import { registerCopyId } from './commands/copyId';
import { registerShowDetails } from './commands/showDetails';
import { registerToken } from './commands/token';
import { registerRefresh } from './commands/refresh';
import { registerFilter } from './commands/filter';
import { registerRegion } from './commands/region';
import { registerRetrySignIn } from './commands/retrySignIn';
import { FilterState } from './model/filter';
import { Poller } from './model/poller';
import { QoderApiError, type QoderClient } from './api';
import { NameCache, SessionStatusCache } from './model/sessionCache';
import { SessionDocuments } from './views/sessionDocument';
import { registerOpenSession } from './commands/openSession';
import { registerCancelSession } from './commands/cancelSession';
import { registerCopyRunId } from './commands/copyRunId';
import { registerShowNeedsAttention } from './commands/showNeedsAttention';
import { AttentionWatch, attentionList, backgroundIntervalMs } from './model/attention';
import { AttentionStatusBar, notifyAttention } from './views/attention';
import { DOCUMENT_SELECTOR, EditorHost } from './views/editorHost';
import { registerEditDeployment } from './commands/editDeployment';
import { registerCreateDeployment } from './commands/createDeployment';
import { registerDuplicateDeployment } from './commands/duplicateDeployment';
import { Commands, DEPLOYMENT_SCHEME, SESSION_SCHEME } from './constants';

/** Returned by activate() only in ExtensionMode.Test, for the in-host test suite. */
export interface TestHooks {
  services: Services;
  tree: DeploymentsTreeProvider;
  view: vscode.TreeView<unknown>;
  filter: FilterState;
  poller: Poller;
  /** Replace to answer modals, input boxes and picks from a test. */
  setUi(ui: Ui): void;
  background: Poller;
  statusBar: AttentionStatusBar;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestHooks | undefined> {
  // The model (no vscode import) translates through @vscode/l10n: give it VS Code's bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const log = new Log(vscode.window.createOutputChannel('Qoder', { log: true }));
  const tokens = new TokenStore(context.secrets);
  const store = new DeploymentStore({ includeArchived: config.showArchived() });
  const runs = new RunStore();
  // Tests only: a short client timeout (QODER_TEST_TIMEOUT_MS), ignored outside ExtensionMode.Test.
  const testTimeoutMs = context.extensionMode === vscode.ExtensionMode.Test ? Number(process.env.QODER_TEST_TIMEOUT_MS) : NaN;
  const session = new Session(tokens, store, runs, log, testTimeoutMs > 0 ? { timeoutMs: testTimeoutMs } : {});
  const services: Services = { session, store, runs, tokens, log, ui: windowUi() };

  const filter = new FilterState();
  // Sessions: statuses for the run rows, names for headers and tooltips, documents that follow a session live.
  const statuses = new SessionStatusCache();
  const names = new NameCache();
  const currentClient = (): QoderClient | undefined => {
    try {
      return session.requireClient();
    } catch {
      return undefined;
    }
  };
  const documents = new SessionDocuments({
    client: () => session.requireClient(),
    names,
    statuses,
    deploymentName: (id) => store.get(id)?.name,
    log: (m) => log.warn(m),
  });
  const connectSessions = (): void => {
    const client = currentClient();
    statuses.setSource(client ? { getSession: (id, signal) => client.getSession(id, { signal }) } : undefined);
    names.setSource(client ? { getAgent: (id, version) => client.getAgent(id, version), getEnvironment: (id) => client.getEnvironment(id) } : undefined);
    documents.reset();
  };
  const sessionServices = { documents, statuses };
  const tree = new DeploymentsTreeProvider(store, runs, filter, statuses, names);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  const viewState = new ViewState(view as vscode.TreeView<unknown>, store, session, services, filter, tree);

  // Load only once the view has been seen (or a command asks): activation itself stays cheap.
  let seen = view.visible;
  const loadIfSeen = (): void => {
    if (seen) void store.refresh();
  };

  // Auto-refresh only while someone can see it; never two walks at once (the store joins them).
  const poller = new Poller({
    intervalMs: () => config.autoRefreshSeconds() * 1000,
    isActive: () => view.visible && vscode.window.state.focused && session.hasToken,
    lastUpdated: () => store.lastUpdated,
    poll: async () => {
      await store.refresh();
      const e = store.error;
      if (!e) return { ok: true };
      return { ok: false, retryAfterMs: e instanceof QoderApiError && e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : undefined };
    },
  });

  // Told without watching: while the window has focus and the view is hidden, load every
  // qoder.backgroundRefreshMinutes (stretched for big accounts); every complete load feeds the
  // status bar and the notifications. No request is sent before a token exists.
  const attention = new AttentionWatch();
  const statusBar = new AttentionStatusBar();
  let lastChecked: number | undefined;
  const background = new Poller({
    intervalMs: () => backgroundIntervalMs(config.backgroundRefreshMinutes(), store.deployments.length),
    isActive: () => !view.visible && vscode.window.state.focused && session.hasToken && config.notifications() !== 'off',
    // Nothing loaded yet: load now, so the baseline exists and the view opens on a full list.
    lastUpdated: () => store.lastUpdated ?? 0,
    poll: async () => {
      await store.refresh();
      const e = store.error;
      if (!e) return { ok: true };
      return { ok: false, retryAfterMs: e instanceof QoderApiError && e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : undefined };
    },
  });
  const attentionActions = {
    show: async (id: string | undefined): Promise<void> => {
      if (id === undefined) {
        await vscode.commands.executeCommand(Commands.showNeedsAttention);
        return;
      }
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      if (store.get(id)) await view.reveal(tree.nodeFor(id), { select: true, focus: true });
    },
    openLastSession: async (id: string): Promise<void> => {
      await runs.ensure(id);
      const run = runs.get(id)?.runs.find((r) => r.session_id);
      if (run) await vscode.commands.executeCommand(Commands.openSession, id, run.id, run.session_id);
      else void services.ui.showInformationMessage(vscode.l10n.t('None of the recent runs of this deployment started a session.'), {});
    },
    resume: async (id: string): Promise<void> => {
      await vscode.commands.executeCommand(Commands.unpause, id);
    },
  };
  const onLoaded = (): void => {
    statusBar.update(attentionList(store.deployments), config.attentionStatusBar());
    const at = store.lastUpdated;
    if (store.isLoading || at === undefined || at === lastChecked) return;
    lastChecked = at;
    const changes = attention.update(store.deployments);
    if (changes.length > 0 && config.notifications() !== 'off') void notifyAttention(services.ui, changes, attentionActions);
  };
  // Deployments as files (edit, create, duplicate; saved with Ctrl+S). The editor itself is
  // loaded from dist/editor.js the first time it is needed.
  const editorHost = new EditorHost(services);
  context.subscriptions.push(
    editorHost,
    vscode.workspace.registerFileSystemProvider(DEPLOYMENT_SCHEME, editorHost, { isCaseSensitive: true }),
    vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, editorHost),
    registerEditDeployment(services),
    registerCreateDeployment(services, editorHost),
    registerDuplicateDeployment(services, editorHost),
  );

  context.subscriptions.push(
    log, tokens, store, runs, session, filter, tree, view, viewState, poller, background, statusBar,
    registerShowNeedsAttention(services, filter),
    store.onDidChange(onLoaded),
    session.onDidChange(() => {
      attention.reset();
      lastChecked = undefined;
      statusBar.update([], false);
    }),
    registerArchive(services),
    ...registerPauseUnpause(services),
    registerRunNow(services),
    ...registerCopyId(services),
    ...registerFilter(services, filter),
    registerRegion(services),
    registerRetrySignIn(services),
    ...registerShowDetails(services),
    ...registerToken(services),
    ...registerRefresh(services),
    statuses, documents,
    vscode.workspace.registerTextDocumentContentProvider(SESSION_SCHEME, documents),
    registerOpenSession(services),
    registerCancelSession(services, sessionServices),
    registerCopyRunId(services),
    session.onDidChange(connectSessions),
    view.onDidChangeVisibility((e) => {
      if (e.visible && !seen) {
        seen = true;
        // A background load already has the list: show it, and let auto-refresh decide when to reload.
        if (store.lastUpdated === undefined) loadIfSeen();
      }
      poller.update();
      background.update();
    }),
    vscode.window.onDidChangeWindowState(() => {
      poller.update();
      background.update();
    }),
    // The poll timer counts from the end of the last load; row-level changes don't move it.
    store.onDidChange((id) => {
      if (id !== undefined || store.isLoading) return;
      // Any successful load (a poll, a manual refresh, an action's reload) ends the back-off.
      if (!store.error && store.lastUpdated !== undefined) {
        poller.loadSucceeded();
        background.loadSucceeded();
      }
      poller.update();
      background.update();
    }),
    session.onDidChange(() => {
      poller.update();
      background.update();
    }),
    tokens.onDidChange(() => void session.reload().then(loadIfSeen)),
    config.onDidChange((e) => {
      // A workspace value is ignored (application scope), so only a real change reloads.
      if (e.apiBaseUrl && config.apiBaseUrl() !== session.apiBaseUrl) void session.reload().then(loadIfSeen);
      if (e.showArchived) void store.setIncludeArchived(config.showArchived());
      if (e.autoRefresh) poller.update();
      if (e.attention) {
        background.update();
        statusBar.update(attentionList(store.deployments), config.attentionStatusBar());
      }
    }),
  );

  await session.reload();
  loadIfSeen();
  log.info(`Qoder Deployments ${context.extension.packageJSON.version as string} activated (API ${session.apiBaseUrl}).`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { services, tree, view: view as vscode.TreeView<unknown>, filter, poller, background, statusBar, setUi: (ui) => (services.ui = ui) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
