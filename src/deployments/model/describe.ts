// Pure text about a deployment: status, schedule, attention, tooltip rows. No vscode import:
// strings go through @vscode/l10n, which activate() feeds with vscode.l10n.bundle, so the same
// translations apply and the code is tested under plain Node.

import * as l10n from '@vscode/l10n';
import type { Deployment, DeploymentRun, Schedule } from '../../api/types';
import { isArchived } from './deploymentStore';
import { displayText } from '../../common/display';
import { errorTypeText, shortErrorTypeText } from '../../common/errorTypes';
import { formatTime, relativeTime, runTimeText, type TextOptions, type TimeFormat } from '../../common/timeText';
import { runHealth } from '../../runs/model/runHealth';
import { runsChunk } from '../../runs/runsChunk';

export type DeploymentKind = 'active' | 'paused' | 'attention' | 'archived';

/**
 * Failed runs in a row: from the runs the extension fetched (runHealth.ts) once it has them, else
 * the legacy `stats.consecutive_failures`.
 */
export function consecutiveFailures(deployment: Deployment): number {
  const derived = runHealth.streak(deployment.id);
  if (derived !== undefined) return derived;
  const count = deployment.stats?.consecutive_failures;
  return typeof count === "number" && count > 0 ? count : 0;
}

/** "6 failed in a row", "the last run failed", "10+ failed in a row" (when older runs were not fetched). */
function streakText(d: Deployment, failures: number): string {
  if (runHealth.get(d.id)?.streakAtLeast) return l10n.t('{0}+ failed in a row', failures);
  return failures === 1 ? l10n.t('last run failed') : l10n.t('{0} failed in a row', failures);
}

export function isPausedOnError(deployment: Deployment): boolean {
  return deployment.status === 'paused' && deployment.paused_reason?.type === 'error';
}

/** Auto-paused on error, or failing run after run. */
export function needsAttention(deployment: Deployment): boolean {
  return !isArchived(deployment) && (isPausedOnError(deployment) || consecutiveFailures(deployment) > 0);
}

export function kindOf(deployment: Deployment): DeploymentKind {
  if (isArchived(deployment)) return 'archived';
  if (needsAttention(deployment)) return 'attention';
  return deployment.status === 'paused' ? 'paused' : 'active';
}

/** Space-separated state tokens for TreeItem.contextValue, matched by `viewItem =~ /\btoken\b/`. */
export function contextTokens(deployment: Deployment): string {
  const tokens = ['deployment'];
  if (isArchived(deployment)) {
    tokens.push('archived');
  } else {
    tokens.push(deployment.status === 'paused' ? 'paused' : 'active', 'archivable');
    if (deployment.status === 'paused') tokens.push('resumable');
    else tokens.push('pausable', 'runnable');
    if (needsAttention(deployment)) tokens.push('attention');
  }
  if (!deployment.schedule) tokens.push('manual');
  return tokens.join(' ');
}

export function statusText(deployment: Deployment): string {
  if (isArchived(deployment)) return l10n.t('archived');
  if (isPausedOnError(deployment)) return l10n.t('paused on error: {0}', errorTypeText((deployment.paused_reason as { error?: { type?: string } } | null)?.error?.type ?? 'unknown_error'));
  if (deployment.status === 'paused') return l10n.t('paused');
  if (deployment.status === 'active') return l10n.t('active');
  return deployment.status;
}

function cronLocale(locale: string | undefined): string {
  return locale?.toLowerCase().startsWith('zh') ? 'zh_CN' : 'en';
}

const wordsCache = new Map<string, string | null>();

type CronToString = typeof import('./cronstrue.chunk').cronToString;
let cronToString: CronToString | undefined;

/** cronstrue, required on first use (the bundle maps it to dist/cronstrue.js). */
function loadCronstrue(): CronToString {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cronToString ??= (require('./cronstrue.chunk') as typeof import('./cronstrue.chunk')).cronToString;
  return cronToString;
}

