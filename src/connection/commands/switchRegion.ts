// Switch Region: Global (the default), China, or a custom address (opens the setting). Writes the
// application-scoped setting; tokens are kept per API origin in SecretStorage, so each region
// keeps its own.

import * as vscode from 'vscode';
import { hostOf, withoutTrailingSlash } from '../../api';
import * as config from '../../platform/config';
import { Commands, DEFAULT_API_BASE_URL, Regions, Settings } from '../../platform/constants';
import { registerGuarded, type Services } from '../../platform/commandKit';

type RegionChoice = vscode.QuickPickItem & { baseUrl?: string };

export async function switchRegion(services: Services): Promise<void> {
  const current = withoutTrailingSlash(config.apiBaseUrl());
  const known = Regions.some((region) => region.baseUrl === current);
  const currentMark = vscode.l10n.t('current');
  const items: RegionChoice[] = Regions.map((region) => ({
    label: region.baseUrl === DEFAULT_API_BASE_URL ? vscode.l10n.t('Global (default)') : vscode.l10n.t('China'),
    description: region.baseUrl === current ? `${hostOf(region.baseUrl) ?? region.baseUrl} · ${currentMark}` : hostOf(region.baseUrl),
    baseUrl: region.baseUrl,
  }));
  items.push({
    label: vscode.l10n.t('Custom…'),
    description: known ? vscode.l10n.t('opens the setting') : `${hostOf(current) ?? current} · ${currentMark}`,
    detail: known ? undefined : vscode.l10n.t('Opens the setting qoder.apiBaseUrl'),
  });
  const picked = await services.ui.showQuickPick(items, { title: vscode.l10n.t('Qoder: Switch Region'), placeHolder: vscode.l10n.t('Each region keeps its own token') });
  if (!picked) return;
  if (!picked.baseUrl) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.${Settings.apiBaseUrl}`);
    return;
  }
  if (picked.baseUrl === current) return;
  await config.setApiBaseUrl(picked.baseUrl);
  await services.connection.reload();
  services.ui.announce(vscode.l10n.t('Qoder region: {0}', picked.label));
}

export function registerSwitchRegion(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.switchRegion, vscode.l10n.t('Switch Region'), () => switchRegion(services));
}
