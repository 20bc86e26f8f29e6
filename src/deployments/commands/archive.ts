// Archive: irreversible, so it is guarded three ways: offered only on archivable items, a
// modal (one at a time per deployment) that says exactly what will happen, and one request per
// deployment at a time.

import * as vscode from 'vscode';
import type { Deployment } from '../../api';
import { isArchived } from '../model/deploymentStore';
import { archiveConfirmation, typedConfirmation, typedMismatch } from '../model/confirm';
import * as config from '../../platform/config';
import { displayName } from '../../common/display';
import { Commands } from '../../platform/constants';
import { registerGuarded, reportFailure, resolveTargets, type Services } from '../../platform/commandKit';
import { quote } from '../../common/display';

export function confirmationText(targets: Deployment[]): { message: string; detail: string } {
  return archiveConfirmation(targets, { locale: vscode.env.language });
}

/**
 * Asks before archiving. `modal` (default): VS Code's modal with what will happen; the API has
 * no way to make Cancel the default button. `typeName`: the user types the deployment's name.
 * More than one deployment: the modal, then the number typed, whatever the setting.
 */
async function confirmArchive(services: Services, targets: Deployment[]): Promise<boolean> {
  const text = archiveConfirmation(targets, { locale: vscode.env.language });
  const typed = typedConfirmation(targets);
  const askTyped = async (): Promise<boolean> => {
    const answer = await services.ui.showInputBox({
      title: text.message,
      prompt: targets.length === 1 ? `${text.summary} ${typed.prompt}` : typed.prompt,
      placeHolder: typed.placeHolder,
      ignoreFocusOut: true,
      validateInput: (v) => typedMismatch(v, typed.expected),
    });
    return answer !== undefined && typedMismatch(answer, typed.expected) === undefined;
  };
  if (targets.length === 1 && config.archiveConfirmationMode() === 'typeName') return askTyped();
  const archiveButton = vscode.l10n.t('Archive');
  const answer = await services.ui.showWarningMessage(text.message, { modal: true, detail: text.detail }, archiveButton);
  if (answer !== archiveButton) return false;
  return targets.length > 1 ? askTyped() : true;
}

export async function archive(services: Services, arg?: unknown, selected?: unknown): Promise<void> {
  const targets = (await resolveTargets(services, arg, selected, (deployment) => !isArchived(deployment), {
    placeHolder: vscode.l10n.t('Select the deployments to archive'),
    many: true,
    none: vscode.l10n.t('There is no deployment to archive.'),
  })).filter((deployment) => !isArchived(deployment) && !services.store.pendingAction(deployment.id));
  if (!targets.length) return;

  const confirmed = await services.mutations.confirmOnce(targets.map((deployment) => deployment.id), () => confirmArchive(services, targets));
  if (!confirmed) return;

  const outcomes = await services.mutations.run(targets, {
    verb: 'archive',
    busyLabel: vscode.l10n.t('Archiving…'),
    send: (client, id) => client.archiveDeployment(id),
    updated: (after) => after,
  });

  const archived = outcomes.filter((o) => o.kind === 'done');
  for (const outcome of archived) services.log.info(`Archived ${outcome.target.id}: now "${displayName(outcome.result.name)}"`);
  if (archived.length === 1) void services.ui.showInformationMessage(vscode.l10n.t('Archived {0}. It is now named {1}.', quote(archived[0].target.name), quote(archived[0].result.name)), {});
  else if (archived.length > 1) void services.ui.showInformationMessage(vscode.l10n.t('Archived {0} deployments.', archived.length), {});
  for (const outcome of outcomes) {
    if (outcome.kind === 'conflict') void services.ui.showInformationMessage(vscode.l10n.t('{0} was already archived, perhaps from another window. The list has been refreshed.', quote(outcome.target.name)), {});
    if (outcome.kind === 'gone') void services.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists; it may have been deleted elsewhere. The list has been refreshed.', quote(outcome.target.name)), {});
  }
  const failed = outcomes.filter((o) => o.kind === 'failed' || o.kind === 'invalid');
  if (failed.length) {
    const what = failed.length === 1 ? vscode.l10n.t('Archiving {0}', quote(failed[0].target.name)) : vscode.l10n.t('Archiving {0} deployments', failed.length);
    await reportFailure(services, what, failed[0].error);
  }
}

export function registerArchive(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.archive, vscode.l10n.t('Archive'), (arg?: unknown, selected?: unknown) => archive(services, arg, selected));
}
