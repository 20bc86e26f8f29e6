// New Deployment…: pick an agent, then an environment (of those the account's deployments use,
// shown by name), then edit the template in qoder:/new/untitled.deployment.json; Save creates it.
// The picking and the template live in the editor chunk (editing/creation.ts).

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import type { EditorHost } from '../editorHost';
import { guarded, type Services } from '../../platform/commandKit';

export function registerCreateDeployment(s: Services, host: EditorHost): vscode.Disposable {
  return vscode.commands.registerCommand(
    Commands.createDeployment,
    guarded(s, vscode.l10n.t('New Deployment'), async () => {
      s.connection.requireClient();
      await s.refresh.ensureLoaded();
      await host.editor().create();
    }),
  );
}
