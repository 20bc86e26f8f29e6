// Edit Deployment: opens qoder:/deployments/<id>/<name>.deployment.json (saved with Ctrl+S).

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { editorModule } from '../editorHost';
import { guarded, resolveOne, type Services } from '../../platform/commandKit';

export function registerEditDeployment(s: Services): vscode.Disposable {
  return vscode.commands.registerCommand(
    Commands.editDeployment,
    guarded(s, vscode.l10n.t('Edit Deployment'), async (arg?: unknown) => {
      const d = await resolveOne(s, arg, vscode.l10n.t('Select the deployment to edit'));
      if (!d) return;
      const document = await vscode.workspace.openTextDocument(editorModule().editUri(d));
      await vscode.window.showTextDocument(document, { preview: false });
    }),
  );
}
