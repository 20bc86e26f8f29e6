// Show Log: the "Qoder" output channel.

import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Services } from '../commandKit';

export function registerShowLog(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.showLog, () => services.log.show());
}
