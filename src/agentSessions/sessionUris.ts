// Session document addresses (`qoder-session:/<deployment> · <run time>?session=…`) and how to
// open one. Small on purpose: the document itself lives in dist/sessions.js (see sessionHost.ts).

import * as vscode from 'vscode';
import { isSessionId } from '../api/sessions';
import { SESSION_SCHEME } from '../platform/constants';
import { titleSafe } from '../common/display';

export function sessionUri(sessionId: string, title: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SESSION_SCHEME, path: `/${titleSafe(title, sessionId)}`, query: `session=${sessionId}` });
}

export function sessionIdOf(uri: vscode.Uri): string | undefined {
  const id = new URLSearchParams(uri.query).get('session') ?? undefined;
  return isSessionId(id) ? id : undefined;
}

/** Open (or focus) a session's document as Markdown. */
export async function openSessionDocument(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const md = doc.languageId === 'markdown' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  await vscode.window.showTextDocument(md, { preview: false });
}
