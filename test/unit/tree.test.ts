import { shownName, sortDeployments } from '../../src/deployments/model/describe';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MarkdownString, ThemeIcon, TreeItemCollapsibleState } from '../fakes/vscode';
import { DeploymentStore } from '../../src/deployments/model/deploymentStore';
import { FilterState } from '../../src/deployments/model/filter';
import { RunStore } from '../../src/runs/model/runStore';
import { DeploymentsTreeProvider, DeploymentNode, LoadMoreNode, RunNode, deploymentTooltip } from '../../src/deployments/deploymentsTree';
import type { Deployment, DeploymentRun, ListPage } from '../../src/api';
import { fixture, run } from './fixtures';

async function treeWith(deployments: Deployment[], runs: DeploymentRun[] = [], hasMore = false) {
  const store = new DeploymentStore({ includeArchived: true });
  store.setSource({ listAll: async () => ({ deployments, invalid: [] }) });
  await store.refresh();
  const runStore = new RunStore();
  let runCalls = 0;
  runStore.setSource({
    listRunsPage: async (): Promise<ListPage<DeploymentRun>> => {
      runCalls++;
      return { data: runs, first_id: null, last_id: runs.at(-1)?.id ?? null, has_more: hasMore, next_page: hasMore ? runs.at(-1)!.id : null, invalid: [] };
    },
  });
  return { store, runStore, tree: new DeploymentsTreeProvider(store, runStore), runCalls: () => runCalls };
}

test('tree: one item per deployment in the view order; id is the deployment id; label is the (original) name', async () => {
  const ds = sortDeployments(['active', 'paused', 'paused-error', 'archived', 'manual'].map((n) => fixture(n)));
  const { tree } = await treeWith(ds);
  const nodes = (await tree.getChildren()) as DeploymentNode[];
  assert.equal(nodes.length, 5);
  for (const [i, node] of nodes.entries()) {
    const item = tree.getTreeItem(node);
    assert.equal(item.id, ds[i].id);
    assert.equal(item.label, shownName(ds[i]));
    assert.equal(item.collapsibleState, TreeItemCollapsibleState.Collapsed);
    assert.equal(item.tooltip, undefined, 'tooltip is built lazily');
  }
});

test('tree: icons and colours per state; paused and needs attention differ in colour', async () => {
  const ds = ['active', 'paused', 'paused-error', 'archived'].map((n) => fixture(n));
  const { tree } = await treeWith(ds);
  const icon = (id: string) => tree.getTreeItem(tree.nodeFor(id)).iconPath as ThemeIcon;
  assert.deepEqual(ds.map((d) => [icon(d.id).id, icon(d.id).color?.id]), [
    ['pass', 'testing.iconPassed'],
    ['debug-pause', 'charts.blue'],
    ['warning', 'problemsWarningIcon.foreground'],
    ['archive', 'disabledForeground'],
  ]);
});

test('tree: a pending action shows a spinner and hides the item actions', async () => {
  const d = fixture('active');
  const { tree, store } = await treeWith([d]);
  store.beginAction(d.id, 'Archiving…');
  const item = tree.getTreeItem(tree.nodeFor(d.id));
  assert.equal((item.iconPath as ThemeIcon).id, 'loading~spin');
  assert.match(String(item.description), /^Archiving…/);
  assert.doesNotMatch(item.contextValue ?? '', /archivable/);
});

test('tree: nodes are stable across refreshes (selection and expansion survive)', async () => {
  const d = fixture('active');
  const { tree, store } = await treeWith([d]);
  const [a] = (await tree.getChildren()) as DeploymentNode[];
  await store.refresh({ fresh: true });
  const [b] = (await tree.getChildren()) as DeploymentNode[];
  assert.equal(a, b);
});

test('tree: the tooltip has id, agent, environment, schedule, next runs and is not trusted', async () => {
  const d = fixture('active');
  const { tree } = await treeWith([d]);
  const node = tree.nodeFor(d.id);
  const item = await tree.resolveTreeItem(tree.getTreeItem(node), node);
  const md = item.tooltip as unknown as MarkdownString;
  assert.ok(md instanceof MarkdownString);
  assert.equal(md.isTrusted, false);
  assert.equal(md.supportHtml, false);
  for (const part of ['dep\\_019f0a6c2e4b7f18a3d95c0e61b7f24d', 'agent\\_019ee2f4a61c7d3e9b5f0c8a47d21e6b', 'version 3', 'env\\_019ec8d21f5a7b0c84e6d3f9a2b15c70', '30 8 \\* \\* 1\\-5', 'Asia/Shanghai', 'Next runs', 'Last run']) {
    const text = md.value.replace(/&nbsp;/g, ' ');
    assert.ok(text.includes(part) || text.includes(part.replace(/\\/g, '')), `tooltip shows ${part}:\n${md.value}`);
  }
});

