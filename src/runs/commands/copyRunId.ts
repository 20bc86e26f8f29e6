import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { guarded, type Services } from '../../platform/commandKit';
import { runTargetOf } from '../../agentSessions/commands/sessionDeps';

export async function copyRunId(s: Services, a?: unknown, b?: unknown): Promise<void> {
  const target = runTargetOf(a, b);
  if (!target) {
    void s.ui.showInformationMessage(vscode.l10n.t('Copy Run ID works on a run in the Deployments view.'), {});
    return;
  }
  await vscode.env.clipboard.writeText(target.runId);
  s.ui.announce(vscode.l10n.t('Copied the run ID {0}.', target.runId));
}

export function registerCopyRunId(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.copyRunId, guarded(s, vscode.l10n.t('Copy Run ID'), (a?: unknown, b?: unknown) => copyRunId(s, a, b)));
}
