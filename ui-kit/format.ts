/** Dates, times and durations as a Vietnamese hall shows them (24-hour clock, dd/mm/yyyy). */
import type { Lang } from './i18n.js';

/** The hall's time zone unless the hall says otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsOf(date: Date, timeZone: string): Parts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(date)) out[p.type] = p.value;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(out.weekday ?? '');
  return {
    year: out.year ?? '',
    month: out.month ?? '',
    day: out.day ?? '',
    hour: out.hour ?? '',
    minute: out.minute ?? '',
    second: out.second ?? '',
    weekday: weekday < 0 ? 0 : weekday,
  };
}

const toDate = (d: Date | string | number) => (d instanceof Date ? d : new Date(d));

/** `14:05` (or `14:05:09` with seconds). */
export function formatTime(d: Date | string | number, opts: { seconds?: boolean; timeZone?: string } = {}): string {
  const p = partsOf(toDate(d), opts.timeZone ?? DEFAULT_TIME_ZONE);
  return opts.seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

/** `05/03/2025`. */
export function formatDate(d: Date | string | number, opts: { timeZone?: string } = {}): string {
  const p = partsOf(toDate(d), opts.timeZone ?? DEFAULT_TIME_ZONE);
  return `${p.day}/${p.month}/${p.year}`;
}

/** `Thứ Tư, 05/03/2025` (or `Wednesday, 05/03/2025`). */
export function formatLongDate(d: Date | string | number, l: Lang, opts: { timeZone?: string } = {}): string {
  const p = partsOf(toDate(d), opts.timeZone ?? DEFAULT_TIME_ZONE);
  const names = l === 'en' ? WEEKDAYS_EN : WEEKDAYS_VI;
  return `${names[p.weekday] ?? ''}, ${p.day}/${p.month}/${p.year}`;
}

/** Elapsed time as `mm:ss` (or `h:mm:ss` past an hour); negative spans count as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
