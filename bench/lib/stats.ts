/**
 * The bench's statistics, shared by every part: percentiles (nearest rank), the rule for which percentile a
 * sample count can carry, the spread of a figure over rounds (median with min–max), and per-round ratios.
 * Unit-tested in tests/unit/bench-stats.test.ts.
 */

export interface Summary {
  n: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Fewest samples a percentile is taken from: a p99 from fewer is one or two samples, not a tail. */
export const MIN_SAMPLES = { p99: 1000, p90: 100, p50: 100 } as const;

/** Nearest-rank percentile of `values` (need not be sorted); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return atRank(sorted, p);
}

function atRank(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median as the nearest-rank p50 of the values (for an even count, the lower middle value). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarize(values: readonly number[]): Summary {
  if (!values.length) return { n: 0, min: Number.NaN, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: round(sorted[0]!),
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
    p50: round(atRank(sorted, 50)),
    p90: round(atRank(sorted, 90)),
    p99: round(atRank(sorted, 99)),
    max: round(sorted[sorted.length - 1]!),
  };
}

/** A tail percentile as far as the sample count allows it. */
export interface Tail {
  /** 99 when there are at least MIN_SAMPLES.p99 values, 90 when at least MIN_SAMPLES.p90, else null (no tail figure). */
  p: 99 | 90 | null;
  value: number;
  n: number;
  /** Why a lower percentile (or none) was reported; null for a p99. */
  reason: string | null;
}

/**
 * The p99 of `values` when there are enough of them (1,000), else the p90 (from 100) with the reason, else
 * nothing (value NaN) with the reason. Bench tables print it as "p99 12.3" or "p90 12.3 (only 300 samples…)".
 */
export function tail(values: readonly number[]): Tail {
  const n = values.length;
  if (n >= MIN_SAMPLES.p99) return { p: 99, value: round(percentile(values, 99)), n, reason: null };
  if (n >= MIN_SAMPLES.p90) return { p: 90, value: round(percentile(values, 90)), n, reason: `${n} samples: a p99 needs ${MIN_SAMPLES.p99}` };
  return { p: null, value: Number.NaN, n, reason: `${n} samples: a p90 needs ${MIN_SAMPLES.p90}` };
}

/** The p50 of `values`, or NaN with a reason when there are fewer than MIN_SAMPLES.p50. */
export function middle(values: readonly number[]): { value: number; n: number; reason: string | null } {
  const n = values.length;
  if (n >= MIN_SAMPLES.p50) return { value: round(median(values)), n, reason: null };
  return { value: Number.NaN, n, reason: `${n} samples: a p50 needs ${MIN_SAMPLES.p50}` };
}

export const tailLabel = (t: Tail): string => (t.p === null ? `— (${t.reason})` : `p${t.p} ${t.value}${t.reason ? ` (${t.reason})` : ''}`);

/** One figure over the rounds of a part: the median decides, min–max shows how far the rounds are apart. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Rounds the figure was measured in (finite values only). */
  rounds: number;
  /** Every round's value, in round order. */
  values: number[];
}

/** The spread of the finite values (one per round); NaN median for none. */
export function spread(values: readonly number[], digits = 3): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, rounds: 0, values: [] };
  return {
    median: round(medianOfRounds(finite), digits),
    min: round(Math.min(...finite), digits),
    max: round(Math.max(...finite), digits),
    rounds: finite.length,
    values: finite.map((v) => round(v, digits)),
  };
}

/**
 * The median of per-round figures: the middle value for an odd count, the mean of the two middle values for an
 * even count (rounds are few, so the lower middle value alone would lean on one round).
 */
export function medianOfRounds(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Per-round ratio `a[i] / b[i]` (rounds where either is missing or b is 0 are left out), as a spread. */
export function ratioSpread(a: readonly number[], b: readonly number[], digits = 3): Spread {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isFinite(x) && Number.isFinite(y) && y !== 0) ratios.push(x / y);
  }
  return spread(ratios, digits);
}

/** "1.06× (0.98–1.12 over 3 rounds)" */
export const spreadLabel = (s: Spread, unit = '×'): string =>
  s.rounds ? `${s.median}${unit} (${s.rounds > 1 ? `${s.min}–${s.max} over ${s.rounds} rounds` : '1 round only'})` : 'not measured';

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Wall clock with sub-millisecond resolution, comparable across processes of one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
