// A notification's run button: opens the run that caused it. A run that failed before a session
// existed has only its error to show, said in words. Part of the runs chunk.

import * as vscode from 'vscode';
import { Commands } from '../platform/constants';
import type { Services } from '../platform/commandKit';
import { quote } from '../common/display';
import { errorTypeText } from '../common/errorTypes';
import { formatTime } from '../common/timeText';
import { runHealth } from './model/runHealth';

export async function openFailedRun(s: Pick<Services, 'runs' | 'store' | 'ui'>, id: string): Promise<void> {
  const history = s.runs.get(id)?.runs ?? [];
  const run = runHealth.get(id)?.lastFailure?.run ?? history.find((r) => r.error) ?? history[0];
  if (!run) {
    void s.ui.showInformationMessage(vscode.l10n.t('No run of this deployment was found.'), {});
    return;
  }
  if (run.session_id) {
    await vscode.commands.executeCommand(Commands.openSession, { deploymentId: id, run });
    return;
  }
  const details = vscode.l10n.t('Show Run Details');
  const when = formatTime(run.created_at, { locale: vscode.env.language });
  const why = run.error ? errorTypeText(run.error.type) : vscode.l10n.t('no session was started');
  const answer = await s.ui.showWarningMessage(vscode.l10n.t('The run of {0} at {1} could not start: {2}.', quote(s.store.get(id)?.name ?? id), when, why), {}, details);
  if (answer === details) await vscode.commands.executeCommand(Commands.showRunDetails, id, run.id);
}