/** "At 09:30, Monday through Friday" (cronstrue), or null when the expression can't be read. */
export function cronWords(expression: string, locale?: string): string | null {
  const key = `${cronLocale(locale)}|${expression}`;
  let words = wordsCache.get(key);
  if (words === undefined) {
    try {
      words = loadCronstrue()(expression, { locale: cronLocale(locale), use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false });
    } catch {
      words = null;
    }
    if (wordsCache.size > 2000) wordsCache.clear();
    wordsCache.set(key, words);
  }
  return words;
}

/** "At 09:30, Monday through Friday (Asia/Shanghai)"; the raw cron when it can't be put in words. */
export function scheduleWords(schedule: Schedule, locale?: string): string {
  return `${cronWords(schedule.expression, locale) ?? schedule.expression} (${schedule.timezone})`;
}

export function scheduleText(deployment: Deployment, options: TextOptions = {}): string {
  if (!deployment.schedule) return l10n.t('manual only');
  return scheduleWords(deployment.schedule, options.locale);
}

/** The first upcoming run that is still in the future. */
export function nextRun(deployment: Deployment, now = Date.now()): string | undefined {
  if (isArchived(deployment) || !deployment.schedule) return undefined;
  return deployment.schedule.upcoming_runs_at.find((x) => Date.parse(x) > now);
}

function pausedErrorType(d: Deployment): string | undefined {
  return isPausedOnError(d) ? ((d.paused_reason as { error?: { type?: string } } | null)?.error?.type ?? 'unknown_error') : undefined;
}

/**
 * What is wrong, in a few words, or [] when nothing is: `paused: environment not found`,
 * `4 failed in a row`. The row's description and accessibility label start with it.
 */
export function problemParts(d: Deployment): string[] {
  if (isArchived(d)) return [];
  const parts: string[] = [];
  const errorType = pausedErrorType(d);
  if (errorType) parts.push(l10n.t('paused: {0}', shortErrorTypeText(errorType)));
  const failures = consecutiveFailures(d);
  if (failures > 0) parts.push(streakText(d, failures));
  return parts;
}

/**
 * The newest run while it is not simply done or failed (those the icon and the streak say): "last
 * run cancelled". Nothing while its session's state is not known yet ('started'): it may have
 * finished long ago.
 */
function lastRunPart(d: Deployment): string[] {
  const last = runHealth.get(d.id)?.last;
  if (!last || isArchived(d)) return [];
  const kind = last.state.kind;
  if (kind === 'done' || kind === 'failed' || kind === 'notStarted' || kind === 'unknown' || kind === 'started') return [];
  return [l10n.t('last run {0}', runsChunk().stateText(last.state))];
}

/** The rest of the line: `paused` (never `active`: the icon says it), schedule, next run. */
function stateParts(d: Deployment, o: TextOptions): string[] {
  const parts: string[] = [];
  if (isArchived(d)) {
    parts.push(d.archived_at ? l10n.t('archived {0}', relativeTime(d.archived_at, o)) : l10n.t('archived'));
    return parts;
  }
  if (d.status === 'paused' && !isPausedOnError(d)) parts.push(l10n.t('paused'));
  else if (d.status !== 'active' && d.status !== 'paused') parts.push(d.status);
  parts.push(scheduleText(d, o));
  const next = d.status === 'active' ? nextRun(d, o.now) : undefined;
  if (next && !consecutiveFailures(d)) parts.push(l10n.t('next {0}', relativeTime(next, o)));
  return parts;
}

/** The short line beside the name: the problem first, then `paused`, the schedule, the next run. */
export function descriptionText(d: Deployment, pendingAction?: string, o: TextOptions = {}): string {
  return rowTexts(d, pendingAction, o).description;
}

