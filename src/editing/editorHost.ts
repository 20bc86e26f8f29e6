// The main bundle's side of the deployment editor: the `qoder:` file system and the schedule
// CodeLens are registered at activation, but everything behind them lives in dist/editor.js
// and is required only when a deployment document is first opened or an editor command runs.

import * as vscode from 'vscode';
import type { Editor } from './editing.chunk';
import type { Services } from '../platform/commandKit';
import type { NameCache } from '../agentSessions/model/sessionCache';
import { failureText } from '../common/errorText';
import { cronWords } from '../deployments/model/describe';
import { displayText } from '../common/display';
import { Disposable } from '../platform/lifecycle';

type EditorModule = typeof import('./editing.chunk');
let loaded: EditorModule | undefined;

/** The editor chunk (the bundle maps this require to ./editor.js). */
export function editorModule(): EditorModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./editing.chunk') as EditorModule;
  return loaded;
}

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.deployment.json' }];

export class EditorHost extends Disposable implements vscode.FileSystemProvider, vscode.CodeLensProvider {
  private readonly fileChanged = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.fileChanged.event;
  private readonly lensChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private instance: Editor | undefined;

  constructor(
    private readonly s: Services,
    private readonly names: NameCache,
  ) {
    super();
    const wake = (doc: vscode.TextDocument): void => {
      if (!this.instance && doc.uri.path.endsWith('.deployment.json')) this.editor();
    };
    this._register(vscode.workspace.onDidOpenTextDocument(wake));
    // qoder.editPrompt, qoder.editEnv: the prompt or the environment variables in an editor of their own
    for (const p of ['Prompt', 'Env']) this._register(vscode.commands.registerCommand(`qoder.edit${p}`, (arg: unknown) => this.editor().editPart(p, arg)));
    for (const doc of vscode.workspace.textDocuments) wake(doc);
    // Open documents, drafts and unsaved new documents belong to the connection they were opened on.
    this._register(s.connection.onReset('edit documents', () => this.instance?.files.clear()));
  }

  editor(): Editor {
    if (!this.instance) {
      this.instance = editorModule().createEditor(this.s, { failureText, cronWords, displayText, names: this.names, lensChanged: this.lensChanged, fileChanged: this.fileChanged });
      this._register(this.instance);
    }
    return this.instance;
  }

  watch(uri: vscode.Uri, options: { recursive: boolean; excludes: string[] }): vscode.Disposable {
    return this.editor().files.watch(uri, options);
  }
  stat(uri: vscode.Uri): vscode.FileStat | Thenable<vscode.FileStat> {
    return this.editor().files.stat(uri);
  }
  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    return this.editor().files.readDirectory(uri);
  }
  createDirectory(uri: vscode.Uri): void {
    this.editor().files.createDirectory(uri);
  }
  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.editor().files.readFile(uri);
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    return this.editor().files.writeFile(uri, content);
  }
  delete(uri: vscode.Uri): void {
    this.editor().files.delete(uri);
  }
  rename(oldUri: vscode.Uri, newUri: vscode.Uri): void {
    this.editor().files.rename(oldUri, newUri);
  }
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    return this.editor().lens.provideCodeLenses(doc);
  }
}
