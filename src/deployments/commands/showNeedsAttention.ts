// Show Needs Attention (the status-bar item): reveal the view filtered to "needs attention".

import * as vscode from 'vscode';
import { Commands, VIEW_ID } from '../../platform/constants';
import type { FilterState } from '../model/filter';
import { guarded, type Services } from '../../platform/commandKit';

export async function showNeedsAttention(filter: FilterState): Promise<void> {
  filter.set({ status: 'attention' });
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
}

export function registerShowNeedsAttention(s: Services, filter: FilterState): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.showNeedsAttention, guarded(s, vscode.l10n.t('Show Deployments That Need Attention'), () => showNeedsAttention(filter)));
}
