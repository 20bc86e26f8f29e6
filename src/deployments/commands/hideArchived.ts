// Hide Archived Deployments: turns the setting off, in the scope that holds it.

import * as vscode from 'vscode';
import * as config from '../../platform/config';
import { Commands } from '../../platform/constants';
import { registerGuarded, type Services } from '../../platform/commandKit';

export function registerHideArchived(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.hideArchived, vscode.l10n.t('Hide Archived Deployments'), () => config.setShowArchived(false));
}
