// The few window calls that ask or tell the user something. Commands go through this object
// rather than vscode.window directly, so the in-host test suite can answer a modal without
// touching the client (see the test hooks returned by activate in Test mode).

import * as vscode from 'vscode';

/** How long an announcement stays on screen (it is read out by screen readers when it opens). */
export const ANNOUNCE_MS = 4000;

/** An input box that also reports each change of its text (the name filter applies as one types). */
export type LiveInputBoxOptions = vscode.InputBoxOptions & { onDidChangeValue?: (value: string) => void };

export interface Ui {
  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showInformationMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showInputBox(options: LiveInputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany: true }): Thenable<readonly T[] | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  setStatusBarMessage(text: string, hideAfterTimeout: number): vscode.Disposable;
  /**
   * A confirmation that screen readers announce ("Paused …", "Token saved"): a notification
   * that closes itself. The status bar alone is not announced.
   */
  announce(text: string): void;
}

/**
 * The item a plain Enter should take for the typed text: an exact label first, then a label
 * that starts with it, then one that contains it (in the list's order); undefined if none.
 */
export function bestMatch<T extends vscode.QuickPickItem>(items: readonly T[], typed: string): T | undefined {
  const text = typed.trim().toLocaleLowerCase();
  if (!text) return items[0];
  const label = (i: T) => i.label.toLocaleLowerCase();
  return items.find((i) => label(i) === text) ?? items.find((i) => label(i).startsWith(text)) ?? items.find((i) => label(i).includes(text));
}

/**
 * A multi-select pick where a plain Enter takes the highlighted item when nothing is ticked
 * (showQuickPick with canPickMany returns [] then, which read as "did nothing"). A multi-select
 * list highlights no item by itself, so the best match of the typed text is made the active
 * one. Space still ticks several. Resolves [] when nothing matched, undefined on Escape.
 */
export function pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    qp.items = items;
    qp.canSelectMany = true;
    qp.title = options.title;
    qp.placeholder = options.placeHolder;
    qp.matchOnDescription = options.matchOnDescription ?? false;
    qp.matchOnDetail = options.matchOnDetail ?? false;
    qp.ignoreFocusOut = options.ignoreFocusOut ?? false;
    let done = false;
    let best = bestMatch(items, '');
    const finish = (value: readonly T[] | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeValue((typed) => {
      best = bestMatch(items, typed);
      qp.activeItems = best ? [best] : [];
    });
    qp.onDidAccept(() => {
      const highlighted = qp.activeItems[0] ?? best;
      finish(qp.selectedItems.length ? [...qp.selectedItems] : highlighted ? [highlighted] : []);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
    if (best) qp.activeItems = [best];
  });
}

function liveInputBox(options: LiveInputBoxOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.placeholder = options.placeHolder;
    box.value = options.value ?? '';
    box.ignoreFocusOut = options.ignoreFocusOut ?? false;
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((v) => options.onDidChangeValue?.(v));
    box.onDidAccept(() => finish(box.value));
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

export function windowUi(): Ui {
  return {
    showWarningMessage: (m, o, ...i) => vscode.window.showWarningMessage(m, o, ...i),
    showInformationMessage: (m, o, ...i) => vscode.window.showInformationMessage(m, o, ...i),
    showErrorMessage: (m, o, ...i) => vscode.window.showErrorMessage(m, o, ...i),
    showInputBox: (o) => (o.onDidChangeValue ? liveInputBox(o) : vscode.window.showInputBox(o)),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    showQuickPick: ((items: any, options: any) => (options?.canPickMany ? pickMany(items, options) : vscode.window.showQuickPick(items, options))) as Ui['showQuickPick'],
    setStatusBarMessage: (text, ms) => vscode.window.setStatusBarMessage(text, ms),
    announce: (text) => {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: text }, () => new Promise<void>((resolve) => setTimeout(resolve, ANNOUNCE_MS)));
    },
  };
}
