// Open Session: a run's session as a read-only Markdown document that follows it live.

import * as vscode from 'vscode';
import { isSessionId, QoderError } from '../../api';
import { Commands } from '../../platform/constants';
import { formatTime } from '../../common/timeText';
import { openSessionDocument, sessionUri } from '../sessionUris';
import { guarded, type Services } from '../../platform/commandKit';
import { runTargetOf, type SessionServices } from './sessionDeps';
import { runsChunk } from '../../runs/runsChunk';
import { displayName } from '../../common/display';

export async function openSession(s: Services, sessions: SessionServices | undefined, a?: unknown, b?: unknown, c?: unknown): Promise<void> {
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
  const uri = sessionUri(sessionId, title);
  await openSessionDocument(sessions ? sessions.documents.openUri(uri) : uri);
}

export function registerOpenSession(s: Services, sessions?: SessionServices): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.openSession, guarded(s, vscode.l10n.t('Open Session'), (a?: unknown, b?: unknown, c?: unknown) => openSession(s, sessions, a, b, c)));
}
