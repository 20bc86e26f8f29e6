// Save Session Transcript…: every event of a session, listed again from the API, written to a
// Markdown file of the user's choice. The session document keeps only the first and the latest
// events of a long session and says so; this is how to read the rest. The dialog and the
// writing live in the sessions chunk (SessionDocuments.saveTranscript).

import * as vscode from 'vscode';
import { Commands, SESSION_SCHEME } from '../../platform/constants';
import { guarded, type Services } from '../../platform/commandKit';
import type { SessionServices } from './sessionDeps';

export async function saveTranscript(s: Services, sessions: SessionServices, a?: unknown): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const uri = a instanceof vscode.Uri && a.scheme === SESSION_SCHEME ? a : active?.scheme === SESSION_SCHEME ? active : undefined;
  if (!uri) {
    void s.ui.showInformationMessage(vscode.l10n.t('Open a session first, then save its transcript.'), {});
    return;
  }
  s.connection.requireClient();
  const count = await sessions.documents.saveTranscript(uri);
  if (count !== undefined) s.ui.setStatusBarMessage(vscode.l10n.t('$(check) Saved {0} events of the session', count), 5000);
}

export function registerSaveTranscript(s: Services, sessions: SessionServices): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.saveSessionTranscript, guarded(s, vscode.l10n.t('Save Session Transcript'), (a?: unknown) => saveTranscript(s, sessions, a)));
}
