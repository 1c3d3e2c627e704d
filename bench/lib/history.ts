/**
 * The bench's history: one JSON line per run in bench/results/history.jsonl (machine, Node.js line, commit,
 * each target's median with its min–max over rounds), and the side-by-side view `npm run bench -- --compare`
 * prints, so that a regression shows as a trend over runs rather than one number.
 * Format and parsing are unit-tested in tests/unit/bench-stats.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TargetCheck } from './report.js';
import { table } from './report.js';

export const HISTORY_SCHEMA = 1;

/** One target of one run. */
export interface HistoryTarget {
  /** The figure the verdict used (the median over rounds where the part has rounds). */
  median: number;
  /** Lowest and highest round; null when the figure is not measured in rounds (e.g. memory). */
  min: number | null;
  max: number | null;
  rounds: number | null;
  /** The target as stated, e.g. "≥ 0.5×"; "—" for a figure reported without one. */
  target: string;
  pass: boolean | null;
}

/** One line of history.jsonl. */
export interface HistoryEntry {
  schema: typeof HISTORY_SCHEMA;
  /** When the run ended (ISO). */
  at: string;
  /** Short commit of the checkout the bench ran on; null outside git. */
  commit: string | null;
  /** The checkout had uncommitted changes. */
  dirty: boolean;
  machine: { cpuModel: string; cpus: number; memoryMB: number; platform: string; hostname: string };
  /** process.version, e.g. v20.20.2, and its major line, "20". */
  node: string;
  nodeLine: string;
  /** One-minute load average at the start and at the end of the run (other work on the machine). */
  load: { start: number; end: number };
  parts: string[];
  durationS: number;
  targets: Record<string, HistoryTarget>;
}

/** The commit and whether the work tree has changes outside bench/results (git not found: null, false). */
export function gitState(cwd: string): { commit: string | null; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // The bench's own output (bench/results) does not make a checkout "changed".
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit: commit || null, dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: false };
  }
}

export function historyEntry(input: {
  at: Date;
  git: { commit: string | null; dirty: boolean };
  loadStart: number;
  parts: string[];
  durationS: number;
  targets: TargetCheck[];
}): HistoryEntry {
  const cpus = os.cpus();
  const targets: Record<string, HistoryTarget> = {};
  for (const t of input.targets) {
    targets[t.name] = {
      median: t.value,
      min: t.spread?.min ?? null,
      max: t.spread?.max ?? null,
      rounds: t.spread?.rounds ?? null,
      target: t.target,
      pass: t.pass,
    };
  }
  return {
    schema: HISTORY_SCHEMA,
    at: input.at.toISOString(),
    commit: input.git.commit,
    dirty: input.git.dirty,
    machine: { cpuModel: cpus[0]?.model.trim() ?? 'unknown', cpus: cpus.length, memoryMB: Math.round(os.totalmem() / 1024 / 1024), platform: `${os.platform()} ${os.arch()}`, hostname: os.hostname() },
    node: process.version,
    nodeLine: process.version.replace(/^v/, '').split('.')[0] ?? '',
    load: { start: round2(input.loadStart), end: round2(os.loadavg()[0] ?? 0) },
    parts: input.parts,
    durationS: Math.round(input.durationS),
    targets,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The line appended for an entry: compact JSON and a newline (JSON has no raw newlines inside). */
export function historyLine(entry: HistoryEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

const isEntry = (x: unknown): x is HistoryEntry =>
  typeof x === 'object' &&
  x !== null &&
  (x as HistoryEntry).schema === HISTORY_SCHEMA &&
  typeof (x as HistoryEntry).at === 'string' &&
  typeof (x as HistoryEntry).targets === 'object' &&
  (x as HistoryEntry).targets !== null;

/** The entries of a history file's text, oldest first; lines that are not an entry (torn, other schema) are counted in `skipped`. */
export function parseHistory(text: string): { entries: HistoryEntry[]; skipped: number } {
  const entries: HistoryEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const x: unknown = JSON.parse(line);
      if (isEntry(x)) entries.push(x);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}

export async function appendHistory(file: string, entry: HistoryEntry): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, historyLine(entry));
}

export async function readHistory(file: string): Promise<{ entries: HistoryEntry[]; skipped: number }> {
  try {
    return parseHistory(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0 };
    throw err;
  }
}

/** "1.06 (0.98–1.12) ✓" for one target of one run; "" when the run did not measure it. */
export function cell(t: HistoryTarget | undefined): string {
  if (!t) return '';
  const value = Number.isFinite(t.median) ? String(t.median) : '?';
  const range = t.min !== null && t.max !== null && (t.rounds ?? 0) > 1 ? ` (${t.min}–${t.max})` : '';
  const mark = t.pass === null ? '' : t.pass ? ' ✓' : ' ✗';
  return `${value}${range}${mark}`;
}

/** Two runs of the whole bench on a quiet machine should agree on each target's median within this (issue #21). */
export const AGREE_PCT = 15;

/** "+8 %" between the last two runs that measured the target (relative to the earlier one); "!" past AGREE_PCT. */
export function apart(targets: readonly (HistoryTarget | undefined)[]): string {
  const measured = targets.filter((t): t is HistoryTarget => t !== undefined && Number.isFinite(t.median));
  if (measured.length < 2) return '';
  const a = measured[measured.length - 2]!.median;
  const b = measured[measured.length - 1]!.median;
  if (a === 0) return b === 0 ? '0 %' : '';
  const pct = ((b - a) / Math.abs(a)) * 100;
  return `${pct >= 0 ? '+' : ''}${Math.round(pct)} %${Math.abs(pct) > AGREE_PCT ? ' !' : ''}`;
}

/**
 * The last `last` runs side by side: one row per target (in the order they first appear), one column per run,
 * oldest on the left; under the table, each run's machine, Node.js line, load and commit.
 */
export function compareTable(entries: readonly HistoryEntry[], last = 6): string {
  const runs = entries.slice(-last);
  if (!runs.length) return 'no bench runs recorded yet (bench/results/history.jsonl is empty)';
  const names: string[] = [];
  for (const r of runs) for (const n of Object.keys(r.targets)) if (!names.includes(n)) names.push(n);
  const header = ['target', ...runs.map((_, i) => `#${i + 1}`), 'last two apart'];
  const rows = names.map((n) => [n, ...runs.map((r) => cell(r.targets[n])), apart(runs.map((r) => r.targets[n]))]);
  const machines = new Set(runs.map((r) => `${r.machine.cpus} × ${r.machine.cpuModel}`));
  const lines = [
    table(header, rows),
    '',
    ...runs.map(
      (r, i) =>
        `#${i + 1}  ${r.at.slice(0, 16).replace('T', ' ')} UTC  commit ${r.commit ?? '?'}${r.dirty ? '+changes' : ''}  node ${r.node}  ` +
        `${r.machine.cpus} × ${r.machine.cpuModel}  load ${r.load.start}→${r.load.end}  ${r.durationS} s  parts: ${r.parts.join(', ')}`,
    ),
    `  value = the median over rounds (min–max of the rounds); ✓ / ✗ = the target met / missed; last two apart = how far the two latest runs' medians differ (! over ${AGREE_PCT} %).`,
  ];
  if (machines.size > 1) lines.push('  NOTE: these runs are from different machines: compare with care.');
  return lines.join('\n');
}
