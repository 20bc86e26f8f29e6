// The few window calls that ask the user something. Commands go through this object rather
// than vscode.window directly, so the in-host test suite can answer a modal without touching
// the client (see the test hooks returned by activate in Test mode).

import * as vscode from 'vscode';

export interface Ui {
  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showInformationMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany: true }): Thenable<readonly T[] | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  setStatusBarMessage(text: string, hideAfterTimeout: number): vscode.Disposable;
}

export function windowUi(): Ui {
  return {
    showWarningMessage: (m, o, ...i) => vscode.window.showWarningMessage(m, o, ...i),
    showInformationMessage: (m, o, ...i) => vscode.window.showInformationMessage(m, o, ...i),
    showErrorMessage: (m, o, ...i) => vscode.window.showErrorMessage(m, o, ...i),
    showInputBox: (o) => vscode.window.showInputBox(o),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    showQuickPick: ((items: any, options: any) => vscode.window.showQuickPick(items, options)) as Ui['showQuickPick'],
    setStatusBarMessage: (text, ms) => vscode.window.setStatusBarMessage(text, ms),
  };
}
