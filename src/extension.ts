// activate(): build the services, the view and the commands, then wire the events between them.

import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { DeploymentStore } from './deployments/model/deploymentStore';
import { RunStore } from './runs/model/runStore';
import { WritePath } from './deployments/model/mutations';
import { FilterState } from './deployments/model/filter';
import { Poller, type PollOutcome } from './common/poller';
import type { ChangeWatch } from './deployments/model/changeWatch';

type RefreshModule = typeof import('./deployments/refresh.chunk');
import { TokenStore } from './connection/tokenStore';
import { Log } from './platform/log';
import { Connection } from './connection/connection';
import { windowUi, type Ui } from './platform/ui';
import * as config from './platform/config';
import { Commands, VIEW_ID, DETAILS_SCHEME, DEPLOYMENT_SCHEME, SESSION_SCHEME } from './platform/constants';
import { QoderApiError, type FetchLike, type QoderClient } from './api';
import { DeploymentsTreeProvider } from './deployments/deploymentsTree';
import { DetailsProvider } from './deployments/detailsDocument';
import { ViewState } from './deployments/viewState';
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
import { NameCache, SessionStatusCache } from './agentSessions/model/sessionCache';
import { SessionDocumentsHost } from './agentSessions/sessionHost';
import { formatTime } from './common/timeText';
import { failureText } from './common/errorText';
import { durationText } from './runs/model/runRow';
import { registerOpenSession } from './agentSessions/commands/openSession';
import { registerCancelSession } from './agentSessions/commands/cancelSession';
import { registerSaveTranscript } from './agentSessions/commands/saveTranscript';
import { InteractionHost } from './agentSessions/interactionHost';
import { registerCopyRunId } from './runs/commands/copyRunId';
import { registerShowNeedsAttention } from './deployments/commands/showNeedsAttention';
import { AttentionWatch, attentionList, backgroundIntervalMs } from './attention/model/attention';
import { ProblemMemory } from './attention/model/problemMemory';
import { AttentionStatusBar, notifyAttention } from './attention/attentionView';
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
  poller: Poller;
  /** Loads while the view is hidden, for the attention status bar and notifications. */
  background: Poller;
  statusBar: AttentionStatusBar;
  chat: ChatHost;
  /** Feeds the status bar and notifications after every complete load. */
  onLoaded(): void;
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
  const connection = new Connection(tokens, store, runs, log, {
    ...(testTimeoutMs > 0 ? { timeoutMs: testTimeoutMs } : {}),
    fetch: options.fetch,
    // Called during a reload, long after `services` below exists.
    onReloadError: (e) => void reportFailure(services, vscode.l10n.t('Reading the Qoder token'), e),
  });
  const mutations = new WritePath<QoderClient>({
    store,
    connect: () => ({ client: connection.requireClient(), generation: connection.generation }),
    generation: () => connection.generation,
    reread: (client, id) => client.findDeployment(id),
    log: (line) => log.info(line),
  });
  const services: Services = { connection, store, runs, tokens, mutations, log, ui };

  const filter = new FilterState();
  // Sessions: statuses for the run rows, names for headers and tooltips, documents that follow a session live.
  const statuses = new SessionStatusCache();
  const names = new NameCache();
  const documents = new SessionDocumentsHost({
    client: () => connection.requireClient(),
    names,
    statuses,
    deploymentName: (id) => store.get(id)?.name,
    log: (line) => log.warn(line),
    failureText,
    formatTime: (iso) => formatTime(iso, { locale: vscode.env.language }),
    durationText,
  });
  // Acting on a run (answer, talk, files): the work loads from dist/interaction.js on first use.
  const interaction = new InteractionHost(services, { documents, statuses });
  const sessionResets = [
    connection.onReset('session statuses and names', ({ client }) => {
      statuses.setSource(client ? { getSession: (id, signal) => client.getSession(id, { signal }), waitingText: (id) => interaction.waitingText(id) } : undefined);
      names.setSource(client ? { getAgent: (id, version) => client.getAgent(id, version), getEnvironment: (id) => client.getEnvironment(id) } : undefined);
    }),
    connection.onReset('session documents', () => documents.reset()),
    connection.onReset('runs waiting for a decision', () => interaction.reset()),
  ];
  const tree = new DeploymentsTreeProvider(store, runs, filter, statuses, names, interaction);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true }) as vscode.TreeView<unknown>;
  const viewState = new ViewState(view, store, connection, filter, tree);
  // Running sessions' statuses are asked again only while their rows can be seen.
  const showStatuses = (): void => statuses.setActive(view.visible && vscode.window.state.focused);
  showStatuses();
  const details = new DetailsProvider(services);

  let seen = view.visible;
  const loadIfSeen = (): void => {
    if (seen) void store.refresh();
  };
  const markSeen = view.onDidChangeVisibility((e) => {
    if (e.visible && !seen) {
      seen = true;
      // A background load already has the list: show it, and let auto-refresh decide when to reload.
      if (store.lastUpdated === undefined) loadIfSeen();
    }
  });

  // Keeping the view fresh (issue 22): the first load walks the list; after it the change watch
  // (dist/refresh.js) spends requests where changes happen, and says when it is due again.
  let watch: ChangeWatch | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const changeWatch = (): ChangeWatch => (watch ??= (require('./deployments/refresh.chunk') as RefreshModule).createWatch(connection, store, view, tree, log));
  const due = { visible: 0, hidden: 0 };
  // Never two loads at once: the store joins walks and the watch joins ticks.
  const poll = async (visible: boolean): Promise<PollOutcome> => {
    let error: unknown;
    if (store.lastUpdated === undefined || store.error) error = await store.refresh().then(() => store.error);
    else error = await changeWatch().tick({ visible, focused: vscode.window.state.focused }).then((ms) => void (due[visible ? 'visible' : 'hidden'] = ms), (e: unknown) => e);
    if (!error) return { ok: true };
    return { ok: false, retryAfterMs: error instanceof QoderApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined };
  };
  const poller = new Poller({
    intervalMs: () => (config.autoRefreshSeconds() > 0 ? Math.max(1_000, due.visible || config.autoRefreshSeconds() * 1000) : 0),
    isActive: () => view.visible && vscode.window.state.focused && connection.hasToken,
    lastUpdated: () => store.lastUpdated,
    poll: () => poll(true),
  });

  // Told without watching: while the window has focus and the view is hidden, load every
  // qoder.backgroundRefreshMinutes (stretched for big accounts); every complete load feeds the
  // status bar and the notifications. No request is sent before a token exists.
  const attention = new AttentionWatch();
  const problems = new ProblemMemory();
  const statusBar = new AttentionStatusBar();
  let lastChecked: number | undefined;
  const background = new Poller({
    intervalMs: () => (config.backgroundRefreshMinutes() > 0 ? Math.max(1_000, due.hidden || backgroundIntervalMs(config.backgroundRefreshMinutes(), store.deployments.length)) : 0),
    isActive: () => !view.visible && vscode.window.state.focused && connection.hasToken && config.notifications() !== 'off',
    // Nothing loaded yet: load now, so the baseline exists and the view opens on a full list.
    lastUpdated: () => store.lastUpdated ?? 0,
    poll: () => poll(false),
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
      const run = runs.get(id)?.runs.find((candidate) => candidate.session_id);
      if (run) await vscode.commands.executeCommand(Commands.openSession, id, run.id, run.session_id);
      else void services.ui.showInformationMessage(vscode.l10n.t('None of the recent runs of this deployment started a session.'), {});
    },
    resume: async (id: string): Promise<void> => {
      await vscode.commands.executeCommand(Commands.resume, id);
    },
    seen: (ids: readonly string[]): void => ids.forEach((id) => problems.seen(id)),
  };
  const onLoaded = (): void => {
    statusBar.update(attentionList(store.deployments), config.attentionStatusBar());
    const at = store.lastUpdated;
    if (store.isLoading || at === undefined) return;
    // A complete walk: the change watch counts its reconciliation from it.
    if (at !== lastChecked) {
      watch?.walked(at);
      // Runs waiting for a decision: looked for after each complete walk, not after one row changed.
      if (!store.error) void interaction.check(config.notifications() !== 'off');
    }
    lastChecked = at;
    // Rows the change watch re-read count too (a failed run pausing its deployment); an
    // unchanged state is never reported twice.
    // Once per problem: a deployment that flaps is told about again only after the user has seen
    // the notification, or after it needed no attention for an hour.
    const changes = attention.update(store.deployments);
    if (config.notifications() === 'off') return;
    const told = problems.select(changes, new Set(attentionList(store.deployments).map((d) => d.id)));
    if (told.length > 0) void notifyAttention(services.ui, told, attentionActions);
  };
  const watchReset = connection.onReset('change watch', () => watch?.reset());
  const attentionReset = connection.onReset('attention', () => {
    attention.reset();
    problems.reset();
    lastChecked = undefined;
    statusBar.update([], false);
  });
  // Deployments as files (edit, create, duplicate; saved with Ctrl+S). The editor itself is
  // loaded from dist/editor.js the first time it is needed.
  const editorHost = new EditorHost(services);
  // The Qoder MCP server and the language-model tools, for the editor's AI chat.
  const chat = new ChatHost(services, { safe: { text: displayText }, failureText });

  const disposables: vscode.Disposable[] = [
    view.onDidChangeVisibility(showStatuses),
    vscode.window.onDidChangeWindowState(showStatuses),
    log, tokens, store, runs, connection, filter, tree, view, viewState, details, poller, background, statusBar, markSeen,
    statuses, documents, editorHost, chat, interaction, ...sessionResets, watchReset, attentionReset,
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
    registerOpenSession(services),
    registerCancelSession(services, { documents, statuses }),
    registerSaveTranscript(services, { documents, statuses }),
    registerCopyRunId(services),
    registerEditDeployment(services),
    registerCreateDeployment(services, editorHost),
    registerDuplicateDeployment(services, editorHost),
  ];
  return { services, interaction, filter, tree, view, poller, background, statusBar, chat, onLoaded, loadIfSeen, disposables };
}

