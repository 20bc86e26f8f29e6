// What every deployment command shares: the services it talks to, how it finds its targets
// (clicked item, multi-selection, id string, deployment object, or a quick pick), and how it
// reports a failure.

import * as vscode from 'vscode';
import { isDeploymentId, QoderError, type Deployment, type QoderClient } from '../api';
import type { DeploymentStore } from '../deployments/model/deploymentStore';
import type { RunStore } from '../runs/model/runStore';
import type { WritePath } from '../deployments/model/mutations';
import type { RefreshOwner } from '../deployments/refreshOwner';
import { failureText, isAuthError } from '../common/errorText';
import { statusText, scheduleText } from '../deployments/model/describe';
import { displayName, displayText } from '../common/display';
import type { Connection } from '../connection/connection';
import type { TokenStore } from '../connection/tokenStore';
import type { Log } from './log';
import type { Ui } from './ui';
import { Commands, Settings } from './constants';

export interface Services {
  connection: Connection;
  store: DeploymentStore;
  runs: RunStore;
  tokens: TokenStore;
  /** The write path: every server mutation goes through it (see mutations.ts). */
  mutations: WritePath<QoderClient>;
  /** The one owner of loads: every full load of the list goes through it, with its reason. */
  refresh: RefreshOwner;
  log: Log;
  ui: Ui;
}

/** An argument that names a deployment: a tree node, an id, or a deployment-shaped object. */
function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const id = (arg as { id?: unknown }).id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/**
 * The deployments a command acts on. `selected` is the tree's multi-selection (VS Code passes
 * it as the second argument); it counts only when it includes the clicked item.
 * Returns [] when the user dismissed the pick or nothing fits.
 */
export async function resolveTargets(
  services: Services,
  arg: unknown,
  selected: unknown,
  fits: (deployment: Deployment) => boolean,
  pick: { placeHolder: string; many: boolean; none: string },
): Promise<Deployment[]> {
  const clicked = idOf(arg);
  if (clicked !== undefined) {
    let ids = [clicked];
    if (Array.isArray(selected) && selected.length > 1) {
      const selectedIds = selected.map(idOf).filter((id): id is string => id !== undefined);
      if (selectedIds.includes(clicked)) ids = selectedIds;
    }
    const out: Deployment[] = [];
    for (const id of ids) {
      if (!isDeploymentId(id)) {
        throw new QoderError('config', vscode.l10n.t('{0} is not a deployment ID (expected dep_ followed by letters and digits).', JSON.stringify(id).slice(0, 80)));
      }
      out.push(await services.connection.deployment(id));
    }
    return out;
  }
  // From the palette, a keybinding without args, etc.: offer a pick.
  services.connection.requireClient();
  await services.refresh.ensureLoaded();
  if (services.store.error && !services.store.deployments.length) throw services.store.error;
  const candidates = services.store.deployments.filter(fits);
  if (!candidates.length) {
    void services.ui.showInformationMessage(pick.none, {});
    return [];
  }
  const items = candidates.map((deployment) => ({ label: displayName(deployment.name), description: displayText(`${statusText(deployment)} · ${scheduleText(deployment, { locale: vscode.env.language })}`), detail: deployment.id, deployment }));
  if (pick.many) {
    const chosen = await services.ui.showQuickPick(items, { placeHolder: pick.placeHolder, canPickMany: true, matchOnDescription: true, matchOnDetail: true });
    // Enter with nothing highlighted (the typed text matched nothing): say so, don't just close.
    if (chosen && !chosen.length) void services.ui.showInformationMessage(vscode.l10n.t('Nothing selected.'), {});
    return chosen ? chosen.map((c) => c.deployment) : [];
  }
  const chosen = await services.ui.showQuickPick(items, { placeHolder: pick.placeHolder, matchOnDescription: true, matchOnDetail: true });
  return chosen ? [chosen.deployment] : [];
}

/**
 * The one deployment a command acts on: the argument, or a pick among those that fit.
 * Undefined when the user dismissed the pick or nothing fits.
 */
export async function resolveOne(
  services: Services,
  arg: unknown,
  placeHolder: string,
  fits: (deployment: Deployment) => boolean = () => true,
  none = vscode.l10n.t('There is no deployment.'),
): Promise<Deployment | undefined> {
  const [deployment] = await resolveTargets(services, arg, undefined, fits, { placeHolder, many: false, none });
  return deployment;
}

/** Shows a failure. A 401 offers to replace the token. Never rethrows. */
export async function reportFailure(services: Services, what: string, e: unknown): Promise<void> {
  const text = services.log.clean(failureText(what, e));
  services.log.error(text);
  if (isAuthError(e)) {
    const replace = vscode.l10n.t('Replace Token');
    const answer = await services.ui.showErrorMessage(text, {}, replace);
    if (answer === replace) await vscode.commands.executeCommand(Commands.setToken);
    return;
  }
  if (e instanceof QoderError && e.kind === 'config') {
    const open = vscode.l10n.t('Open Settings');
    const answer = await services.ui.showErrorMessage(text, {}, open);
    if (answer === open) await vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.${Settings.apiBaseUrl}`);
    return;
  }
  await services.ui.showErrorMessage(text, {});
}

/** Runs a command body and turns any escape into a message, so no command ever rejects. */
export function guarded<A extends unknown[]>(services: Services, what: string, body: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (e) {
      await reportFailure(services, what, e);
    }
  };
}

/** Registers a command whose failures become one message (see guarded). */
export function registerGuarded<A extends unknown[]>(services: Services, id: string, what: string, body: (...args: A) => Promise<void>): vscode.Disposable {
  return vscode.commands.registerCommand(id, guarded(services, what, body));
}
