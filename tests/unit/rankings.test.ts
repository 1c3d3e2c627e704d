import { describe, expect, it } from 'vitest';
import { bayesianScore, rankTallies, sumTallies, type Tally } from '../../server/rankings/ranking.js';
import { periodRange, resolveRange, splitByMonths } from '../../server/rankings/period.js';
import { toCsv } from '../../server/rankings/csv.js';
import { HubError } from '../../server/errors.js';

/** A tally from its level counts: [n1, n2, n3, n4]. */
function tally(id: number, name: string, [n1, n2, n3, n4]: [number, number, number, number], served = 0): Tally {
  return { id, name, title: null, served, ratings: n1 + n2 + n3 + n4, levelSum: n1 + 2 * n2 + 3 * n3 + 4 * n4, levels: { 1: n1, 2: n2, 3: n3, 4: n4 } };
}

describe('Bayesian score', () => {
  it('is (m·C + Σ) / (m + n)', () => {
    // 3 ratings of 4 with prior C = 3, m = 10: (30 + 12) / 13
    expect(bayesianScore(12, 3, { priorMean: 3, priorWeight: 10 })).toBeCloseTo(42 / 13, 12);
    // no ratings: exactly the prior
    expect(bayesianScore(0, 0, { priorMean: 2.75, priorWeight: 10 })).toBe(2.75);
    // many ratings: close to the plain mean
    expect(bayesianScore(4 * 10_000, 10_000, { priorMean: 1, priorWeight: 10 })).toBeCloseTo(4, 2);
  });

  it('ranks a few perfect ratings below many good ones', () => {
    const few = tally(1, 'Ít lượt', [0, 0, 0, 3]); // mean 4.0, 3 ratings
    const many = tally(2, 'Nhiều lượt', [0, 0, 40, 160]); // mean 3.8, 200 ratings
    const items = rankTallies([few, many], { priorMean: 3, priorWeight: 10, minRatings: 1 });
    expect(items.map((i) => i.id)).toEqual([2, 1]);
    expect(items[0]!.score).toBeCloseTo((30 + 760) / 210, 4);
    expect(items[1]!.score).toBeCloseTo((30 + 12) / 13, 4);
    expect(items[0]!.mean).toBe(3.8);
    expect(items[1]!.mean).toBe(4);
  });
});

