// Try Again, from the welcome view after a failed sign-in: checks the same token again when the
// failure was not the token's fault (the network, a timeout); otherwise asks for a token.

import * as vscode from 'vscode';
import * as config from '../../platform/config';
import { Commands } from '../../platform/constants';
import { isAuthError } from '../../common/errorText';
import { registerGuarded, type Services } from '../../platform/commandKit';
import { checkAndSave, setToken } from './setToken';

export async function retrySignIn(s: Services): Promise<void> {
  const token = s.connection.retryToken();
  if (!token || isAuthError(s.connection.signInError)) {
    await setToken(s);
    return;
  }
  await checkAndSave(s, config.apiBaseUrl(), token);
}

export function registerRetrySignIn(s: Services): vscode.Disposable {
  return registerGuarded(s, Commands.retrySignIn, vscode.l10n.t('Try Again'), () => retrySignIn(s));
}
