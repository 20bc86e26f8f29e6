// Schedules in Chinese as people write them ("每周日 22:00", "周一至周五 09:00", "每 30 分钟")
// instead of cronstrue's zh_CN word-for-word wording ("在22:00, 仅星期日"). The common shapes are
// written here; anything else keeps cronstrue's wording with full-width punctuation.
// Pure: no vscode, no l10n (this is the zh-CN wording itself).

const DAYS = ['日', '一', '二', '三', '四', '五', '六', '日'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTHS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
const MONTH_NAMES = ['', 'JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** A field as plain numbers: a list of single values and ranges (a-b); undefined for `*` or steps. */
type Part = { from: number; to: number };

function parts(field: string, names: string[] = []): Part[] | undefined {
  if (field === '*' || field.includes('/')) return undefined;
  const value = (s: string): number => {
    const named = s ? names.indexOf(s.toUpperCase()) : -1;
    return named >= 0 ? named : /^\d+$/.test(s) ? Number(s) : NaN;
  };
  const out: Part[] = [];
  for (const item of field.split(',')) {
    const [a, b] = item.split('-');
    const from = value(a ?? '');
    const to = b === undefined ? from : value(b);
    if (Number.isNaN(from) || Number.isNaN(to) || to < from) return undefined;
    out.push({ from, to });
  }
  return out;
}

const single = (p: Part[] | undefined): number | undefined => (p?.length === 1 && p[0]!.from === p[0]!.to ? p[0]!.from : undefined);
const two = (n: number): string => String(n).padStart(2, '0');
const list = (items: string[]): string => (items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join('、')}和${items[items.length - 1]}`);
/** "周一至周五", "周六和周日": ranges with 至, the rest joined with 、 and 和. */
const spans = (p: Part[], word: (n: number) => string): string => list(p.map((x) => (x.from === x.to ? word(x.from) : `${word(x.from)}至${word(x.to)}`)));
const step = (field: string): number | undefined => {
  const m = /^(?:\*|0)\/(\d+)$/.exec(field);
  return m ? Number(m[1]) : undefined;
};

/** The days part: "每天", "每周日", "周一至周五", "每月 1 日", "每年一月 1 日"; undefined when not a simple shape. */
function daysText(dom: string, month: string, dow: string): string | undefined {
  const days = parts(dom);
  const months = parts(month, MONTH_NAMES);
  const weekdays = parts(dow, DAY_NAMES);
  if ((dom !== '*' && !days) || (month !== '*' && !months) || (dow !== '*' && !weekdays)) return undefined;
  if (days && weekdays) return undefined; // cron's "either day" rule: cronstrue words it
  const monthWord = months ? `${spans(months, (n) => `${MONTHS[n] ?? n}月`)}` : '';
  if (days) return `${months ? `每年${monthWord}` : '每月'} ${spans(days, (n) => `${n} 日`).replace(/和(\d)/g, '和 $1')}`;
  if (weekdays) {
    const weekWord = spans(weekdays, (n) => `周${DAYS[n] ?? n}`);
    const every = weekdays.length === 1 && weekdays[0]!.from === weekdays[0]!.to ? `每${weekWord}` : weekWord;
    return months ? `${monthWord}的${every}` : every;
  }
  return months ? `${monthWord}每天` : '每天';
}

/** The expression in natural Chinese, or undefined when it is not one of the shapes written here. */
export function zhCronWords(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const days = daysText(dom, month, dow);
  if (days === undefined) return undefined;
  const daily = days === '每天';
  const m = single(parts(minute));
  const hours = parts(hour);
  // fixed times: "每天 09:00", "每周日 22:00", "每天 09:00 和 17:00"
  if (m !== undefined && hours && hours.every((h) => h.from === h.to) && hours.length <= 4) {
    return `${days} ${list(hours.map((h) => `${two(h.from)}:${two(m)}`)).replace(/和/g, ' 和 ')}`;
  }
  const prefix = daily ? '' : `${days}，`;
  // every hour (or every n hours) at a minute
  if (m !== undefined && (hour === '*' || step(hour) !== undefined)) {
    const n = hour === '*' ? 1 : (step(hour) as number);
    const every = n === 1 ? '每小时' : `每 ${n} 小时`;
    return `${prefix}${every}${m === 0 ? '整点' : `的第 ${m} 分钟`}`;
  }
  // every n minutes (or every minute), all day or within hours a-b
  const n = minute === '*' ? 1 : step(minute);
  if (n !== undefined) {
    const every = n === 1 ? '每分钟' : `每 ${n} 分钟`;
    if (hour === '*') return `${prefix}${every}`;
    const h = hours?.length === 1 ? hours[0] : undefined;
    if (h) return `${prefix}${two(h.from)}:00 至 ${two(h.to)}:59 之间${every}`;
  }
  return undefined;
}

/** cronstrue's zh_CN wording with full-width punctuation and without its doubled spaces. */
export function zhPunctuation(text: string): string {
  return text
    .replace(/\s*,\s*/g, '，')
    .replace(/\s*;\s*/g, '；')
    .replace(/\s*\(\s*/g, '（')
    .replace(/\s*\)\s*/g, '）')
    .replace(/ {2,}/g, ' ')
    .trim();
}
