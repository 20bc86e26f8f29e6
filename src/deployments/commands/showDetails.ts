// Show Deployment Details: the deployment as read-only, pretty-printed JSON (see views/detailsDocument).

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { detailsUri, openDetails } from '../detailsDocument';
import { registerGuarded, resolveOne, type Services } from '../../platform/commandKit';

export async function showDetails(services: Services, arg?: unknown): Promise<void> {
  const target = await resolveOne(services, arg, vscode.l10n.t('Select the deployment to show'));
  if (target) await openDetails(detailsUri(target.id, undefined, target.name));
}

export function registerShowDetails(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.showDetails, vscode.l10n.t('Show Deployment Details'), (arg?: unknown) => showDetails(services, arg));
}
