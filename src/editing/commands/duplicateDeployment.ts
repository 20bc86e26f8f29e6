// Duplicate Deployment…: a new document filled from the selected deployment, named <name>-copy;
// for a scheduled one, first the question whether the copy keeps the schedule or is created paused
// (editing/creation.ts, in the editor chunk).

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import type { EditorHost } from '../editorHost';
import { guarded, resolveOne, type Services } from '../../platform/commandKit';

export function registerDuplicateDeployment(s: Services, host: EditorHost): vscode.Disposable {
  return vscode.commands.registerCommand(
    Commands.duplicateDeployment,
    guarded(s, vscode.l10n.t('Duplicate Deployment'), async (arg?: unknown) => {
      const d = await resolveOne(s, arg, vscode.l10n.t('Select the deployment to duplicate'));
      if (d) await host.editor().duplicate(d);
    }),
  );
}
