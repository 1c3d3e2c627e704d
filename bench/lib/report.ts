import os from 'node:os';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { spreadLabel, type Spread } from './stats.js';

export interface TargetCheck {
  name: string;
  value: number;
  /** Human form of the target, e.g. "≥ 0.5×". */
  target: string;
  /** null: reported for information, no target. */
  pass: boolean | null;
  /** The figure over the part's rounds (`value` is its median); absent for a figure taken once (memory). */
  spread?: Spread;
}

/** A target whose value is the median of per-round figures; the verdict is taken on that median. */
export function roundTarget(name: string, s: Spread, target: string, check: ((median: number) => boolean) | null): TargetCheck {
  return { name, value: s.median, target, pass: check && Number.isFinite(s.median) ? check(s.median) : check ? false : null, spread: s };
}

/** "1.06× (0.98–1.12 over 3 rounds)" or the plain value. */
export const measuredLabel = (t: TargetCheck, unit = ''): string => (t.spread ? spreadLabel(t.spread, unit) : `${t.value}${unit}`);

export interface PartResult {
  part: string;
  measuredAt: string;
  durationMs: number;
  /** Every figure of the part, machine-readable. */
  figures: Record<string, unknown>;
  targets: TargetCheck[];
  /** What the figures mean, how they were taken, and diagnostics worth reading. */
  notes: string[];
}

export interface ResultsFile {
  schema: 1;
  updatedAt: string;
  machine: { node: string; cpuModel: string; cpus: number; memoryMB: number; platform: string; release: string };
  database: string;
  parts: Record<string, PartResult>;
}

export function machineInfo(): ResultsFile['machine'] {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryMB: Math.round(os.totalmem() / 1024 / 1024),
    platform: `${os.platform()} ${os.arch()}`,
    release: os.release(),
  };
}

/** Writes the run's parts into the results file, keeping parts of earlier runs that this run did not redo. */
export async function writeResults(file: string, database: string, parts: PartResult[]): Promise<ResultsFile> {
  let previous: ResultsFile | null = null;
  try {
    previous = JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
    if (previous.schema !== 1) previous = null;
  } catch {
    previous = null;
  }
  const merged: ResultsFile = {
    schema: 1,
    updatedAt: new Date().toISOString(),
    machine: machineInfo(),
    database,
    parts: { ...(previous?.parts ?? {}) },
  };
  for (const p of parts) merged.parts[p.part] = p;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}

/** A plain fixed-width table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const verdict = (pass: boolean | null) => (pass === null ? 'info' : pass ? 'PASS' : 'MISS');