/** What a screen reader says for the row: the problem first, then the name and the state. */
export function accessibilityText(d: Deployment, pendingAction?: string, o: TextOptions = {}): string {
  return rowTexts(d, pendingAction, o).accessibility;
}

/**
 * A row's description and accessibility label together: they share the problem and the state,
 * worked out once (every deployment's row is drawn on each refresh).
 */
export function rowTexts(d: Deployment, pendingAction?: string, o: TextOptions = {}): { description: string; accessibility: string } {
  const problems = problemParts(d);
  const state = stateParts(d, o);
  const description = [...problems, ...lastRunPart(d), ...state].join(' · ');
  // The label also says `active`, which the row leaves to its icon.
  const active = d.status === 'active' && !isArchived(d) ? [l10n.t('active')] : [];
  const last = lastRunText(d, o);
  const spoken = [...problems, shownName(d), ...active, ...state, ...(last ? [l10n.t('last run: {0}', last)] : [])];
  if (pendingAction) spoken.unshift(pendingAction);
  return { description: pendingAction ? `${pendingAction} ${description}` : description, accessibility: spoken.join(', ') };
}

const ARCHIVED_SUFFIX = /_archived_\d+$/;

/**
 * The name a row shows: an archived deployment's original name, without `_archived_<timestamp>`;
 * never a control character (display.ts).
 */
export function shownName(d: Deployment): string {
  return displayText(isArchived(d) ? d.name.replace(ARCHIVED_SUFFIX, '') || d.name : d.name);
}

/**
 * The order of the view: deployments that need attention first, then the rest newest first;
 * archived ones last. Stable for equal keys (the server's order).
 */
export function sortDeployments(list: readonly Deployment[]): Deployment[] {
  const rank = (d: Deployment) => (isArchived(d) ? 2 : needsAttention(d) ? 0 : 1);
  const created = (d: Deployment) => {
    const t = Date.parse(d.created_at);
    return Number.isNaN(t) ? -Infinity : t;
  };
  return list
    .map((d, index) => ({ d, index, rank: rank(d), created: created(d) }))
    .sort((a, b) => a.rank - b.rank || b.created - a.created || a.index - b.index)
    .map((x) => x.d);
}

export function pausedReasonText(deployment: Deployment): string | undefined {
  const reason = deployment.paused_reason;
  if (!reason || deployment.status !== 'paused') return undefined;
  if (reason.type === 'manual') return l10n.t('paused by a user');
  if (reason.type === 'error') return l10n.t('paused automatically: {0}', errorTypeText(reason.error?.type ?? 'unknown_error'));
  return l10n.t('paused ({0})', reason.type);
}

/** One row of the tooltip: the UI renders `label` as trusted text and `value` escaped. */
export interface DetailRow {
  label: string;
  value: string;
  /** Render the value as inline code (ids, cron). */
  code?: boolean;
  /** Several values, shown as a list under the label. */
  list?: string[];
  /** Shown before the deployment's description (the problem, the last run). */
  first?: boolean;
}

