// Generic checks of the host itself; they hold for the repo's extension and for the throwaway
// smoke fixture (`runHostTests.ts --fixture`). The extension's own tests are in qoder.test.ts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './lib/ids';

describe('extension host', () => {
  it('runs inside a real VS Code extension host: vscode.version is the version of the VS Code at appRoot, whose built-in extensions are loaded', () => {
    console.log(`      vscode ${vscode.version}, uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop'}, remoteName=${vscode.env.remoteName}, node ${process.version}`);
    const product = JSON.parse(readFileSync(join(vscode.env.appRoot, 'package.json'), 'utf8')) as { version?: unknown };
    assert.equal(product.version, vscode.version, `${vscode.env.appRoot}/package.json`);
    const builtIn = vscode.extensions.all.filter((e) => e.id.startsWith('vscode.'));
    assert.ok(builtIn.length >= 20, `only ${builtIn.length} built-in extensions are loaded`);
    // the JSON language support validates *.deployment.json against the extension's schema
    assert.ok(vscode.extensions.getExtension('vscode.json-language-features'), 'the built-in JSON language features are loaded');
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
