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

  it(`loads and activates ${EXTENSION_ID}`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
