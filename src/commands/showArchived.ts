// Show Archived Deployments: turns the setting on, in the scope that holds it.

import * as vscode from 'vscode';
import * as config from '../config';
import { Commands } from '../constants';
import { registerGuarded, type Services } from './common';

export function registerShowArchived(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.showArchived, vscode.l10n.t('Show Archived Deployments'), () => config.setShowArchived(true));
}
