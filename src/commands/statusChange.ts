// What Pause and Resume share: reversible, so no modal, but the same care with state and
// errors. Each command declares its words and which deployments it fits.

import * as vscode from 'vscode';
import type { Deployment, QoderClient } from '../api';
import { q, reportFailure, resolveTargets, type Services } from './common';

export interface StatusChange {
  verb: 'pause' | 'resume';
  fits: (d: Deployment) => boolean;
  send: (client: QoderClient, id: string) => Promise<Deployment>;
  busyLabel: string;
  what: (name: string) => string;
  done: (name: string) => string;
  conflict: (name: string) => string;
  placeHolder: string;
  none: string;
}

export async function changeStatus(s: Services, change: StatusChange, arg?: unknown, selected?: unknown): Promise<void> {
  const targets = await resolveTargets(s, arg, selected, change.fits, { placeHolder: change.placeHolder, many: true, none: change.none });
  const outcomes = await s.mutations.run(targets, {
    verb: change.verb,
    busyLabel: change.busyLabel,
    fits: change.fits,
    send: change.send,
    updated: (after) => after,
  });
  for (const o of outcomes) {
    const name = o.target.name;
    if (o.kind === 'done') void s.ui.setStatusBarMessage(change.done(name), 5000);
    else if (o.kind === 'conflict') void s.ui.showInformationMessage(change.conflict(name), {});
    else if (o.kind === 'gone') void s.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists. The list has been refreshed.', q(name)), {});
    else if (o.kind === 'failed') await reportFailure(s, change.what(name), o.error);
  }
}
