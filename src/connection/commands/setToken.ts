// Set Personal Access Token. A token is checked with one cheap list call before it is saved,
// and it is saved only in SecretStorage.

import * as vscode from 'vscode';
import { hostOf, isApiError } from '../../api';
import * as config from '../../platform/config';
import { Commands, VIEW_ID } from '../../platform/constants';
import { registerGuarded, reportFailure, type Services } from '../../platform/commandKit';

export async function setToken(services: Services): Promise<void> {
  const baseUrl = config.apiBaseUrl();
  const host = hostOf(baseUrl) ?? baseUrl;
  const value = await services.ui.showInputBox({
    title: vscode.l10n.t('Qoder Personal Access Token'),
    prompt: vscode.l10n.t('Paste a Personal Access Token for {0}. Create one in the Qoder console under Settings → API Tokens. It is stored only in VS Code secret storage.', host),
    placeHolder: 'pt-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (input) => (input.trim() ? undefined : vscode.l10n.t('The token cannot be empty.')),
  });
  if (value === undefined) return;
  const token = value.trim();
  if (!token) {
    void services.ui.showErrorMessage(vscode.l10n.t('The token cannot be empty. Nothing was saved.'), {});
    return;
  }
  await checkAndSave(services, baseUrl, token);
}

/**
 * Checks a token with one cheap call and saves it when it works. A failure stays in the
 * welcome view (with Try Again) as well as in a message: a toast alone was gone in seconds.
 */
export async function checkAndSave(services: Services, baseUrl: string, token: string): Promise<void> {
  const host = hostOf(baseUrl) ?? baseUrl;
  const client = services.connection.createClient(baseUrl, token);
  try {
    // One page of one deployment: the cheapest call that proves the token works.
    await vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: vscode.l10n.t('Checking the token…') }, () =>
      client.listDeployments({ limit: 1 }).next(),
    );
  } catch (e) {
    services.connection.setSignInFailure(e, baseUrl, token);
    if (isApiError(e, 401)) {
      void services.ui.showErrorMessage(vscode.l10n.t('Qoder rejected this token (401). Check that it was copied whole and has not expired. Nothing was saved.'), {});
      return;
    }
    await reportFailure(services, vscode.l10n.t('Checking the token'), e);
    return;
  }
  await services.tokens.set(baseUrl, token);
  services.log.info(`Token saved for ${host}.`);
  services.connection.clearSignInFailure();
  await services.connection.reload();
  services.ui.announce(vscode.l10n.t('Qoder token saved for {0}.', host));
  await services.refresh.load('sign-in');
}

export function registerSetToken(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.setToken, vscode.l10n.t('Set Personal Access Token'), () => setToken(services));
}
