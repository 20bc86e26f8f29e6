// Cron helpers: validation of the documented 5-field subset, upcoming fire times
// (computed with cron-parser in the schedule's IANA time zone) cached per
// (expression, time zone) until the first cached time passes.

import { CronExpressionParser } from 'cron-parser';
import { isoSeconds } from './util';

const NAME = '[A-Za-z]{3}';
const ATOM = `(?:\\*|\\d{1,2}|${NAME})(?:-(?:\\d{1,2}|${NAME}))?(?:/\\d{1,2})?`;
const FIELD_RE = new RegExp(`^${ATOM}(?:,${ATOM})*$`);
const MONTHS = /^(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)$/i;
const DAYS = /^(SUN|MON|TUE|WED|THU|FRI|SAT)$/i;

const tzValid = new Map<string, boolean>();

export function isValidTimeZone(tz: string): boolean {
  let ok = tzValid.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = tz.length > 0;
    } catch {
      ok = false;
    }
    tzValid.set(tz, ok);
  }
  return ok;
}

/** Returns an error message, or null when `expr` is a valid 5-field POSIX cron expression. */
export function cronError(expr: string, tz: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `Invalid cron expression "${expr}": expected 5 fields (minute hour day-of-month month day-of-week).`;
  for (let i = 0; i < 5; i++) {
    const f = fields[i] as string;
    if (!FIELD_RE.test(f)) return `Invalid cron expression "${expr}": unsupported field "${f}".`;
    for (const name of f.match(/[A-Za-z]+/g) ?? []) {
      if (!(i === 3 && MONTHS.test(name)) && !(i === 4 && DAYS.test(name))) {
        return `Invalid cron expression "${expr}": unsupported field "${f}".`;
      }
    }
  }
  try {
    CronExpressionParser.parse(expr, { tz, currentDate: new Date(0) });
  } catch (e) {
    return `Invalid cron expression "${expr}": ${(e as Error).message}`;
  }
  return null;
}

const fixedZones = new Map<string, string>();

/**
 * Zones whose UTC offset is constant over the next two years (Asia/Shanghai, Asia/Tokyo…)
 * are handed to cron-parser as a fixed "UTC+8" zone: same results, ~2× faster (no luxon
 * Intl offset lookups per step). Zones with DST keep their IANA name.
 */
function fastZone(tz: string, nowMs: number): string {
  let z = fixedZones.get(tz);
  if (z === undefined) {
    const off = tzOffset(nowMs, tz);
    let fixed = true;
    for (let i = 1; i <= 26 && fixed; i++) fixed = tzOffset(nowMs + i * 30 * 86_400_000, tz) === off;
    if (fixed && off % 60_000 === 0) {
      const mins = Math.abs(off) / 60_000;
      z = off === 0 ? 'UTC' : `UTC${off < 0 ? '-' : '+'}${Math.floor(mins / 60)}${mins % 60 ? ':' + String(mins % 60).padStart(2, '0') : ''}`;
    } else z = tz;
    fixedZones.set(tz, z);
  }
  return z;
}

interface UpcomingEntry {
  list: string[];
  computedAt: number;
  firstMs: number;
}

const upcomingCache = new Map<string, UpcomingEntry>();

/**
 * The next 5 fire times strictly after `nowMs` (UTC ISO, whole seconds). The returned array
 * is shared and must not be mutated; its identity changes exactly when the value changes,
 * so callers can use it to invalidate caches.
 */
export function upcomingRuns(expr: string, tz: string, nowMs: number): string[] {
  const key = expr + '\u0000' + tz;
  const hit = upcomingCache.get(key);
  if (hit && nowMs >= hit.computedAt && nowMs < hit.firstMs) return hit.list;
  const it = CronExpressionParser.parse(expr, { tz: fastZone(tz, nowMs), currentDate: new Date(nowMs) });
  const times = it.take(5).map((d) => d.getTime());
  const list = times.map(isoSeconds);
  if (hit && hit.list.length === list.length && hit.list.every((v, i) => v === list[i])) {
    hit.computedAt = Math.min(hit.computedAt, nowMs);
    return hit.list;
  }
  upcomingCache.set(key, { list, computedAt: nowMs, firstMs: times[0] ?? Number.POSITIVE_INFINITY });
  return list;
}

