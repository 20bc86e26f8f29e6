// Refresh, show/hide archived, the log, and "Load more" runs.

import * as vscode from 'vscode';
import * as config from '../config';
import { Commands } from '../constants';
import { isAuthError } from '../model/errorText';
import { guarded, reportFailure, type Services } from './common';

export async function refresh(s: Services): Promise<void> {
  s.session.requireClient();
  s.runs.invalidate();
  await s.store.refresh({ fresh: true });
  // A 401 is reported (with "Replace Token") by the view state, once; do not ask twice.
  if (s.store.error && !isAuthError(s.store.error)) await reportFailure(s, vscode.l10n.t('Loading deployments'), s.store.error);
}

export function registerRefresh(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.refresh, guarded(s, vscode.l10n.t('Refresh Deployments'), () => refresh(s))),
    vscode.commands.registerCommand(Commands.showArchived, guarded(s, vscode.l10n.t('Show Archived Deployments'), () => config.setShowArchived(true))),
    vscode.commands.registerCommand(Commands.hideArchived, guarded(s, vscode.l10n.t('Hide Archived Deployments'), () => config.setShowArchived(false))),
    vscode.commands.registerCommand(Commands.showLog, () => s.log.show()),
    // RunStore.loadMore joins a load in flight, so a double click loads one page.
    vscode.commands.registerCommand(Commands.loadMoreRuns, guarded(s, vscode.l10n.t('Load more runs'), async (id: unknown) => {
      if (typeof id === 'string') await s.runs.loadMore(id);
    })),
  ];
}
