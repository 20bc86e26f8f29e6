// The schedule help of a deployment document: is the cron expression one the API accepts,
// is the time zone known, what it means in words (the tree's cronstrue wording) and when it
// fires next (croner, loaded on first use: it ships as its own file, dist/croner.js).
// No vscode import. The words come from the caller (describe.ts's cronWords, the tree's
// wording), so this file does not pull cronstrue into the editor chunk a second time.

import * as l10n from '@vscode/l10n';
import type { Cron as CronClass } from 'croner';
import { formatter } from '../../common/timeText';

const NAME = '[A-Za-z]{3}';
const ATOM = `(?:\\*|\\d{1,2}|${NAME})(?:-(?:\\d{1,2}|${NAME}))?(?:/\\d{1,2})?`;
const FIELD_RE = new RegExp(`^${ATOM}(?:,${ATOM})*$`);
const MONTH_NAMES = /^(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)$/i;
const DAY_NAMES = /^(SUN|MON|TUE|WED|THU|FRI|SAT)$/i;
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

type CronConstructor = typeof CronClass;
let cronCtor: CronConstructor | undefined;

/** croner, required on first use (the bundle maps it to dist/croner.js). */
function loadCron(): CronConstructor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cronCtor ??= (require('croner') as typeof import('croner')).Cron;
  return cronCtor;
}

const zoneCache = new Map<string, boolean>();

export function isKnownTimeZone(zone: string): boolean {
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = zone.trim() !== '';
    } catch {
      known = false;
    }
    if (zoneCache.size > 500) zoneCache.clear();
    zoneCache.set(zone, known);
  }
  return known;
}

/**
 * Why the expression is not a 5-field POSIX cron expression the API accepts (no seconds,
 * no `L W # ?`, no `@daily`), or undefined when it is.
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (expression.trim() === '' || fields.length !== 5) {
    return l10n.t('A cron expression has 5 fields (minute hour day-of-month month day-of-week); this one has {0}.', expression.trim() === '' ? 0 : fields.length);
  }
  const labels = [l10n.t('minute'), l10n.t('hour'), l10n.t('day-of-month'), l10n.t('month'), l10n.t('day-of-week')];
  for (let i = 0; i < 5; i++) {
    const field = fields[i] as string;
    const label = labels[i] as string;
    const [min, max] = RANGES[i] as [number, number];
    const names = field.match(/[A-Za-z]+/g) ?? [];
    const namesOk = names.every((n) => (i === 3 && MONTH_NAMES.test(n)) || (i === 4 && DAY_NAMES.test(n)));
    if (!FIELD_RE.test(field) || !namesOk) return l10n.t('The {0} field "{1}" is not supported (use numbers, *, ranges a-b, lists a,b and steps /n).', label, field);
    for (const part of field.split(',')) {
      const [range, step] = part.split('/');
      if (step !== undefined && Number(step) < 1) return l10n.t('The {0} field "{1}" has a step of 0.', label, field);
      for (const value of (range ?? '').split('-')) {
        if (!/^\d+$/.test(value)) continue;
        const n = Number(value);
        if (n < min || n > max) return l10n.t('The {0} field "{1}" is out of range ({2}–{3}).', label, field, min, max);
      }
    }
  }
  try {
    new (loadCron())(expression, { mode: '5-part', paused: true });
  } catch (e) {
    return l10n.t('The cron expression is not valid: {0}', e instanceof Error ? e.message : String(e));
  }
  return undefined;
}

export interface ScheduleProblem {
  field: 'schedule' | 'schedule.type' | 'schedule.expression' | 'schedule.timezone';
  message: string;
}

/** What is wrong with a document's `schedule` value (null = manual only, which is fine). */
export function scheduleProblems(schedule: unknown): ScheduleProblem[] {
  if (schedule === null || schedule === undefined) return [];
  if (typeof schedule !== 'object' || Array.isArray(schedule)) return [{ field: 'schedule', message: l10n.t('schedule must be an object {type, expression, timezone} or null (manual only).') }];
  const s = schedule as Record<string, unknown>;
  const out: ScheduleProblem[] = [];
  if (s.type !== 'cron') out.push({ field: 'schedule.type', message: l10n.t('schedule.type must be "cron".') });
  if (typeof s.expression !== 'string') out.push({ field: 'schedule.expression', message: l10n.t('schedule.expression is required (a 5-field cron expression).') });
  else {
    const problem = cronProblem(s.expression);
    if (problem) out.push({ field: 'schedule.expression', message: problem });
  }
  if (typeof s.timezone !== 'string') out.push({ field: 'schedule.timezone', message: l10n.t('schedule.timezone is required (an IANA time zone such as Asia/Shanghai or UTC).') });
  else if (!isKnownTimeZone(s.timezone)) out.push({ field: 'schedule.timezone', message: l10n.t('Unknown time zone "{0}" (use an IANA name such as Asia/Shanghai or UTC).', s.timezone) });
  return out;
}

/** The next fire times (UTC instants) of a valid expression in its zone, after `now`. */
export function nextRuns(expression: string, timezone: string, count = 5, now = Date.now()): Date[] {
  const Cron = loadCron();
  const job = new Cron(expression, { timezone, mode: '5-part', paused: true });
  return job.nextRuns(count, new Date(now));
}

export interface ScheduleHelp {
  /** "At 09:30, Monday through Friday (Asia/Shanghai)". */
  words: string;
  /** The deployment's zone. */
  timezone: string;
  /** The next runs written in the deployment's zone. */
  zoned: string[];
  /** The same runs in local time (undefined when the local zone shows the same wall clock). */
  local: string[] | undefined;
}

export interface HelpOptions {
  /** The expression in words (describe.ts cronWords), or null when it can't be put in words. */
  words: (expression: string, locale?: string) => string | null;
  locale?: string;
  now?: number;
  /** The user's zone (default: the host's). */
  localZone?: string;
  count?: number;
}

/** Words and next runs for a valid schedule; undefined when it has a problem (see scheduleProblems). */
export function scheduleHelp(schedule: { expression: string; timezone: string }, o: HelpOptions): ScheduleHelp | undefined {
  if (scheduleProblems({ type: 'cron', ...schedule }).length) return undefined;
  const locale = o.locale ?? 'en';
  const runs = nextRuns(schedule.expression, schedule.timezone, o.count ?? 5, o.now ?? Date.now());
  const zoned = runs.map((d) => formatter('weekdayTime', locale, schedule.timezone).format(d));
  const local = runs.map((d) => formatter('weekdayTime', locale, o.localZone).format(d));
  const words = `${o.words(schedule.expression, locale) ?? schedule.expression} (${schedule.timezone})`;
  return { words, timezone: schedule.timezone, zoned, local: local.every((t, i) => t === zoned[i]) ? undefined : local };
}
