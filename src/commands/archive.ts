// Archive: irreversible, so it is guarded three ways: offered only on archivable items, a
// modal (one at a time per deployment) that says exactly what will happen, and one request per
// deployment at a time.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { isArchived } from '../model/deploymentStore';
import { runTimeText } from '../model/describe';
import { displayName, displayText } from '../model/display';
import { Commands } from '../constants';
import { quote, registerGuarded, reportFailure, resolveTargets, type Services } from './common';

const MAX_LISTED = 10;
/** Upcoming runs listed in the modal; the rest are counted ("and N more"). */
const MAX_RUNS_LISTED = 5;

export function confirmationText(targets: Deployment[]): { message: string; detail: string } {
  const lines: string[] = [];
  if (targets.length === 1) {
    const deployment = targets[0];
    const next = deployment.schedule?.upcoming_runs_at ?? [];
    if (!deployment.schedule) lines.push(vscode.l10n.t('It is a manual-only deployment: it can no longer be run.'));
    else if (next.length) {
      lines.push(vscode.l10n.t('Its scheduled runs stop. These will not happen:'));
      for (const at of next.slice(0, MAX_RUNS_LISTED)) lines.push(`  • ${displayText(runTimeText(at, deployment.schedule.timezone, { locale: vscode.env.language }))}`);
      if (next.length > MAX_RUNS_LISTED) lines.push(`  • ${vscode.l10n.t('and {0} more', next.length - MAX_RUNS_LISTED)}`);
    } else lines.push(vscode.l10n.t('Its scheduled runs stop.'));
    lines.push('');
    lines.push(vscode.l10n.t('It will be renamed {0}, which frees the name {1} for reuse.', `“${displayName(deployment.name)}_archived_<timestamp>”`, quote(deployment.name)));
  } else {
    lines.push(vscode.l10n.t('Their scheduled runs stop:'));
    for (const deployment of targets.slice(0, MAX_LISTED)) lines.push(`  • ${displayName(deployment.name)}`);
    if (targets.length > MAX_LISTED) lines.push(`  • ${vscode.l10n.t('and {0} more', targets.length - MAX_LISTED)}`);
    lines.push('');
    lines.push(vscode.l10n.t('Each will be renamed <name>_archived_<timestamp>, which frees its name for reuse.'));
  }
  lines.push(vscode.l10n.t('Archived deployments leave the default list.'));
  lines.push('');
  lines.push(vscode.l10n.t('This cannot be undone: the Qoder API has no way to unarchive a deployment.'));
  const message = targets.length === 1
    ? vscode.l10n.t('Archive deployment {0}?', quote(targets[0].name))
    : vscode.l10n.t('Archive {0} deployments?', targets.length);
  return { message, detail: lines.join('\n') };
}

export async function archive(services: Services, arg?: unknown, selected?: unknown): Promise<void> {
  const targets = (await resolveTargets(services, arg, selected, (deployment) => !isArchived(deployment), {
    placeHolder: vscode.l10n.t('Select the deployments to archive'),
    many: true,
    none: vscode.l10n.t('There is no deployment to archive.'),
  })).filter((deployment) => !isArchived(deployment) && !services.store.pendingAction(deployment.id));
  if (!targets.length) return;

  const archiveButton = vscode.l10n.t('Archive');
  const { message, detail } = confirmationText(targets);
  const answer = await services.mutations.confirmOnce(targets.map((deployment) => deployment.id), () => services.ui.showWarningMessage(message, { modal: true, detail }, archiveButton));
  if (answer !== archiveButton) return;

  const outcomes = await services.mutations.run(targets, {
    verb: 'archive',
    busyLabel: vscode.l10n.t('Archiving…'),
    send: (client, id) => client.archiveDeployment(id),
    updated: (after) => after,
    reloadAfterDone: true,
  });

  const archived = outcomes.filter((o) => o.kind === 'done');
  for (const outcome of archived) services.log.info(`Archived ${outcome.target.id}: now "${displayName(outcome.result.name)}"`);
  if (archived.length === 1) void services.ui.showInformationMessage(vscode.l10n.t('Archived {0}. It is now named {1}.', quote(archived[0].target.name), quote(archived[0].result.name)), {});
  else if (archived.length > 1) void services.ui.showInformationMessage(vscode.l10n.t('Archived {0} deployments.', archived.length), {});
  for (const outcome of outcomes) {
    if (outcome.kind === 'conflict') void services.ui.showInformationMessage(vscode.l10n.t('{0} was already archived, perhaps from another window. The list has been refreshed.', quote(outcome.target.name)), {});
    if (outcome.kind === 'gone') void services.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists; it may have been deleted elsewhere. The list has been refreshed.', quote(outcome.target.name)), {});
  }
  const failed = outcomes.filter((o) => o.kind === 'failed');
  if (failed.length) {
    const what = failed.length === 1 ? vscode.l10n.t('Archiving {0}', quote(failed[0].target.name)) : vscode.l10n.t('Archiving {0} deployments', failed.length);
    await reportFailure(services, what, failed[0].error);
  }
}

export function registerArchive(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.archive, vscode.l10n.t('Archive'), (arg?: unknown, selected?: unknown) => archive(services, arg, selected));
}
