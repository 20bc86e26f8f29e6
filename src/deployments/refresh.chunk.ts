// The change watch (issue 22) wired to the connection, the view and the settings. Built apart
// as dist/refresh.js and required after the first complete load, so activation never pays for it.

import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import type { DeploymentRun } from '../api/types';
import type { Log } from '../platform/log';
import * as config from '../platform/config';
import type { DeploymentStore } from './model/deploymentStore';
import type { DeploymentsTreeProvider } from './deploymentsTree';
import { ChangeWatch } from './model/changeWatch';

/** A change watch reading through the connection's current client (the shared request budget included). */
export function createWatch(connection: Connection, store: DeploymentStore, view: vscode.TreeView<unknown>, tree: DeploymentsTreeProvider, log: Log): ChangeWatch {
  const client = () => connection.requireClient();
  return new ChangeWatch(
    {
      runsSince: async (since, signal) => {
        const runs: DeploymentRun[] = [];
        for await (const page of client().listAllRuns({ created_at_gte: since }, { signal })) runs.push(...page.data);
        return runs;
      },
      deploymentPages: async function* (signal) {
        for await (const page of client().listDeployments({ limit: 20 }, { signal })) yield page.data;
      },
      getDeployment: (id, signal) => client().findDeployment(id, { signal }),
      sessionStatus: async (id, signal) => (await client().getSession(id, { signal })).status,
    },
    store,
    {
      fullWalk: (reason) => {
        log.info(`Loading every deployment (${reason}).`);
        return store.refresh({ fresh: true });
      },
      onLoad: (reason, detail) => log.info(`Refresh: ${reason} (${detail}).`),
    },
    // qoder.autoRefreshSeconds is how fresh the view should be; the watch decides when to look.
    () => ({ freshnessMs: config.autoRefreshSeconds() * 1000, backgroundMs: config.backgroundRefreshMinutes() * 60_000 }),
    // The rows the user looks at: the selection (a run row counts for its deployment), then the top of the view.
    () => {
      const selected = view.selection.map((n) => (n as { deploymentId?: string }).deploymentId ?? (n as { id?: string }).id);
      const top = tree.visibleDeployments().slice(0, 25).map((d) => d.id);
      return [...new Set([...selected, ...top])].filter((id): id is string => typeof id === 'string');
    },
    Date.now,
  );
}
