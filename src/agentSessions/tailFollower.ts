import * as vscode from 'vscode';

/**
 * Follows the end of a growing session document in the editors that showed its last line
 * before the change; an editor the user scrolled up stays where it is.
 */
export class TailFollower {
  private readonly following = new Map<string, vscode.TextEditor[]>();

  /** Call before the document of `uri` changes. */
  beforeChange(uri: vscode.Uri): void {
    const key = uri.toString();
    const atEnd = (vscode.window.visibleTextEditors ?? []).filter((e) =>
      e.document.uri.toString() === key && (e.visibleRanges.at(-1)?.end.line ?? -1) >= e.document.lineCount - 2);
    if (atEnd.length > 0) this.following.set(key, atEnd);
  }

  /** Call when the document changed: reveal its new last line in the editors that were at the end. */
  afterChange(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const editors = this.following.get(key);
    if (!editors) return;
    this.following.delete(key);
    const last = new vscode.Range(doc.lineCount - 1, 0, doc.lineCount - 1, 0);
    for (const e of editors) e.revealRange(last);
  }
}
