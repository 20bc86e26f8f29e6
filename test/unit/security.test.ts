// Bad settings refuse to send the token; hostile deployment text renders as plain text.

import { FakeApi } from '../fakes/api';
import { test, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { activateExtension, fake, type Activated } from './harness';
import { QoderError } from '../../src/api';
import { deploymentTooltip, DeploymentsTreeProvider } from '../../src/deployments/deploymentsTree';
import { DeploymentStore } from '../../src/deployments/model/deploymentStore';
import { RunStore } from '../../src/runs/model/runStore';
import type { MarkdownString } from '../fakes/vscode';
import { fixture } from './fixtures';
import { displayText } from '../../src/common/display';

const TOKEN = 'pt-unit-security-secret-0004';
let ext: Activated | undefined;
afterEach(() => {
  ext?.dispose();
  ext = undefined;
});

for (const [what, url] of [
  ['plain http to another host', 'http://api.qoder.com/api/v1/cloud'],
  ['ftp', 'ftp://api.qoder.com/api/v1/cloud'],
  ['garbage', 'not a url at all'],
  ['an empty string', ''],
  ['credentials in the URL', 'https://user:pass@api.qoder.com/api/v1/cloud'],
] as const) {
  test(`settings: ${what} is refused with a clear error and the token is not sent`, async () => {
    ext = await activateExtension({ baseUrl: url, token: TOKEN });
    const store = ext.hooks.services.store;
    await store.refresh();
    assert.equal(store.state, 'error');
    assert.ok(store.error instanceof QoderError && store.error.kind === 'config', String(store.error));
    assert.throws(() => ext!.hooks.services.connection.requireClient(), (e) => e instanceof QoderError && e.kind === 'config');
    assert.match(fake.views[0].message ?? '', /https|URL|base/i);
    assert.equal(fake.allText().includes(TOKEN), false);
  });
}

test('settings: a workspace value for qoder.apiBaseUrl is ignored', async () => {
  ext = await activateExtension({ baseUrl: 'http://127.0.0.1:9/api/v1/cloud', token: TOKEN, fetch: new FakeApi({ 'http://127.0.0.1:9': [] }).fetch });
  fake.settings.workspace.set('qoder.apiBaseUrl', 'https://attacker.example/api/v1/cloud');
  await ext.hooks.services.connection.reload();
  assert.equal(ext.hooks.services.connection.apiBaseUrl, 'http://127.0.0.1:9/api/v1/cloud');
  assert.equal(ext.hooks.services.connection.requireClient().baseUrl.startsWith('http://127.0.0.1:9'), true);
});

const HOSTILE = [
  '[run me](command:qoder.archiveDeployment?%5B%22dep_1%22%5D)',
  '<img src=x onerror=alert(1)><script>alert(1)</script>',
  '$(alert) $(loading~spin) \\$(x)',
  '**bold** _it_ `code` # not a heading',
  'line one\nline two\r\n## heading',
  '\u202Eevil-rtl-override \u0627\u0644\u0639\u0631\u0628\u064A\u0629 \u05E2\u05D1\u05E8\u05D9\u05EA',
  'x'.repeat(256),
  '每日构建巡检 [链接](https://evil.example)',
];

test('hostile names and descriptions render as plain text, untrusted, without live links', () => {
  for (const text of HOSTILE) {
    const md = deploymentTooltip(fixture('active', { name: text, description: text })) as unknown as MarkdownString;
    assert.equal(md.isTrusted, false);
    assert.equal(md.supportHtml, false);
    assert.ok(!/\]\((command|https?):/.test(md.value), `no live link for ${JSON.stringify(text)}:\n${md.value}`);
    assert.ok(!/(^|[^\\])\$\([a-z]/.test(md.value.replace(/\\\$\(/g, '')), 'no live codicon');
    assert.ok(!/(^|\n)#/.test(md.value), 'no heading');
    assert.ok(!/<(img|script)/i.test(md.value), `no raw HTML tag for ${JSON.stringify(text)}:\n${md.value}`);
  }
});

test('hostile names are labels as given (plain text, without control or bidi characters, no [label](link) pattern) and a 256-character name is kept whole', async () => {
  const store = new DeploymentStore();
  const ds = HOSTILE.map((name, i) => fixture('active', { id: `dep_${i.toString(16).padStart(32, '0')}`, name }));
  store.setSource({ listAll: async () => ({ deployments: ds, invalid: [] }) });
  await store.refresh();
  const tree = new DeploymentsTreeProvider(store, new RunStore());
  const labels = (await tree.getChildren()).map((n) => tree.getTreeItem(n).label);
  assert.deepEqual(labels, HOSTILE.map(displayText));
  assert.ok(labels.some((l) => typeof l === 'string' && l.length === 256));
});
