// Typed settings. The API base URL is read from the user (application) level only, so a
// workspace's .vscode/settings.json can never send the token to another host.

import * as vscode from 'vscode';
import { DEFAULT_API_BASE_URL, Settings } from './constants';

export function apiBaseUrl(): string {
  const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<string>(Settings.apiBaseUrl);
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_API_BASE_URL;
  return typeof value === 'string' ? value.trim() : '';
}

export function showArchived(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.showArchived, false);
}

/** Seconds between automatic refreshes; 0 = off. */
export function autoRefreshSeconds(): number {
  const seconds = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.autoRefreshSeconds, 60);
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.max(5, seconds) : 0;
}

export type ArchiveConfirmationMode = 'modal' | 'typeName';

/** How Archive asks: a modal (default) or the name typed. */
export function archiveConfirmationMode(): ArchiveConfirmationMode {
  return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.archiveConfirmation) === 'typeName' ? 'typeName' : 'modal';
}

/** `attention` (default): notify when a deployment newly needs attention; `off`: never. */
export function notifications(): 'attention' | 'off' {
  return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.notifications, 'attention') === 'off' ? 'off' : 'attention';
}

/** Minutes between background loads while the view is hidden; 0 = off. At least 1. */
export function backgroundRefreshMinutes(): number {
  const v = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.backgroundRefreshMinutes, 5);
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.max(1, v) : 0;
}

/** Whether the status bar shows how many deployments need attention. */
export function attentionStatusBar(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.attentionStatusBar, true) !== false;
}

/** `qoder.chat.tools`: `on` (default) offers the MCP server and the chat tools, `off` neither. */
export function chatToolsOn(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.chatTools, 'on') !== 'off';
}

export async function setApiBaseUrl(url: string): Promise<void> {
  await vscode.workspace.getConfiguration(Settings.section).update(Settings.apiBaseUrl, url, vscode.ConfigurationTarget.Global);
}

/**
 * Writes where the effective value comes from (the workspace when it sets one, else the user
 * settings), so the button changes what showArchived() reads.
 */
export async function setShowArchived(value: boolean): Promise<void> {
  const section = vscode.workspace.getConfiguration(Settings.section);
  const inWorkspace = section.inspect<boolean>(Settings.showArchived)?.workspaceValue !== undefined;
  await section.update(Settings.showArchived, value, inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
}

export function onDidChange(listener: (e: { apiBaseUrl: boolean; showArchived: boolean; autoRefresh: boolean; attention: boolean }) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    const apiBaseUrl = e.affectsConfiguration(`${Settings.section}.${Settings.apiBaseUrl}`);
    const archived = e.affectsConfiguration(`${Settings.section}.${Settings.showArchived}`);
    const autoRefresh = e.affectsConfiguration(`${Settings.section}.${Settings.autoRefreshSeconds}`);
    const attention = [Settings.notifications, Settings.backgroundRefreshMinutes, Settings.attentionStatusBar].some((k) => e.affectsConfiguration(`${Settings.section}.${k}`));
    if (apiBaseUrl || archived || autoRefresh || attention) listener({ apiBaseUrl, showArchived: archived, autoRefresh, attention });
  });
}
