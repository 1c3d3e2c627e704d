import { badRequest } from '../errors.js';
import { PERIOD_PATTERN } from '../../protocol/figures.js';

/** A report period: its label as asked (`2026-Q4`, or `from..to`) and its first and last hall day. */
export interface ReportPeriod {
  label: string;
  from: string;
  to: string;
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);

function strictDay(value: string, name: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m || iso(Number(m[1]), Number(m[2]) - 1, Number(m[3])) !== value) {
    throw badRequest(`${name}: "${value}" không phải ngày hợp lệ (YYYY-MM-DD) / not a valid day`, 'bad_period');
  }
  return value;
}

/**
 * `2026` · `2026-H1|H2` · `2026-Q1…Q4` · `2026-01…12`, or `from`/`to` days; with neither, the month of `today`.
 * A period that does not exist (2026-13, 2026-Q5), half a range or from after to is a 400.
 */
export function parsePeriod(q: { period?: string; from?: string; to?: string }, today: string): ReportPeriod {
  if (q.from !== undefined || q.to !== undefined) {
    if (q.period !== undefined) throw badRequest('Dùng period hoặc from/to, không dùng cả hai / use period or from–to, not both', 'bad_period');
    if (q.from === undefined || q.to === undefined) throw badRequest('Cần cả from và to / both from and to are required', 'bad_period');
    const from = strictDay(q.from, 'from');
    const to = strictDay(q.to, 'to');
    if (from > to) throw badRequest(`from (${from}) sau to (${to}) / from is after to`, 'bad_period');
    if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 10) throw badRequest('Khoảng thời gian dài quá 10 năm / range too long', 'bad_period');
    return { label: `${from}..${to}`, from, to };
  }
  const period = q.period ?? today.slice(0, 7);
  if (!new RegExp(PERIOD_PATTERN).test(period)) {
    throw badRequest(`period: "${period}" không phải kỳ báo cáo (2026, 2026-H2, 2026-Q4, 2026-11) / not a report period`, 'bad_period');
  }
  const y = Number(period.slice(0, 4));
  if (y < 2000 || y > 2100) throw badRequest(`period: năm ${y} ngoài 2000–2100 / year out of range`, 'bad_period');
  const rest = period.slice(5);
  let m0 = 0;
  let months = 12;
  if (rest.startsWith('H')) [m0, months] = [(Number(rest[1]) - 1) * 6, 6];
  else if (rest.startsWith('Q')) [m0, months] = [(Number(rest[1]) - 1) * 3, 3];
  else if (rest !== '') [m0, months] = [Number(rest) - 1, 1];
  return { label: period, from: iso(y, m0, 1), to: iso(y, m0 + months, 0) };
}
