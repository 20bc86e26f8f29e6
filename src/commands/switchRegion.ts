// Switch Region: Global or China. Writes the application-scoped setting; tokens are kept per
// API origin in SecretStorage, so each region keeps its own.

import * as vscode from 'vscode';
import { withoutTrailingSlash } from '../api';
import * as config from '../config';
import { Commands, Regions } from '../constants';
import { registerGuarded, type Services } from './common';

export async function switchRegion(services: Services): Promise<void> {
  const current = withoutTrailingSlash(config.apiBaseUrl());
  const label = (id: string) => (id === 'global' ? vscode.l10n.t('Global') : vscode.l10n.t('China'));
  const items = Regions.map((region) => ({
    label: label(region.id),
    description: new URL(region.baseUrl).host,
    detail: region.baseUrl === current ? vscode.l10n.t('current region') : undefined,
    baseUrl: region.baseUrl,
  }));
  const picked = await services.ui.showQuickPick(items, { title: vscode.l10n.t('Qoder: Switch Region'), placeHolder: vscode.l10n.t('Each region keeps its own token') });
  if (!picked || picked.baseUrl === current) return;
  await config.setApiBaseUrl(picked.baseUrl);
  await services.session.reload();
  void services.ui.setStatusBarMessage(vscode.l10n.t('Qoder region: {0}', picked.label), 4000);
}

export function registerSwitchRegion(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.switchRegion, vscode.l10n.t('Switch Region'), () => switchRegion(services));
}
