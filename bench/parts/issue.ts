/**
 * Part 1 — issue: tickets per second through POST /api/v1/tickets (keep-alive clients in the client
 * process) against the same transaction's SQL run straight through pg with the same concurrency.
 *
 * Three ways, alternated round by round (the order reversed every other round):
 *   api        the demo kiosk's token, as the brief says: its printer is `sim`, so every ticket is also
 *              printed by the hub (rendered, sent to the in-process simulated printer, recorded);
 *   api-bare   a kiosk device without a printer: the same request and transaction, no print job;
 *   raw        QueueService.issue's statements through pg, no HTTP, no hub.
 * After each run the bench waits until the hub is idle again (print backlog, debounced queries), so no run
 * pays for the previous one; that drain time is reported as the "sustained" rate.
 */
import { createPool, transaction, type Db } from '../../server/db/pool.js';
import * as setup from '../../server/admin/setup.repo.js';
import * as repo from '../../server/queue/queue.repo.js';
import { capacityOf, formatTicketNumber } from '../../server/queue/numbering.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import type { BenchContext } from '../lib/context.js';
import { pastDeadline } from '../lib/context.js';
import { freshDatabase } from '../lib/database.js';
import { startHub } from '../lib/hub.js';
import { waitIdle } from '../lib/idle.js';
import { pgTrace } from '../lib/pgtrace.js';
import { PgCpu } from '../lib/pgcpu.js';
import { cpuLines, profileDuring, type CpuBreakdown } from '../lib/profile.js';
import { table, verdict, type PartResult } from '../lib/report.js';
import { median, round, summarize } from '../lib/stats.js';
import { Swarm } from '../lib/swarm.js';

const CONCURRENCY = 16;
const ROUNDS = 3;
const SERVICES = 8;
const TICKETS = { multi: 800, single: 300 } as const;
/** A run stops starting new issues after this long (its rate is then over what it did). */
const RUN_CAP_MS = 4000;
const WARMUP = 200;
const TRACE_TICKETS = 400;
const PRIORITY_EVERY = 10;
const TARGET = 0.5;

type Mode = keyof typeof TICKETS;
type Kind = 'api' | 'api-bare' | 'raw';
const KINDS: Record<Mode, Kind[]> = { multi: ['api', 'api-bare', 'raw'], single: ['api', 'api-bare', 'raw'] };

interface Run {
  round: number;
  mode: Mode;
  kind: Kind;
  tickets: number;
  ms: number;
  perSecond: number;
  /** Tickets over the run plus the time the hub needed afterwards to be idle again. */
  sustainedPerSecond: number;
  drainMs: number;
  latencyP50: number;
  latencyP99: number;
  /** CPU of the bench process (the hub for API runs, the pg driver for raw runs), ms per ticket, drain included. */
  mainCpuMsPerTicket: number;
  /** CPU of the client process (API runs only), ms per ticket. */
  clientCpuMsPerTicket: number | null;
  /** CPU of the PostgreSQL server's processes, ms per ticket, drain included (null when it is not local). */
  pgCpuMsPerTicket: number | null;
  /** Print jobs of the run's tickets that printed / failed (e.g. refused: printer busy). */
  printed: number;
  printFailed: number;
}

/** Exactly the statements QueueService.issue runs, in one transaction, minus HTTP, auth, validation and events. */
async function rawIssue(db: Db, hallId: number, serviceId: number, priority: boolean, deviceId: number): Promise<number> {
  return transaction(db, async (tx) => {
    const service = await setup.findService(tx, hallId, serviceId);
    if (!service?.active) throw new Error(`service ${serviceId} missing or closed`);
    const day = await repo.hallDay(tx, hallId);
    const seq = await repo.nextSeq(tx, serviceId, day);
    if (seq > capacityOf(service)) throw new Error(`service ${serviceId} out of numbers`);
    const ticket = await repo.insertTicket(tx, { hallId, serviceId, day, seq, number: formatTicketNumber(service, seq), priority, deviceId });
    const ahead = await repo.countAhead(tx, ticket);
    const { avgSeconds, counters } = await repo.serviceRate(tx, serviceId, day);
    return Math.round((ahead * avgSeconds) / Math.max(1, counters) / 60);
  });
}

