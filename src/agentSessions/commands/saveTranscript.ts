// Save Session Transcript…: every event of a session, listed again from the API, written to a
// Markdown file of the user's choice. The session document keeps only the first and the latest
// events of a long session and says so; this is how to read the rest. Everything but the
// registration lives in the sessions chunk (SessionDocuments.saveTranscriptCommand).

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { guarded, type Services } from '../../platform/commandKit';
import type { SessionServices } from './sessionDeps';

export function registerSaveTranscript(s: Services, sessions: SessionServices): vscode.Disposable {
  return vscode.commands.registerCommand(
    Commands.saveSessionTranscript,
    guarded(s, vscode.l10n.t('Save Session Transcript'), (a?: unknown) => {
      s.connection.requireClient();
      return sessions.documents.saveTranscriptCommand(a, s.ui);
    }),
  );
}
