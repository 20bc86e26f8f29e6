// Run Now starts a real agent session, so it asks first, in a modal: a toast could time out
// or be answered by accident, and it had no Cancel.

import * as vscode from 'vscode';
import type { Deployment, DeploymentRun, QoderClient } from '../../api';
import type { MutationSpec } from '../model/mutations';
import { isArchived } from '../model/deploymentStore';
import { errorTypeText } from '../../common/errorTypes';
import { runConfirmation } from '../model/confirm';
import { displayText } from '../../common/display';
import { Commands } from '../../platform/constants';
import { registerGuarded, reportFailure, resolveOne, type Services } from '../../platform/commandKit';
import { quote } from '../../common/display';

export const runnable = (deployment: Deployment): boolean => !isArchived(deployment) && deployment.status === 'active';

/** Run Now's spec; the chat tool qoder_runDeployment uses the same one. */
export const runSpec = (services: Services, target: Deployment): MutationSpec<QoderClient, DeploymentRun> => ({
  verb: 'run',
  busyLabel: vscode.l10n.t('Starting…'),
  // A retry after an unsure outcome sends the same key: the server replays, no second run.
  idempotent: true,
  send: (client, id, idempotencyKey) => client.runDeployment(id, { idempotencyKey }),
  applied: () => services.runs.invalidate(target.id),
});

export async function runNow(services: Services, arg?: unknown): Promise<void> {
  const target = await resolveOne(services, arg, vscode.l10n.t('Select the deployment to run now'), runnable, vscode.l10n.t('There is no active deployment to run.'));
  if (!target) return;
  if (!runnable(target)) {
    void services.ui.showInformationMessage(vscode.l10n.t('{0} can only run when it is active; it is {1}.', quote(target.name), isArchived(target) ? vscode.l10n.t('archived') : vscode.l10n.t('paused')), {});
    return;
  }
  const runButton = vscode.l10n.t('Run Now');
  const { message, detail } = runConfirmation(target);
  const answer = await services.mutations.confirmOnce([target.id], () =>
    services.ui.showInformationMessage(message, { modal: true, detail }, runButton));
  if (answer !== runButton) return;
  const [outcome] = await services.mutations.run([target], runSpec(services, target));
  switch (outcome.kind) {
    case 'done': {
      const run = outcome.result;
      if (run.error) void services.ui.showWarningMessage(vscode.l10n.t('The run of {0} was recorded, but no session started: {1}.', quote(target.name), displayText(errorTypeText(run.error.type))), {});
      else {
        const open = vscode.l10n.t('Open Session');
        const sessionId = run.session_id;
        void services.ui.showInformationMessage(vscode.l10n.t('Started a run of {0} (session {1}).', quote(target.name), displayText(sessionId ?? '—')), {}, ...(sessionId ? [open] : [])).then((answer) => {
          if (answer === open) void vscode.commands.executeCommand(Commands.openSession, target.id, run.id, sessionId);
        });
      }
      return;
    }
    case 'conflict':
      void services.ui.showInformationMessage(vscode.l10n.t('{0} cannot run now: it is paused or archived. The list has been refreshed.', quote(target.name)), {});
      return;
    case 'gone':
      void services.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists. The list has been refreshed.', quote(target.name)), {});
      return;
    case 'failed':
    case 'invalid':
      if (outcome.kind === 'failed' && outcome.unsure) services.runs.invalidate(target.id);
      await reportFailure(services, vscode.l10n.t('Running {0}', quote(target.name)), outcome.error);
      return;
  }
}

export function registerRunNow(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.run, vscode.l10n.t('Run Now'), (arg?: unknown) => runNow(services, arg));
}
