// Show Run Details: one run as read-only, pretty-printed JSON (the run rows' click action).

import * as vscode from 'vscode';
import { isDeploymentId, isRunId } from '../../api';
import { Commands } from '../../platform/constants';
import { detailsUri, openDetails } from '../../deployments/detailsDocument';
import { registerGuarded, type Services } from '../../platform/commandKit';

export async function showRunDetails(deploymentId: unknown, runId: unknown, nameOf: (id: string) => string | undefined = () => undefined): Promise<void> {
  // From the run's context menu the argument is its tree node.
  const node = deploymentId as { deploymentId?: unknown; run?: { id?: unknown } } | undefined;
  if (node && typeof node === 'object' && node.run) {
    runId = node.run.id;
    deploymentId = node.deploymentId;
  }
  if (!isDeploymentId(deploymentId) || !isRunId(runId)) throw new Error(vscode.l10n.t('Show Run Details needs a deployment ID and a run ID.'));
  await openDetails(detailsUri(deploymentId, runId, nameOf(deploymentId)));
}

export function registerShowRunDetails(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.showRunDetails, vscode.l10n.t('Show Run Details'), (deploymentId?: unknown, runId?: unknown) => showRunDetails(deploymentId, runId, (id) => services.store.get(id)?.name));
}
