// Smoke test that runs inside the real extension host (code-server, or desktop VS Code with
// `npm run test:electron`). The extension under test is QODER_E2E_EXTENSION_ID (set by
// test/e2e/runHostTests.ts through extensionTestsEnv).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = process.env.QODER_E2E_EXTENSION_ID || 'qoder-community.qoder-deployments';

interface ContributedCommand {
  command: string;
}

describe('extension host smoke', () => {
  it('runs inside a VS Code extension host', () => {
    console.log(`vscode ${vscode.version}, uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop'}, remoteName=${vscode.env.remoteName}, node ${process.version}`);
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it(`activates ${EXTENSION_ID} and exposes its exports`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    const api: unknown = await ext.activate();
    assert.equal(ext.isActive, true);
    const exported = api as { extensionMode?: number } | undefined;
    console.log(`exports: ${api === undefined ? 'undefined' : Object.keys(api as object).join(',')}; extensionMode=${exported?.extensionMode} (Test=${vscode.ExtensionMode.Test})`);
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const contributed = ((ext.packageJSON.contributes?.commands ?? []) as ContributedCommand[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
