// activate(): wiring only. Build the connection, the stores, the view and each feature's parts,
// hand them to each other and register them; the behaviour lives in the features.

import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { DeploymentStore } from './deployments/model/deploymentStore';
import { RunStore } from './runs/model/runStore';
import { FilterState } from './deployments/model/filter';
import type { Poller } from './common/poller';
import { TokenStore } from './connection/tokenStore';
import { Log } from './platform/log';
import { Connection } from './connection/connection';
import { windowUi, type Ui } from './platform/ui';
import * as config from './platform/config';
import { VIEW_ID, DETAILS_SCHEME, DEPLOYMENT_SCHEME, SESSION_SCHEME } from './platform/constants';
import type { FetchLike } from './api';
import { DeploymentsTreeProvider } from './deployments/deploymentsTree';
import { DetailsProvider } from './deployments/detailsDocument';
import { ViewState } from './deployments/viewState';
import { RefreshOwner } from './deployments/refreshOwner';
import { reportFailure, type Services } from './platform/commandKit';
import { promptOnRejectedToken } from './connection/commands/authPrompt';
import { registerArchive } from './deployments/commands/archive';
import { registerPause } from './deployments/commands/pause';
import { registerResume } from './deployments/commands/resume';
import { registerRunNow } from './deployments/commands/runNow';
import { registerCopyId } from './deployments/commands/copyId';
import { registerCopyAsCurl } from './deployments/commands/copyAsCurl';
import { registerShowDetails } from './deployments/commands/showDetails';
import { registerShowRunDetails } from './runs/commands/showRunDetails';
import { registerSetToken } from './connection/commands/setToken';
import { registerClearToken } from './connection/commands/clearToken';
import { registerRefresh } from './deployments/commands/refresh';
import { registerShowArchived } from './deployments/commands/showArchived';
import { registerHideArchived } from './deployments/commands/hideArchived';
import { registerShowLog } from './platform/commands/showLog';
import { registerLoadMoreRuns } from './runs/commands/loadMoreRuns';
import { registerFilter } from './deployments/commands/filter';
import { registerClearFilter } from './deployments/commands/clearFilter';
import { registerSwitchRegion } from './connection/commands/switchRegion';
import { registerRetrySignIn } from './connection/commands/retrySignIn';
import { createSessionParts } from './agentSessions/sessionHost';
import { failureText } from './common/errorText';
import { feedRunHealth, runHealth } from './runs/model/runHealth';
import { registerOpenSession } from './agentSessions/commands/openSession';
import { registerCancelSession } from './agentSessions/commands/cancelSession';
import { registerSaveTranscript } from './agentSessions/commands/saveTranscript';
import { InteractionHost } from './agentSessions/interactionHost';
import { registerCopyRunId } from './runs/commands/copyRunId';
import { registerShowNeedsAttention } from './deployments/commands/showNeedsAttention';
import type { AttentionStatusBar } from './attention/attentionView';
import { AttentionHost } from './attention/attentionHost';
import { DOCUMENT_SELECTOR, EditorHost } from './editing/editorHost';
import { registerEditDeployment } from './editing/commands/editDeployment';
import { registerCreateDeployment } from './editing/commands/createDeployment';
import { registerDuplicateDeployment } from './editing/commands/duplicateDeployment';
import { ChatHost } from './chat/chatHost';
import { displayText } from './common/display';

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
  chat: ChatHost;
  /** Resolves when the latest look for runs waiting for a decision is done. */
  waitingChecked(): Promise<void>;
  /** Starts a look for runs waiting for a decision (without notifications), as a load would. */
  lookForWaiting(): Promise<void>;
}

/** What tests may change about the services (unit tests run without a network). */
export interface BuildOptions {
  fetch?: FetchLike;
}

interface Parts {
  services: Services;
  interaction: InteractionHost;
  filter: FilterState;
  tree: DeploymentsTreeProvider;
  view: vscode.TreeView<unknown>;
  attention: AttentionHost;
  chat: ChatHost;
  disposables: vscode.Disposable[];
}

