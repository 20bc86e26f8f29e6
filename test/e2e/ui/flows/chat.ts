// Qoder in the editor's AI chat, in the real workbench: with the chat features on, "MCP: List
// Servers" lists the server our provider supplies for the current connection (the local API),
// "Start Server" starts it with the token the extension adds when VS Code resolves it (the local
// API sees authorized MCP requests), and its output shows the tools it discovered. Nothing here
// needs a chat extension: the MCP registry and its commands are part of the workbench.
import { writeUserSettings } from '../../lib/codeServer';
import { log } from '../../lib/procs';
import type { Workbench } from '../workbench';
import { ensureSignedIn, requests, clearRequests, waitUntil } from './qoder';
import { expect, type Flow, type FlowContext } from './types';

const MCP_PATH = '/api/v1/mcp/servers/qca';

async function quickRows(wb: Workbench): Promise<string[]> {
  return (await wb.quickInput.locator('.monaco-list-row').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
}

export const chatFlows: Flow[] = [
  {
    name: 'chat: MCP: List Servers shows Qoder Cloud Agents from our provider → Start Server → it runs against the local API and lists its tools',
    async run(wb: Workbench, ctx: FlowContext) {
      await ensureSignedIn(wb, ctx);
      const dir = ctx.runDirs?.[0];
      expect(dir && ctx.settings, 'the run directory and settings of this code-server');
      // the runner's quiet settings turn the AI features off; this flow needs the MCP commands,
      // which VS Code 1.139 enables only from startup: reload the workbench with them on
      writeUserSettings(dir, { ...ctx.settings, 'chat.disableAIFeatures': false });
      await wb.page.reload({ timeout: 60_000 });
      await wb.waitReady();
      await clearRequests(ctx);
      let rows: string[] = [];
      await waitUntil(async () => {
        await wb.escape(2);
        await wb.runCommand('MCP: List Servers').catch(() => undefined);
        rows = (await wb.quickInput.isVisible()) ? await quickRows(wb) : [];
        return rows.some((r) => /Qoder Cloud Agents/.test(r));
      }, 'MCP: List Servers to list the Qoder server', 60_000, async () => JSON.stringify(rows));
      log(`MCP servers listed: ${JSON.stringify(rows)}`);
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'chat-mcp-servers', [wb.quickInput], 8);
      await wb.pickQuickItem(/Qoder Cloud Agents/);
      await wb.quickInput.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
      const actions = await quickRows(wb);
      log(`server actions: ${JSON.stringify(actions)}`);
      // VS Code may have started it already when it listed it (1.104 shows it "Running")
      await wb.pickQuickItem(actions.some((a) => /^Start Server/.test(a)) ? /^Start Server/ : /^Restart Server/);
      // started with our token: authorized MCP requests reached the local API, none refused
      await waitUntil(async () => (await requests(ctx)).some((r) => r.path === MCP_PATH && r.authorized && r.status === 200), 'VS Code to call the MCP endpoint with the token', 30_000);
      const mcp = (await requests(ctx)).filter((r) => r.path === MCP_PATH);
      expect(mcp.every((r) => r.authorized), `every MCP request carried the token: ${JSON.stringify(mcp.map((r) => [r.method, r.status]))}`);
      log(`MCP requests from VS Code: ${mcp.map((r) => `${r.method} ${r.status}`).join(', ')}`);
      // the server's output: the tools VS Code discovered
      let output = '';
      await waitUntil(async () => {
        await wb.escape(2);
        await wb.runCommand('MCP: List Servers');
        await wb.pickQuickItem(/Qoder Cloud Agents/);
        await wb.pickQuickItem(/Show Output/);
        // the editor renders spaces as no-break spaces
        output = (await wb.page.locator('.part.panel .view-lines').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
        return /Discovered \d+ tools/.test(output);
      }, 'the MCP output to report the discovered tools', 45_000, async () => output.slice(-400));
      log(`MCP output: ${output.split('\n').filter((l) => /tools|Connection state|Starting/.test(l)).join(' | ')}`);
      if (ctx.readmeShotsDir) await wb.screenshotOf(ctx.readmeShotsDir, 'chat-mcp-output', [wb.page.locator('.part.panel')], 0);
      await wb.screenshot('chat-mcp-started');
      await wb.escape(2);
      await wb.hidePanel();
      writeUserSettings(dir, ctx.settings);
    },
  },
];
