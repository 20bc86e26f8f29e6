// Cursor's extension API for MCP servers (not in @types/vscode; https://cursor.com/docs/extension-api).
// Cursor does not implement VS Code's provider API, so there the same server is registered
// directly, with its headers, and unregistered on sign-out or a region change.

import * as vscode from 'vscode';
import type { Services } from '../platform/commandKit';
import { bearer, type McpEndpoint } from './model/endpoint';

export interface CursorMcp {
  registerServer(config: { name: string; server: { url: string; headers?: Record<string, string> } }): void;
  unregisterServer(name: string): void;
}

export function cursorMcp(): CursorMcp | undefined {
  const mcp = (vscode as unknown as { cursor?: { mcp?: Partial<CursorMcp> } }).cursor?.mcp;
  return typeof mcp?.registerServer === 'function' && typeof mcp.unregisterServer === 'function' ? (mcp as CursorMcp) : undefined;
}

/** Makes Cursor's registration match `endpoint` (undefined: none). `state.name` is what is registered now. */
export async function syncCursor(s: Services, state: { name?: string }, endpoint: McpEndpoint | undefined): Promise<void> {
  const cursor = cursorMcp();
  if (!cursor) return;
  try {
    const token = endpoint ? await s.tokens.get(s.connection.apiBaseUrl) : undefined;
    if (state.name) cursor.unregisterServer(state.name);
    state.name = undefined;
    if (!endpoint || !token) return;
    cursor.registerServer({ name: endpoint.name, server: { url: endpoint.url, headers: { Authorization: bearer(token) } } });
    state.name = endpoint.name;
  } catch (e) {
    s.log.warn(`Could not register the Qoder MCP server with Cursor: ${e instanceof Error ? e.message : String(e)}`);
  }
}
