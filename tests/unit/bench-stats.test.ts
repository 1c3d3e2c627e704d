import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MIN_SAMPLES,
  median,
  medianOfRounds,
  middle,
  percentile,
  ratioSpread,
  spread,
  spreadLabel,
  summarize,
  tail,
  tailLabel,
} from '../../bench/lib/stats.js';
import { apart, appendHistory, cell, compareTable, historyEntry, historyLine, parseHistory, readHistory, type HistoryEntry } from '../../bench/lib/history.js';
import { roundTarget } from '../../bench/lib/report.js';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);
/** 1..n in a scrambled order, so no function may rely on sorted input. */
const shuffled = (n: number) => range(n).sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));

describe('bench percentiles', () => {
  it('takes the nearest rank of unsorted values', () => {
    const xs = shuffled(1000);
    expect(percentile(xs, 50)).toBe(500);
    expect(percentile(xs, 90)).toBe(900);
    expect(percentile(xs, 99)).toBe(990);
    expect(percentile(xs, 100)).toBe(1000);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it('does not reorder the caller’s array', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    summarize(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('summarizes with n, min, mean, p50, p90, p99, max', () => {
    expect(summarize(shuffled(200))).toEqual({ n: 200, min: 1, mean: 100.5, p50: 100, p90: 180, p99: 198, max: 200 });
    expect(summarize([]).n).toBe(0);
    expect(summarize([]).p99).toBeNaN();
  });

  it('the median of samples is the nearest-rank p50; the median of rounds averages the two middle rounds', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(medianOfRounds([5, 1, 3])).toBe(3);
    expect(medianOfRounds([4, 1, 3, 2])).toBe(2.5);
    expect(medianOfRounds([])).toBeNaN();
  });
});

describe('which percentile a sample count carries', () => {
  it('gives a p99 from 1,000 samples', () => {
    const t = tail(shuffled(MIN_SAMPLES.p99));
    expect(t).toEqual({ p: 99, value: 990, n: 1000, reason: null });
    expect(tailLabel(t)).toBe('p99 990');
  });

  it('falls back to the p90, with the reason, below 1,000', () => {
    const t = tail(shuffled(999));
    expect(t.p).toBe(90);
    expect(t.value).toBe(percentile(shuffled(999), 90));
    expect(t.reason).toBe('999 samples: a p99 needs 1000');
    expect(tailLabel(t)).toBe(`p90 ${t.value} (999 samples: a p99 needs 1000)`);
    // 30 calls: the old fan-out p99 was the slowest call; now it is no tail figure at all.
    const few = tail(shuffled(30));
    expect(few.p).toBeNull();
    expect(few.value).toBeNaN();
    expect(few.reason).toContain('30 samples');
  });

  it('gives a p50 from 100 samples only', () => {
    expect(middle(shuffled(100))).toEqual({ value: 50, n: 100, reason: null });
    const m = middle(shuffled(99));
    expect(m.value).toBeNaN();
    expect(m.reason).toBe('99 samples: a p50 needs 100');
  });
});

describe('rounds', () => {
  it('reports the median of the rounds with its min and max', () => {
    const s = spread([1.2, 0.9, 1.05]);
    expect(s).toEqual({ median: 1.05, min: 0.9, max: 1.2, rounds: 3, values: [1.2, 0.9, 1.05] });
    expect(spreadLabel(s)).toBe('1.05× (0.9–1.2 over 3 rounds)');
    expect(spreadLabel(spread([2]))).toBe('2× (1 round only)');
    expect(spreadLabel(spread([]))).toBe('not measured');
  });

  it('leaves out rounds that did not measure', () => {
    expect(spread([1, Number.NaN, 3]).rounds).toBe(2);
    expect(spread([1, Number.NaN, 3]).median).toBe(2);
  });

  it('takes the ratio round by round, not the ratio of the medians', () => {
    // API 10, 20, 30 against raw 20, 20, 20: ratios 0.5, 1, 1.5 → median 1.
    const s = ratioSpread([10, 20, 30], [20, 20, 20]);
    expect(s.median).toBe(1);
    expect(s.min).toBe(0.5);
    expect(s.max).toBe(1.5);
    // A round without a raw figure (or a raw figure of 0) gives no ratio.
    expect(ratioSpread([10, 20], [0, 10]).values).toEqual([2]);
  });

  it('decides a target on the median of the rounds', () => {
    const pass = roundTarget('fanout p99 ratio', spread([1.5, 1.1, 1.2]), '≤ 1.3×', (m) => m <= 1.3);
    expect(pass.value).toBe(1.2);
    expect(pass.pass).toBe(true);
    expect(pass.spread?.max).toBe(1.5);
    const miss = roundTarget('fanout p99 ratio', spread([1.5, 1.4, 1.2]), '≤ 1.3×', (m) => m <= 1.3);
    expect(miss.pass).toBe(false);
    expect(roundTarget('info', spread([1]), '—', null).pass).toBeNull();
    expect(roundTarget('nothing measured', spread([]), '≤ 1.3×', (m) => m <= 1.3).pass).toBe(false);
  });
});

describe('bench history file', () => {
  const entryAt = (iso: string, median: number, commit = 'abc1234567'): HistoryEntry =>
    historyEntry({
      at: new Date(iso),
      git: { commit, dirty: false },
      loadStart: 1.5,
      parts: ['fanout'],
      durationS: 61.4,
      targets: [roundTarget('fanout call p99 / raw p99', spread([median - 0.1, median, median + 0.2]), '≤ 1.3×', (m) => m <= 1.3)],
    });

  it('is one JSON line per run with machine, Node.js line, commit and per-target medians', () => {
    const e = entryAt('2026-12-03T09:00:00Z', 1.1);
    const line = historyLine(e);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const back = JSON.parse(line) as HistoryEntry;
    expect(back.schema).toBe(1);
    expect(back.at).toBe('2026-12-03T09:00:00.000Z');
    expect(back.commit).toBe('abc1234567');
    expect(back.node).toBe(process.version);
    expect(back.nodeLine).toBe(process.versions.node.split('.')[0]);
    expect(back.machine.cpus).toBe(os.cpus().length);
    expect(back.machine.cpuModel.length).toBeGreaterThan(0);
    expect(back.durationS).toBe(61);
    expect(back.targets['fanout call p99 / raw p99']).toEqual({ median: 1.1, min: 1, max: 1.3, rounds: 3, target: '≤ 1.3×', pass: true });
  });

  it('keeps a figure taken once without a range', () => {
    const e = historyEntry({
      at: new Date(),
      git: { commit: null, dirty: true },
      loadStart: 0,
      parts: ['memory'],
      durationS: 1,
      targets: [{ name: 'hub RSS MB', value: 216, target: '< 250 MB', pass: true }],
    });
    expect(e.targets['hub RSS MB']).toEqual({ median: 216, min: null, max: null, rounds: null, target: '< 250 MB', pass: true });
    expect(cell(e.targets['hub RSS MB'])).toBe('216 ✓');
  });

  it('appends and reads back, skipping torn or foreign lines', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-history-'));
    try {
      const file = path.join(dir, 'results', 'history.jsonl');
      expect(await readHistory(file)).toEqual({ entries: [], skipped: 0 });
      await appendHistory(file, entryAt('2026-12-01T09:00:00Z', 1.0));
      await appendHistory(file, entryAt('2026-12-02T09:00:00Z', 1.2));
      const text = await readFile(file, 'utf8');
      expect(text.split('\n').filter(Boolean)).toHaveLength(2);
      await writeFile(file, `${text}{"schema":2,"at":"x","targets":{}}\n{"torn\n\n`);
      await appendHistory(file, entryAt('2026-12-03T09:00:00Z', 1.5, 'def7654321'));
      const { entries, skipped } = await readHistory(file);
      expect(skipped).toBe(2);
      expect(entries.map((e) => e.targets['fanout call p99 / raw p99']!.median)).toEqual([1, 1.2, 1.5]);
      expect(parseHistory('').entries).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--compare prints the last runs side by side, oldest first', () => {
    const runs = [entryAt('2026-12-01T09:00:00Z', 1.0), entryAt('2026-12-02T09:00:00Z', 1.2), entryAt('2026-12-03T09:00:00Z', 1.5, 'def7654321')];
    const out = compareTable(runs, 2);
    const row = out.split('\n').find((l) => l.startsWith('fanout call p99 / raw p99'))!;
    expect(row).toContain('1.2 (1.1–1.4) ✓');
    expect(row).toContain('1.5 (1.4–1.7) ✗');
    expect(row).not.toContain('1 (0.9–1.2)');
    expect(row.indexOf('1.2 (')).toBeLessThan(row.indexOf('1.5 ('));
    expect(out).toContain('#2  2026-12-03 09:00 UTC  commit def7654321');
    expect(out).toContain(`node ${process.version}`);
    expect(compareTable([])).toContain('no bench runs recorded yet');
    // 1.2 → 1.5 is 25 % apart: over the 15 % two quiet runs may differ by.
    expect(row.trimEnd().endsWith('+25 % !')).toBe(true);
  });

  it('says how far the last two runs of a target are apart, flagging more than 15 %', () => {
    const t = (median: number) => ({ median, min: null, max: null, rounds: null, target: '—', pass: null });
    expect(apart([t(1), t(1.1)])).toBe('+10 %');
    expect(apart([t(1), t(2), undefined, t(1.6)])).toBe('-20 % !');
    expect(apart([t(1)])).toBe('');
    expect(apart([t(0), t(0)])).toBe('0 %');
  });
});
