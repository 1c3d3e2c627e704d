/**
 * Part 1 — issue: tickets per second through POST /api/v1/tickets (keep-alive clients in the client
 * process) against the same transaction's SQL run straight through pg with the same concurrency.
 *
 * Two ways, interleaved in rounds (api, raw, raw, api, api, raw…):
 *   api   a kiosk device without a printer: the request, auth, validation, transaction and events;
 *   raw   QueueService.issue's statements through pg, no HTTP, no hub.
 * Printing is measured apart, at a kiosk's real pace (part `printing`): 16 clients on one kiosk token is a
 * burst no kiosk can make, and its printer's backlog limit refused most of it (the old "729 print failed").
 * After each run the bench waits until the hub is idle again (debounced queries), so no run pays for the
 * previous one; that drain time is reported as the "sustained" rate.
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
import { roundTarget, table, verdict, type PartResult } from '../lib/report.js';
import { median, ratioSpread, round, spreadLabel, summarize, tail, tailLabel, type Spread } from '../lib/stats.js';
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
type Kind = 'api' | 'raw';
const KINDS: Kind[] = ['api', 'raw'];

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
  /** Per-run latency: p50 and p90 (a run has < 1,000 tickets; the p99 is taken over all rounds). */
  latencyP50: number;
  latencyP90: number;
  latencies: number[];
  /** CPU of the bench process (the hub for API runs, the pg driver for raw runs), ms per ticket, drain included. */
  mainCpuMsPerTicket: number;
  /** CPU of the client process (API runs only), ms per ticket. */
  clientCpuMsPerTicket: number | null;
  /** CPU of the PostgreSQL server's processes, ms per ticket, drain included (null when it is not local). */
  pgCpuMsPerTicket: number | null;
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
    const bareToken = newToken('d');
    const kioskId = await insertDevice(base.db, { hallId, kind: 'kiosk', name: 'Bench kiosk without printer', counterId: null, printer: null, tokenHash: hashToken(bareToken) });

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
              .issue(hub.url, bareToken, serviceIds, total, CONCURRENCY, PRIORITY_EVERY, RUN_CAP_MS)
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
        latencyP90: lat.p90,
        latencies: r.latencies,
        mainCpuMsPerTicket: round((cpu.user + cpu.system) / 1000 / r.ok, 3),
        clientCpuMsPerTicket: r.clientCpuMs === null ? null : round(r.clientCpuMs / r.ok, 3),
        pgCpuMsPerTicket: pg0 === undefined || pg1 === undefined ? null : round((pg1 - pg0) / r.ok, 3),
      };
    };

    ctx.log(`issue: warm-up (${WARMUP} tickets each way)`);
    const warm = await newServices(SERVICES);
    for (const kind of KINDS) await runOnce(-1, 'multi', kind, WARMUP, warm);

    // Rounds interleave the ways (api, raw | raw, api | api, raw …) so the machine's other load falls on both.
    const runs: Run[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      if (r >= 3 && pastDeadline(ctx)) {
        ctx.log(`issue: over the time budget, stopping after ${r} rounds`);
        break;
      }
      for (const mode of ['multi', 'single'] as const) {
        const order = r % 2 === 0 ? KINDS : [...KINDS].reverse();
        for (const kind of order) {
          const services = await newServices(mode === 'multi' ? SERVICES : 1);
          const run = await runOnce(r, mode, kind, TICKETS[mode], services);
          runs.push(run);
          ctx.log(
            `issue: round ${r + 1}/${ROUNDS} ${mode.padEnd(6)} ${kind.padEnd(3)}: ${run.perSecond} tickets/s (${run.tickets} in ${Math.round(run.ms)} ms, ` +
              `p50 ${run.latencyP50} ms, p90 ${run.latencyP90} ms; idle again after ${run.drainMs} ms)`,
          );
        }
      }
    }

    // Diagnostic pass (not part of the figures above): the statements and the hub's CPU profile.
    ctx.log('issue: traced and profiled diagnostic passes');
    pgTrace.start();
    hub.serverTimes.length = 0;
    hub.recording = true;
    const tracedApi = await runOnce(-2, 'multi', 'api', TRACE_TICKETS, await newServices(SERVICES), true);
    const apiCpu = lastCpu!;
    hub.recording = false;
    pgTrace.stop();
    const apiStatements = pgTrace.report(tracedApi.tickets, 40);
    const serverSide = summarize(hub.serverTimes);
    pgTrace.start();
    const tracedRaw = await runOnce(-2, 'multi', 'raw', TRACE_TICKETS, await newServices(SERVICES));
    pgTrace.stop();
    const rawStatements = pgTrace.report(tracedRaw.tickets, 40);
    // Request path = statements run about once (or more) per ticket; the rest ran beside it (debounced
    // waiting counts and board snapshots, token look-ups when the cache expired).
    const pathOf = (list: typeof apiStatements) => list.filter((x) => x.perUnit >= 0.5);
    const roundTrips = (list: typeof apiStatements) => round(pathOf(list).reduce((sum, x) => sum + x.perUnit, 0), 2);
    const rawTexts = new Set(pathOf(rawStatements).map((x) => x.statement));
    const extra = pathOf(apiStatements).filter((x) => !rawTexts.has(x.statement));
    const background = apiStatements.filter((x) => x.perUnit < 0.5).slice(0, 8);

    const byMode = (mode: Mode) => {
      const of = (kind: Kind) => runs.filter((r) => r.mode === mode && r.kind === kind).sort((a, b) => a.round - b.round);
      const rawRuns = of('raw');
      const ratioOf = (key: 'perSecond' | 'sustainedPerSecond'): Spread => {
        const api = of('api');
        const pairs = api.map((a) => [a[key], rawRuns.find((r) => r.round === a.round)?.[key] ?? Number.NaN] as const);
        return ratioSpread(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
        );
      };
      const sum = (kind: Kind) => {
        const list = of(kind);
        const pooled = list.flatMap((r) => r.latencies);
        return {
          perSecond: median(list.map((r) => r.perSecond)),
          sustainedPerSecond: median(list.map((r) => r.sustainedPerSecond)),
          drainMs: median(list.map((r) => r.drainMs)),
          latencyP50: round(median(pooled)),
          latencyTail: tail(pooled),
          mainCpuMsPerTicket: median(list.map((r) => r.mainCpuMsPerTicket)),
          clientCpuMsPerTicket: kind === 'raw' ? null : median(list.map((r) => r.clientCpuMsPerTicket ?? 0)),
          pgCpuMsPerTicket: pgCpu ? median(list.map((r) => r.pgCpuMsPerTicket ?? 0)) : null,
        };
      };
      return { api: sum('api'), raw: sum('raw'), ratio: ratioOf('perSecond'), sustainedRatio: ratioOf('sustainedPerSecond') };
    };
    const multi = byMode('multi');
    const single = byMode('single');
    type Way = ReturnType<typeof byMode>['api'];
    const row = (label: string, m: Way, ratio: Spread | null, sustained: Spread | null) => [
      label,
      m.perSecond,
      ratio ? spreadLabel(ratio) : '1',
      m.sustainedPerSecond,
      sustained ? spreadLabel(sustained) : '1',
      m.latencyP50,
      tailLabel(m.latencyTail),
      m.mainCpuMsPerTicket,
      m.clientCpuMsPerTicket ?? '-',
      m.pgCpuMsPerTicket ?? '-',
    ];
    const target = roundTarget(`issue API/raw (${SERVICES} services)`, multi.ratio, `≥ ${TARGET}×`, (m) => m >= TARGET);
    const cleanRuns = runs.map(({ latencies: _l, ...rest }) => rest);

    const lines = [
      '',
      `== issue: ${CONCURRENCY} concurrent keep-alive clients, ${ROUNDS} interleaved rounds (ratio = median of the rounds' ratios, min–max), up to ${TICKETS.multi} tickets over ${SERVICES} services / ${TICKETS.single} into 1 service per run ==`,
      table(
        ['way', 'tickets/s', '÷ raw', 'sustained/s', '÷ raw', 'p50 ms', 'tail ms (all rounds)', 'bench proc CPU ms/t', 'client CPU ms/t', 'PostgreSQL CPU ms/t'],
        [
          row(`api, ${SERVICES} services`, multi.api, multi.ratio, multi.sustainedRatio),
          row(`raw, ${SERVICES} services`, multi.raw, null, null),
          row('api, 1 service', single.api, single.ratio, single.sustainedRatio),
          row('raw, 1 service', single.raw, null, null),
        ],
      ),
      '  api = a kiosk without printer (the HTTP + hub overhead; printing: part `printing`); raw = the SQL alone.',
      '  sustained = tickets ÷ (run + time until the hub was idle again); bench proc CPU = the hub (api) or the pg driver (raw), drain included.',
      `target: API ≥ ${TARGET}× raw (${SERVICES} services): ${spreadLabel(multi.ratio)} → ${verdict(target.pass)}   (1 service: ${spreadLabel(single.ratio)})`,
      `traced pass (${tracedApi.tickets} tickets): client p50 ${tracedApi.latencyP50} ms, inside the hub (Fastify) p50 ${serverSide.p50} ms; raw p50 ${tracedRaw.latencyP50} ms.`,
      `  round trips per ticket in the request path: api ${roundTrips(apiStatements)}, raw ${roundTrips(rawStatements)}` +
        (extra.length ? `; api's extra: ${extra.map((x) => `${x.statement.slice(0, 60)}… ×${x.perUnit}`).join('; ')}` : ' (the same statements)'),
      '  other queries during the api pass (background):',
      table(
        ['statement', 'runs', 'mean ms'],
        background.map((x) => [x.statement.slice(0, 96), x.calls, x.meanMs]),
      ),
      ...cpuLines(`hub (bench process) CPU, api ${SERVICES} services`, apiCpu, tracedApi.tickets),
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
        multiService: { services: SERVICES, ...multi },
        singleService: single,
        runs: cleanRuns,
        diagnostic: {
          api: { clientP50: tracedApi.latencyP50, hubSide: serverSide, roundTripsPerTicket: roundTrips(apiStatements), statements: apiStatements.slice(0, 20) },
          raw: { p50: tracedRaw.latencyP50, roundTripsPerTicket: roundTrips(rawStatements), statements: rawStatements.slice(0, 12) },
          hubCpu: { api: apiCpu },
        },
      },
      targets: [target, roundTarget('issue API/raw (1 service)', single.ratio, '—', null)],
      notes: [
        `api: POST /api/v1/tickets from ${CONCURRENCY} keep-alive connections (node:http Agent) in the client process, with the token of a kiosk without printer (the hall's kiosk pace limit lifted); the hub runs in the bench process.`,
        `raw: QueueService.issue's statements (findService, hallDay, nextSeq, insertTicket, countAhead, serviceRate in BEGIN/COMMIT) through a pg pool of ${CONCURRENCY} in the bench process.`,
        `Each run issues up to a fixed number of tickets (stopping after ${RUN_CAP_MS / 1000} s) into services of its own (range 1000..999999), every 10th a priority ticket; ways alternate, the order reversed every other round. ` +
          'After each run the bench waits until the hub is idle (event loop < 5 % busy and no query running, 3 checks 100 ms apart).',
        'ratio = median over rounds of (rate / raw rate of the same round), with the lowest and highest round. sustained rate = tickets / (run time + drain time).',
        'Latency tail: the p99 over all rounds of a way (≥ 1,000 tickets); a single run has fewer, so per run only p50/p90.',
      ],
    };
  } finally {
    await swarm.stop().catch(() => undefined);
    await raw.end().catch(() => undefined);
    await hub.close();
    await base.drop().catch((err: unknown) => ctx.log(`issue: drop failed: ${String(err)}`));
  }
}
