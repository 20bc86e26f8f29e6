// Copy as curl: a command line that fetches the deployment, with $QODER_PAT where the token goes.

import * as vscode from 'vscode';
import { withoutTrailingSlash } from '../../api';
import { Commands } from '../../platform/constants';
import { registerGuarded, resolveOne, type Services } from '../../platform/commandKit';
import { quote } from '../../common/display';

export function curlFor(baseUrl: string, id: string): string {
  const url = `${withoutTrailingSlash(baseUrl)}/deployments/${encodeURIComponent(id)}`;
  return `curl -sS -H "Authorization: Bearer $QODER_PAT" -H "Accept: application/json" '${url}'`;
}

export async function copyAsCurl(services: Services, arg?: unknown): Promise<void> {
  const target = await resolveOne(services, arg, vscode.l10n.t('Select the deployment to copy as curl'));
  if (!target) return;
  await vscode.env.clipboard.writeText(curlFor(services.connection.apiBaseUrl, target.id));
  services.ui.announce(vscode.l10n.t('Copied a curl command for {0} (set QODER_PAT first).', quote(target.name)));
}

export function registerCopyAsCurl(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.copyAsCurl, vscode.l10n.t('Copy as curl'), (arg?: unknown) => copyAsCurl(services, arg));
}
