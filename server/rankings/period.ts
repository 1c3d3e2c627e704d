import type { Period } from '../../protocol/index.js';
import { badRequest } from '../errors.js';

/** An inclusive range of hall days, `YYYY-MM-DD`. */
export interface DayRange {
  period: Period | null;
  from: string;
  to: string;
}

/** The longest range a ranking or report may cover (about ten years). */
export const MAX_RANGE_DAYS = 3700;

const DAY_MS = 86_400_000;

/** Parses a `YYYY-MM-DD` calendar date strictly (no 2025-02-30); returns its UTC midnight in ms. */
export function parseDay(value: string, field: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || formatDay(ms) !== value) throw badRequest(`${field}: "${value}" không phải ngày hợp lệ (YYYY-MM-DD)`);
  return ms;
}

export const formatDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The day, week (Monday–Sunday), month, quarter or year that contains `day`. */
export function periodRange(period: Period, day: string): { from: string; to: string } {
  const ms = parseDay(day, 'date');
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  switch (period) {
    case 'day':
      return { from: day, to: day };
    case 'week': {
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      const start = ms - sinceMonday * DAY_MS;
      return { from: formatDay(start), to: formatDay(start + 6 * DAY_MS) };
    }
    case 'month':
      return { from: formatDay(Date.UTC(y, mo, 1)), to: formatDay(Date.UTC(y, mo + 1, 0)) };
    case 'quarter': {
      const q = Math.floor(mo / 3) * 3;
      return { from: formatDay(Date.UTC(y, q, 1)), to: formatDay(Date.UTC(y, q + 3, 0)) };
    }
    case 'year':
      return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
}

/**
 * What a rankings or reports query asks for: a `period` containing `date` (default: the hall's today,
 * default period: `defaultPeriod`), or an explicit inclusive `from`–`to`. Mixing both, half a range,
 * a reversed range or one longer than MAX_RANGE_DAYS is a 400.
 */
export function resolveRange(q: { period?: Period; date?: string; from?: string; to?: string }, today: string, defaultPeriod: Period): DayRange {
  const explicit = q.from !== undefined || q.to !== undefined;
  if (explicit) {
    if (q.period !== undefined || q.date !== undefined) throw badRequest('Dùng period (và date) hoặc from/to, không dùng cả hai / use period or from–to, not both');
    if (q.from === undefined || q.to === undefined) throw badRequest('Cần cả from và to / both from and to are required');
    const from = parseDay(q.from, 'from');
    const to = parseDay(q.to, 'to');
    if (from > to) throw badRequest('from phải trước hoặc bằng to / from must not be after to');
    if ((to - from) / DAY_MS + 1 > MAX_RANGE_DAYS) throw badRequest(`Khoảng thời gian dài quá ${MAX_RANGE_DAYS} ngày / range too long`);
    return { period: null, from: q.from, to: q.to };
  }
  const period = q.period ?? defaultPeriod;
  return { period, ...periodRange(period, q.date ?? today) };
}

/**
 * Splits an inclusive range of days into the whole calendar months it covers and the days left over at
 * either end, so a rollup can read months from the monthly table and only the edges day by day.
 * Empty parts are returned as `from > to` pairs (matching nothing in a BETWEEN).
 */
export function splitByMonths(from: string, to: string): { headDays: [string, string]; months: [string, string]; tailDays: [string, string] } {
  const a = parseDay(from, 'from');
  const b = parseDay(to, 'to');
  const da = new Date(a);
  const db = new Date(b);
  // first day of the first whole month, and the day after the last whole month
  const firstWhole = da.getUTCDate() === 1 ? a : Date.UTC(da.getUTCFullYear(), da.getUTCMonth() + 1, 1);
  const afterLastWhole = new Date(b + DAY_MS).getUTCDate() === 1 ? b + DAY_MS : Date.UTC(db.getUTCFullYear(), db.getUTCMonth(), 1);
  const none: [string, string] = ['9999-12-31', '0001-01-01'];
  if (firstWhole >= afterLastWhole) return { headDays: [from, to], months: none, tailDays: none };
  const lastWholeMonth = new Date(afterLastWhole - DAY_MS);
  return {
    headDays: firstWhole > a ? [from, formatDay(firstWhole - DAY_MS)] : none,
    months: [formatDay(firstWhole), formatDay(Date.UTC(lastWholeMonth.getUTCFullYear(), lastWholeMonth.getUTCMonth(), 1))],
    tailDays: afterLastWhole <= b ? [formatDay(afterLastWhole), to] : none,
  };
}
