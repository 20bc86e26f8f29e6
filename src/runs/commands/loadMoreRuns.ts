// Load more runs: the next page of a deployment's run history. RunStore.loadMore joins a load
// in flight, so a double click loads one page.

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { registerGuarded, type Services } from '../../platform/commandKit';

export function registerLoadMoreRuns(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.loadMoreRuns, vscode.l10n.t('Load more runs'), async (deploymentId: unknown) => {
    if (typeof deploymentId === 'string') await services.runs.loadMore(deploymentId);
  });
}
