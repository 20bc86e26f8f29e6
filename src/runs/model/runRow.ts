// The words of a run row: outcome first, then how it was triggered and when
// (`✗ organization disabled · scheduled · 2 hr ago`, `● running · manual · now`,
// `✓ done · 9 min · scheduled · yesterday`). Pure; strings through @vscode/l10n.

import * as l10n from '@vscode/l10n';
import type { DeploymentRun } from '../../api/types';
import { runTriggerText } from '../../deployments/model/describe';
import { shortErrorTypeText } from '../../common/errorTypes';
import { relativeTime, type TextOptions } from '../../common/timeText';
import type { SessionSummary } from '../../agentSessions/model/sessionCache';

export type RunOutcome = 'failed' | 'running' | 'waiting' | 'done' | 'pending' | 'none' | 'other';

/** "9 min", "35 s", "2 hr 5 min". */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return l10n.t('{0} s', s);
  const m = Math.round(s / 60);
  if (m < 60) return l10n.t('{0} min', m);
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? l10n.t('{0} hr', h) : l10n.t('{0} hr {1} min', h, rest);
}

export function runOutcome(run: DeploymentRun, session: SessionSummary | undefined): RunOutcome {
  if (run.error) return 'failed';
  if (!run.session_id) return run.status === 'failed' ? 'failed' : run.status === 'completed' ? 'done' : 'none';
  if (!session) return 'pending';
  if (session.status === 'terminated') return 'failed';
  if (session.status === 'idle') return session.waiting !== undefined ? 'waiting' : 'done';
  if (session.status === 'running' || session.status === 'rescheduling' || session.status === 'canceling') return 'running';
  return 'other';
}

/** The row label; also its tooltip's first line and its accessibility label. */
export function runRowText(run: DeploymentRun, session: SessionSummary | undefined, o: TextOptions = {}): string {
  const parts: string[] = [];
  switch (runOutcome(run, session)) {
    case 'failed':
      parts.push(run.error ? `✗ ${shortErrorTypeText(run.error.type)}` : `✗ ${l10n.t('failed')}`);
      if (!run.error && session?.durationSeconds != null) parts.push(durationText(session.durationSeconds));
      break;
    case 'running':
      parts.push(session?.status === 'rescheduling' ? `● ${l10n.t('rescheduling')}` : `● ${l10n.t('running')}`);
      break;
    case 'waiting':
      parts.push(`⏸ ${l10n.t('waiting for your decision')}`);
      break;
    case 'done':
      parts.push(`✓ ${l10n.t('done')}`);
      if (session?.durationSeconds != null) parts.push(durationText(session.durationSeconds));
      break;
    case 'pending':
      parts.push(`○ ${l10n.t('session')}`);
      break;
    case 'none':
      parts.push(`– ${l10n.t('no session')}`);
      break;
    case 'other':
      parts.push(`● ${session?.status ?? ''}`);
      break;
  }
  parts.push(runTriggerText(run));
  if (run.created_at) parts.push(relativeTime(run.created_at, o));
  return parts.join(' · ');
}
