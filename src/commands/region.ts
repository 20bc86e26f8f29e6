// Switch Region: Global or China. Writes the application-scoped setting; tokens are kept per
// API origin in SecretStorage, so each region keeps its own.

import * as vscode from 'vscode';
import * as config from '../config';
import { Commands, Regions } from '../constants';
import { guarded, type Services } from './common';

export async function switchRegion(s: Services): Promise<void> {
  const current = config.apiBaseUrl().replace(/\/+$/, '');
  const label = (id: string) => (id === 'global' ? vscode.l10n.t('Global') : vscode.l10n.t('China'));
  const items = Regions.map((r) => ({
    label: label(r.id),
    description: new URL(r.baseUrl).host,
    detail: r.baseUrl === current ? vscode.l10n.t('current region') : undefined,
    baseUrl: r.baseUrl,
  }));
  const picked = await s.ui.showQuickPick(items, { title: vscode.l10n.t('Qoder: Switch Region'), placeHolder: vscode.l10n.t('Each region keeps its own token') });
  if (!picked || picked.baseUrl === current) return;
  await config.setApiBaseUrl(picked.baseUrl);
  await s.session.reload();
  void s.ui.setStatusBarMessage(vscode.l10n.t('Qoder region: {0}', picked.label), 4000);
}

export function registerRegion(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.switchRegion, guarded(s, vscode.l10n.t('Switch Region'), () => switchRegion(s)));
}
