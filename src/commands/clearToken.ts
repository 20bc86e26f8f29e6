// Clear Personal Access Token: forgets the token of the current API origin.

import * as vscode from 'vscode';
import * as config from '../config';
import { Commands } from '../constants';
import { registerGuarded, type Services } from './common';

export async function clearToken(s: Services): Promise<void> {
  await s.tokens.delete(config.apiBaseUrl());
  await s.session.reload();
  s.log.info('Token cleared.');
  void s.ui.setStatusBarMessage(vscode.l10n.t('Qoder token cleared'), 4000);
}

export function registerClearToken(s: Services): vscode.Disposable {
  return registerGuarded(s, Commands.clearToken, vscode.l10n.t('Clear Personal Access Token'), () => clearToken(s));
}
