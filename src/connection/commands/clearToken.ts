// Clear Personal Access Token: forgets the token of the current API origin.

import * as vscode from 'vscode';
import * as config from '../../platform/config';
import { Commands } from '../../platform/constants';
import { registerGuarded, type Services } from '../../platform/commandKit';

export async function clearToken(services: Services): Promise<void> {
  await services.tokens.delete(config.apiBaseUrl());
  await services.connection.reload();
  services.log.info('Token cleared.');
  services.ui.announce(vscode.l10n.t('Qoder token cleared.'));
}

export function registerClearToken(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.clearToken, vscode.l10n.t('Clear Personal Access Token'), () => clearToken(services));
}