test('tree: hostile names render as plain text in the tooltip', () => {
  const hostile = '[click](command:qoder.archiveDeployment) **bold** <img src=x onerror=alert(1)> $(alert) `code`\n# heading';
  const d = fixture('active', { name: hostile, description: hostile });
  const md = deploymentTooltip(d) as unknown as MarkdownString;
  assert.equal(md.isTrusted, false);
  assert.ok(!md.value.includes('[click](command:'), 'no live command link');
  assert.ok(!md.value.includes('**bold**'), 'no live emphasis');
  assert.ok(!/(^|[^\\])\$\(alert\)/.test(md.value), 'codicon syntax escaped');
  assert.ok(!/\n# heading/.test(md.value), 'no heading injected');
});

test('tree: expanding a deployment lists its runs, then "Load more" when there are more', async () => {
  const d = fixture('active');
  const runs = [run('manual'), run('schedule-failed')];
  const { tree, runCalls } = await treeWith([d], runs, true);
  const children = await tree.getChildren(tree.nodeFor(d.id));
  assert.equal(children.length, 3);
  assert.ok(children[0] instanceof RunNode);
  assert.ok(children[2] instanceof LoadMoreNode);
  const failed = tree.getTreeItem(children[1]);
  assert.match(String(failed.label), /^could not start: environment archived · scheduled · /);
  assert.equal(failed.accessibilityInformation?.label, failed.label);
  assert.match(String(failed.contextValue), /^run\b/);
  const more = tree.getTreeItem(children[2]);
  assert.equal(more.command?.command, 'qoder.loadMoreRuns');
  await tree.getChildren(tree.nodeFor(d.id));
  assert.equal(runCalls(), 1, 'runs are cached between expansions');
});

test('tree: a deployment without runs says so', async () => {
  const d = fixture('manual');
  const { tree } = await treeWith([d], []);
  const children = await tree.getChildren(tree.nodeFor(d.id));
  assert.equal(children.length, 1);
  assert.equal(tree.getTreeItem(children[0]).label, 'No runs yet');
});

test('tree: an action or an in-place update redraws one row; a list change or a filter redraws all', async () => {
  const a = fixture('active');
  const { tree, store } = await treeWith([a, fixture('paused')]);
  await tree.getChildren();
  const fired: unknown[] = [];
  tree.onDidChangeTreeData((e) => fired.push(e));
  const node = tree.nodeFor(a.id);
  store.beginAction(a.id, 'Archiving…');
  store.replace({ ...a, status: 'paused' }, store.ticket());
  store.endAction(a.id);
  assert.deepEqual(fired, [node, node, node], 'three row redraws, no whole-tree redraw');
  fired.length = 0;
  // VS Code asks for the children again only after a whole-tree redraw, and none happened.
  const reload = store.refresh({ fresh: true });
  assert.deepEqual(fired, [], 'a reload starting changes no row');
  await reload;
  assert.deepEqual(fired, [undefined], 'the reloaded list is redrawn once');
  fired.length = 0;
  store.beginAction(a.id, 'Archiving…');
  store.replace({ ...a, archived_at: '2026-07-14T00:00:00Z' }, store.ticket());
  store.endAction(a.id);
  assert.equal(fired.filter((e) => e === undefined).length, 0, 'archived while shown: the store keeps it (archived shown), so rows only');

  const filter = new FilterState();
  const filtered = new DeploymentsTreeProvider(store, new RunStore(), filter);
  await filtered.getChildren();
  filter.set({ status: 'paused' });
  const seen: unknown[] = [];
  filtered.onDidChangeTreeData((e) => seen.push(e));
  store.replace({ ...a, status: 'active' }, store.ticket());
  assert.deepEqual(seen, [undefined], 'with a filter on, a change may move a row in or out of view');
});
