// Refresh: reload the list (and forget cached runs) now.

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { isAuthError } from '../../common/errorText';
import { registerGuarded, reportFailure, type Services } from '../../platform/commandKit';

export async function refresh(services: Services): Promise<void> {
  services.connection.requireClient();
  await services.refresh.load('manual');
  // A 401 is reported (with "Replace Token") by the auth prompt, once; do not ask twice.
  if (services.store.error && !isAuthError(services.store.error)) await reportFailure(services, vscode.l10n.t('Loading deployments'), services.store.error);
}

export function registerRefresh(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.refresh, vscode.l10n.t('Refresh Deployments'), () => refresh(services));
}
