// "Set Up Qoder Tools for Chat…": for the editor this runs in, the config snippet of the current
// region (the token as an environment-variable placeholder, never the token), copied to the
// clipboard, with where the file lives. Where the editor takes the server from us (VS Code's
// provider API, Cursor's registerServer) it says so first.

import * as vscode from 'vscode';
import type { Services } from '../platform/commandKit';
import { configSnippet, detectEditor, EDITOR_NAMES, TOKEN_ENV_VAR } from './model/snippets';
import { mcpEndpoint } from './model/endpoint';

export interface SetUpOptions {
  /** Whether VS Code's provider API was there (forks may have it without honouring it; mcp.md §11). */
  mcpProvider: boolean;
  /** Whether Cursor's registerServer was there. */
  cursor: boolean;
}

export async function setUpChatTools(services: Services, options: SetUpOptions): Promise<void> {
  const endpoint = mcpEndpoint(services.connection.apiBaseUrl);
  if (!endpoint) {
    void services.ui.showWarningMessage(vscode.l10n.t('The Qoder API base URL is not one a token may be sent to, so there is no Qoder MCP server to set up. Check the setting qoder.apiBaseUrl.'), {});
    return;
  }
  const editor = detectEditor(vscode.env.appName ?? '', vscode.env.uriScheme ?? '');
  const snippet = configSnippet(editor, endpoint);
  const editorName = EDITOR_NAMES[editor];
  const copy = vscode.l10n.t('Copy Snippet');
  const open = vscode.l10n.t('Show Snippet');
  const registered = editor === 'cursor' ? options.cursor : (editor === 'vscode' || editor === 'other') && options.mcpProvider;
  const lead = registered
    ? vscode.l10n.t('{0} already has the Qoder MCP server from this extension ({1}); it uses your token from the extension, and nothing needs setting up. The snippet is for other tools.', editorName, endpoint.url)
    : vscode.l10n.t('{0} cannot take the Qoder MCP server from an extension. Add it to its MCP configuration: {1}', editorName, snippet.where);
  const detail = [lead, '', ...snippet.notes].join('\n');
  const answer = await services.ui.showInformationMessage(vscode.l10n.t('Qoder tools for chat in {0}', editorName), { modal: true, detail }, copy, open);
  if (answer === copy) {
    await vscode.env.clipboard.writeText(snippet.text);
    services.ui.announce(vscode.l10n.t('Copied the MCP configuration for {0}. It names the variable {1}; it does not contain your token.', editorName, TOKEN_ENV_VAR));
  } else if (answer === open) {
    const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: `// ${snippet.where}\n${snippet.notes.map((n) => `// ${n}\n`).join('')}${snippet.text}\n` });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
