// Copy Deployment ID, confirmed in the status bar.

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { registerGuarded, resolveOne, type Services } from '../../platform/commandKit';

export async function copyId(services: Services, arg?: unknown): Promise<void> {
  const target = await resolveOne(services, arg, vscode.l10n.t('Select the deployment whose ID to copy'));
  if (!target) return;
  await vscode.env.clipboard.writeText(target.id);
  services.ui.announce(vscode.l10n.t('Copied the ID {0}.', target.id));
}

export function registerCopyId(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.copyId, vscode.l10n.t('Copy Deployment ID'), (arg?: unknown) => copyId(services, arg));
}
