import { HALL_SETTING_DEFAULTS } from '../../protocol/setup.js';
/**
 * Working days: Monday–Friday, minus the hall's days off, plus weekend days worked in exchange (ngày làm bù).
 * Days are plain `YYYY-MM-DD` strings (a hall's calendar day), computed in UTC so no time zone can shift them.
 */

export interface Calendar {
  /** Days off (public holidays, compensatory days, swapped days). */
  holidays: ReadonlySet<string>;
  /** Weekend days worked in exchange for a swapped day off. */
  workdays: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

export function parseDay(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (formatDay(t) !== day) throw new Error(`not a calendar day: ${day}`);
  return t;
}

export const isValidDay = (day: string): boolean => {
  try {
    parseDay(day);
    return true;
  } catch {
    return false;
  }
};

export function formatDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export const addDays = (day: string, n: number): string => formatDay(parseDay(day) + n * DAY_MS);

export function isWorkingDay(day: string, cal: Calendar): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const wd = new Date(parseDay(day)).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/**
 * The due day of a dossier received on `start` with a limit of `n` working days: the n-th working day after
 * the day of receipt (the day of receipt is not counted). n = 0 means the same day.
 */
export function addWorkingDays(start: string, n: number, cal: Calendar): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a non-negative integer, got ${n}`);
  let t = parseDay(start);
  let left = n;
  while (left > 0) {
    t += DAY_MS;
    if (isWorkingDay(formatDay(t), cal)) left--;
  }
  return formatDay(t);
}

/** The next working day after `day`. */
export function nextWorkingDay(day: string, cal: Calendar): string {
  let d = addDays(day, 1);
  while (!isWorkingDay(d, cal)) d = addDays(d, 1);
  return d;
}

/** A moment of a hall's local time: its day and the minute of that day (0–1439). */
export interface LocalTime {
  day: string;
  minute: number;
}

/** Working hours of a day, in minutes from midnight: [start, end) intervals in order. */
export type WorkingHours = readonly (readonly [number, number])[];

export const toMinute = (hhmm: string): number => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not a HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};
export const formatMinute = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
/** `YYYY-MM-DD HH:MM` → LocalTime. */
export const parseLocal = (s: string): LocalTime => ({ day: s.slice(0, 10), minute: toMinute(s.slice(11, 16)) });

/** A hall's working hours: 07:30–11:30 and 13:00 until its closing time (8 hours with the default 17:00). */
export function workingHours(closingTime: string = DEFAULT_CLOSING_TIME): WorkingHours {
  const close = Math.max(toMinute(closingTime), 13 * 60 + 1);
  return [
    [7 * 60 + 30, 11 * 60 + 30],
    [13 * 60, close],
  ];
}

/**
 * The moment `minutes` working minutes after `start` (minutes counted only inside working hours of working days).
 * 0 gives `start` itself; an amount that ends exactly at the end of a working period ends there (e.g. 17:00).
 */
export function addWorkingMinutes(start: LocalTime, minutes: number, cal: Calendar, hours: WorkingHours): LocalTime {
  if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`working minutes must be a non-negative integer, got ${minutes}`);
  if (minutes === 0) return start;
  let day = start.day;
  let cur = start.minute;
  let left = minutes;
  for (let guard = 0; guard < 20 * 366; guard++) {
    if (isWorkingDay(day, cal)) {
      for (const [s, e] of hours) {
        if (e <= cur) continue;
        const from = Math.max(s, cur);
        if (left <= e - from) return { day, minute: from + left };
        left -= e - from;
        cur = e;
      }
    }
    day = addDays(day, 1);
    cur = 0;
  }
  throw new Error('working minutes beyond 20 years');
}

/** Working minutes from `a` to `b` (0 when b is not after a). */
export function workingMinutesBetween(a: LocalTime, b: LocalTime, cal: Calendar, hours: WorkingHours): number {
  if (b.day < a.day || (b.day === a.day && b.minute <= a.minute)) return 0;
  let total = 0;
  for (let day = a.day; day <= b.day; day = addDays(day, 1)) {
    if (!isWorkingDay(day, cal)) continue;
    const lo = day === a.day ? a.minute : 0;
    const hi = day === b.day ? b.minute : 24 * 60;
    for (const [s, e] of hours) total += Math.max(0, Math.min(e, hi) - Math.max(s, lo));
  }
  return total;
}

/** How far ahead of the day of receipt the calendar must be loaded to count `n` working days safely. */
export const calendarSpan = (n: number): number => n * 2 + 40;

export interface DefaultHoliday {
  day: string;
  name: string;
  kind: 'holiday' | 'workday';
  /** Not decided by the government yet (yearly swaps, the day beside 2/9): shown as provisional. */
  provisional?: boolean;
}

/**
 * Vietnam's public holidays for public servants (Bộ luật Lao động 2019, Điều 112), as decided for each year.
 *
 * 2026 (decided): Tết Dương lịch Thu 1/1 plus Fri 2/1 swapped with Sat 10/1 (VPCP 12729/VPCP-KGVX, 25/12/2025);
 * Tết Nguyên đán Bính Ngọ (mùng 1 = Tue 17/2) Mon 16/2–Fri 20/2; Giỗ Tổ 10/3 âm lịch = Sun 26/4, day off
 * Mon 27/4; Thu 30/4, Fri 1/5; Quốc khánh Tue 1/9, Wed 2/9, plus Mon 31/8 swapped with Sat 22/8; Ngày Văn hóa
 * Việt Nam Tue 24/11 (a paid public holiday from 2026: Nghị quyết 80-NQ/TW, then the National Assembly's resolution).
 *
 * 2027 (by the Labour Code's rule; the yearly swaps are not decided yet — admins adjust with /api/v1/holidays):
 * Tết Dương lịch Fri 1/1; Tết Nguyên đán Đinh Mùi (mùng 1 = Sat 6/2): 29 Tết Fri 5/2, mùng 3–4 Mon 8/2–Tue 9/2,
 * and Wed 10/2, Thu 11/2 in place of mùng 1–2 falling on the weekend; Giỗ Tổ Fri 16/4; Fri 30/4; 1/5 is a
 * Saturday, day off Mon 3/5; Quốc khánh Thu 2/9 and the adjacent Fri 3/9 (provisional, as the Tết days in lieu);
 * Ngày Văn hóa Việt Nam Wed 24/11.
 */
const VN_HOLIDAYS: Record<number, DefaultHoliday[]> = {
  2026: [
    { day: '2026-01-01', name: 'Tết Dương lịch', kind: 'holiday' },
    { day: '2026-01-02', name: 'Nghỉ Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)', kind: 'holiday' },
    { day: '2026-01-10', name: 'Làm bù cho ngày 02/01/2026', kind: 'workday' },
    { day: '2026-02-16', name: 'Tết Nguyên đán (29 tháng Chạp Ất Tỵ)', kind: 'holiday' },
    { day: '2026-02-17', name: 'Tết Nguyên đán (mùng 1 Tết Bính Ngọ)', kind: 'holiday' },
    { day: '2026-02-18', name: 'Tết Nguyên đán (mùng 2 Tết)', kind: 'holiday' },
    { day: '2026-02-19', name: 'Tết Nguyên đán (mùng 3 Tết)', kind: 'holiday' },
    { day: '2026-02-20', name: 'Tết Nguyên đán (mùng 4 Tết)', kind: 'holiday' },
    { day: '2026-04-26', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', kind: 'holiday' },
    { day: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương', kind: 'holiday' },
    { day: '2026-04-30', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước', kind: 'holiday' },
    { day: '2026-05-01', name: 'Ngày Quốc tế Lao động', kind: 'holiday' },
    { day: '2026-08-22', name: 'Làm bù cho ngày 31/08/2026', kind: 'workday' },
    { day: '2026-08-31', name: 'Nghỉ lễ Quốc khánh (hoán đổi, làm bù thứ Bảy 22/08/2026)', kind: 'holiday' },
    { day: '2026-09-01', name: 'Quốc khánh (ngày liền kề)', kind: 'holiday' },
    { day: '2026-09-02', name: 'Quốc khánh', kind: 'holiday' },
    { day: '2026-11-24', name: 'Ngày Văn hóa Việt Nam', kind: 'holiday' },
  ],
  2027: [
    { day: '2027-01-01', name: 'Tết Dương lịch', kind: 'holiday' },
    { day: '2027-02-05', name: 'Tết Nguyên đán (29 tháng Chạp Bính Ngọ)', kind: 'holiday' },
    { day: '2027-02-06', name: 'Tết Nguyên đán (mùng 1 Tết Đinh Mùi)', kind: 'holiday' },
    { day: '2027-02-07', name: 'Tết Nguyên đán (mùng 2 Tết)', kind: 'holiday' },
    { day: '2027-02-08', name: 'Tết Nguyên đán (mùng 3 Tết)', kind: 'holiday' },
    { day: '2027-02-09', name: 'Tết Nguyên đán (mùng 4 Tết)', kind: 'holiday' },
    { day: '2027-02-10', name: 'Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy)', kind: 'holiday', provisional: true },
    { day: '2027-02-11', name: 'Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật)', kind: 'holiday', provisional: true },
    { day: '2027-04-16', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', kind: 'holiday' },
    { day: '2027-04-30', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước', kind: 'holiday' },
    { day: '2027-05-01', name: 'Ngày Quốc tế Lao động', kind: 'holiday' },
    { day: '2027-05-03', name: 'Nghỉ bù Ngày Quốc tế Lao động (1/5 trùng thứ Bảy)', kind: 'holiday' },
    { day: '2027-09-02', name: 'Quốc khánh', kind: 'holiday' },
    { day: '2027-09-03', name: 'Quốc khánh (ngày liền kề)', kind: 'holiday', provisional: true },
    { day: '2027-11-24', name: 'Ngày Văn hóa Việt Nam', kind: 'holiday' },
  ],
};

/** The built-in calendar of a year, or [] when the hub does not know that year. */
export const vnHolidays = (year: number): DefaultHoliday[] => VN_HOLIDAYS[year] ?? [];
export const knownHolidayYears = (): number[] => Object.keys(VN_HOLIDAYS).map(Number);

/** The hall's closing time when it sets none: a due date falls on this time of the due day. */
export const DEFAULT_CLOSING_TIME = HALL_SETTING_DEFAULTS.closingTime;
