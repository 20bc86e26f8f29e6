// Show Log: the "Qoder" output channel.

import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Services } from './common';

export function registerShowLog(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.showLog, () => s.log.show());
}