// ---------------------------------------------------------------------------------------
// Past fire times for seeding. cron-parser needs ~1–3 ms per step in a time zone (luxon
// offset lookups), far too slow to seed 50k deployments, so the seed uses this small
// evaluator of the same 5-field syntax (POSIX day-of-month/day-of-week OR rule). The
// contract tests cross-check it against cron-parser for every seeded expression/zone.

interface Parsed {
  minutes: number[]; // descending
  hours: number[]; // descending
  dom: boolean[];
  months: boolean[];
  dow: boolean[];
  domStar: boolean;
  dowStar: boolean;
}

const NAMES: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12, sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function field(src: string, min: number, max: number): boolean[] {
  const out = new Array<boolean>(max + 1).fill(false);
  const num = (t: string): number => (/^\d+$/.test(t) ? Number(t) : (NAMES[t.toLowerCase()] ?? NaN));
  for (const part of src.split(',')) {
    const [range = '*', stepS] = part.split('/');
    const step = stepS === undefined ? 1 : Number(stepS);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = num(a);
      hi = num(b);
    } else {
      lo = num(range);
      hi = stepS === undefined ? lo : max;
    }
    if (!(step > 0) || Number.isNaN(lo) || Number.isNaN(hi)) throw new Error(`bad cron field ${src}`);
    for (let v = lo; v <= hi; v += step) if (v >= min && v <= max) out[v] = true;
  }
  return out;
}

const parsedCache = new Map<string, Parsed>();

function parse(expr: string): Parsed {
  let p = parsedCache.get(expr);
  if (!p) {
    const [mi = '', ho = '', dm = '', mo = '', dw = ''] = expr.trim().split(/\s+/);
    const dowRaw = field(dw, 0, 7);
    if (dowRaw[7]) dowRaw[0] = true;
    const mins = field(mi, 0, 59);
    const hrs = field(ho, 0, 23);
    p = {
      minutes: mins.map((b, i) => (b ? i : -1)).filter((i) => i >= 0).reverse(),
      hours: hrs.map((b, i) => (b ? i : -1)).filter((i) => i >= 0).reverse(),
      dom: field(dm, 1, 31),
      months: field(mo, 1, 12),
      dow: dowRaw.slice(0, 7),
      domStar: dm === '*' || dm === '?',
      dowStar: dw === '*' || dw === '?',
    };
    parsedCache.set(expr, p);
  }
  return p;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

/** Offset (ms) of `tz` from UTC at instant `ms`, cached per 15-minute bucket. */
export function tzOffset(ms: number, tz: string): number {
  const key = tz + '|' + Math.floor(ms / 900_000);
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  const v: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') v[part.type] = Number(part.value);
  const wall = Date.UTC(v.year as number, (v.month as number) - 1, v.day, v.hour === 24 ? 0 : v.hour, v.minute, v.second);
  const off = wall - (ms - (ms % 1000));
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

function wallToUtc(wall: number, tz: string): number {
  const guess = wall - tzOffset(wall, tz);
  return wall - tzOffset(guess, tz);
}

/** The `n` most recent fire times at or before `beforeMs`, newest first (epoch ms). */
export function pastFires(expr: string, tz: string, beforeMs: number, n: number): number[] {
  const p = parse(expr);
  const out: number[] = [];
  const localNow = beforeMs + tzOffset(beforeMs, tz);
  const day0 = Math.floor(localNow / 86_400_000);
  for (let day = day0; day > day0 - 5000 && out.length < n; day--) {
    const d = new Date(day * 86_400_000);
    if (!p.months[d.getUTCMonth() + 1]) continue;
    const domOk = p.dom[d.getUTCDate()] as boolean;
    const dowOk = p.dow[d.getUTCDay()] as boolean;
    const dayOk = p.domStar || p.dowStar ? domOk && dowOk : domOk || dowOk;
    if (!dayOk) continue;
    for (const h of p.hours) {
      for (const m of p.minutes) {
        const t = wallToUtc(day * 86_400_000 + h * 3_600_000 + m * 60_000, tz);
        if (t > beforeMs) continue;
        out.push(t);
        if (out.length >= n) return out;
      }
    }
  }
  return out;
}

/** Reference implementation (cron-parser) of pastFires, for cross-checking. */
export function pastFiresReference(expr: string, tz: string, beforeMs: number, n: number): number[] {
  const it = CronExpressionParser.parse(expr, { tz, currentDate: new Date(beforeMs + 1) });
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(it.prev().getTime());
  return out;
}
