// Try Again, from the welcome view after a failed sign-in: checks the same token again when the
// failure was not the token's fault (the network, a timeout); otherwise asks for a token.

import * as vscode from 'vscode';
import * as config from '../config';
import { Commands } from '../constants';
import { isAuthError } from '../model/errorText';
import { registerGuarded, type Services } from './common';
import { checkAndSave, setToken } from './setToken';

export async function retrySignIn(s: Services): Promise<void> {
  const token = s.session.retryToken();
  if (!token || isAuthError(s.session.signInError)) {
    await setToken(s);
    return;
  }
  await checkAndSave(s, config.apiBaseUrl(), token);
}

export function registerRetrySignIn(s: Services): vscode.Disposable {
  return registerGuarded(s, Commands.retrySignIn, vscode.l10n.t('Try Again'), () => retrySignIn(s));
}
