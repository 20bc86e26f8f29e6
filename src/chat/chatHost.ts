// The main bundle's side of chat: the MCP server definition provider (VS Code), the same server
// registered through Cursor's API where that exists, the language-model tools and the set-up
// command. Everything behind the tools lives in dist/chat.js, required on first use. Every
// editor API here is feature-detected: a fork without it simply gets nothing registered.

import * as vscode from 'vscode';
import type { Services } from '../platform/commandKit';
import type { ChatKernel, ChatTools, ToolName } from './chat.chunk';
import { cursorMcp } from './cursor';
import { bearer, MCP_PROVIDER_ID, MCP_SERVER_VERSION, mcpEndpoint, type McpEndpoint } from './model/endpoint';
import { Commands, ContextKeys, Settings } from '../platform/constants';
import { guarded } from '../platform/commandKit';
import { chatToolsOn } from '../platform/config';
import { Disposable } from '../platform/lifecycle';

type ChatModule = typeof import('./chat.chunk');
let loaded: ChatModule | undefined;

/** The chat chunk (the bundle maps this require to ./chat.js). */
function loadChatChunk(): ChatModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./chat.chunk') as ChatModule;
  return loaded;
}

export const TOOL_NAMES: readonly ToolName[] = ['qoder_explainRun', 'qoder_attention', 'qoder_pauseDeployment', 'qoder_resumeDeployment', 'qoder_runDeployment'];



/** The server for the current connection, or undefined (signed out, tools off, or no endpoint a token may go to). */
function currentEndpoint(s: Services): McpEndpoint | undefined {
  if (!chatToolsOn() || !s.connection.hasToken) return undefined;
  return mcpEndpoint(s.connection.apiBaseUrl);
}

/** The name VS Code lists (not translated: it is the server's own name, mcp.md §3). */
const serverLabel = (e: McpEndpoint): string =>
  e.region === 'china' ? 'Qoder Cloud Agents CN' : e.region === 'global' ? 'Qoder Cloud Agents' : `Qoder Cloud Agents (${new URL(e.url).host})`;

export class ChatHost extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when the server definition may differ: token, region or the setting changed. */
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private tools: ChatTools | undefined;
  /** The server registered with Cursor, if any (Cursor takes the headers up front). */
  private readonly cursor: { name?: string } = {};
  private cursorSync = Promise.resolve();
  /** What this editor offered: for the set-up command and the in-host tests. */
  readonly registered = { mcpProvider: false, cursor: false, tools: false };
  /** How often the editor asked for the server list, and the last confirmation we prepared (for the in-host suite). */
  timesProvided = 0;
  lastPrepared: vscode.PreparedToolInvocation | undefined;

  constructor(private readonly s: Services, private readonly kernel: ChatKernel) {
    super();
    const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
    if (typeof lm?.registerMcpServerDefinitionProvider === 'function' && typeof vscode.McpHttpServerDefinition === 'function') {
      this._register(lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, this));
      this.registered.mcpProvider = true;
    }
    if (typeof lm?.registerTool === 'function') {
      for (const name of TOOL_NAMES) {
        this._register(lm.registerTool<unknown>(name, {
          invoke: (options) => this.chatTools().invoke(name, options.input, options.tokenizationOptions?.tokenBudget),
          prepareInvocation: async (options) => (this.lastPrepared = await this.chatTools().prepare(name, options.input)),
        }));
      }
      this.registered.tools = true;
    }
    const cursor = cursorMcp();
    if (cursor) this.registered.cursor = true;
    this._register(s.connection.onDidConnect(() => this.update()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.chatTools}`)) this.update();
    }));
    this._register(vscode.commands.registerCommand(Commands.setUpChatTools, guarded(s, vscode.l10n.t('Setting up Qoder tools for chat'), () =>
      loadChatChunk().setUpChatTools(s, this.registered))));
    this.update();
  }

  private chatTools(): ChatTools {
    this.tools ??= new (loadChatChunk().ChatTools)(this.s, this.kernel);
    return this.tools;
  }

  private update(): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.chatTools, chatToolsOn());
    this.changed.fire();
    if (this.registered.cursor) this.cursorSync = this.cursorSync.then(() => loadChatChunk().syncCursor(this.s, this.cursor, currentEndpoint(this.s)));
  }

  /** Resolves once Cursor's registration follows the last change (tests). */
  settled(): Promise<void> {
    return this.cursorSync;
  }

  /** Called eagerly by the editor: no token here, and no prompt. */
  provideMcpServerDefinitions(): vscode.McpServerDefinition[] {
    this.timesProvided++;
    const endpoint = currentEndpoint(this.s);
    if (!endpoint) return [];
    return [new vscode.McpHttpServerDefinition(serverLabel(endpoint), vscode.Uri.parse(endpoint.url), {}, MCP_SERVER_VERSION)];
  }

  /** Called when the editor starts the server: the token is added here, from SecretStorage, and only here. */
  async resolveMcpServerDefinition(server: vscode.McpServerDefinition): Promise<vscode.McpServerDefinition | undefined> {
    const endpoint = currentEndpoint(this.s);
    // A definition from before a region change must not get the new region's token.
    const http = server as vscode.McpHttpServerDefinition;
    if (!endpoint || !http.uri || http.uri.toString() !== vscode.Uri.parse(endpoint.url).toString()) return undefined;
    const token = await this.s.tokens.get(this.s.connection.apiBaseUrl);
    if (!token) return undefined;
    http.headers = { ...http.headers, Authorization: bearer(token) };
    return http;
  }

  dispose(): void {
    if (this.cursor.name) {
      try {
        cursorMcp()?.unregisterServer(this.cursor.name);
      } catch {
        // the editor is shutting down
      }
    }
    super.dispose();
  }
}
