/**
 * `npm run bench [-- part ...]`: the hub's performance figures against its targets (bench/README.md), each
 * target a ratio measured within one run, in interleaved rounds (the verdict on the median). Prints tables,
 * writes bench/results/latest.json, appends one line to bench/results/history.jsonl, and exits 0 whatever the
 * verdicts (non-zero only when the bench broke). `npm run bench -- --compare [N]` prints the last N runs.
 */
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './lib/child.js';
import type { BenchContext } from './lib/context.js';
import { serverVersion, startServer, type BenchServer } from './lib/database.js';
import { appendHistory, compareTable, gitState, historyEntry, readHistory } from './lib/history.js';
import { machineInfo, measuredLabel, table, verdict, writeResults, type PartResult } from './lib/report.js';
import { issuePart } from './parts/issue.js';
import { fanoutPart } from './parts/fanout.js';
import { callnextPart } from './parts/callnext.js';
import { memoryPart } from './parts/memory.js';
import { printingPart } from './parts/printing.js';
import { abusePart } from './parts/abuse.js';
import { provincePart } from './province.js';
import { waitEstimatePart } from './wait-estimate.js';

interface Part {
  run: (ctx: BenchContext) => Promise<PartResult>;
  /**
   * Time the part may take before it cuts its loops short (it still reports what it measured). On an idle
   * 2-core machine the parts finish well within these; other load on the machine stretches everything.
   */
  budgetMs: number;
  /** Run by a plain `npm run bench` (the default parts together stay under 10 minutes on 2 cores). */
  byDefault: boolean;
}

/** One line registers a part; `npm run bench -- <name>` runs it alone. */
const parts = {
  issue: { run: issuePart, budgetMs: 50_000, byDefault: true },
  fanout: { run: fanoutPart, budgetMs: 60_000, byDefault: true },
  callnext: { run: callnextPart, budgetMs: 45_000, byDefault: true },
  memory: { run: memoryPart, budgetMs: 65_000, byDefault: true },
  printing: { run: printingPart, budgetMs: 60_000, byDefault: true },
  abuse: { run: abusePart, budgetMs: 50_000, byDefault: true },
  province: { run: provincePart, budgetMs: 230_000, byDefault: false },
  'wait-estimate': { run: waitEstimatePart, budgetMs: 60_000, byDefault: true },
} satisfies Record<string, Part>;
type PartName = keyof typeof parts;
const isPart = (s: string): s is PartName => Object.hasOwn(parts, s);

/**
 * Past twice the selected parts' budgets and this much the bench gives up (children and the embedded server are
 * stopped on exit): only a hung part gets there, a busy machine stretches a run well below it.
 */
const HARD_SLACK_MS = 3 * 60_000;
const HISTORY_FILE = path.join(repoRoot, 'bench', 'results', 'history.jsonl');
const resultsFile = path.join(repoRoot, 'bench', 'results', 'latest.json');

const t0 = Date.now();
const log = (line: string) => process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);

async function compare(args: string[]): Promise<number> {
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 6);
  const { entries, skipped } = await readHistory(HISTORY_FILE);
  console.log(`== the last ${Math.min(n, entries.length)} of ${entries.length} bench runs (${path.relative(process.cwd(), HISTORY_FILE)}) ==`);
  console.log(compareTable(entries, n));
  if (skipped) console.log(`  (${skipped} line(s) of the file are not entries of this format and were skipped)`);
  return 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--compare')) return compare(args.filter((a) => a !== '--compare'));
  const names = args.filter((a) => a !== 'all');
  const unknown = names.filter((a) => !isPart(a));
  if (unknown.length) {
    process.stderr.write(`unknown part(s): ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')} (or all); --compare [N] prints the last N runs\n`);
    return 2;
  }
  const all = Object.keys(parts) as PartName[];
  const selected: PartName[] = names.length ? (names as PartName[]) : args.includes('all') ? all : all.filter((p) => parts[p].byDefault);

  const hardLimitMs = 2 * selected.reduce((sum, p) => sum + parts[p].budgetMs, 0) + HARD_SLACK_MS;
  const hard = setTimeout(() => {
    log(`over the hard limit of ${Math.round(hardLimitMs / 1000)} s: giving up`);
    process.exit(3);
  }, hardLimitMs);
  hard.unref();

  const machine = machineInfo();
  const loadStart = os.loadavg()[0] ?? 0;
  // The checkout as the run starts: a commit made while it runs is not what it measured.
  const git = gitState(repoRoot);
  log(`Hall Hub bench: ${selected.join(', ')} — node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, load ${loadStart.toFixed(2)}`);
  let server: BenchServer | null = null;
  const results: PartResult[] = [];
  let broken = false;
  try {
    server = await startServer(log);
    const database = `${server.description}: ${await serverVersion(server)}`;
    const ctx: BenchContext = { server, log, deadline: 0 };
    for (const name of selected) {
      log(`--- ${name} ---`);
      ctx.deadline = Date.now() + parts[name].budgetMs;
      try {
        const result = await parts[name].run(ctx);
        results.push(result);
        // Written part by part, so a run stopped later keeps what it measured.
        await writeResults(resultsFile, database, [result]);
      } catch (err) {
        broken = true;
        log(`${name} broke: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
    if (results.length) {
      const checks = results.flatMap((r) => r.targets);
      await appendHistory(
        HISTORY_FILE,
        historyEntry({ at: new Date(), git, loadStart, parts: results.map((r) => r.part), durationS: (Date.now() - t0) / 1000, targets: checks }),
      );
      log(`results written to ${path.relative(process.cwd(), resultsFile)}, one line appended to ${path.relative(process.cwd(), HISTORY_FILE)}`);
    }
  } finally {
    await server?.stop().catch((err: unknown) => log(`database stop failed: ${String(err)}`));
  }

  const checks = results.flatMap((r) => r.targets);
  if (checks.length) {
    const loadEnd = os.loadavg()[0] ?? 0;
    console.log(
      `\n== targets (${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, ${((Date.now() - t0) / 1000).toFixed(0)} s, load ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)}) ==`,
    );
    console.log(table(['target', 'measured (median of rounds, min–max)', 'wanted', 'verdict'], checks.map((c) => [c.name, measuredLabel(c), c.target, verdict(c.pass)])));
    if (loadStart > machine.cpus * 0.5) console.log(`  NOTE: the machine was busy (load ${loadStart.toFixed(1)} on ${machine.cpus} cores when the bench started): figures are noisy.`);
    console.log('  `npm run bench -- --compare` shows this run beside the previous ones.');
  }
  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
