// Switch Region: Global (the default), China, or a custom address (opens the setting). Writes the
// application-scoped setting; tokens are kept per API origin in SecretStorage, so each region
// keeps its own.

import * as vscode from 'vscode';
import * as config from '../config';
import { Commands, DEFAULT_API_BASE_URL, Regions, Settings } from '../constants';
import { guarded, type Services } from './common';

type RegionChoice = vscode.QuickPickItem & { baseUrl?: string };

export async function switchRegion(s: Services): Promise<void> {
  const current = config.apiBaseUrl().replace(/\/+$/, '');
  const known = Regions.some((r) => r.baseUrl === current);
  const currentMark = vscode.l10n.t('current');
  const items: RegionChoice[] = Regions.map((r) => ({
    label: r.baseUrl === DEFAULT_API_BASE_URL ? vscode.l10n.t('Global (default)') : vscode.l10n.t('China'),
    description: r.baseUrl === current ? `${new URL(r.baseUrl).host} · ${currentMark}` : new URL(r.baseUrl).host,
    picked: r.baseUrl === current,
    baseUrl: r.baseUrl,
  }));
  items.push({
    label: vscode.l10n.t('Custom…'),
    description: known ? vscode.l10n.t('opens the setting') : `${hostOf(current)} · ${currentMark}`,
    detail: known ? undefined : vscode.l10n.t('Opens the setting qoder.apiBaseUrl'),
    picked: !known,
  });
  const picked = await s.ui.showQuickPick(items, { title: vscode.l10n.t('Qoder: Switch Region'), placeHolder: vscode.l10n.t('Each region keeps its own token') });
  if (!picked) return;
  if (!picked.baseUrl) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${Settings.section}.${Settings.apiBaseUrl}`);
    return;
  }
  if (picked.baseUrl === current) return;
  await config.setApiBaseUrl(picked.baseUrl);
  await s.session.reload();
  s.ui.announce(vscode.l10n.t('Qoder region: {0}', picked.label));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function registerRegion(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.switchRegion, guarded(s, vscode.l10n.t('Switch Region'), () => switchRegion(s)));
}
