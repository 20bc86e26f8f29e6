// Refresh: reload the list (and forget cached runs) now.

import * as vscode from 'vscode';
import { Commands } from '../constants';
import { isAuthError } from '../model/errorText';
import { registerGuarded, reportFailure, type Services } from './common';

export async function refresh(s: Services): Promise<void> {
  s.session.requireClient();
  s.runs.invalidate();
  await s.store.refresh({ fresh: true });
  // A 401 is reported (with "Replace Token") by the auth prompt, once; do not ask twice.
  if (s.store.error && !isAuthError(s.store.error)) await reportFailure(s, vscode.l10n.t('Loading deployments'), s.store.error);
}

export function registerRefresh(s: Services): vscode.Disposable {
  return registerGuarded(s, Commands.refresh, vscode.l10n.t('Refresh Deployments'), () => refresh(s));
}
