// Save Session Transcript…: every event of a session, listed again from the API and written to a
// Markdown file one event at a time (the session document keeps only its first and latest events).

import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { QoderClient } from '../api/client';
import { redactSecrets, titleSafe } from '../common/display';
import { SESSION_SCHEME } from '../platform/constants';
import type { Ui } from '../platform/ui';
import { sessionIdOf } from './sessionUris';
import { writeWholeTranscript } from './model/sessionTranscript';

/**
 * Save Session Transcript… for the command's argument (a session document's address) or the
 * active editor: asks for a file, writes the whole session there with progress (cancellable),
 * and confirms in the status bar.
 */
export async function saveTranscriptCommand(client: () => QoderClient, arg: unknown, ui: Pick<Ui, 'showInformationMessage' | 'setStatusBarMessage'>): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const uri = arg instanceof vscode.Uri && arg.scheme === SESSION_SCHEME ? arg : active?.scheme === SESSION_SCHEME ? active : undefined;
  if (!uri) {
    void ui.showInformationMessage(vscode.l10n.t('Open a session first, then save its transcript.'), {});
    return;
  }
  const count = await saveTranscript(client, uri);
  if (count !== undefined) ui.setStatusBarMessage(vscode.l10n.t('$(check) Saved {0} events of the session', count), 5000);
}

/** Asks for a file, then writes the whole session there with progress (cancellable). Undefined when the user cancelled. */
async function saveTranscript(client: () => QoderClient, uri: vscode.Uri): Promise<number | undefined> {
  const name = `${titleSafe(uri.path.replace(/^\//, ''), 'session')}.md`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { Markdown: ['md'] },
    saveLabel: vscode.l10n.t('Save Transcript'),
  });
  if (!target) return undefined;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving the session transcript…'), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await writeTranscript(client(), uri, target, abort.signal);
      } finally {
        sub.dispose();
      }
    },
  );
}

/**
 * Every event of the session behind `uri`, listed again from the API and written to
 * `target` as Markdown one event at a time: the document itself keeps about MAX_BODY_CHARS.
 * Resolves with the number of events written.
 */
async function writeTranscript(client: QoderClient, uri: vscode.Uri, target: vscode.Uri, signal: AbortSignal): Promise<number> {
  const sessionId = sessionIdOf(uri);
  if (!sessionId) throw new Error(vscode.l10n.t('Not a session ID.'));
  const pages = client.listSessionEvents(sessionId, undefined, { signal });
  const title = uri.path.replace(/^\//, '');
  if (target.scheme === 'file') {
    const file = await open(target.fsPath, 'w');
    try {
      return await writeWholeTranscript(title, pages, async (text) => {
        await file.write(redactSecrets(text));
      });
    } finally {
      await file.close();
    }
  }
  const parts: string[] = [];
  const count = await writeWholeTranscript(title, pages, async (text) => {
    parts.push(redactSecrets(text));
  });
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(parts.join('')));
  return count;
}
