// Run Now starts a real agent session, so it asks first, in a modal: a toast could time out
// or be answered by accident, and it had no Cancel.

import * as vscode from 'vscode';
import { isApiError } from '../api';
import { isArchived } from '../model/deploymentStore';
import { errorTypeText } from '../model/describe';
import { runConfirmation } from '../model/confirm';
import { displayText } from '../model/display';
import { Commands } from '../constants';
import { guarded, q, reportFailure, resolveOne, type Services } from './common';

export async function runNow(s: Services, arg?: unknown): Promise<void> {
  const d = await resolveOne(s, arg, vscode.l10n.t('Select the deployment to run now'), (x) => !isArchived(x) && x.status === 'active', vscode.l10n.t('There is no active deployment to run.'));
  if (!d) return;
  if (isArchived(d) || d.status !== 'active') {
    void s.ui.showInformationMessage(vscode.l10n.t('{0} can only run when it is active; it is {1}.', q(d.name), isArchived(d) ? vscode.l10n.t('archived') : vscode.l10n.t('paused')), {});
    return;
  }
  const runButton = vscode.l10n.t('Run Now');
  const { message, detail } = runConfirmation(d);
  const answer = await s.ui.showInformationMessage(message, { modal: true, detail }, runButton);
  if (answer !== runButton) return;
  if (!s.store.beginAction(d.id, vscode.l10n.t('Starting…'))) return;
  try {
    const run = await s.session.requireClient().runDeployment(d.id);
    s.runs.invalidate(d.id);
    if (run.error) {
      void s.ui.showWarningMessage(vscode.l10n.t('The run of {0} was recorded, but no session started: {1}.', q(d.name), displayText(errorTypeText(run.error.type))), {});
    } else {
      void s.ui.showInformationMessage(vscode.l10n.t('Started a run of {0} (session {1}).', q(d.name), displayText(run.session_id ?? '—')), {});
    }
  } catch (e) {
    if (isApiError(e, 409)) {
      void s.ui.showInformationMessage(vscode.l10n.t('{0} cannot run now: it is paused or archived. The list has been refreshed.', q(d.name)), {});
      await s.store.refresh({ fresh: true });
    } else if (isApiError(e, 404)) {
      void s.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists. The list has been refreshed.', q(d.name)), {});
      await s.store.refresh({ fresh: true });
    } else {
      await reportFailure(s, vscode.l10n.t('Running {0}', q(d.name)), e);
    }
  } finally {
    s.store.endAction(d.id);
  }
}

export function registerRunNow(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.run, guarded(s, vscode.l10n.t('Run Now'), (a?: unknown) => runNow(s, a)));
}
