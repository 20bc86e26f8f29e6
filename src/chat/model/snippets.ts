// "Set Up Qoder Tools for Chat…" for editors without an API to register a server: the exact
// config snippet for that editor (mcp.md §11–§15), with the token as an environment-variable
// placeholder and never the token itself, and where the file lives. Pure: no vscode import.

import * as l10n from '@vscode/l10n';
import type { McpEndpoint } from './endpoint';

export type ChatEditor = 'vscode' | 'cursor' | 'windsurf' | 'trae' | 'qoder' | 'other';

/** The environment variable the snippets read the PAT from (one of the names the Qoder skill uses). */
export const TOKEN_ENV_VAR = 'QODER_PAT';

/** The editor from vscode.env.appName and vscode.env.uriScheme (forks keep VS Code's API but rename both). */
export function detectEditor(appName: string, uriScheme: string): ChatEditor {
  const text = `${appName} ${uriScheme}`.toLowerCase();
  if (/\bcursor\b/.test(text)) return 'cursor';
  if (/windsurf|codeium/.test(text)) return 'windsurf';
  if (/\btrae/.test(text)) return 'trae';
  if (/\bqoder/.test(text)) return 'qoder';
  if (/visual studio code|vscode|code-oss|code - oss|vscodium|code-server/.test(text)) return 'vscode';
  return 'other';
}

export const EDITOR_NAMES: Record<ChatEditor, string> = {
  vscode: 'VS Code',
  cursor: 'Cursor',
  windsurf: 'Windsurf',
  trae: 'Trae',
  qoder: 'Qoder IDE',
  other: 'VS Code',
};

export interface ConfigSnippet {
  editor: ChatEditor;
  /** The JSON to paste (no token in it). */
  text: string;
  /** Where the file lives, or how to open it, in a sentence. */
  where: string;
  /** What else the user has to do (set the variable, refresh). */
  notes: string[];
}

const header = `Bearer \${env:${TOKEN_ENV_VAR}}`;

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The snippet for `editor` and the current region's endpoint. */
export function configSnippet(editor: ChatEditor, endpoint: McpEndpoint): ConfigSnippet {
  const { name, url } = endpoint;
  const setVariable = l10n.t('Set the environment variable {0} to your Personal Access Token before starting the editor; the file only names the variable.', TOKEN_ENV_VAR);
  switch (editor) {
    case 'cursor':
      return {
        editor,
        text: json({ mcpServers: { [name]: { url, headers: { Authorization: header } } } }),
        where: l10n.t('Cursor reads ~/.cursor/mcp.json (all projects) or .cursor/mcp.json in a project.'),
        notes: [setVariable],
      };
    case 'windsurf':
      return {
        editor,
        text: json({ mcpServers: { [name]: { serverUrl: url, headers: { Authorization: header } } } }),
        where: l10n.t('Windsurf reads ~/.codeium/windsurf/mcp_config.json (Cascade › MCP servers › View raw config); press Refresh after saving.'),
        notes: [setVariable],
      };
    case 'trae':
      return {
        editor,
        text: json({ mcpServers: { [name]: { url, headers: { Authorization: header } } } }),
        where: l10n.t('In Trae: Settings › MCP › Add › Add Manually, or .trae/mcp.json in a project.'),
        notes: [setVariable, l10n.t('Trae does not document environment variables in headers; if the server answers 401, put the token in place of the variable in that file only, never in a shared project file.')],
      };
    case 'qoder':
      return {
        editor,
        text: json({ mcpServers: { [name]: { type: 'streamable-http', url, headers: { Authorization: header } } } }),
        where: l10n.t('In the Qoder IDE: Qoder Settings (Ctrl+Shift+,) › MCP › My Servers › + Add opens the file. MCP tools work in Agent mode.'),
        notes: [setVariable, l10n.t('The Qoder IDE does not document environment variables in headers; if the server answers 401, put the token in place of the variable in that file only, never in a shared project file.')],
      };
    case 'vscode':
    case 'other':
      return {
        editor,
        text: json({
          servers: { [name]: { type: 'http', url, headers: { Authorization: 'Bearer ${input:qoder-pat}' } } },
          inputs: [{ type: 'promptString', id: 'qoder-pat', description: 'Qoder Personal Access Token', password: true }],
        }),
        where: l10n.t('VS Code reads .vscode/mcp.json in a workspace, or the user mcp.json (MCP: Open User Configuration). This extension already provides the server to VS Code; the file is only needed where that is turned off.'),
        notes: [l10n.t('VS Code asks for the token when the server first starts and keeps it in its own secret storage.')],
      };
  }
}
