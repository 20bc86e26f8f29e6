// Clear Filter: show every deployment again.

import * as vscode from 'vscode';
import type { FilterState } from '../model/filter';
import { Commands } from '../../platform/constants';

export function registerClearFilter(filter: FilterState): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.clearFilter, () => filter.clear());
}
