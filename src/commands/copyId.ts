import * as vscode from 'vscode';
import { Commands } from '../constants';
import { guarded, q, resolveOne, type Services } from './common';

export async function copyId(s: Services, arg?: unknown): Promise<void> {
  const d = await resolveOne(s, arg, vscode.l10n.t('Select the deployment whose ID to copy'));
  if (!d) return;
  await vscode.env.clipboard.writeText(d.id);
  s.ui.announce(vscode.l10n.t('Copied the ID {0}.', d.id));
}

/** A curl command for the deployment, with $QODER_PAT where the token goes. */
export function curlFor(baseUrl: string, id: string): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/deployments/${encodeURIComponent(id)}`;
  return `curl -sS -H "Authorization: Bearer $QODER_PAT" -H "Accept: application/json" '${url}'`;
}

export async function copyAsCurl(s: Services, arg?: unknown): Promise<void> {
  const d = await resolveOne(s, arg, vscode.l10n.t('Select the deployment to copy as curl'));
  if (!d) return;
  await vscode.env.clipboard.writeText(curlFor(s.session.apiBaseUrl, d.id));
  s.ui.announce(vscode.l10n.t('Copied a curl command for {0} (set QODER_PAT first).', q(d.name)));
}

export function registerCopyId(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.copyId, guarded(s, vscode.l10n.t('Copy Deployment ID'), (a?: unknown) => copyId(s, a))),
    vscode.commands.registerCommand(Commands.copyAsCurl, guarded(s, vscode.l10n.t('Copy as curl'), (a?: unknown) => copyAsCurl(s, a))),
  ];
}
