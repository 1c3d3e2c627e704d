import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, knownHolidayYears, vnHolidays, type Calendar } from '../../server/dossiers/workdays.js';
import { formatDossierCode, maskName } from '../../server/dossiers/format.js';
import { backoffMs } from '../../server/dossiers/outbox.worker.js';
import { DOSSIER_STATUSES, DOSSIER_TRANSITIONS, canTransition, isDossierCode, type DossierStatus } from '../../protocol/index.js';

const vn: Calendar = (() => {
  const all = knownHolidayYears().flatMap(vnHolidays);
  return { holidays: new Set(all.filter((h) => h.kind === 'holiday').map((h) => h.day)), workdays: new Set(all.filter((h) => h.kind === 'workday').map((h) => h.day)) };
})();
const none: Calendar = { holidays: new Set(), workdays: new Set() };
const weekday = (day: string) => ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'][new Date(`${day}T00:00:00Z`).getUTCDay()];

describe('working days', () => {
  it('skips weekends and does not count the day of receipt', () => {
    expect(addWorkingDays('2026-11-20', 1, none)).toBe('2026-11-23'); // Fri → Mon
    expect(addWorkingDays('2026-11-22', 1, none)).toBe('2026-11-23'); // received on a Sunday
    expect(addWorkingDays('2026-11-23', 5, none)).toBe('2026-11-30'); // Mon + 5 → next Mon
    expect(addWorkingDays('2026-11-21', 0, none)).toBe('2026-11-21'); // same-day procedure
    expect(addWorkingDays('2026-11-23', 15, none)).toBe('2026-12-14');
  });

  it('crosses year ends, leap days and New Year holidays', () => {
    expect(addWorkingDays('2027-12-31', 1, none)).toBe('2028-01-03');
    expect(addWorkingDays('2028-02-28', 1, none)).toBe('2028-02-29');
    // 31/12/2026 (Thu) counts, 1/1/2027 is Tết Dương lịch, then the weekend.
    expect(addWorkingDays('2026-12-30', 3, vn)).toBe('2027-01-05');
    expect(addWorkingDays('2026-12-31', 1, vn)).toBe('2027-01-04');
  });

  it('skips the 2026 holidays and counts the swapped Saturdays (ngày làm bù)', () => {
    expect(addWorkingDays('2026-01-01', 1, vn)).toBe('2026-01-05'); // 2/1 swapped off, weekend
    expect(addWorkingDays('2026-01-09', 1, vn)).toBe('2026-01-10'); // Saturday 10/1 is worked
    expect(addWorkingDays('2026-02-13', 1, vn)).toBe('2026-02-23'); // Tết Bính Ngọ 16–20/2
    expect(addWorkingDays('2026-02-13', 3, vn)).toBe('2026-02-25');
    expect(addWorkingDays('2026-04-24', 1, vn)).toBe('2026-04-28'); // Giỗ Tổ on Sunday 26/4, off Monday 27/4
    expect(addWorkingDays('2026-04-28', 3, vn)).toBe('2026-05-05'); // 30/4 and 1/5
    expect(addWorkingDays('2026-08-21', 1, vn)).toBe('2026-08-22'); // Saturday 22/8 is worked
    expect(addWorkingDays('2026-08-28', 1, vn)).toBe('2026-09-03'); // 31/8 swapped, 1–2/9 Quốc khánh
  });

  it('skips the 2027 holidays', () => {
    expect(addWorkingDays('2027-02-04', 1, vn)).toBe('2027-02-12'); // Tết Đinh Mùi 5–11/2
    expect(addWorkingDays('2027-04-15', 1, vn)).toBe('2027-04-19'); // Giỗ Tổ Friday 16/4
    expect(addWorkingDays('2027-04-29', 1, vn)).toBe('2027-05-04'); // 30/4, weekend, 3/5 in place of 1/5
    expect(addWorkingDays('2027-09-01', 1, vn)).toBe('2027-09-06'); // 2–3/9
  });

  it('has a calendar whose dates fall on the weekdays their names say', () => {
    expect(weekday('2026-02-17')).toBe('T3'); // mùng 1 Tết Bính Ngọ
    expect(weekday('2026-04-26')).toBe('CN'); // Giỗ Tổ 2026
    expect(weekday('2027-02-06')).toBe('T7'); // mùng 1 Tết Đinh Mùi
    expect(weekday('2027-05-01')).toBe('T7');
    for (const h of knownHolidayYears().flatMap(vnHolidays)) {
      if (h.kind === 'workday') expect(weekday(h.day)).toBe('T7');
      expect(isWorkingDay(h.day, vn)).toBe(h.kind === 'workday');
    }
    // The Labour Code's 11 days a year, each year: 1/1, five Tết days, Giỗ Tổ, 30/4, 1/5, 2/9 and its neighbour.
    for (const year of [2026, 2027]) {
      const names = vnHolidays(year).filter((h) => h.kind === 'holiday').map((h) => h.name);
      expect(names.filter((n) => n.startsWith('Tết Nguyên đán')).length).toBeGreaterThanOrEqual(5);
      expect(names.some((n) => n.startsWith('Giỗ Tổ Hùng Vương'))).toBe(true);
      expect(vnHolidays(year).map((h) => h.day)).toEqual(expect.arrayContaining([`${year}-01-01`, `${year}-04-30`, `${year}-05-01`, `${year}-09-02`]));
    }
  });

  it('refuses a negative count and impossible days', () => {
    expect(() => addWorkingDays('2026-11-20', -1, none)).toThrow();
    expect(() => addWorkingDays('2026-02-30', 1, none)).toThrow();
  });
});

