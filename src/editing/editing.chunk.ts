// The deployment editor (documents, validation, schedule lens, names). It ships as its own file,
// dist/editor.js, required the first time a deployment document is opened or an editor command
// runs, so activation and the main bundle do not carry it; its save flow is dist/save.js, required
// on the first Save, which reads the model from here (editorKernel). It takes the few
// shared pieces it needs (error words, cron words) from the main bundle instead of bundling
// second copies, and l10n and redaction through the kernel (src/platform/kernel.ts).

import * as vscode from 'vscode';
import type { Services } from '../platform/commandKit';
import type { Deployment } from '../api';
import { DeploymentFiles, editUri, type EditorDeps, type Part } from './deploymentFiles';
import { duplicate, newDeployment } from './creation';
import { ScheduleLens } from './scheduleLens';
import { NameBook, NameHelp } from './nameHelp';

export { editUri };
export { editorKernel } from './editorKernel';
export type { EditorDeps };

export interface Editor extends vscode.Disposable {
  files: DeploymentFiles;
  lens: ScheduleLens;
  names: NameBook;
  editPart(which: string, arg?: unknown): Promise<void>;
  /** New Deployment…: agent, then environment, then the template. */
  create(): Promise<void>;
  /** Duplicate Deployment… of `d`. */
  duplicate(d: Deployment): Promise<void>;
}

/**
 * Edit Prompt… and Edit Environment Variables… (`qoder.editPrompt`, `qoder.editEnv`, registered
 * by the main bundle): `arg` is the deployment document (a lens, the title menu) or absent (the
 * palette: the active editor's).
 */
async function editPart(files: DeploymentFiles, which: string, arg?: unknown): Promise<void> {
  const part: Part = which === 'Prompt' ? 'prompt' : 'env';
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== files.scheme || !uri.path.endsWith('.deployment.json') || uri.path.startsWith('/server/')) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a deployment document first (Edit Deployment… or New Deployment…).'));
    return;
  }
  await files.openPart(uri, part);
}

/**
 * Keeps an open document dirty although its save returned: VS Code leaves a document dirty
 * when its text changed while the save ran. `text` (the merged text) is such a change; without
 * one, a character is added and removed again.
 */
async function keepDirty(uri: vscode.Uri, text?: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc) return;
  const before = doc.version;
  const whole = (): vscode.Range => new vscode.Range(0, 0, doc.lineCount, 0);
  if (text !== undefined && text !== doc.getText()) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, whole(), text);
    await vscode.workspace.applyEdit(edit);
  }
  if (doc.version !== before) return;
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const add = new vscode.WorkspaceEdit();
  add.insert(uri, end, ' ');
  await vscode.workspace.applyEdit(add);
  const remove = new vscode.WorkspaceEdit();
  remove.delete(uri, new vscode.Range(end, end.translate(0, 1)));
  await vscode.workspace.applyEdit(remove);
}

export function createEditor(s: Services, deps: EditorDeps & { lensChanged: vscode.EventEmitter<void>; fileChanged: vscode.EventEmitter<vscode.FileChangeEvent[]> }): Editor {
  const files = new DeploymentFiles(s, { ...deps, keepDirty }, deps.fileChanged);
  const lens = new ScheduleLens(files, deps, deps.lensChanged);
  const book = new NameBook(deps.names, () => s.store.deployments);
  const subscriptions = vscode.Disposable.from(
    files,
    lens,
    book,
    new NameHelp(book),
    // A new document saved as a deployment becomes that deployment's edit document.
    vscode.workspace.onDidSaveTextDocument(async (doc) => {
      const created = files.takeCreated(doc.uri);
      if (!created) return;
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(editUri(created)), { preview: false });
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString());
      await vscode.window.tabGroups.close(tabs);
      files.forget(doc.uri);
    }),
    vscode.workspace.onWillSaveTextDocument((e) => {
      if (e.document.uri.scheme === files.scheme) files.noteSaveReason(e.document.uri, e.reason);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.scheme === files.scheme) deps.lensChanged.fire();
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === files.scheme && !doc.isDirty) files.forget(doc.uri);
    }),
    // Names of another account are never offered.
    s.connection.onReset('edit names', () => book.reset()),
  );
  return {
    files,
    lens,
    names: book,
    editPart: (which, arg) => editPart(files, which, arg),
    create: () => newDeployment(s, files, deps.names),
    duplicate: (d) => duplicate(s, files, deps, d),
    dispose: () => subscriptions.dispose(),
  };
}
