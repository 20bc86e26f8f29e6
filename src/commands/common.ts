// What every deployment command shares: the services it talks to, how it finds its targets
// (clicked item, multi-selection, id string, deployment object, or a quick pick), and how it
// reports a failure.

import * as vscode from 'vscode';
import { isDeploymentId, QoderError, type Deployment } from '../api';
import type { DeploymentStore } from '../model/deploymentStore';
import type { RunStore } from '../model/runStore';
import { failureText, isAuthError } from '../model/errorText';
import { statusText, scheduleText } from '../model/describe';
import { displayName, displayText } from '../model/display';
import type { Session } from '../session';
import type { TokenStore } from '../auth/tokenStore';
import type { Log } from '../log';
import type { Ui } from '../ui';
import { Commands } from '../constants';

export interface Services {
  session: Session;
  store: DeploymentStore;
  runs: RunStore;
  tokens: TokenStore;
  log: Log;
  ui: Ui;
}

/** Quotes a deployment name for messages: one line, no control characters, at most 120 characters. */
export const q = (name: string): string => `“${displayName(name)}”`;

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
  s: Services,
  arg: unknown,
  selected: unknown,
  fits: (d: Deployment) => boolean,
  pick: { placeHolder: string; many: boolean; none: string },
): Promise<Deployment[]> {
  const clicked = idOf(arg);
  if (clicked !== undefined) {
    let ids = [clicked];
    if (Array.isArray(selected) && selected.length > 1) {
      const sel = selected.map(idOf).filter((x): x is string => x !== undefined);
      if (sel.includes(clicked)) ids = sel;
    }
    const out: Deployment[] = [];
    for (const id of ids) {
      if (!isDeploymentId(id)) {
        throw new QoderError('config', vscode.l10n.t('{0} is not a deployment ID (expected dep_ followed by letters and digits).', JSON.stringify(id).slice(0, 80)));
      }
      out.push(await s.session.deployment(id));
    }
    return out;
  }
  // From the palette, a keybinding without args, etc.: offer a pick.
  s.session.requireClient();
  if (s.store.state !== 'ready' && s.store.state !== 'empty') await s.store.refresh();
  if (s.store.error && !s.store.deployments.length) throw s.store.error;
  const candidates = s.store.deployments.filter(fits);
  if (!candidates.length) {
    void s.ui.showInformationMessage(pick.none, {});
    return [];
  }
  const items = candidates.map((d) => ({ label: displayName(d.name), description: displayText(`${statusText(d)} · ${scheduleText(d, { locale: vscode.env.language })}`), detail: d.id, deployment: d }));
  if (pick.many) {
    const chosen = await s.ui.showQuickPick(items, { placeHolder: pick.placeHolder, canPickMany: true, matchOnDescription: true, matchOnDetail: true });
    // Enter with nothing highlighted (the typed text matched nothing): say so, don't just close.
    if (chosen && !chosen.length) void s.ui.showInformationMessage(vscode.l10n.t('Nothing selected.'), {});
    return chosen ? chosen.map((c) => c.deployment) : [];
  }
  const chosen = await s.ui.showQuickPick(items, { placeHolder: pick.placeHolder, matchOnDescription: true, matchOnDetail: true });
  return chosen ? [chosen.deployment] : [];
}

/**
 * The one deployment a command acts on: the argument, or a pick among those that fit.
 * Undefined when the user dismissed the pick or nothing fits.
 */
export async function resolveOne(
  s: Services,
  arg: unknown,
  placeHolder: string,
  fits: (d: Deployment) => boolean = () => true,
  none = vscode.l10n.t('There is no deployment.'),
): Promise<Deployment | undefined> {
  const [d] = await resolveTargets(s, arg, undefined, fits, { placeHolder, many: false, none });
  return d;
}

/** Shows a failure. A 401 offers to replace the token. Never rethrows. */
export async function reportFailure(s: Services, what: string, e: unknown): Promise<void> {
  const text = s.log.clean(failureText(what, e));
  s.log.error(text);
  if (isAuthError(e)) {
    const replace = vscode.l10n.t('Replace Token');
    const answer = await s.ui.showErrorMessage(text, {}, replace);
    if (answer === replace) await vscode.commands.executeCommand(Commands.setToken);
    return;
  }
  if (e instanceof QoderError && e.kind === 'config') {
    const open = vscode.l10n.t('Open Settings');
    const answer = await s.ui.showErrorMessage(text, {}, open);
    if (answer === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'qoder.apiBaseUrl');
    return;
  }
  await s.ui.showErrorMessage(text, {});
}

/** Runs a command body and turns any escape into a message, so no command ever rejects. */
export function guarded<A extends unknown[]>(s: Services, what: string, body: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (e) {
      await reportFailure(s, what, e);
    }
  };
}
