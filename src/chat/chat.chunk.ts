// The chat chunk (dist/chat.js): required the first time a Qoder tool is invoked or the set-up
// command runs. It carries its own copy of @vscode/l10n, so it gives it VS Code's bundle on load.

import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

export { ChatTools, type ChatKernel, type ToolName } from './chatTools';
export { setUpChatTools } from './setUpChatTools';
export { syncCursor } from './cursor';