describe('dossier codes and masking', () => {
  it('formats codes as <agency>-YYMMDD-XXXX', () => {
    expect(formatDossierCode('000.00.12.H40', '2022-10-12', 1)).toBe('000.00.12.H40-221012-0001');
    expect(formatDossierCode('000.00.12.h40', '2026-11-22', 50)).toBe('000.00.12.H40-261122-0050');
    expect(formatDossierCode('000.00.12.H40', '2026-11-22', 12345)).toBe('000.00.12.H40-261122-12345');
    expect(isDossierCode('000.00.12.H40-221012-0001')).toBe(true);
    for (const bad of ['', 'abc', '000.00.12.H40-221012-01', '000.00.12.H40-2210-0001', '000..12-221012-0001', "1' OR 1=1--", '000.00.12.H40-221012-0001 ']) {
      expect(isDossierCode(bad)).toBe(false);
    }
  });

  it('masks every word but the family name, one star per letter', () => {
    expect(maskName('Nguyễn Văn An')).toBe('Nguyễn V** A*');
    expect(maskName('Trần Thị Thu Hà')).toBe('Trần T** T** H*');
    expect(maskName('  Lê   Minh  ')).toBe('Lê M***');
    expect(maskName('Hòa')).toBe('H**');
    expect(maskName('Nguye\u0302\u0303n Va\u0306n')).toBe('Nguyễn V**'); // decomposed input counts letters, not code points
    expect(maskName('')).toBe('');
  });
});

describe('status machine', () => {
  it('allows the one-stop flow and refuses moves out of order', () => {
    const flow: DossierStatus[] = ['received', 'processing', 'supplement_required', 'processing', 'payment_required', 'processing', 'result_ready', 'returned'];
    for (let i = 1; i < flow.length; i++) expect(canTransition(flow[i - 1]!, flow[i]!)).toBe(true);
    expect(canTransition('received', 'returned')).toBe(false);
    expect(canTransition('processing', 'rejected')).toBe(false);
    expect(canTransition('result_ready', 'processing')).toBe(false);
    expect(canTransition('processing', 'processing')).toBe(false);
    for (const final of ['rejected', 'withdrawn', 'suspended', 'returned'] as const) {
      expect(DOSSIER_TRANSITIONS[final]).toEqual([]);
      for (const s of DOSSIER_STATUSES) expect(canTransition(final, s)).toBe(false);
    }
  });

  it('reaches every status from received', () => {
    const seen = new Set<DossierStatus>(['received']);
    const queue: DossierStatus[] = ['received'];
    while (queue.length) for (const next of DOSSIER_TRANSITIONS[queue.shift()!]) if (!seen.has(next)) (seen.add(next), queue.push(next));
    expect([...seen].sort()).toEqual([...DOSSIER_STATUSES].sort());
  });
});

describe('outbox backoff', () => {
  it('doubles from the base up to the cap', () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, 100, 1000, half))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffMs(1, 100, 1000, () => 0)).toBe(80);
    expect(backoffMs(1, 100, 1000, () => 1)).toBe(120);
    expect(backoffMs(500, 100, 1000, half)).toBe(1000);
  });
});
