// Times in words: relative ("in 3 hr"), local, and in a deployment's own zone. Intl formatters
// are cached, because a tooltip needs about ten of them. No vscode import.


import * as l10n from '@vscode/l10n';
/** The UI language as VS Code names it (`en`, `zh-cn`), and the clock. */
export interface TextOptions {
  locale?: string;
  now?: number;
}

const rtfCache = new Map<string, Intl.RelativeTimeFormat>();
/**
 * The words of each (locale, unit, amount) already formatted: a view of 10,000 rows asks for
 * about 20,000 relative times, nearly all of them one of a few hundred texts.
 */
const rtfTexts = new Map<string, string>();

/** "in 3 hr", "5 min ago", in the UI language. */
export function relativeTime(iso: string, options: TextOptions = {}): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const locale = options.locale ?? 'en';
  const seconds = (then - (options.now ?? Date.now())) / 1000;
  const abs = Math.abs(seconds);
  const [amount, unit] =
    abs < 60 ? [Math.round(seconds), 'second' as const] : abs < 3600 ? [Math.round(seconds / 60), 'minute' as const] : abs < 86400 ? [Math.round(seconds / 3600), 'hour' as const] : [Math.round(seconds / 86400), 'day' as const];
  return remembered(rtfTexts, `${locale}|${unit}|${amount}`, () => relativeFormat(locale).format(amount, unit)) as string;
}

/** `map`'s value for `key`, made and kept when missing (a value of undefined is not kept); at most 5,000 kept. */
function remembered(map: Map<string, string>, key: string, make: () => string | undefined): string | undefined {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (value === undefined) return undefined;
    if (map.size >= 5000) map.clear();
    map.set(key, value);
  }
  return value;
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let rtf = rtfCache.get(locale);
  if (!rtf) {
    try {
      rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
    } catch {
      rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
    }
    rtfCache.set(locale, rtf);
  }
  return rtf;
}

export interface TimeFormat extends TextOptions {
  /** IANA zone to show times in; undefined = the machine's local zone. */
  timeZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const FORMATS: Record<'dateTime' | 'time' | 'weekdayTime', Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  weekdayTime: { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
};

/**
 * Intl.DateTimeFormat is costly to build (a tooltip needs ~10), so keep one per use. An unknown
 * locale falls back to English; an unknown zone throws (the caller decides what to show).
 */
export function formatter(kind: keyof typeof FORMATS, locale: string | undefined, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${locale ?? ''}|${timeZone ?? ''}`;
  let format = formatters.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = { ...FORMATS[kind], timeZone };
    try {
      format = new Intl.DateTimeFormat(locale, options);
    } catch {
      format = new Intl.DateTimeFormat('en', options); // throws again only for a bad zone
    }
    if (formatters.size > 200) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

const timeTexts = new Map<string, string>();

/**
 * `iso` in one of the formats, remembered: a tooltip shows each upcoming run twice, and
 * deployments on the same schedule share their instants. Undefined when `iso` is not a time;
 * throws for an unknown zone.
 */
function formatted(kind: keyof typeof FORMATS, iso: string, locale: string | undefined, timeZone: string | undefined): string | undefined {
  return remembered(timeTexts, `${kind}|${locale ?? ''}|${timeZone ?? ''}|${iso}`, () => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? undefined : formatter(kind, locale, timeZone).format(date);
  });
}

export function formatTime(iso: string, format: TimeFormat = {}): string {
  try {
    return formatted('dateTime', iso, format.locale, format.timeZone) ?? iso;
  } catch {
    return new Date(iso).toISOString();
  }
}

/** Time of day in a zone, e.g. the deployment's own: "08:30". */
function timeIn(iso: string, timeZone: string, locale?: string): string {
  try {
    return formatted('time', iso, locale, timeZone) ?? '';
  } catch {
    return '';
  }
}

/** "in 3 hr — Jul 15, 2026, 8:30 AM (08:30 Asia/Shanghai)": relative, then local, then the deployment's zone. */
export function runTimeText(iso: string, scheduleZone: string | undefined, format: TimeFormat = {}): string {
  const own = scheduleZone ? timeIn(iso, scheduleZone, format.locale) : '';
  return `${relativeTime(iso, format)} — ${formatTime(iso, format)}${own ? ` (${own} ${scheduleZone})` : ''}`;
}

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