/** Long form of the problem, for the tooltip's first line; undefined when nothing is wrong. */
export function problemText(d: Deployment): string | undefined {
  if (isArchived(d)) return undefined;
  const parts: string[] = [];
  const errorType = pausedErrorType(d);
  if (errorType) parts.push(l10n.t('Paused automatically: {0}.', errorTypeText(errorType)));
  const failures = consecutiveFailures(d);
  if (failures === 1) parts.push(l10n.t('The last run failed.'));
  else if (failures > 1) parts.push(l10n.t('The last {0} runs failed.', failures));
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * "could not start: the organization is disabled, 17 hr ago" / "cancelled, 2 hr ago": the newest
 * run in the state vocabulary once the runs are fetched; before that, the deployment's own fields.
 */
export function lastRunText(d: Deployment, f: TextOptions = {}): string | undefined {
  const latest = runHealth.get(d.id)?.last;
  // While its session's state is not known, only when it started.
  if (latest) return latest.state.kind === 'started' ? relativeTime(latest.run.created_at, f) : l10n.t('{0}, {1}', runsChunk().stateText(latest.state, true), relativeTime(latest.run.created_at, f));
  const at = d.schedule?.last_run_at ?? d.stats?.last_triggered_at;
  if (!at) return undefined;
  const when = relativeTime(at, f);
  const errorType = pausedErrorType(d);
  if (errorType) return l10n.t('failed, {0}: {1}', when, errorTypeText(errorType));
  if (consecutiveFailures(d) > 0) return l10n.t('failed, {0}', when);
  if (typeof d.stats?.consecutive_failures === 'number') return l10n.t('succeeded, {0}', when);
  return when;
}

/** The status in one word for the tooltip; a manual pause says who paused it. */
function statusLine(d: Deployment): string {
  if (isArchived(d)) return l10n.t('archived');
  if (d.status === 'paused') return d.paused_reason?.type === 'manual' ? l10n.t('paused by a user') : l10n.t('paused');
  if (d.status === 'active') return l10n.t('active');
  return d.status;
}

export function detailRows(d: Deployment, f: TimeFormat = {}): DetailRow[] {
  const rows: DetailRow[] = [];
  const problem = problemText(d);
  if (problem) rows.push({ label: l10n.t('Needs attention'), value: problem, first: true });
  const last = lastRunText(d, f);
  if (last) rows.push({ label: l10n.t('Last run'), value: last, first: true });
  rows.push({ label: l10n.t('Status'), value: statusLine(d) });
  const reason = d.status === 'paused' && !isArchived(d) && d.paused_reason && d.paused_reason.type !== 'manual' && !isPausedOnError(d) ? pausedReasonText(d) : undefined;
  if (reason) rows.push({ label: l10n.t('Paused'), value: reason });
  rows.push(
    { label: l10n.t('ID'), value: d.id, code: true },
    { label: l10n.t('Agent'), value: l10n.t('{0} (version {1})', d.agent.id, d.agent.version), code: false },
    { label: l10n.t('Environment'), value: d.environment_id, code: true },
  );
  if (d.archived_at) rows.push({ label: l10n.t('Archived'), value: formatTime(d.archived_at, f) });
  if (d.schedule) {
    const words = cronWords(d.schedule.expression, f.locale);
    if (words) rows.push({ label: l10n.t('Schedule'), value: `${words} (${d.schedule.timezone})` });
    rows.push({ label: l10n.t('Cron'), value: d.schedule.expression, code: true });
    rows.push({ label: l10n.t('Time zone'), value: d.schedule.timezone });
    const next = d.schedule.upcoming_runs_at.map((x) => runTimeText(x, d.schedule?.timezone, f));
    if (next.length) rows.push({ label: d.status === 'paused' ? l10n.t('Next runs (when resumed)') : l10n.t('Next runs'), value: next.join('; '), list: next });
    if (d.schedule.last_run_at) rows.push({ label: l10n.t('Last run at'), value: `${formatTime(d.schedule.last_run_at, f)} (${relativeTime(d.schedule.last_run_at, f)})` });
  } else {
    rows.push({ label: l10n.t('Schedule'), value: l10n.t('manual only (runs when triggered)') });
  }
  const stats = d.stats;
  if (stats && (stats.total_runs !== undefined || stats.total_failures !== undefined)) {
    rows.push({
      label: l10n.t('Run statistics'),
      value: l10n.t('{0} total, {1} failed, {2} failed in a row', stats.total_runs ?? 0, stats.total_failures ?? 0, stats.consecutive_failures ?? 0),
    });
  }
  return rows;
}

export function runTriggerText(run: DeploymentRun): string {
  switch (run.trigger_context.type) {
    case 'manual': return l10n.t('manual');
    case 'schedule': return l10n.t('scheduled');
    case 'retry': return l10n.t('retry');
    default: return run.trigger_context.type;
  }
}
