// Pause: the schedule stops firing until the deployment is resumed.

import * as vscode from 'vscode';
import { isArchived } from '../model/deploymentStore';
import { Commands } from '../../platform/constants';
import { registerGuarded, type Services } from '../../platform/commandKit';
import { quote } from '../../common/display';
import { changeStatus, type StatusChange } from './statusChange';

/** Pause's spec; the chat tool qoder_pauseDeployment uses the same one. */
export const pause = (): StatusChange => ({
  verb: 'pause',
  fits: (deployment) => !isArchived(deployment) && deployment.status === 'active',
  send: (client, id) => client.pauseDeployment(id),
  busyLabel: vscode.l10n.t('Pausing…'),
  what: (name) => vscode.l10n.t('Pausing {0}', quote(name)),
  done: (name) => vscode.l10n.t('Paused {0}. Its schedule will not fire until it is resumed.', quote(name)),
  doneMany: (count) => vscode.l10n.t('Paused {0} deployments. Their schedules will not fire until they are resumed.', count),
  conflict: (name) => vscode.l10n.t('{0} is already paused or archived. The list has been refreshed.', quote(name)),
  placeHolder: vscode.l10n.t('Select the deployments to pause'),
  none: vscode.l10n.t('There is no active deployment to pause.'),
});

export function registerPause(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.pause, vscode.l10n.t('Pause'), (arg?: unknown, selected?: unknown) => changeStatus(services, pause(), arg, selected));
}
