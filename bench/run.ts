/**
 * `npm run bench [-- issue|fanout|callnext|memory ...]`: the hub's performance figures against the
 * targets of DESIGN.md §5/§7, each target a ratio measured within one run. Prints tables, writes
 * bench/results/latest.json, and exits 0 whatever the verdicts (non-zero only when the bench broke).
 */
import path from 'node:path';
import { repoRoot } from './lib/child.js';
import type { BenchContext } from './lib/context.js';
import { serverVersion, startServer, type BenchServer } from './lib/database.js';
import { machineInfo, table, verdict, writeResults, type PartResult } from './lib/report.js';
import { issuePart } from './parts/issue.js';
import { fanoutPart } from './parts/fanout.js';
import { callnextPart } from './parts/callnext.js';
import { memoryPart } from './parts/memory.js';
import { provincePart } from './province.js';

const parts = { issue: issuePart, fanout: fanoutPart, callnext: callnextPart, memory: memoryPart, province: provincePart } as const;
type PartName = keyof typeof parts;
const isPart = (s: string): s is PartName => Object.hasOwn(parts, s);

/**
 * Time each part may take before it cuts its loops short (it still reports what it measured). On an idle
 * 2-core machine the parts finish well within these; other load on the machine stretches everything.
 */
const BUDGET_MS: Record<PartName, number> = { issue: 60_000, fanout: 35_000, callnext: 45_000, memory: 65_000, province: 230_000 };
/** Past this the bench gives up (children and the embedded server are stopped on exit). */
const HARD_LIMIT_MS = 9 * 60_000;

const t0 = Date.now();
const log = (line: string) => process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = args.filter((a) => !isPart(a));
  if (unknown.length) {
    process.stderr.write(`unknown part(s): ${unknown.join(', ')}; parts: ${Object.keys(parts).join(', ')}\n`);
    return 2;
  }
  const selected: PartName[] = args.length ? (args as PartName[]) : (Object.keys(parts) as PartName[]);

  const machine = machineInfo();
  log(`Hall Hub bench: ${selected.join(', ')} — node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}`);
  let server: BenchServer | null = null;
  const results: PartResult[] = [];
  let broken = false;
  try {
    server = await startServer(log);
    const database = `${server.description}: ${await serverVersion(server)}`;
    const ctx: BenchContext = { server, log, deadline: 0 };
    for (const name of selected) {
      log(`--- ${name} ---`);
      ctx.deadline = Date.now() + BUDGET_MS[name];
      try {
        results.push(await parts[name](ctx));
      } catch (err) {
        broken = true;
        log(`${name} broke: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
    if (results.length) {
      const file = path.join(repoRoot, 'bench', 'results', 'latest.json');
      await writeResults(file, database, results);
      log(`results written to ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await server?.stop().catch((err: unknown) => log(`database stop failed: ${String(err)}`));
  }

  const checks = results.flatMap((r) => r.targets);
  if (checks.length) {
    console.log(`\n== targets (${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, ${((Date.now() - t0) / 1000).toFixed(0)} s) ==`);
    console.log(table(['target', 'measured', 'wanted', 'verdict'], checks.map((c) => [c.name, c.value, c.target, verdict(c.pass)])));
  }
  return broken ? 1 : 0;
}

const hard = setTimeout(() => {
  log(`over the hard limit of ${HARD_LIMIT_MS / 1000} s: giving up`);
  process.exit(3);
}, HARD_LIMIT_MS);
hard.unref();

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
