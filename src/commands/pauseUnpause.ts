// Pause and Resume: reversible, so no modal, but the same care with state and errors.

import * as vscode from 'vscode';
import { isApiError, type Deployment } from '../api';
import { isArchived } from '../model/deploymentStore';
import { mayHaveReachedServer } from '../model/errorText';
import { Commands } from '../constants';
import { guarded, q, reportFailure, resolveTargets, type Services } from './common';

interface Spec {
  fits: (d: Deployment) => boolean;
  busy: string;
  what: (name: string) => string;
  done: (name: string) => string;
  doneMany: (count: number) => string;
  conflict: (name: string) => string;
  placeHolder: string;
  none: string;
}

function spec(pause: boolean): Spec {
  return pause
    ? {
        fits: (d) => !isArchived(d) && d.status === 'active',
        busy: vscode.l10n.t('Pausing…'),
        what: (n) => vscode.l10n.t('Pausing {0}', q(n)),
        done: (n) => vscode.l10n.t('Paused {0}. Its schedule will not fire until it is resumed.', q(n)),
        doneMany: (count) => vscode.l10n.t('Paused {0} deployments. Their schedules will not fire until they are resumed.', count),
        conflict: (n) => vscode.l10n.t('{0} is already paused or archived. The list has been refreshed.', q(n)),
        placeHolder: vscode.l10n.t('Select the deployments to pause'),
        none: vscode.l10n.t('There is no active deployment to pause.'),
      }
    : {
        fits: (d) => !isArchived(d) && d.status === 'paused',
        busy: vscode.l10n.t('Resuming…'),
        what: (n) => vscode.l10n.t('Resuming {0}', q(n)),
        done: (n) => vscode.l10n.t('Resumed {0}.', q(n)),
        doneMany: (count) => vscode.l10n.t('Resumed {0} deployments.', count),
        conflict: (n) => vscode.l10n.t('{0} is not paused any more. The list has been refreshed.', q(n)),
        placeHolder: vscode.l10n.t('Select the deployments to resume'),
        none: vscode.l10n.t('There is no paused deployment to resume.'),
      };
}

export async function setPaused(s: Services, pause: boolean, arg?: unknown, selected?: unknown): Promise<void> {
  const sp = spec(pause);
  const targets = await resolveTargets(s, arg, selected, sp.fits, { placeHolder: sp.placeHolder, many: true, none: sp.none });
  let refresh = false;
  const done: string[] = [];
  await Promise.all(targets.map(async (d) => {
    if (!sp.fits(d)) {
      void s.ui.showInformationMessage(sp.conflict(d.name), {});
      refresh = true;
      return;
    }
    if (!s.store.beginAction(d.id, sp.busy)) return;
    try {
      const client = s.session.requireClient();
      const after = pause ? await client.pauseDeployment(d.id) : await client.unpauseDeployment(d.id);
      s.store.replace(after);
      done.push(d.name);
    } catch (e) {
      if (isApiError(e, 409)) {
        void s.ui.showInformationMessage(sp.conflict(d.name), {});
        refresh = true;
      } else if (isApiError(e, 404)) {
        void s.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists. The list has been refreshed.', q(d.name)), {});
        refresh = true;
      } else {
        refresh ||= mayHaveReachedServer(e);
        await reportFailure(s, sp.what(d.name), e);
      }
    } finally {
      s.store.endAction(d.id);
    }
  }));
  // Announced (a self-closing notification), once for the whole selection.
  if (done.length === 1) s.ui.announce(sp.done(done[0]));
  else if (done.length > 1) s.ui.announce(sp.doneMany(done.length));
  if (refresh) await s.store.refresh({ fresh: true });
}

export function registerPauseUnpause(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.pause, guarded(s, vscode.l10n.t('Pause'), (a?: unknown, sel?: unknown) => setPaused(s, true, a, sel))),
    vscode.commands.registerCommand(Commands.unpause, guarded(s, vscode.l10n.t('Resume'), (a?: unknown, sel?: unknown) => setPaused(s, false, a, sel))),
  ];
}
