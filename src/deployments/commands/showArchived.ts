// Show Archived Deployments: turns the setting on, in the scope that holds it.

import * as vscode from 'vscode';
import * as config from '../../platform/config';
import { Commands } from '../../platform/constants';
import { registerGuarded, type Services } from '../../platform/commandKit';

export function registerShowArchived(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.showArchived, vscode.l10n.t('Show Archived Deployments'), () => config.setShowArchived(true));
}