/** The events that connect the pieces: visibility, focus, token and settings changes. */
function wireEvents(parts: Parts): vscode.Disposable[] {
  const { services: { connection, store, tokens }, view, poller, background, statusBar, loadIfSeen } = parts;
  const updatePollers = (): void => {
    poller.update();
    background.update();
  };
  return [
    store.onDidChange(parts.onLoaded),
    view.onDidChangeVisibility(updatePollers),
    vscode.window.onDidChangeWindowState(updatePollers),
    // The poll timers count from the end of the last load; row-level changes don't move them.
    store.onDidChange((id) => {
      if (id !== undefined || store.isLoading) return;
      // Any successful load (a poll, a manual refresh, an action's reload) ends the back-off.
      if (!store.error && store.lastUpdated !== undefined) {
        poller.loadSucceeded();
        background.loadSucceeded();
      }
      updatePollers();
    }),
    connection.onDidConnect(updatePollers),
    tokens.onDidChange(() => void connection.reload().then(loadIfSeen)),
    config.onDidChange((change) => {
      // A workspace value is ignored (application scope), so only a real change reloads.
      if (change.apiBaseUrl && config.apiBaseUrl() !== connection.apiBaseUrl) void connection.reload().then(loadIfSeen);
      if (change.showArchived) void store.setIncludeArchived(config.showArchived());
      if (change.autoRefresh) poller.update();
      if (change.attention) {
        background.update();
        statusBar.update(attentionList(store.deployments), config.attentionStatusBar());
      }
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
  await services.connection.reload();
  parts.loadIfSeen();
  services.log.info(`Qoder Deployments ${context.extension.packageJSON.version as string} activated (API ${services.connection.apiBaseUrl}).`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    services, tree: parts.tree, view: parts.view, filter: parts.filter, poller: parts.poller, background: parts.background, statusBar: parts.statusBar, chat: parts.chat,
    setUi: (ui) => (services.ui = ui),
    waitingChecked: () => parts.interaction.lastCheck,
  };
}

export { kernel } from './platform/kernel';

export function activate(context: vscode.ExtensionContext): Promise<TestHooks | undefined> {
  return start(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
