// Copy Deployment ID, confirmed in the status bar.

import * as vscode from 'vscode';
import { Commands } from '../constants';
import { registerGuarded, resolveOne, type Services } from './common';

export async function copyId(s: Services, arg?: unknown): Promise<void> {
  const target = await resolveOne(s, arg, vscode.l10n.t('Select the deployment whose ID to copy'));
  if (!target) return;
  await vscode.env.clipboard.writeText(target.id);
  s.ui.setStatusBarMessage(vscode.l10n.t('$(check) Copied {0}', target.id), 4000);
}

export function registerCopyId(s: Services): vscode.Disposable {
  return registerGuarded(s, Commands.copyId, vscode.l10n.t('Copy Deployment ID'), (arg?: unknown) => copyId(s, arg));
}
