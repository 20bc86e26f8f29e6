// Generic checks of the host itself; they hold for the repo's extension and for the throwaway
// smoke fixture (`runHostTests.ts --fixture`). The extension's own tests are in qoder.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './lib/ids';

describe('extension host', () => {
  it('runs inside a VS Code extension host', () => {
    console.log(`      vscode ${vscode.version}, uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop'}, remoteName=${vscode.env.remoteName}, node ${process.version}`);
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('runs in the VS Code version the runner asked for (QODER_E2E_EXPECT_VSCODE)', function () {
    const expected = process.env.QODER_E2E_EXPECT_VSCODE;
    // set for every code-server host; a desktop VS Code run (--electron) picks its own version
    if (!expected) {
      assert.ok(vscode.env.uiKind === vscode.UIKind.Desktop, 'only desktop runs may leave QODER_E2E_EXPECT_VSCODE unset');
      return;
    }
    assert.equal(vscode.version, expected);
  });

  it(`loads and activates ${EXTENSION_ID}`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
