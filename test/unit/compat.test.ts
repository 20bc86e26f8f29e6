// src/platform/compat.ts: run-time fallbacks for VS Code versions between the engine floor (1.104)
// and the versions where a behaviour was seen to work.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { versionAtLeast } from '../../src/platform/compat';
import { DeploymentStore } from '../../src/deployments/model/deploymentStore';
import { RunStore } from '../../src/runs/model/runStore';
import { DeploymentsTreeProvider } from '../../src/deployments/deploymentsTree';
import type { DeploymentRun, ListPage } from '../../src/api';
import { fixture, run } from './fixtures';
import { fake } from '../fakes/vscode';

test('versionAtLeast compares major.minor.patch numerically and treats unreadable versions as new', () => {
  assert.equal(versionAtLeast('1.104.0', '1.104.0'), true);
  assert.equal(versionAtLeast('1.104.3', '1.139.0'), false);
  assert.equal(versionAtLeast('1.139.1', '1.139.0'), true);
  assert.equal(versionAtLeast('1.99.9', '1.104.0'), false, '99 < 104 as numbers, not as text');
  assert.equal(versionAtLeast('2.0.0', '1.139.0'), true);
  assert.equal(versionAtLeast('1.106.3-insider', '1.106.3'), true);
  assert.equal(versionAtLeast(undefined, '1.139.0'), true);
  assert.equal(versionAtLeast('dev', '1.139.0'), true);
});

test('a run-history change redraws by the running VS Code version: the whole list before 1.139 (1.104 Trae, 1.106 Qoder IDE), only the row from 1.139', async () => {
  const d = fixture('active');
  const runs = [run('manual'), run('schedule-failed')];
  const cases = [['1.104.0', 'list'], ['1.106.3', 'list'], ['1.138.2', 'list'], ['1.139.0', 'row'], ['1.140.1', 'row']] as const;
  try {
    for (const [version, expected] of cases) {
      fake.setVersion(version);
      const store = new DeploymentStore({ includeArchived: true });
      store.setSource({ listAll: async () => ({ deployments: [d], invalid: [] }) });
      await store.refresh();
      const runStore = new RunStore();
      runStore.setSource({
        listRunsPage: async (): Promise<ListPage<DeploymentRun>> => ({ data: runs, first_id: null, last_id: null, has_more: false, next_page: null, invalid: [] }),
      });
      const tree = new DeploymentsTreeProvider(store, runStore);
      await tree.getChildren();
      const fired: unknown[] = [];
      tree.onDidChangeTreeData((e) => fired.push(e));
      await tree.getChildren(tree.nodeFor(d.id));
      assert.deepEqual(fired, [expected === 'row' ? tree.nodeFor(d.id) : undefined], `VS Code ${version} redraws the ${expected}`);
    }
  } finally {
    fake.setVersion(undefined);
  }
});
