import * as vscode from 'vscode';
import { Commands } from '../constants';
import { guarded, resolveTargets, t, type Services } from './common';

export async function copyId(s: Services, arg?: unknown): Promise<void> {
  const [d] = await resolveTargets(s, arg, undefined, () => true, {
    placeHolder: t('Select the deployment whose ID to copy'),
    many: false,
    none: t('There is no deployment.'),
  });
  if (!d) return;
  await vscode.env.clipboard.writeText(d.id);
  s.ui.setStatusBarMessage(t('$(check) Copied {0}', d.id), 4000);
}

export function registerCopyId(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.copyId, guarded(s, t('Copy Deployment ID'), (a?: unknown) => copyId(s, a)));
}