async function rawLoad(db: Db, hallId: number, deviceId: number, serviceIds: number[], total: number) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() - t0 > RUN_CAP_MS) return;
      const i = next++;
      if (i >= total) return;
      const s = performance.now();
      try {
        await rawIssue(db, hallId, serviceIds[i % serviceIds.length]!, i % PRIORITY_EVERY === 0, deviceId);
        latencies.push(performance.now() - s);
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: performance.now() - t0, ok: latencies.length, failed, firstError, latencies, clientCpuMs: null };
}

export async function issuePart(ctx: BenchContext): Promise<PartResult> {
  const started = performance.now();
  const base = await freshDatabase(ctx.server, 'issue');
  const hub = await startHub(base.url, ctx.server.scratchDir);
  const swarm = new Swarm();
  const raw = createPool(base.url, CONCURRENCY);
  try {
    const hallId = base.demo.hallId;
    const { rows: kiosk } = await base.db.query<{ id: number; printer: string | null }>(
      `SELECT id, printer FROM devices WHERE hall_id = $1 AND kind = 'kiosk' ORDER BY id LIMIT 1`,
      [hallId],
    );
    const kioskId = kiosk[0]!.id;
    const bareToken = newToken('d');
    await insertDevice(base.db, { hallId, kind: 'kiosk', name: 'Bench kiosk without printer', counterId: null, printer: null, tokenHash: hashToken(bareToken) });
    const tokens: Record<Exclude<Kind, 'raw'>, string> = { api: base.demo.kioskToken, 'api-bare': bareToken };

    // Every run gets services of its own, with a wide number range (1000..999999, printed "1023"),
    // so each run starts from empty queues and no run inherits another's waiting tickets.
    let made = 0;
    const newServices = async (n: number): Promise<number[]> => {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = await setup.insertService(base.db, {
          hallId,
          departmentId: null,
          name: `Bench service ${++made}`,
          nameEn: null,
          prefix: '',
          numberStart: 1000,
          numberEnd: 999_999,
          defaultServiceSeconds: 300,
          active: true,
        });
        ids.push(s.id);
      }
      return ids;
    };

    const pgCpu = await PgCpu.open(base.url);
    let lastCpu: CpuBreakdown | null = null;
    const runOnce = async (roundNo: number, mode: Mode, kind: Kind, total: number, serviceIds: number[], profile = false): Promise<Run> => {
      const pg0 = await pgCpu?.sample();
      const cpu0 = process.cpuUsage();
      interface LoadResult {
        ms: number;
        ok: number;
        failed: number;
        firstError: string | null;
        latencies: number[];
        clientCpuMs: number | null;
      }
      const load = (): Promise<LoadResult> =>
        kind === 'raw'
          ? rawLoad(raw, hallId, kioskId, serviceIds, total)
          : swarm
              .issue(hub.url, tokens[kind], serviceIds, total, CONCURRENCY, PRIORITY_EVERY, RUN_CAP_MS)
              .then((res) => ({ ...res, clientCpuMs: res.cpuUserMs + res.cpuSystemMs }));
      let r: LoadResult;
      if (profile) {
        const p = await profileDuring(load);
        r = p.result;
        lastCpu = p.cpu;
      } else r = await load();
      const drainMs = await waitIdle(base.db);
      const cpu = process.cpuUsage(cpu0);
      const pg1 = await pgCpu?.sample();
      const { rows: prints } = await base.db.query<{ printed: number; failed: number }>(
        `SELECT count(*) FILTER (WHERE pj.status = 'printed')::int AS printed, count(*) FILTER (WHERE pj.status = 'failed')::int AS failed
           FROM print_jobs pj JOIN tickets t ON t.id = pj.ticket_id WHERE t.service_id = ANY($1::int[])`,
        [serviceIds],
      );
      if (r.failed) throw new Error(`${kind} ${mode}: ${r.failed} of ${total} issues failed, first: ${r.firstError ?? '?'}`);
      const lat = summarize(r.latencies);
      return {
        round: roundNo,
        mode,
        kind,
        tickets: r.ok,
        ms: round(r.ms, 1),
        perSecond: round((r.ok / r.ms) * 1000, 1),
        sustainedPerSecond: round((r.ok / (r.ms + drainMs)) * 1000, 1),
        drainMs,
        latencyP50: lat.p50,
        latencyP99: lat.p99,
        mainCpuMsPerTicket: round((cpu.user + cpu.system) / 1000 / r.ok, 3),
        clientCpuMsPerTicket: r.clientCpuMs === null ? null : round(r.clientCpuMs / r.ok, 3),
        pgCpuMsPerTicket: pg0 === undefined || pg1 === undefined ? null : round((pg1 - pg0) / r.ok, 3),
        printed: prints[0]?.printed ?? 0,
        printFailed: prints[0]?.failed ?? 0,
      };
    };

    ctx.log(`issue: warm-up (${WARMUP} tickets each way)`);
    const warm = await newServices(SERVICES);
    for (const kind of KINDS.multi) await runOnce(-1, 'multi', kind, WARMUP, warm);

    const runs: Run[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r >= 1 && pastDeadline(ctx)) {
        ctx.log(`issue: over the time budget, stopping after ${r} rounds`);
        break;
      }
      for (const mode of ['multi', 'single'] as const) {
        const order = r % 2 === 0 ? KINDS[mode] : [...KINDS[mode]].reverse();
        for (const kind of order) {
          const services = await newServices(mode === 'multi' ? SERVICES : 1);
          const run = await runOnce(r, mode, kind, TICKETS[mode], services);
          runs.push(run);
          ctx.log(
            `issue: round ${r + 1}/${ROUNDS} ${mode.padEnd(6)} ${kind.padEnd(8)}: ${run.perSecond} tickets/s (${run.tickets} in ${Math.round(run.ms)} ms, ` +
              `p50 ${run.latencyP50} ms, p99 ${run.latencyP99} ms; idle again after ${run.drainMs} ms` +
              (run.printed + run.printFailed ? `; printed ${run.printed}, print failed ${run.printFailed})` : ')'),
          );
        }
      }
    }

    // Diagnostic pass (not part of the figures above): the statements and the hub's CPU profile.
    ctx.log('issue: traced and profiled diagnostic passes');
    pgTrace.start();
    hub.serverTimes.length = 0;
    hub.recording = true;
    const traceServices = await newServices(SERVICES);
    const tracedApi = await runOnce(-2, 'multi', 'api', TRACE_TICKETS, traceServices, true);
    const apiCpu = lastCpu!;
    hub.recording = false;
    pgTrace.stop();
    const apiStatements = pgTrace.report(tracedApi.tickets, 40);
    const serverSide = summarize(hub.serverTimes);
    const tracedBare = await runOnce(-2, 'multi', 'api-bare', TRACE_TICKETS, await newServices(SERVICES), true);
    const bareCpu = lastCpu!;
    pgTrace.start();
    const tracedRaw = await runOnce(-2, 'multi', 'raw', TRACE_TICKETS, await newServices(SERVICES));
    pgTrace.stop();
    const rawStatements = pgTrace.report(tracedRaw.tickets, 40);
    // Request path = statements run about once (or more) per ticket; the rest ran beside it (print jobs
    // that got through, debounced waiting counts and board snapshots, token look-ups when the cache expired).
    const pathOf = (list: typeof apiStatements) => list.filter((x) => x.perUnit >= 0.5);
    const roundTrips = (list: typeof apiStatements) => round(pathOf(list).reduce((sum, x) => sum + x.perUnit, 0), 2);
    const rawTexts = new Set(pathOf(rawStatements).map((x) => x.statement));
    const extra = pathOf(apiStatements).filter((x) => !rawTexts.has(x.statement));
    const background = apiStatements.filter((x) => x.perUnit < 0.5).slice(0, 8);

    const byMode = (mode: Mode) => {
      const of = (kind: Kind) => runs.filter((r) => r.mode === mode && r.kind === kind);
      const rawRuns = of('raw');
      const ratioOf = (kind: Kind, key: 'perSecond' | 'sustainedPerSecond') =>
        round(
          median(
            of(kind)
              .map((a) => {
                const rw = rawRuns.find((r) => r.round === a.round);
                return rw ? a[key] / rw[key] : Number.NaN;
              })
              .filter((x) => Number.isFinite(x)),
          ),
          3,
        );
      const sum = (kind: Kind) => {
        const list = of(kind);
        return {
          perSecond: median(list.map((r) => r.perSecond)),
          sustainedPerSecond: median(list.map((r) => r.sustainedPerSecond)),
          drainMs: median(list.map((r) => r.drainMs)),
          latencyP50: median(list.map((r) => r.latencyP50)),
          latencyP99: median(list.map((r) => r.latencyP99)),
          mainCpuMsPerTicket: median(list.map((r) => r.mainCpuMsPerTicket)),
          clientCpuMsPerTicket: kind === 'raw' ? null : median(list.map((r) => r.clientCpuMsPerTicket ?? 0)),
          pgCpuMsPerTicket: pgCpu ? median(list.map((r) => r.pgCpuMsPerTicket ?? 0)) : null,
          printedShare: round(median(list.map((r) => r.printed / Math.max(1, r.tickets))), 3),
          ratioToRaw: kind === 'raw' ? 1 : ratioOf(kind, 'perSecond'),
          sustainedRatioToRaw: kind === 'raw' ? 1 : ratioOf(kind, 'sustainedPerSecond'),
        };
      };
      return { api: sum('api'), apiBare: sum('api-bare'), raw: sum('raw') };
    };
    const multi = byMode('multi');
    const single = byMode('single');
    const row = (label: string, m: ReturnType<typeof byMode>[keyof ReturnType<typeof byMode>]) => [
      label,
      m.perSecond,
      m.ratioToRaw,
      m.sustainedPerSecond,
      m.sustainedRatioToRaw,
      m.latencyP50,
      m.latencyP99,
      m.mainCpuMsPerTicket,
      m.clientCpuMsPerTicket ?? '-',
      m.pgCpuMsPerTicket ?? '-',
      m.printedShare ? `${Math.round(m.printedShare * 100)} %` : '-',
    ];
    const headline = multi.api.ratioToRaw;

    const lines = [
      '',
      `== issue: ${CONCURRENCY} concurrent keep-alive clients, ${ROUNDS} rounds (median), up to ${TICKETS.multi} tickets over ${SERVICES} services / ${TICKETS.single} into 1 service per run ==`,
      table(
        ['way', 'tickets/s', '÷ raw', 'sustained/s', '÷ raw', 'p50 ms', 'p99 ms', 'bench proc CPU ms/t', 'client CPU ms/t', 'PostgreSQL CPU ms/t', 'printed'],
        [
          row(`api, ${SERVICES} services`, multi.api),
          row(`api-bare, ${SERVICES} services`, multi.apiBare),
          row(`raw, ${SERVICES} services`, multi.raw),
          row('api, 1 service', single.api),
          row('api-bare, 1 service', single.apiBare),
          row('raw, 1 service', single.raw),
        ],
      ),
      '  api = demo kiosk token (its printer is `sim`: the hub prints every ticket); api-bare = a kiosk without printer; raw = the SQL alone.',
      '  sustained = tickets ÷ (run + time until the hub was idle again); bench proc CPU = the hub (api) or the pg driver (raw), drain included;',
      '  printed = share of the tickets whose print job printed (the rest failed at once: one kiosk printer, backlog limit 20).',
      `target: API ≥ ${TARGET}× raw (${SERVICES} services, kiosk without printer): ${multi.apiBare.ratioToRaw}× → ${verdict(multi.apiBare.ratioToRaw >= TARGET)}; demo kiosk printing each ticket: ${headline}×` +
        `   (without printing: ${multi.apiBare.ratioToRaw}×; 1 service: ${single.api.ratioToRaw}× / ${single.apiBare.ratioToRaw}×)`,
      `traced pass (${tracedApi.tickets} tickets, demo kiosk): client p50 ${tracedApi.latencyP50} ms, inside the hub (Fastify) p50 ${serverSide.p50} ms; raw p50 ${tracedRaw.latencyP50} ms.`,
      `  round trips per ticket in the request path: api ${roundTrips(apiStatements)}, raw ${roundTrips(rawStatements)}` +
        (extra.length ? `; api's extra: ${extra.map((x) => `${x.statement.slice(0, 60)}… ×${x.perUnit}`).join('; ')}` : ' (the same statements)'),
      '  other queries during the api pass (background / print jobs):',
      table(
        ['statement', 'runs', 'mean ms'],
        background.map((x) => [x.statement.slice(0, 96), x.calls, x.meanMs]),
      ),
      ...cpuLines(`hub (bench process) CPU, api ${SERVICES} services`, apiCpu, tracedApi.tickets),
      ...cpuLines(`hub (bench process) CPU, api-bare ${SERVICES} services`, bareCpu, tracedBare.tickets),
    ];
    console.log(lines.join('\n'));

    return {
      part: 'issue',
      measuredAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      figures: {
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        ticketsPerRun: TICKETS,
        runCapMs: RUN_CAP_MS,
        demoKioskPrinter: kiosk[0]!.printer,
        multiService: { services: SERVICES, ...multi },
        singleService: single,
        runs,
        diagnostic: {
          api: { clientP50: tracedApi.latencyP50, hubSide: serverSide, roundTripsPerTicket: roundTrips(apiStatements), statements: apiStatements.slice(0, 20) },
          raw: { p50: tracedRaw.latencyP50, roundTripsPerTicket: roundTrips(rawStatements), statements: rawStatements.slice(0, 12) },
          hubCpu: { api: apiCpu, apiBare: bareCpu },
        },
      },
      // The target compares the same transaction through the API and as raw SQL: a kiosk without a printer. Printing
      // (its own target: bytes at the printer ≤ 300 ms) is reported beside it with the demo kiosk.
      targets: [
        { name: `issue API/raw (${SERVICES} services, kiosk without printer)`, value: multi.apiBare.ratioToRaw, target: `≥ ${TARGET}×`, pass: multi.apiBare.ratioToRaw >= TARGET },
        { name: `issue API/raw (${SERVICES} services, demo kiosk printing)`, value: headline, target: '—', pass: null },
      ],
      notes: [
        `api: POST /api/v1/tickets from ${CONCURRENCY} keep-alive connections (node:http Agent) in the client process, with the demo kiosk's token (printer "${kiosk[0]!.printer ?? 'none'}"); the hub runs in the bench process.`,
        'api-bare: the same with a kiosk device that has no printer (no print job): the HTTP + hub overhead alone.',
        `raw: QueueService.issue's statements (findService, hallDay, nextSeq, insertTicket, countAhead, serviceRate in BEGIN/COMMIT) through a pg pool of ${CONCURRENCY} in the bench process.`,
        `Each run issues up to a fixed number of tickets (stopping after ${RUN_CAP_MS / 1000} s) into services of its own (range 1000..999999), every 10th a priority ticket; ways alternate, the order reversed every other round. ` +
          'After each run the bench waits until the hub is idle (event loop < 5 % busy and no query running, 3 checks 100 ms apart).',
        'ratio = median over rounds of (rate / raw rate of the same round). sustained rate = tickets / (run time + drain time).',
        'One shared kiosk token for all clients means one printer: the printing feature refuses jobs beyond a backlog of 20 ("printer busy"), so most tickets of a burst are not printed; the ones that are cost the hub the render.',
      ],
    };
  } finally {
    await swarm.stop().catch(() => undefined);
    await raw.end().catch(() => undefined);
    await hub.close();
    await base.drop().catch((err: unknown) => ctx.log(`issue: drop failed: ${String(err)}`));
  }
}
