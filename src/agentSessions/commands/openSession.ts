// Open Session: a run's session as a report (a rendered view with Stop Run, Send Message…,
// Allow / Deny… that follows it live); Open Session as Markdown: the same session as a read-only
// Markdown document (Outline, F8 on failed steps, Save Transcript).

import * as vscode from 'vscode';
import { isSessionId, QoderError } from '../../api';
import { Commands, SESSION_SCHEME } from '../../platform/constants';
import { formatTime } from '../../common/timeText';
import { openSessionDocument, sessionIdOf, sessionUri } from '../sessionUris';
import { guarded, type Services } from '../../platform/commandKit';
import { runTargetOf, type SessionServices } from './sessionDeps';
import { runsChunk } from '../../runs/runsChunk';
import { displayName } from '../../common/display';

export async function openSession(s: Services, sessions: SessionServices | undefined, asMarkdown: boolean, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
  // A session's address (the report's Open as Markdown, its title bar): that session as it is titled.
  if (asMarkdown) a ??= sessions?.documents.activeReport();
  if (a instanceof vscode.Uri && a.scheme === SESSION_SCHEME && sessionIdOf(a)) return show(s, sessions, asMarkdown, a);
  let target = runTargetOf(a, b, c);
  let sessionId = target?.sessionId ?? (typeof a === 'string' && isSessionId(a) ? a : undefined);
  if (!target && sessionId === undefined) {
    // From the palette: pick the run by its deployment's name and time, running ones first.
    const picked = await runsChunk().pickRun(s, sessions?.statuses, { liveOnly: false, placeHolder: vscode.l10n.t('Open the session of which run?') });
    if (!picked) return;
    target = { ...picked };
    sessionId = picked.sessionId;
  }
  if (!sessionId) {
    void s.ui.showInformationMessage(vscode.l10n.t('This run started no session, so there is nothing to open. Show Run Details has its error.'), {});
    return;
  }
  if (!isSessionId(sessionId)) throw new QoderError('config', vscode.l10n.t('{0} is not a session ID (expected sess_…).', JSON.stringify(sessionId).slice(0, 80)));
  s.connection.requireClient();
  const locale = vscode.env.language;
  let title = sessionId;
  if (target) {
    const known = s.store.get(target.deploymentId)?.name;
    const name = known === undefined ? target.deploymentId : displayName(known);
    const created = target.createdAt ?? s.runs.get(target.deploymentId)?.runs.find((r) => r.id === target.runId)?.created_at;
    title = created ? `${name} · ${formatTime(created, { locale })}` : name;
  }
  await show(s, sessions, asMarkdown, sessionUri(sessionId, title));
}

async function show(s: Services, sessions: SessionServices | undefined, asMarkdown: boolean, uri: vscode.Uri): Promise<void> {
  s.connection.requireClient();
  if (!sessions) return openSessionDocument(uri);
  if (asMarkdown) return openSessionDocument(sessions.documents.openUri(uri));
  sessions.documents.openReport(uri);
}

export function registerOpenSession(s: Services, sessions?: SessionServices): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.openSession, guarded(s, vscode.l10n.t('Open Session'), (a?: unknown, b?: unknown, c?: unknown) => openSession(s, sessions, false, a, b, c))),
    vscode.commands.registerCommand(Commands.openSessionMarkdown, guarded(s, vscode.l10n.t('Open Session as Markdown'), (a?: unknown, b?: unknown, c?: unknown) => openSession(s, sessions, true, a, b, c))),
  );
}
