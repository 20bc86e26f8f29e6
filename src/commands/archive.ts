// Archive: irreversible, so it is guarded three ways: offered only on archivable items, a
// modal that says exactly what will happen, and one request per deployment at a time.

import * as vscode from 'vscode';
import { isApiError, type Deployment } from '../api';
import { isArchived } from '../model/deploymentStore';
import { archiveConfirmation, typedConfirmation, typedMismatch } from '../model/confirm';
import * as config from '../config';
import { displayName } from '../model/display';
import { mayHaveReachedServer } from '../model/errorText';
import { Commands } from '../constants';
import { guarded, q, reportFailure, resolveTargets, type Services } from './common';

export function confirmationText(targets: Deployment[]): { message: string; detail: string } {
  return archiveConfirmation(targets, { locale: vscode.env.language });
}

/**
 * Asks before archiving. `modal` (default): VS Code's modal with what will happen; the API has
 * no way to make Cancel the default button. `typeName`: the user types the deployment's name.
 * More than one deployment: the modal, then the number typed, whatever the setting.
 */
async function confirmArchive(s: Services, targets: Deployment[]): Promise<boolean> {
  const text = archiveConfirmation(targets, { locale: vscode.env.language });
  const typed = typedConfirmation(targets);
  const askTyped = async (): Promise<boolean> => {
    const answer = await s.ui.showInputBox({
      title: text.message,
      prompt: targets.length === 1 ? `${text.summary} ${typed.prompt}` : typed.prompt,
      placeHolder: typed.placeHolder,
      ignoreFocusOut: true,
      validateInput: (v) => typedMismatch(v, typed.expected),
    });
    return answer !== undefined && typedMismatch(answer, typed.expected) === undefined;
  };
  if (targets.length === 1 && config.archiveConfirmation() === 'typeName') return askTyped();
  const archiveButton = vscode.l10n.t('Archive');
  const answer = await s.ui.showWarningMessage(text.message, { modal: true, detail: text.detail }, archiveButton);
  if (answer !== archiveButton) return false;
  return targets.length > 1 ? askTyped() : true;
}

type Outcome =
  | { kind: 'archived'; before: Deployment; after: Deployment }
  | { kind: 'already'; before: Deployment }
  | { kind: 'gone'; before: Deployment }
  | { kind: 'busy'; before: Deployment }
  | { kind: 'failed'; before: Deployment; error: unknown };

async function archiveOne(s: Services, d: Deployment): Promise<Outcome> {
  if (!s.store.beginAction(d.id, vscode.l10n.t('Archiving…'))) return { kind: 'busy', before: d };
  try {
    const after = await s.session.requireClient().archiveDeployment(d.id);
    s.store.replace(after);
    return { kind: 'archived', before: d, after };
  } catch (e) {
    if (isApiError(e, 409)) return { kind: 'already', before: d };
    if (isApiError(e, 404)) return { kind: 'gone', before: d };
    return { kind: 'failed', before: d, error: e };
  } finally {
    s.store.endAction(d.id);
  }
}

export async function archive(s: Services, arg?: unknown, selected?: unknown): Promise<void> {
  const targets = (await resolveTargets(s, arg, selected, (d) => !isArchived(d), {
    placeHolder: vscode.l10n.t('Select the deployments to archive'),
    many: true,
    none: vscode.l10n.t('There is no deployment to archive.'),
  })).filter((d) => !isArchived(d) && !s.store.pendingAction(d.id));
  if (!targets.length) return;

  if (!(await confirmArchive(s, targets))) return;

  const outcomes = await Promise.all(targets.map((d) => archiveOne(s, d)));
  const changed = outcomes.some((o) => (o.kind === 'failed' ? mayHaveReachedServer(o.error) : o.kind !== 'busy'));
  const refreshed = changed ? s.store.refresh({ fresh: true }) : Promise.resolve();

  const archived = outcomes.filter((o): o is Extract<Outcome, { kind: 'archived' }> => o.kind === 'archived');
  for (const o of archived) s.log.info(`Archived ${o.before.id}: now "${displayName(o.after.name)}"`);
  if (archived.length === 1) void s.ui.showInformationMessage(vscode.l10n.t('Archived {0}. It is now named {1}.', q(archived[0].before.name), q(archived[0].after.name)), {});
  else if (archived.length > 1) void s.ui.showInformationMessage(vscode.l10n.t('Archived {0} deployments.', archived.length), {});
  for (const o of outcomes) {
    if (o.kind === 'already') void s.ui.showInformationMessage(vscode.l10n.t('{0} was already archived, perhaps from another window. The list has been refreshed.', q(o.before.name)), {});
    if (o.kind === 'gone') void s.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists; it may have been deleted elsewhere. The list has been refreshed.', q(o.before.name)), {});
  }
  const failed = outcomes.filter((o): o is Extract<Outcome, { kind: 'failed' }> => o.kind === 'failed');
  if (failed.length) {
    const what = failed.length === 1 ? vscode.l10n.t('Archiving {0}', q(failed[0].before.name)) : vscode.l10n.t('Archiving {0} deployments', failed.length);
    await reportFailure(s, what, failed[0].error);
  }
  await refreshed;
}

export function registerArchive(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.archive, guarded(s, vscode.l10n.t('Archive'), (arg?: unknown, selected?: unknown) => archive(s, arg, selected)));
}
