// Cancel Session: asks with a modal, cancels the running turn, and lets the open document say
// "cancelling…" until the session's final event arrives.

import * as vscode from 'vscode';
import { isSessionId } from '../../api';
import { Commands, SESSION_SCHEME } from '../../platform/constants';
import { sessionIdOf } from '../sessionUris';
import { guarded, type Services } from '../../platform/commandKit';
import { displayText } from '../../common/display';
import { runTargetOf, type SessionServices } from './sessionDeps';

export async function cancelSession(s: Services, sessions: SessionServices, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
  let sessionId = runTargetOf(a, b, c)?.sessionId ?? (typeof a === 'string' && isSessionId(a) ? a : undefined);
  if (!sessionId && a instanceof vscode.Uri && a.scheme === SESSION_SCHEME) sessionId = sessionIdOf(a);
  if (!sessionId) {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (uri?.scheme === SESSION_SCHEME) sessionId = sessionIdOf(uri);
  }
  if (!sessionId) {
    void s.ui.showInformationMessage(vscode.l10n.t('Open a running session first, or use Cancel Session on a running run.'), {});
    return;
  }
  s.connection.requireClient();
  const confirm = vscode.l10n.t('Cancel Session');
  const shownId = displayText(sessionId);
  const answer = await s.ui.showWarningMessage(
    vscode.l10n.t('Cancel the running session {0}? The agent stops its current turn; work it has not finished is lost.', shownId),
    { modal: true },
    confirm,
  );
  if (answer !== confirm) return;
  const id = sessionId;
  const outcome = await s.mutations.write({ verb: 'cancel session', key: id, send: (client) => client.cancelSession(id) });
  if (outcome.kind === 'busy' || outcome.kind === 'dropped') return;
  if (outcome.kind === 'gone') {
    void s.ui.showInformationMessage(vscode.l10n.t('Session {0} no longer exists; nothing was cancelled.', shownId), {});
    return;
  }
  if (outcome.kind === 'failed' || outcome.kind === 'invalid') throw outcome.error;
  if (outcome.kind === 'done' && outcome.result.httpStatus === 202) {
    sessions.documents.find(sessionId)?.markCancelling();
    s.ui.setStatusBarMessage(vscode.l10n.t('$(loading~spin) Cancelling session {0}…', shownId), 5000);
  } else {
    void s.ui.showInformationMessage(vscode.l10n.t('Session {0} was not running; nothing was cancelled.', shownId), {});
  }
  sessions.statuses.request(sessionId);
}

export function registerCancelSession(s: Services, sessions: SessionServices): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.cancelSession, guarded(s, vscode.l10n.t('Cancel Session'), (a?: unknown, b?: unknown, c?: unknown) => cancelSession(s, sessions, a, b, c)));
}
