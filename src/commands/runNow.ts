// Run Now starts a real agent session, so it asks first (non-modal: it is not destructive), and
// only once per deployment at a time.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { isArchived } from '../model/deploymentStore';
import { errorTypeText } from '../model/describe';
import { Commands } from '../constants';
import { q, registerGuarded, reportFailure, resolveOne, type Services } from './common';

const runnable = (d: Deployment): boolean => !isArchived(d) && d.status === 'active';

export async function runNow(s: Services, arg?: unknown): Promise<void> {
  const target = await resolveOne(s, arg, vscode.l10n.t('Select the deployment to run now'), runnable, vscode.l10n.t('There is no active deployment to run.'));
  if (!target) return;
  if (!runnable(target)) {
    void s.ui.showInformationMessage(vscode.l10n.t('{0} can only run when it is active; it is {1}.', q(target.name), isArchived(target) ? vscode.l10n.t('archived') : vscode.l10n.t('paused')), {});
    return;
  }
  const runButton = vscode.l10n.t('Run Now');
  const answer = await s.mutations.confirmOnce([target.id], () =>
    s.ui.showInformationMessage(vscode.l10n.t('Run {0} now? This starts a new agent session.', q(target.name)), {}, runButton));
  if (answer !== runButton) return;
  const [outcome] = await s.mutations.run([target], {
    verb: 'run',
    busyLabel: vscode.l10n.t('Starting…'),
    send: (client, id) => client.runDeployment(id),
    applied: () => s.runs.invalidate(target.id),
  });
  switch (outcome.kind) {
    case 'done': {
      const run = outcome.result;
      if (run.error) void s.ui.showWarningMessage(vscode.l10n.t('The run of {0} was recorded, but no session started: {1}.', q(target.name), errorTypeText(run.error.type)), {});
      else void s.ui.showInformationMessage(vscode.l10n.t('Started a run of {0} (session {1}).', q(target.name), run.session_id ?? '—'), {});
      return;
    }
    case 'conflict':
      void s.ui.showInformationMessage(vscode.l10n.t('{0} cannot run now: it is paused or archived. The list has been refreshed.', q(target.name)), {});
      return;
    case 'gone':
      void s.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists. The list has been refreshed.', q(target.name)), {});
      return;
    case 'failed':
      await reportFailure(s, vscode.l10n.t('Running {0}', q(target.name)), outcome.error);
      return;
  }
}

export function registerRunNow(s: Services): vscode.Disposable {
  return registerGuarded(s, Commands.run, vscode.l10n.t('Run Now'), (arg?: unknown) => runNow(s, arg));
}
