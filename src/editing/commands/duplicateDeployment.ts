// Duplicate Deployment…: a new document filled from the selected deployment, named <name>-copy.

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import type { EditorHost } from '../editorHost';
import { editorModule } from '../editorHost';
import { guarded, resolveOne, type Services } from '../../platform/commandKit';

export function registerDuplicateDeployment(s: Services, host: EditorHost): vscode.Disposable {
  return vscode.commands.registerCommand(
    Commands.duplicateDeployment,
    guarded(s, vscode.l10n.t('Duplicate Deployment'), async (arg?: unknown) => {
      const d = await resolveOne(s, arg, vscode.l10n.t('Select the deployment to duplicate'));
      if (!d) return;
      const editor = editorModule();
      const doc = { ...editor.documentOf(d), name: editor.copyName(d.name.replace(/_archived_\d+$/, '')) };
      await editor.openNewDocument(host.editor().files, editor.newUri(doc.name), doc);
    }),
  );
}
