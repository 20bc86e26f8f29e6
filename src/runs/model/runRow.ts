// The words of a run row: its state first (runState.ts), then how it was triggered and when
// (`could not start: organization disabled · scheduled · 2 hr ago`, `running · manual · now`,
// `done · 9 min · scheduled · yesterday`). Pure; strings through @vscode/l10n.

import type { DeploymentRun } from '../../api/types';
import { runTriggerText } from '../../deployments/model/describe';
import { isOver, runState, stateText } from './runState';
import { durationText, relativeTime, type TextOptions } from '../../common/timeText';
import type { SessionSummary } from '../../agentSessions/model/sessionCache';

/** The row label, in words: the state first, then how long, how it was triggered and when. Also its accessibility label. */
export function runRowText(run: DeploymentRun, session: SessionSummary | undefined, o: TextOptions = {}): string {
  const state = runState(run, session);
  const parts = [stateText(state)];
  if (isOver(state) && state.kind !== 'notStarted' && session?.durationSeconds != null) parts.push(durationText(session.durationSeconds));
  parts.push(runTriggerText(run));
  if (run.created_at) parts.push(relativeTime(run.created_at, o));
  return parts.join(' · ');
}
