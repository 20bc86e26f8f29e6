// Cancel Session, run: asks in the user's words ("Stop the run of “name” started 11:08?", Keep
// Running / Stop Run), cancels the running turn, and lets the open document say "cancelling…"
// until the session's final event arrives. From the palette it picks a running run by name and
// time. Part of the runs chunk.

import * as vscode from 'vscode';
import { isSessionId } from '../api/sessions';
import { SESSION_SCHEME } from '../platform/constants';
import { sessionIdOf } from '../agentSessions/sessionUris';
import type { Services } from '../platform/commandKit';
import { displayText, quote } from '../common/display';
import { runTargetOf, type RunTarget, type SessionServices } from '../agentSessions/commands/sessionDeps';
import { pickRun } from './pickRun';
import { formatTime } from '../common/timeText';

/** "“nightly-audit”" and its start time, from the clicked run or the session document's title. */
function whichRun(s: Services, target: RunTarget | undefined, uri: vscode.Uri | undefined): { name?: string; started?: string } {
  const locale = vscode.env.language;
  if (target) {
    const known = s.store.get(target.deploymentId)?.name;
    const created = target.createdAt ?? s.runs.get(target.deploymentId)?.runs.find((r) => r.id === target.runId)?.created_at;
    return { name: known === undefined ? undefined : quote(known), started: created ? formatTime(created, { locale }) : undefined };
  }
  // A session document (and its report) is titled "<deployment> · <run time>" (openSession.ts).
  const title = uri ? uri.path.replace(/^\//, '') : '';
  const cut = title.lastIndexOf(' · ');
  if (cut > 0) return { name: quote(title.slice(0, cut)), started: title.slice(cut + 3) };
  return title && !title.includes('sess_') ? { name: quote(title) } : {};
}

export async function stopRun(s: Services, sessions: SessionServices, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
  let target = runTargetOf(a, b, c);
  let sessionId = target?.sessionId ?? (typeof a === 'string' && isSessionId(a) ? a : undefined);
  let uri = a instanceof vscode.Uri && a.scheme === SESSION_SCHEME ? a : undefined;
  if (!sessionId && !target) {
    uri ??= vscode.window.activeTextEditor?.document.uri.scheme === SESSION_SCHEME ? vscode.window.activeTextEditor.document.uri : sessions.documents.activeReport();
    sessionId = uri ? sessionIdOf(uri) : undefined;
  }
  if (!sessionId && !target) {
    // From the palette: pick among the runs that are running or waiting, by name and time.
    const picked = await pickRun(s, sessions.statuses, { liveOnly: true, placeHolder: vscode.l10n.t('Stop which run?') });
    if (!picked) return;
    target = { ...picked };
    sessionId = picked.sessionId;
  }
  if (!sessionId) {
    void s.ui.showInformationMessage(vscode.l10n.t('This run started no session, so there is nothing to stop.'), {});
    return;
  }
  s.connection.requireClient();
  const { name, started } = whichRun(s, target, uri);
  const message = name && started
    ? vscode.l10n.t('Stop the run of {0} started {1}?', name, started)
    : name ? vscode.l10n.t('Stop the run of {0}?', name) : vscode.l10n.t('Stop this run?');
  // "Keep Running" first: VS Code focuses the first button, and Enter must not stop anything.
  const keep = vscode.l10n.t('Keep Running');
  const stop = vscode.l10n.t('Stop Run');
  const answer = await s.ui.showWarningMessage(message, { modal: true, detail: vscode.l10n.t('The agent stops its current turn; work it has not finished is lost.') }, keep, stop);
  if (answer !== stop) return;
  const id = sessionId;
  const what = name ?? displayText(sessionId);
  const outcome = await s.mutations.write({ verb: 'cancel session', key: id, send: (client) => client.cancelSession(id) });
  if (outcome.kind === 'busy' || outcome.kind === 'dropped') return;
  if (outcome.kind === 'gone') {
    void s.ui.showInformationMessage(vscode.l10n.t('The run of {0} no longer exists; nothing was stopped.', what), {});
    return;
  }
  if (outcome.kind === 'failed' || outcome.kind === 'invalid') throw outcome.error;
  if (outcome.kind === 'done' && outcome.result.httpStatus === 202) {
    sessions.documents.find(sessionId)?.markCancelling();
    s.ui.setStatusBarMessage(vscode.l10n.t('$(loading~spin) Stopping the run of {0}…', what), 5000);
  } else {
    void s.ui.showInformationMessage(vscode.l10n.t('The run of {0} was not running; nothing was stopped.', what), {});
  }
  sessions.statuses.request(sessionId);
}
