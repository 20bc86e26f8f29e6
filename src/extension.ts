// Builds the pieces and registers them. Nothing else lives here.

import * as vscode from 'vscode';
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

/** Returned by activate() only in ExtensionMode.Test, for the in-host test suite. */
export interface TestHooks {
  services: Services;
  tree: DeploymentsTreeProvider;
  view: vscode.TreeView<unknown>;
  /** Replace to answer modals, input boxes and picks from a test. */
  setUi(ui: Ui): void;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestHooks | undefined> {
  const log = new Log(vscode.window.createOutputChannel('Qoder', { log: true }));
  const tokens = new TokenStore(context.secrets);
  const store = new DeploymentStore({ includeArchived: config.showArchived() });
  const runs = new RunStore();
  const session = new Session(tokens, store, runs, log);
  const services: Services = { session, store, runs, tokens, log, ui: windowUi() };

  const tree = new DeploymentsTreeProvider(store, runs);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  const viewState = new ViewState(view as vscode.TreeView<unknown>, store, session, services);

  // Load only once the view has been seen (or a command asks): activation itself stays cheap.
  let seen = view.visible;
  const loadIfSeen = (): void => {
    if (seen) void store.refresh();
  };

  context.subscriptions.push(
    log, tokens, store, runs, session, tree, view, viewState,
    registerArchive(services),
    ...registerPauseUnpause(services),
    registerRunNow(services),
    registerCopyId(services),
    ...registerShowDetails(services),
    ...registerToken(services),
    ...registerRefresh(services),
    view.onDidChangeVisibility((e) => {
      if (e.visible && !seen) {
        seen = true;
        loadIfSeen();
      }
    }),
    tokens.onDidChange(() => void session.reload().then(loadIfSeen)),
    config.onDidChange((e) => {
      if (e.apiBaseUrl) void session.reload().then(loadIfSeen);
      else if (e.showArchived) void store.setIncludeArchived(config.showArchived());
    }),
  );

  await session.reload();
  loadIfSeen();
  log.info(`Qoder Deployments ${context.extension.packageJSON.version as string} activated (API ${session.apiBaseUrl}).`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { services, tree, view: view as vscode.TreeView<unknown>, setUi: (ui) => (services.ui = ui) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