describe('rankTallies', () => {
  const rules = { priorMean: 3, priorWeight: 10, minRatings: 5 };

  it('lists items below the minimum count after the ranked ones, with rank null', () => {
    const items = rankTallies(
      [tally(1, 'A', [0, 0, 0, 4]), tally(2, 'B', [5, 0, 0, 0]), tally(3, 'C', [0, 0, 5, 0]), tally(4, 'D', [0, 0, 0, 0], 7)],
      rules,
    );
    expect(items.map((i) => [i.id, i.rank])).toEqual([
      [3, 1],
      [2, 2],
      [1, null],
      [4, null],
    ]);
    // an unrated item has no score, and its rated share is 0 of 7 served
    expect(items[3]!.score).toBeNull();
    expect(items[3]!.mean).toBeNull();
    expect(items[3]!.ratedShare).toBe(0);
  });

  it('breaks equal scores by number of ratings, more first', () => {
    // with C = 3 every item whose ratings all equal 3 scores exactly 3, whatever its count
    const items = rankTallies([tally(1, 'Ít', [0, 0, 6, 0]), tally(2, 'Nhiều', [0, 0, 20, 0]), tally(3, 'Vừa', [0, 0, 10, 0])], rules);
    expect(items.map((i) => i.id)).toEqual([2, 3, 1]);
    expect(items.map((i) => i.rank)).toEqual([1, 2, 3]);
    expect(new Set(items.map((i) => i.score))).toEqual(new Set([3]));
  });

  it('gives equal score and equal count the same rank (1, 2, 2, 4)', () => {
    const items = rankTallies(
      [tally(1, 'An', [0, 0, 5, 5]), tally(2, 'Bình', [0, 0, 5, 5]), tally(3, 'Cường', [0, 0, 0, 10]), tally(4, 'Dũng', [10, 0, 0, 0])],
      rules,
    );
    expect(items.map((i) => [i.id, i.rank])).toEqual([
      [3, 1],
      [1, 2],
      [2, 2],
      [4, 4],
    ]);
  });

  it('treats scores equal up to floating-point noise as ties, broken by count', () => {
    // C = 31/11, m = 10: 8 ratings summing to 16 and 19 ratings summing to 43 both score exactly 27/11,
    // but the floating-point results differ in the last bit (the 8-rating one comes out larger).
    const r = { priorMean: 31 / 11, priorWeight: 10, minRatings: 1 };
    const eight = tally(1, 'A', [0, 8, 0, 0]);
    const nineteen = tally(2, 'B', [0, 14, 5, 0]);
    expect(bayesianScore(eight.levelSum, eight.ratings, r)).toBeGreaterThan(bayesianScore(nineteen.levelSum, nineteen.ratings, r));
    const items = rankTallies([eight, nineteen], r);
    expect(items.map((i) => [i.id, i.rank])).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('reports satisfied share (3 and 4) and rated share of served tickets', () => {
    const [item] = rankTallies([tally(9, 'X', [1, 1, 2, 6], 20)], { ...rules, minRatings: 1 });
    expect(item!.satisfiedShare).toBe(0.8);
    expect(item!.ratedShare).toBe(0.5);
    expect(item!.levels).toEqual({ 1: 1, 2: 1, 3: 2, 4: 6 });
  });

  it('sums tallies for the prior mean', () => {
    const s = sumTallies([tally(1, 'A', [1, 0, 0, 1], 4), tally(2, 'B', [0, 0, 2, 0], 4)]);
    expect(s.ratings).toBe(4);
    expect(s.mean).toBe((1 + 4 + 6) / 4);
    expect(s.ratedShare).toBe(0.5);
    expect(sumTallies([]).mean).toBeNull();
  });
});

describe('periods', () => {
  it('computes the day, week (Monday first), month, quarter and year around a date', () => {
    expect(periodRange('day', '2025-03-05')).toEqual({ from: '2025-03-05', to: '2025-03-05' });
    expect(periodRange('week', '2025-03-05')).toEqual({ from: '2025-03-03', to: '2025-03-09' }); // Wednesday
    expect(periodRange('week', '2025-03-09')).toEqual({ from: '2025-03-03', to: '2025-03-09' }); // Sunday
    expect(periodRange('week', '2024-12-31')).toEqual({ from: '2024-12-30', to: '2025-01-05' });
    expect(periodRange('month', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange('quarter', '2025-11-20')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periodRange('year', '2025-06-01')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('takes an explicit range, or a period around today, and refuses bad combinations with 400', () => {
    expect(resolveRange({ from: '2025-01-01', to: '2025-01-31' }, '2025-06-01', 'month')).toEqual({ period: null, from: '2025-01-01', to: '2025-01-31' });
    expect(resolveRange({}, '2025-06-18', 'month')).toEqual({ period: 'month', from: '2025-06-01', to: '2025-06-30' });
    expect(resolveRange({ period: 'year', date: '2023-04-04' }, '2025-06-18', 'month')).toEqual({ period: 'year', from: '2023-01-01', to: '2023-12-31' });
    const bad = [
      { from: '2025-01-01' },
      { from: '2025-02-01', to: '2025-01-01' },
      { from: '2025-02-30', to: '2025-03-01' },
      { period: 'day' as const, from: '2025-01-01', to: '2025-01-02' },
      { from: '2000-01-01', to: '2025-01-01' },
      { period: 'week' as const, date: '2025-13-01' },
    ];
    for (const q of bad) {
      let error: unknown = null;
      try {
        resolveRange(q, '2025-06-18', 'month');
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(q)).toBeInstanceOf(HubError);
      expect((error as HubError).statusCode).toBe(400);
    }
  });
});

describe('splitByMonths', () => {
  const none = ['9999-12-31', '0001-01-01'];
  it('reads whole months from the monthly rollup and only the edges day by day', () => {
    expect(splitByMonths('2025-01-01', '2025-12-31')).toEqual({ headDays: none, months: ['2025-01-01', '2025-12-01'], tailDays: none });
    expect(splitByMonths('2024-11-20', '2025-03-05')).toEqual({
      headDays: ['2024-11-20', '2024-11-30'],
      months: ['2024-12-01', '2025-02-01'],
      tailDays: ['2025-03-01', '2025-03-05'],
    });
    expect(splitByMonths('2024-02-01', '2024-02-29')).toEqual({ headDays: none, months: ['2024-02-01', '2024-02-01'], tailDays: none });
    expect(splitByMonths('2024-02-02', '2024-03-31')).toEqual({ headDays: ['2024-02-02', '2024-02-29'], months: ['2024-03-01', '2024-03-01'], tailDays: none });
  });
  it('keeps ranges without a whole month on the daily rollup', () => {
    expect(splitByMonths('2025-03-03', '2025-03-09')).toEqual({ headDays: ['2025-03-03', '2025-03-09'], months: none, tailDays: none });
    expect(splitByMonths('2025-01-15', '2025-02-14')).toEqual({ headDays: ['2025-01-15', '2025-02-14'], months: none, tailDays: none });
    expect(splitByMonths('2025-06-01', '2025-06-01')).toEqual({ headDays: ['2025-06-01', '2025-06-01'], months: none, tailDays: none });
  });
});

describe('csv', () => {
  it('starts with a BOM, quotes what needs quoting and defuses formulas', () => {
    const csv = toCsv(['Tên', 'Điểm'], [['Nguyễn Thị "Lan", quầy 1', 3.5], ['=HYPERLINK("x")', null]]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\r\n')).toEqual(['Tên,Điểm', '"Nguyễn Thị ""Lan"", quầy 1",3.5', `"'=HYPERLINK(""x"")",`, '']);
  });
});
