// Set and clear the Personal Access Token. A token is checked with one cheap list call before
// it is saved, and it is saved only in SecretStorage.

import * as vscode from 'vscode';
import { isApiError } from '../api';
import * as config from '../config';
import { Commands, VIEW_ID } from '../constants';
import { guarded, reportFailure, type Services } from './common';

export async function setToken(s: Services): Promise<void> {
  const baseUrl = config.apiBaseUrl();
  const host = hostOf(baseUrl);
  const value = await s.ui.showInputBox({
    title: vscode.l10n.t('Qoder Personal Access Token'),
    prompt: vscode.l10n.t('Paste a Personal Access Token for {0}. Create one in the Qoder console under Settings → API Tokens. It is stored only in VS Code secret storage.', host),
    placeHolder: 'pt-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The token cannot be empty.')),
  });
  if (value === undefined) return;
  const token = value.trim();
  if (!token) {
    void s.ui.showErrorMessage(vscode.l10n.t('The token cannot be empty. Nothing was saved.'), {});
    return;
  }
  await checkAndSave(s, baseUrl, token);
}

/**
 * Checks a token with one cheap call and saves it when it works. A failure stays in the
 * welcome view (with Try Again) as well as in a message: a toast alone was gone in seconds.
 */
export async function checkAndSave(s: Services, baseUrl: string, token: string): Promise<void> {
  const host = hostOf(baseUrl);
  const client = s.session.createClient(baseUrl, token);
  try {
    // One page of one deployment: the cheapest call that proves the token works.
    await vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: vscode.l10n.t('Checking the token…') }, () =>
      client.listDeployments({ limit: 1 }).next(),
    );
  } catch (e) {
    s.session.setSignInFailure(e, baseUrl, token);
    if (isApiError(e, 401)) {
      void s.ui.showErrorMessage(vscode.l10n.t('Qoder rejected this token (401). Check that it was copied whole and has not expired. Nothing was saved.'), {});
      return;
    }
    await reportFailure(s, vscode.l10n.t('Checking the token'), e);
    return;
  }
  await s.tokens.set(baseUrl, token);
  s.log.info(`Token saved for ${host}.`);
  s.session.clearSignInFailure();
  await s.session.reload();
  s.ui.announce(vscode.l10n.t('Qoder token saved for {0}.', host));
  await s.store.refresh();
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export async function clearToken(s: Services): Promise<void> {
  const baseUrl = config.apiBaseUrl();
  await s.tokens.delete(baseUrl);
  await s.session.reload();
  s.log.info('Token cleared.');
  s.ui.announce(vscode.l10n.t('Qoder token cleared.'));
}

export function registerToken(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.setToken, guarded(s, vscode.l10n.t('Set Personal Access Token'), () => setToken(s))),
    vscode.commands.registerCommand(Commands.clearToken, guarded(s, vscode.l10n.t('Clear Personal Access Token'), () => clearToken(s))),
  ];
}

