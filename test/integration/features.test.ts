// Filter, region, copy as curl, run details and command arguments, under the fake vscode.

import { test, before, after, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateConnected, cmd, fake, until } from '../unit/harness';
import { matchesFilter, isFiltering } from '../../src/deployments/model/filter';
import { secretKey } from '../../src/connection/tokenStore';
import { fixture } from '../unit/fixtures';

const TOKEN = 'pt-unit-features-secret-0003';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 40, quiet: true });
});
after(() => api.close());
afterEach(() => {
  ext?.dispose();
  ext = undefined;
});


async function connected(): Promise<Activated> {
  ext = await activateConnected(api, TOKEN);
  return ext;
}

test('filter model: status and case-insensitive name text', () => {
  const active = fixture('active');
  const paused = fixture('paused');
  const attention = fixture('paused-error');
  assert.equal(isFiltering({}), false);
  assert.equal(isFiltering({ text: '  ' }), false);
  assert.equal(matchesFilter(active, { status: 'active' }), true);
  assert.equal(matchesFilter(paused, { status: 'active' }), false);
  assert.equal(matchesFilter(attention, { status: 'attention' }), true);
  assert.equal(matchesFilter(active, { status: 'attention' }), false);
  assert.equal(matchesFilter(active, { text: 'TRIAGE' }), true);
  assert.equal(matchesFilter(active, { status: 'active', text: 'nope' }), false);
  assert.equal(matchesFilter(fixture('archived'), { status: 'active' }), false, 'archived is not active');
});

test('filter command: narrows the view, sets the context keys, says so, and clears', async () => {
  await connected();
  const total = ext!.hooks.tree.visibleDeployments().length;
  fake.pickAnswers.push((items) => items.find((i: { status?: string }) => i.status === 'paused'));
  fake.inputAnswers.push('');
  await cmd('qoder.filter');
  const shown = ext!.hooks.tree.visibleDeployments();
  assert.ok(shown.length > 0 && shown.length < total);
  assert.ok(shown.every((d) => d.status === 'paused'));
  assert.equal((await ext!.hooks.tree.getChildren()).length, shown.length);
  assert.equal(fake.contexts.get('qoder.filterActive'), true);
  assert.match(fake.views[0].message ?? '', new RegExp(`^Filtered: paused \\(${shown.length} of ${total} shown\\)`));
  assert.equal(api.requests.length, 0, 'filtering needs no request');
  await cmd('qoder.clearFilter');
  assert.equal(ext!.hooks.tree.visibleDeployments().length, total);
  assert.equal(fake.contexts.get('qoder.filterActive'), false);
  assert.doesNotMatch(fake.views[0].message ?? '', /Filtered/);
});

test('filter command: an empty result sets filterEmpty for the "no match" welcome', async () => {
  await connected();
  fake.pickAnswers.push((items) => items[0]);
  fake.inputAnswers.push('zzz-no-such-name');
  await cmd('qoder.filter');
  assert.equal(ext!.hooks.tree.visibleDeployments().length, 0);
  assert.equal(fake.contexts.get('qoder.filterEmpty'), true);
});

test('copy as curl uses $QODER_PAT, never the token', async () => {
  await connected();
  const d = ext!.hooks.services.store.deployments[0];
  await cmd('qoder.copyAsCurl', d.id);
  assert.equal(fake.clipboard, `curl -sS -H "Authorization: Bearer $QODER_PAT" -H "Accept: application/json" '${api.baseUrl}/deployments/${d.id}'`);
  assert.equal(fake.clipboard.includes(TOKEN), false);
});

test('commands accept a deployment object as their argument', async () => {
  await connected();
  const d = ext!.hooks.services.store.deployments[1];
  await cmd('qoder.copyDeploymentId', { id: d.id, name: d.name, type: 'deployment' });
  assert.equal(fake.clipboard, d.id);
});

test('run details open the run as JSON from the run context menu; a click opens the session', async () => {
  await connected();
  const runs = ext!.hooks.services.runs;
  let d = ext!.hooks.services.store.deployments[0];
  for (const x of ext!.hooks.services.store.deployments) {
    await runs.ensure(x.id);
    if (runs.get(x.id)?.runs.length) {
      d = x;
      break;
    }
  }
  const r = runs.get(d.id)!.runs[0];
  assert.ok(r, 'a seeded deployment has runs');
  const children = await ext!.hooks.tree.getChildren(ext!.hooks.tree.nodeFor(d.id));
  const item = ext!.hooks.tree.getTreeItem(children[0]);
  // A click opens the session when the run started one, else the run's JSON.
  assert.equal(item.command?.command, r.session_id ? 'qoder.openSession' : 'qoder.showRunDetails');
  assert.match(String(item.contextValue), /\brun\b/);
  // The context menu passes the run's node.
  await cmd('qoder.showRunDetails', children[0]);
  assert.equal(fake.opened.length, 1, 'one document was opened');
  assert.ok(fake.opened[0]!.uri.includes(`/${d.id}/runs/${r.id}/`), `the run’s own document was opened (${fake.opened[0]!.uri})`);
  assert.equal(JSON.parse(fake.opened[0]!.text).id, r.id);
});

test('switch region writes the user setting and keeps a token per region', async () => {
  await connected();
  fake.pickAnswers.push((items) => items.find((i: { baseUrl: string }) => i.baseUrl.includes('qoder.com.cn')));
  await cmd('qoder.switchRegion');
  assert.equal(fake.settings.global.get('qoder.apiBaseUrl'), 'https://api.qoder.com.cn/api/v1/cloud');
  await until(() => ext!.hooks.services.connection.apiBaseUrl.includes('qoder.com.cn'), 'the session to follow');
  assert.equal(ext!.hooks.services.store.state, 'signedOut', 'no China token yet');
  assert.equal(ext!.secrets.data.get(secretKey(api.baseUrl)), TOKEN, 'the other region keeps its token');
});

test('auto refresh: a poll is scheduled within the interval while the view is visible, none while hidden', async () => {
  await connected();
  fake.settings.global.set('qoder.autoRefreshSeconds', 5);
  const view = fake.views[0];
  ext!.hooks.poller.update();
  assert.equal(ext!.hooks.poller.scheduledIn !== undefined, true);
  view.setVisible(false);
  assert.equal(ext!.hooks.poller.scheduledIn, undefined, 'hidden: nothing scheduled');
  view.setVisible(true);
  assert.ok((ext!.hooks.poller.scheduledIn ?? Infinity) <= 5000);
});

test('load more runs: a double click fetches one more page', async () => {
  await connected();
  const runs = ext!.hooks.services.runs;
  let target: string | undefined;
  for (const d of ext!.hooks.services.store.deployments) {
    await runs.ensure(d.id);
    if (runs.get(d.id)?.hasMore) {
      target = d.id;
      break;
    }
  }
  assert.ok(target, 'a seeded deployment has more than one page of runs');
  const before = runs.get(target)!.runs.length;
  api.resetRequests();
  await Promise.all([cmd('qoder.loadMoreRuns', target), cmd('qoder.loadMoreRuns', target)]);
  assert.equal(api.requests.filter((r) => r.path.endsWith(`/deployments/${target}/runs`)).length, 1);
  assert.ok(runs.get(target)!.runs.length > before);
});
