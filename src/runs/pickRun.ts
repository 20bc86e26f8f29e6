// Pick a run by its deployment's name and its start time, never by a raw id: the palette's
// Open Session and Cancel Session. The runs are the newest page of the runs feed and every run
// history already fetched; running and waiting runs come first. Part of the runs chunk.

import * as vscode from 'vscode';
import type { DeploymentRun } from '../api/types';
import type { Services } from '../platform/commandKit';
import type { SessionStatusCache } from '../agentSessions/model/sessionCache';
import { formatTime } from '../common/timeText';
import { displayName } from '../common/display';
import { runTriggerText } from '../deployments/model/describe';
import { isLive, runState, stateText } from './model/runState';

export interface PickedRun {
  deploymentId: string;
  runId: string;
  sessionId: string;
  createdAt: string;
}

interface RunItem extends vscode.QuickPickItem {
  run: DeploymentRun;
}

/** The runs to offer: fetched histories and the newest page of the feed, one entry per run id. */
async function recentRuns(s: Services): Promise<DeploymentRun[]> {
  const byId = new Map<string, DeploymentRun>();
  for (const d of s.store.deployments) for (const r of s.runs.get(d.id)?.runs ?? []) byId.set(r.id, r);
  try {
    for await (const page of s.connection.requireClient().listAllRuns({ limit: 50 })) {
      for (const r of page.data) if (!byId.has(r.id)) byId.set(r.id, r);
      break;
    }
  } catch (e) {
    if (byId.size === 0) throw e; // nothing to offer without it
    s.log.warn(`Recent runs for the picker: ${e instanceof Error ? e.message : String(e)}`);
  }
  return [...byId.values()];
}

/**
 * Asks for a run that started a session (`liveOnly`: one that is running or waiting). Undefined
 * when the user dismissed the pick or there is none (then a message says so).
 */
export async function pickRun(s: Services, statuses: SessionStatusCache | undefined, o: { liveOnly: boolean; placeHolder: string }): Promise<PickedRun | undefined> {
  const locale = vscode.env.language;
  const runs = (await recentRuns(s)).filter((r) => r.session_id);
  const entries = runs.map((run) => {
    const state = runState(run, statuses?.get(run.session_id as string));
    return { run, state, live: isLive(state), at: Date.parse(run.created_at) || 0 };
  });
  const offered = entries
    .filter((e) => !o.liveOnly || e.live)
    .sort((a, b) => Number(b.live) - Number(a.live) || b.at - a.at);
  if (offered.length === 0) {
    void s.ui.showInformationMessage(o.liveOnly ? vscode.l10n.t('No run is running or waiting right now.') : vscode.l10n.t('No recent run started a session.'), {});
    return undefined;
  }
  const items: RunItem[] = offered.map(({ run, state }) => {
    const known = s.store.get(run.deployment_id)?.name;
    const name = known === undefined ? vscode.l10n.t('a deployment that is not in the list') : displayName(known);
    const words = stateText(state);
    return {
      label: name,
      description: `${formatTime(run.created_at, { locale })} · ${words}`,
      detail: runTriggerText(run),
      run,
    };
  });
  const pick = await s.ui.showQuickPick(items, { placeHolder: o.placeHolder, matchOnDescription: true });
  if (!pick) return undefined;
  return { deploymentId: pick.run.deployment_id, runId: pick.run.id, sessionId: pick.run.session_id as string, createdAt: pick.run.created_at };
}
