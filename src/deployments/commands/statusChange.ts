// What Pause and Resume share: reversible, so no modal, but the same care with state and
// errors. Each command declares its words and which deployments it fits.

import * as vscode from 'vscode';
import type { Deployment, QoderClient } from '../../api';
import { reportFailure, resolveTargets, type Services } from '../../platform/commandKit';
import { quote } from '../../common/display';

export interface StatusChange {
  verb: 'pause' | 'resume';
  fits: (deployment: Deployment) => boolean;
  send: (client: QoderClient, id: string) => Promise<Deployment>;
  busyLabel: string;
  what: (name: string) => string;
  done: (name: string) => string;
  /** "Paused 3 deployments." for a multi-selection (announced once). */
  doneMany: (count: number) => string;
  conflict: (name: string) => string;
  placeHolder: string;
  none: string;
}

export async function changeStatus(services: Services, change: StatusChange, arg?: unknown, selected?: unknown): Promise<void> {
  const targets = await resolveTargets(services, arg, selected, change.fits, { placeHolder: change.placeHolder, many: true, none: change.none });
  const outcomes = await services.mutations.run(targets, {
    verb: change.verb,
    busyLabel: change.busyLabel,
    fits: change.fits,
    send: change.send,
    updated: (after) => after,
  });
  // Announced (a self-closing notification, read by screen readers), once for the selection.
  const done = outcomes.filter((o) => o.kind === 'done');
  if (done.length === 1) services.ui.announce(change.done(done[0].target.name));
  else if (done.length > 1) services.ui.announce(change.doneMany(done.length));
  for (const outcome of outcomes) {
    const name = outcome.target.name;
    if (outcome.kind === 'done') continue;
    else if (outcome.kind === 'conflict') void services.ui.showInformationMessage(change.conflict(name), {});
    else if (outcome.kind === 'gone') void services.ui.showWarningMessage(vscode.l10n.t('{0} no longer exists. The list has been refreshed.', quote(name)), {});
    else if (outcome.kind === 'failed' || outcome.kind === 'invalid') await reportFailure(services, change.what(name), outcome.error);
  }
}
