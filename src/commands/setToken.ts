// Set Personal Access Token. A token is checked with one cheap list call before it is saved,
// and it is saved only in SecretStorage.

import * as vscode from 'vscode';
import { isApiError } from '../api';
import * as config from '../config';
import { Commands, VIEW_ID } from '../constants';
import { registerGuarded, reportFailure, type Services } from './common';

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export async function setToken(s: Services): Promise<void> {
  const baseUrl = config.apiBaseUrl();
  const host = hostOf(baseUrl);
  const value = await s.ui.showInputBox({
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
    void s.ui.showErrorMessage(vscode.l10n.t('The token cannot be empty. Nothing was saved.'), {});
    return;
  }
  const client = s.session.createClient(baseUrl, token);
  try {
    // One page of one deployment: the cheapest call that proves the token works.
    await vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: vscode.l10n.t('Checking the token…') }, () =>
      client.listDeployments({ limit: 1 }).next(),
    );
  } catch (e) {
    if (isApiError(e, 401)) {
      void s.ui.showErrorMessage(vscode.l10n.t('Qoder rejected this token (401). Check that it was copied whole and has not expired. Nothing was saved.'), {});
      return;
    }
    await reportFailure(s, vscode.l10n.t('Checking the token'), e);
    return;
  }
  await s.tokens.set(baseUrl, token);
  s.log.info(`Token saved for ${host}.`);
  await s.session.reload();
  void s.ui.setStatusBarMessage(vscode.l10n.t('$(check) Qoder token saved'), 4000);
  await s.store.refresh();
}

export function registerSetToken(s: Services): vscode.Disposable {
  return registerGuarded(s, Commands.setToken, vscode.l10n.t('Set Personal Access Token'), () => setToken(s));
}