function buildServices(context: vscode.ExtensionContext, options: BuildOptions): Parts {
  const log = new Log(vscode.window.createOutputChannel('Qoder', { log: true }));
  const tokens = new TokenStore(context.secrets);
  const store = new DeploymentStore({ includeArchived: config.showArchived() });
  const runs = new RunStore();
  // Tests only: a short client timeout (QODER_TEST_TIMEOUT_MS), ignored outside ExtensionMode.Test.
  const testTimeoutMs = context.extensionMode === vscode.ExtensionMode.Test ? Number(process.env.QODER_TEST_TIMEOUT_MS) : NaN;
  const connection = new Connection(tokens, store, runs, log, {
    ...(testTimeoutMs > 0 ? { timeoutMs: testTimeoutMs } : {}),
    fetch: options.fetch,
    // Called during a reload, long after `services` below exists.
    onReloadError: (e) => void reportFailure(services, vscode.l10n.t('Reading the Qoder token'), e),
  });
  const sessions = createSessionParts(connection, store, log, (id, updatedAt) => interaction.idleLook(id, updatedAt), context.extensionUri);
  const refresh = new RefreshOwner({ connection, store, runs, log, statuses: sessions.statuses });
  const services: Services = { connection, store, runs, tokens, mutations: connection.writePath(), refresh, log, ui: windowUi() };
  // Acting on a run (answer, talk, files): the work loads from dist/interaction.js on first use.
  const interaction = new InteractionHost(services, sessions, context.globalState);
  const filter = new FilterState();
  const tree = new DeploymentsTreeProvider(store, runs, filter, sessions.statuses, sessions.names, interaction);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true }) as vscode.TreeView<unknown>;
  refresh.attach(view, tree);
  const attention = new AttentionHost({ connection, store, runs, ui: () => services.ui, view, nodeFor: (id) => tree.nodeFor(id), rereadRuns: (id) => refresh.rereadRuns(id) });
  // Deployments as files (edit, create, duplicate; saved with Ctrl+S), from dist/editor.js when first needed.
  const editorHost = new EditorHost(services, sessions.names);
  // The Qoder MCP server and the language-model tools, for the editor's AI chat.
  const chat = new ChatHost(services, { safe: { text: displayText }, failureText });
  const details = new DetailsProvider(services);
  const { documents, statuses } = sessions;

  const disposables: vscode.Disposable[] = [
    log, tokens, store, runs, connection, sessions, interaction, filter, tree, view, refresh, attention, details, editorHost, chat,
    connection.onReset('runs waiting for a decision', () => interaction.reset()),
    new ViewState(view, store, connection, filter, tree, attention),
    // Failure streaks from the runs the extension fetched: a settled page of a deployment's runs
    // feeds the book, which asks for the few session states it needs to count.
    connection.onReset('failure streaks', () => runHealth.clear()), // one account's runs never count for another
    ...feedRunHealth(runHealth, runs, statuses),
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    vscode.workspace.registerTextDocumentContentProvider(SESSION_SCHEME, documents),
    vscode.workspace.registerFileSystemProvider(DEPLOYMENT_SCHEME, editorHost, { isCaseSensitive: true }),
    vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, editorHost),
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
    registerRetrySignIn(services),
    registerShowNeedsAttention(services, filter),
    registerOpenSession(services, { documents, statuses }),
    registerCancelSession(services, { documents, statuses }),
    registerSaveTranscript(services, { documents, statuses }),
    registerCopyRunId(services),
    registerEditDeployment(services),
    registerCreateDeployment(services, editorHost),
    registerDuplicateDeployment(services, editorHost),
  ];
  return { services, interaction, filter, tree, view, attention, chat, disposables };
}

/** activate() with test options (unit tests pass an in-memory fetch). */
export async function start(context: vscode.ExtensionContext, options: BuildOptions = {}): Promise<TestHooks | undefined> {
  // The model (no vscode import) translates through @vscode/l10n: give it VS Code's bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const parts = buildServices(context, options);
  context.subscriptions.push(...parts.disposables);

  const { services } = parts;
  // The first connection: the refresh owner loads the list once the view is seen.
  await services.connection.reload();
  services.log.info(`Qoder Deployments ${context.extension.packageJSON.version as string} activated (API ${services.connection.apiBaseUrl}).`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    services, tree: parts.tree, view: parts.view, filter: parts.filter, poller: services.refresh.poller, background: services.refresh.background, statusBar: parts.attention.statusBar, chat: parts.chat,
    setUi: (ui) => (services.ui = ui),
    waitingChecked: () => parts.interaction.lastCheck,
    lookForWaiting: () => parts.interaction.check(false),
  };
}

export { kernel } from './platform/kernel';

export function activate(context: vscode.ExtensionContext): Promise<TestHooks | undefined> {
  return start(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
