// The chat chunk (dist/chat.js): required the first time a Qoder tool is invoked or the set-up
// command runs. l10n, redaction, the error classes and the pause/resume/run commands come from
// the main bundle's kernel (src/platform/kernel.ts), so the chunk carries no second API client.

export { ChatTools, type ChatKernel, type ToolName } from './chatTools';
export { setUpChatTools } from './setUpChatTools';
export { syncCursor } from './cursor';
