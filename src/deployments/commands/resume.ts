// Resume: a paused deployment's schedule fires again (the API calls it unpause).

import * as vscode from 'vscode';
import { isArchived } from '../model/deploymentStore';
import { Commands } from '../../platform/constants';
import { registerGuarded, type Services } from '../../platform/commandKit';
import { quote } from '../../common/display';
import { changeStatus, type StatusChange } from './statusChange';

/** Resume's spec; the chat tool qoder_resumeDeployment uses the same one. */
export const resume = (): StatusChange => ({
  verb: 'resume',
  fits: (deployment) => !isArchived(deployment) && deployment.status === 'paused',
  send: (client, id) => client.resumeDeployment(id),
  busyLabel: vscode.l10n.t('Resuming…'),
  what: (name) => vscode.l10n.t('Resuming {0}', quote(name)),
  done: (name) => vscode.l10n.t('Resumed {0}.', quote(name)),
  doneMany: (count) => vscode.l10n.t('Resumed {0} deployments.', count),
  conflict: (name) => vscode.l10n.t('{0} is not paused any more. The list has been refreshed.', quote(name)),
  placeHolder: vscode.l10n.t('Select the deployments to resume'),
  none: vscode.l10n.t('There is no paused deployment to resume.'),
});

export function registerResume(services: Services): vscode.Disposable {
  return registerGuarded(services, Commands.resume, vscode.l10n.t('Resume'), (arg?: unknown, selected?: unknown) => changeStatus(services, resume(), arg, selected));
}
