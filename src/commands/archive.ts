// Archive: irreversible, so it is guarded three ways: offered only on archivable items, a
// modal that says exactly what will happen, and one request per deployment at a time.

import * as vscode from 'vscode';
import { isApiError, type Deployment } from '../api';
import { isArchived } from '../model/deploymentStore';
import { runTimeText } from '../model/describe';
import { displayName, displayText } from '../model/display';
import { mayHaveReachedServer } from '../model/errorText';
import { Commands } from '../constants';
import { guarded, q, reportFailure, resolveTargets, type Services } from './common';

const MAX_LISTED = 10;
/** Upcoming runs listed in the modal; the rest are counted ("and N more"). */
const MAX_RUNS_LISTED = 5;

export function confirmationText(targets: Deployment[]): { message: string; detail: string } {
  const lines: string[] = [];
  if (targets.length === 1) {
    const d = targets[0];
    const next = d.schedule?.upcoming_runs_at ?? [];
    if (!d.schedule) lines.push(vscode.l10n.t('It is a manual-only deployment: it can no longer be run.'));
    else if (next.length) {
      lines.push(vscode.l10n.t('Its scheduled runs stop. These will not happen:'));
      for (const x of next.slice(0, MAX_RUNS_LISTED)) lines.push(`  • ${displayText(runTimeText(x, d.schedule.timezone, { locale: vscode.env.language }))}`);
      if (next.length > MAX_RUNS_LISTED) lines.push(`  • ${vscode.l10n.t('and {0} more', next.length - MAX_RUNS_LISTED)}`);
    } else lines.push(vscode.l10n.t('Its scheduled runs stop.'));
    lines.push('');
    lines.push(vscode.l10n.t('It will be renamed {0}, which frees the name {1} for reuse.', `“${displayName(d.name)}_archived_<timestamp>”`, q(d.name)));
  } else {
    lines.push(vscode.l10n.t('Their scheduled runs stop:'));
    for (const d of targets.slice(0, MAX_LISTED)) lines.push(`  • ${displayName(d.name)}`);
    if (targets.length > MAX_LISTED) lines.push(`  • ${vscode.l10n.t('and {0} more', targets.length - MAX_LISTED)}`);
    lines.push('');
    lines.push(vscode.l10n.t('Each will be renamed <name>_archived_<timestamp>, which frees its name for reuse.'));
  }
  lines.push(vscode.l10n.t('Archived deployments leave the default list.'));
  lines.push('');
  lines.push(vscode.l10n.t('This cannot be undone: the Qoder API has no way to unarchive a deployment.'));
  const message = targets.length === 1
    ? vscode.l10n.t('Archive deployment {0}?', q(targets[0].name))
    : vscode.l10n.t('Archive {0} deployments?', targets.length);
  return { message, detail: lines.join('\n') };
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

  const archiveButton = vscode.l10n.t('Archive');
  const { message, detail } = confirmationText(targets);
  const answer = await s.ui.showWarningMessage(message, { modal: true, detail }, archiveButton);
  if (answer !== archiveButton) return;

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
