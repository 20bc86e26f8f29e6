// Cancel Session: the command; what it does (ask in the user's words, stop the turn) is in
// src/runs/stopRun.ts, loaded with the runs chunk on first use.

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { guarded, type Services } from '../../platform/commandKit';
import type { SessionServices } from './sessionDeps';
import { runsChunk } from '../../runs/runsChunk';

export function registerCancelSession(s: Services, sessions: SessionServices): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.cancelSession, guarded(s, vscode.l10n.t('Cancel Session'), (a?: unknown, b?: unknown, c?: unknown) => runsChunk().stopRun(s, sessions, a, b, c)));
}
