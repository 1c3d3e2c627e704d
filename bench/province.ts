/**
 * Provincial-centre load run: one hall with 20 departments, 40 services, 60 counters (60 staff), 10 hall
 * displays, 60 rating tablets and 4 kiosks (WITHOUT printers: this measures the queue, not printing),
 * 5,000 tickets over a day compressed into ~100 s, on TWO hub processes sharing one PostgreSQL database.
 *
 *   node --import tsx bench/province.ts          (or: npm run bench -- province)
 *
 * Processes: this one (kiosks and counter consoles over HTTP, the checks), two hubs (bench/province/hub.ts,
 * buildApp on the bench database, RSS sampled every second), and a socket swarm (bench/province/clients.ts:
 * displays and tablets). Writes bench/results/province.json and prints a table. Environment:
 * BENCH_PROVINCE_TICKETS (5000), BENCH_PROVINCE_DAY_S (100), BENCH_PROVINCE_VOICE (1; 0 turns the hall's
 * voice off), BENCH_DATABASE_URL as for the other parts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Child, repoRoot } from './lib/child.js';
import type { BenchContext } from './lib/context.js';
import { emptyDatabase, serverVersion, startServer } from './lib/database.js';
import { HttpClient, type JsonReply } from './lib/http.js';
import type { HubReadyEvent } from './lib/messages.js';
import { machineInfo, table, type PartResult, type TargetCheck } from './lib/report.js';
import { epochNow, round, sleep, summarize, type Summary } from './lib/stats.js';
import type { ConnectReply, HubStats, ProvinceClientsCommand, ProvinceHubCommand, SwarmCollect } from './province/messages.js';
import { arrivals, compress, hallPlan, normal, REAL_DAY, REAL_DAY_SECONDS, rng } from './province/scenario.js';
import { seedProvince, type ProvinceHall } from './province/seed.js';

const envInt = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  return n;
};

const TICKETS = envInt('BENCH_PROVINCE_TICKETS', 5000, 100, 20_000);
const DAY_S = envInt('BENCH_PROVINCE_DAY_S', 100, 20, 300);
const VOICE = envInt('BENCH_PROVINCE_VOICE', 1, 0, 1) === 1;
const HUBS = 2;
const KIOSKS = 4;
const DISPLAYS = 10;
const SEED = 20261122;
/** Real-world behaviour, compressed with the day (seconds of the real day). */
const REAL = { walkUpMin: 20, walkUpMax: 60, noShowWait: 60, idlePollMin: 150, idlePollMax: 240 } as const;
const NO_SHOW_SHARE = 0.04;
const TRANSFER_SHARE = 0.03;
const RATE_SHARE = 0.6;
/** After the day, counters serve what is left for at most this long. */
const DRAIN_MAX_MS = 60_000;
const RSS_TARGET_MB = 250;
const RESULTS_FILE = path.join(repoRoot, 'bench', 'results', 'province.json');

type Endpoint = 'issue' | 'next' | 'recall' | 'no-show' | 'done' | 'transfer' | 'open' | 'rating';
interface Sample {
  endpoint: Endpoint;
  hub: number;
  /** Epoch ms (this process's clock) when the request started. */
  at: number;
  ms: number;
  status: number;
  error: string | null;
}
interface CallRecord {
  ticketId: number;
  recall: boolean;
  counter: number;
  hub: number;
  at: number;
}

const errorText = (res: JsonReply<unknown>) => {
  const e = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
  return e ? `${e.code ?? '?'}: ${e.message ?? ''}`.slice(0, 200) : JSON.stringify(res.body).slice(0, 200);
};

/** The child's clock minus ours (ms), from the IPC round trip with the smallest delay. */
async function clockOffset(child: Child<{ cmd: 'clock' } | { cmd: string }>, samples = 25): Promise<{ offset: number; rtt: number }> {
  let best = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < samples; i++) {
    const t0 = epochNow();
    const { now } = await child.request<{ now: number }>({ cmd: 'clock' });
    const t1 = epochNow();
    if (t1 - t0 < best) {
      best = t1 - t0;
      offset = now - (t0 + t1) / 2;
    }
  }
  return { offset, rtt: best };
}

/** Busiest window of `windowS` seconds: events per second in it. */
function peakRate(times: number[], t0: number, windowS: number): number {
  if (!times.length) return 0;
  const buckets = new Map<number, number>();
  for (const t of times) {
    const b = Math.floor((t - t0) / 1000);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const last = Math.max(...buckets.keys());
  let best = 0;
  for (let start = Math.min(...buckets.keys()); start <= last; start++) {
    let n = 0;
    for (let k = 0; k < windowS; k++) n += buckets.get(start + k) ?? 0;
    best = Math.max(best, n / windowS);
  }
  return round(best, 1);
}

export async function provincePart(ctx: BenchContext): Promise<PartResult> {
  const started = performance.now();
  const plan = hallPlan(60);
  const random = rng(SEED);
  const schedule = arrivals(plan, TICKETS, DAY_S, KIOSKS, random);
  const scaled = (realSeconds: number) => compress(realSeconds, DAY_S) * 1000;

  const base = await emptyDatabase(ctx.server, 'province');
  const hubs: Child<ProvinceHubCommand>[] = [];
  let swarm: Child<ProvinceClientsCommand> | null = null;
  const clients: HttpClient[] = [];
  try {
    const t = performance.now();
    const hall: ProvinceHall = await seedProvince(base.db, plan, { kiosks: KIOSKS, displays: DISPLAYS, voice: VOICE });
    ctx.log(`province: hall seeded (${plan.services.length} services, ${hall.counters.length} counters, ${KIOSKS} kiosks without printers, ${DISPLAYS} displays, ${hall.counters.length} tablets) in ${Math.round(performance.now() - t)} ms`);

    for (let i = 0; i < HUBS; i++) {
      hubs.push(await Child.startHub<ProvinceHubCommand>(`hub ${'AB'[i]}`, 'bench/province/hub.ts', { BENCH_HUB_DATABASE_URL: base.url, BENCH_HUB_DATA_DIR: ctx.server.scratchDir }));
    }
    swarm = Child.start<ProvinceClientsCommand>('province clients', 'bench/province/clients.ts');
    const urls = await Promise.all(hubs.map((h) => h.waitEvent((e): e is HubReadyEvent => e.event === 'ready', 90_000).then((e) => e.url)));
    ctx.log(`province: ${HUBS} hub processes up (${urls.join(', ')}), ${Math.round(performance.now() - t)} ms after seeding began`);
    const sw = swarm;
    const clock = await clockOffset(sw);

    // Where everything connects: counter k works on hub k % 2; its tablet on hub ⌊k/2⌋ % 2 (half of them
    // on the other process); kiosks and displays alternate.
    const counterHub = (k: number) => k % HUBS;
    const tabletHub = (k: number) => Math.floor(k / 2) % HUBS;
    const conn = await sw.request<ConnectReply>({
      cmd: 'connect',
      displays: hall.displayTokens.map((token, i) => ({ url: urls[i % HUBS]!, token, hub: i % HUBS })),
      tablets: hall.counters.map((c, k) => ({ url: urls[tabletHub(k)]!, token: c.tabletToken, hub: tabletHub(k), counterId: c.id })),
      rateShare: RATE_SHARE,
      rateDelayMs: [scaled(20), scaled(90)],
      seed: SEED + 1,
    });
    if (conn.failed) throw new Error(`${conn.failed} sockets failed to connect: ${conn.firstError ?? '?'}`);
    ctx.log(`province: ${conn.displays} displays and ${conn.tablets} tablets connected in ${conn.ms} ms (clock offset to the swarm ${round(clock.offset, 3)} ms, IPC RTT ${round(clock.rtt, 3)} ms)`);

    const counterApi = urls.map((u) => new HttpClient(u, 40));
    const kioskApi = hall.kioskTokens.map((_, i) => new HttpClient(urls[i % HUBS]!, 16));
    clients.push(...counterApi, ...kioskApi);
    const samples: Sample[] = [];
    const calls: CallRecord[] = [];
    const issuedIds: number[] = [];

    const timed = async <T>(endpoint: Endpoint, hub: number, run: () => Promise<JsonReply<T>>, ok: (s: number) => boolean): Promise<JsonReply<T> | null> => {
      const at = epochNow();
      try {
        const res = await run();
        samples.push({ endpoint, hub, at, ms: epochNow() - at, status: res.status, error: ok(res.status) ? null : errorText(res) });
        return res;
      } catch (err) {
        samples.push({ endpoint, hub, at, ms: epochNow() - at, status: 0, error: err instanceof Error ? err.message : String(err) });
        return null;
      }
    };

    await Promise.all(
      hall.counters.map((c, k) =>
        timed('open', counterHub(k), () => counterApi[counterHub(k)]!.request('POST', `/api/v1/counters/${c.id}/open`, { token: c.staffToken }), (s) => s === 200),
      ),
    );
    await sleep(1000);

    // ---- the day ----
    const dayStart = epochNow();
    const dayEnd = dayStart + DAY_S * 1000;
    const drainEnd = Math.min(dayEnd + DRAIN_MAX_MS, ctx.deadline - 25_000);
    ctx.log(`province: day starts — ${TICKETS} arrivals over ${DAY_S} s (the real 7:30–17:00 day, ×${Math.round(REAL_DAY_SECONDS / DAY_S)}), counters serve until the queue is empty (at most ${Math.round((drainEnd - dayEnd) / 1000)} s past the day)`);
    let kiosksDone = false;
    const inFlight = new Set<Promise<unknown>>();
    const kiosks = (async () => {
      for (const a of schedule) {
        const wait = dayStart + a.at * 1000 - epochNow();
        if (wait > 1) await sleep(wait);
        const hub = a.kiosk % HUBS;
        const p = timed(
          'issue',
          hub,
          () => kioskApi[a.kiosk]!.request<{ id: number }>('POST', '/api/v1/tickets', { token: hall.kioskTokens[a.kiosk]!, body: { serviceId: hall.serviceIds[a.service]!, priority: a.priority } }),
          (s) => s === 201,
        ).then((res) => {
          if (res?.status === 201) issuedIds.push(res.body.id);
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      await Promise.all(inFlight);
      kiosksDone = true;
    })();

    const progress = setInterval(() => {
      const issued = samples.filter((s) => s.endpoint === 'issue').length;
      ctx.log(`province: t=${Math.round((epochNow() - dayStart) / 1000)} s: ${issued} issued, ${calls.filter((c) => !c.recall).length} called`);
    }, 15_000);

    const counterRandom = hall.counters.map((_, k) => rng(SEED + 100 + k));
    const counterLoop = async (k: number) => {
      const c = hall.counters[k]!;
      const hub = counterHub(k);
      const api = counterApi[hub]!;
      const r = counterRandom[k]!;
      const post = <T>(endpoint: Endpoint, action: string, body?: unknown, ok: (s: number) => boolean = (s) => s === 200) =>
        timed<T>(endpoint, hub, () => api.request<T>('POST', `/api/v1/counters/${c.id}/${action}`, { token: c.staffToken, body }), ok);
      let emptyAfterDay = 0;
      while (epochNow() < drainEnd) {
        const at = epochNow();
        const res = await post<{ ticket: { id: number; serviceId: number } }>('next', 'next', undefined, (s) => s === 200 || s === 204);
        if (!res || (res.status !== 200 && res.status !== 204)) {
          await sleep(200);
          continue;
        }
        if (res.status === 204) {
          if (kiosksDone && epochNow() > dayEnd && ++emptyAfterDay >= 2) return;
          await sleep(scaled(REAL.idlePollMin + r() * (REAL.idlePollMax - REAL.idlePollMin)));
          continue;
        }
        emptyAfterDay = 0;
        const ticket = res.body.ticket;
        calls.push({ ticketId: ticket.id, recall: false, counter: c.id, hub, at });
        if (r() < NO_SHOW_SHARE) {
          await sleep(scaled(REAL.noShowWait));
          const rat = epochNow();
          const re = await post('recall', 'recall');
          if (re?.status === 200) calls.push({ ticketId: ticket.id, recall: true, counter: c.id, hub, at: rat });
          await sleep(scaled(REAL.noShowWait));
          await post('no-show', 'no-show', {});
          continue;
        }
        await sleep(scaled(REAL.walkUpMin + r() * (REAL.walkUpMax - REAL.walkUpMin)));
        const svc = plan.services[hall.serviceIds.indexOf(ticket.serviceId)];
        const minutes = svc?.minutes ?? 4;
        const sigma = 0.5;
        const serviceMs = Math.min(4, Math.max(0.15, Math.exp(sigma * normal(r) - (sigma * sigma) / 2))) * scaled(minutes * 60);
        await sleep(serviceMs);
        if (r() < TRANSFER_SHARE) {
          let target = ticket.serviceId;
          while (target === ticket.serviceId) target = hall.serviceIds[Math.floor(r() * hall.serviceIds.length)]!;
          await post('transfer', 'transfer', { serviceId: target });
        } else {
          await post('done', 'done');
        }
      }
    };
    await Promise.all(hall.counters.map((_, k) => counterLoop(k)));
    await kiosks;
    clearInterval(progress);
    const servedUntil = epochNow();
    ctx.log(`province: counters finished ${round((servedUntil - dayEnd) / 1000, 1)} s after the day's end`);

    // Let the last ratings and fan-outs land (bounded: 20 s).
    const settleT0 = epochNow();
    let settled = { pending: -1, incompleteCalls: -1 };
    while (epochNow() - settleT0 < 20_000) {
      await sleep(500);
      settled = await sw.request<{ pending: number; incompleteCalls: number }>({ cmd: 'pending' });
      if (settled.pending === 0 && settled.incompleteCalls === 0) break;
    }
    const settleMs = Math.round(epochNow() - settleT0);
    ctx.log(`province: clients settled in ${settleMs} ms (${settled.pending} ratings pending, ${settled.incompleteCalls} calls not yet on every display)`);
    const seen = await sw.request<SwarmCollect>({ cmd: 'collect' }, 60_000);
    const hubStats = await Promise.all(hubs.map((h) => h.request<HubStats>({ cmd: 'stats' })));

    // ---- correctness, from the database ----
    const q = <R extends object>(sql: string, params: unknown[] = [hall.hallId]) => base.db.query<R>(sql, params).then((r) => r.rows);
    const numbering = await q<{ service_id: number; last_seq: number | null; n: number; distinct_seq: number; min_seq: number | null; max_seq: number | null; bad_numbers: number }>(
      `SELECT s.id AS service_id, ts.last_seq, count(t.id)::int AS n, count(DISTINCT t.seq)::int AS distinct_seq, min(t.seq) AS min_seq, max(t.seq) AS max_seq,
              count(t.id) FILTER (WHERE t.number <> (s.number_start + t.seq - 1)::text)::int AS bad_numbers
         FROM services s LEFT JOIN ticket_sequences ts ON ts.service_id = s.id
         LEFT JOIN tickets t ON t.service_id = s.id AND t.transferred_from IS NULL
        WHERE s.hall_id = $1 GROUP BY s.id, ts.last_seq ORDER BY s.id`,
    );
    const gappy = numbering.filter((r) => r.n !== r.distinct_seq || r.n !== (r.last_seq ?? 0) || (r.n > 0 && (r.min_seq !== 1 || r.max_seq !== r.n)) || r.bad_numbers > 0);
    const statusRows = await q<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM tickets WHERE hall_id = $1 GROUP BY status ORDER BY status`);
    const statuses = Object.fromEntries(statusRows.map((r) => [r.status, r.n]));
    const [{ kiosk_tickets, transfers_in_db, missing_issued }] = (await q<{ kiosk_tickets: number; transfers_in_db: number; missing_issued: number }>(
      `SELECT count(*) FILTER (WHERE transferred_from IS NULL)::int AS kiosk_tickets, count(*) FILTER (WHERE transferred_from IS NOT NULL)::int AS transfers_in_db,
              (SELECT count(*)::int FROM unnest($2::bigint[]) AS i(id) WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = i.id)) AS missing_issued
         FROM tickets WHERE hall_id = $1`,
      [hall.hallId, issuedIds],
    )) as [{ kiosk_tickets: number; transfers_in_db: number; missing_issued: number }];
    const dbCalls = await q<{ ticket_id: number; recall: boolean; counter_id: number }>(`SELECT ticket_id, recall, counter_id FROM calls WHERE hall_id = $1 ORDER BY id`);
    const callsPerTicket = new Map<number, number>();
    for (const c of dbCalls) if (!c.recall) callsPerTicket.set(c.ticket_id, (callsPerTicket.get(c.ticket_id) ?? 0) + 1);
    const calledTwiceDb = [...callsPerTicket.values()].filter((n) => n > 1).length;
    const clientCallIds = calls.filter((c) => !c.recall).map((c) => c.ticketId);
    const calledTwiceClient = clientCallIds.length - new Set(clientCallIds).size;
    const recallsPerTicket = new Map<number, number>();
    for (const c of dbCalls) if (c.recall) recallsPerTicket.set(c.ticket_id, (recallsPerTicket.get(c.ticket_id) ?? 0) + 1);
    const [{ ratings_in_db }] = (await q<{ ratings_in_db: number }>(`SELECT count(*)::int AS ratings_in_db FROM ratings WHERE hall_id = $1`)) as [{ ratings_in_db: number }];

    // Every display saw every call (keyed by ticket and recall: the bench recalls a ticket at most once).
    const displayHubs = seen.displayHubs;
    let missedDeliveries = 0;
    let callsMissed = 0;
    /** Missed deliveries by [hub of the calling counter][hub of the display]. */
    const missedByHubs: number[][] = Array.from({ length: HUBS }, () => new Array<number>(HUBS).fill(0));
    const counterHubById = new Map(hall.counters.map((c, k) => [c.id, counterHub(k)]));
    for (const c of dbCalls) {
      const slots = seen.calls[`${c.ticket_id}:${c.recall ? 1 : 0}`];
      let missing = 0;
      displayHubs.forEach((dh, d) => {
        if (slots?.[d] != null) return;
        missing++;
        missedByHubs[counterHubById.get(c.counter_id) ?? 0]![dh]! += 1;
      });
      missedDeliveries += missing;
      if (missing) callsMissed++;
    }

    // ---- figures ----
    const of = (e: Endpoint, ok: (s: number) => boolean) => samples.filter((s) => s.endpoint === e && ok(s.status));
    const okIssue = of('issue', (s) => s === 201);
    const okNext = of('next', (s) => s === 200);
    const next204 = of('next', (s) => s === 204);
    const latency = (list: Sample[]) => summarize(list.map((s) => s.ms));
    const ratingOk = seen.ratings.filter((r) => r.status === 201);
    const callToDisplay: number[] = [];
    const sameHub: number[] = [];
    const crossHub: number[] = [];
    for (const c of calls) {
      const slots = seen.calls[`${c.ticketId}:${c.recall ? 1 : 0}`];
      if (!slots) continue;
      slots.forEach((t, d) => {
        if (t === null) return;
        const ms = t - clock.offset - c.at;
        callToDisplay.push(ms);
        (displayHubs[d] === c.hub ? sameHub : crossHub).push(ms);
      });
    }
    const errorSamples = [
      ...samples.filter((s) => !(s.status >= 200 && s.status < 300) && !(s.endpoint === 'next' && s.status === 204)),
      ...seen.ratings.filter((r) => r.status !== 201).map((r) => ({ endpoint: 'rating' as Endpoint, hub: r.hub, at: r.at, ms: r.ms, status: r.status, error: r.error })),
    ];
    const errorGroups = new Map<string, { n: number; example: string }>();
    for (const e of errorSamples) {
      const key = `${e.endpoint} ${e.status}`;
      const g = errorGroups.get(key) ?? { n: 0, example: e.error ?? '' };
      g.n++;
      errorGroups.set(key, g);
    }
    const dayMs = Math.max(...okIssue.map((s) => s.at)) - dayStart;
    const callSpanMs = okNext.length ? Math.max(...okNext.map((s) => s.at)) - Math.min(...okNext.map((s) => s.at)) : 0;
    const throughput = {
      issuedPerSecOverall: round(okIssue.length / (dayMs / 1000), 1),
      issuedPerSecPeak5s: peakRate(okIssue.map((s) => s.at), dayStart, 5),
      issuedPerSecPeak1s: peakRate(okIssue.map((s) => s.at), dayStart, 1),
      callsPerSecOverall: round(okNext.length / Math.max(1, callSpanMs / 1000), 1),
      callsPerSecPeak5s: peakRate(okNext.map((s) => s.at), dayStart, 5),
      callsPerSecPeak1s: peakRate(okNext.map((s) => s.at), dayStart, 1),
      ratingsPerSecOverall: round(ratingOk.length / Math.max(1, callSpanMs / 1000), 1),
      requestsPerSecOverall: round((samples.length + seen.ratings.length) / ((servedUntil - dayStart) / 1000), 1),
    };
    const lat: Record<string, Summary> = {
      issue: latency(okIssue),
      callNext: latency(okNext),
      callNextEmpty204: latency(next204),
      done: latency(of('done', (s) => s === 200)),
      recall: latency(of('recall', (s) => s === 200)),
      noShow: latency(of('no-show', (s) => s === 200)),
      transfer: latency(of('transfer', (s) => s === 200)),
      rating: summarize(ratingOk.map((r) => r.ms)),
      callToDisplay: summarize(callToDisplay),
      callToDisplaySameHub: summarize(sameHub),
      callToDisplayCrossHub: summarize(crossHub),
    };
    const atHour = (h: number) => dayStart + ((h - REAL_DAY.start) * 3600 / REAL_DAY_SECONDS) * DAY_S * 1000;
    const byPhase = (e: Endpoint, from: number, to: number) => summarize(samples.filter((s) => s.endpoint === e && s.status < 300 && s.status >= 200 && s.at >= from && s.at < to).map((s) => s.ms));
    const hubFigures = hubStats.map((h, i) => ({
      hub: 'AB'[i],
      peakRssMB: h.peakRssMB,
      finalRssMB: h.finalRssMB,
      heapUsedMB: h.heapUsedMB,
      cpuS: round((h.cpuUserMs + h.cpuSystemMs) / 1000, 1),
      eventLoopUtilisation: h.elu,
      rssSeriesMB: h.rssSeries,
      broadcasts: h.publish.times.length,
      broadcastsByEvent: h.publish.byEvent,
      adapterPublishWaitMs: summarize(h.publish.times),
      adapterPublishFailed: h.publish.failed,
      adapterPublishFirstError: h.publish.firstError,
      serverTimeMs: Object.fromEntries(Object.entries(h.server).map(([g, v]) => [g, { ...summarize(v.times), statuses: v.statuses }])),
    }));

    const checks = [
      { name: 'numbers gap-free per service (seq 1..n = ticket_sequences, number = start+seq-1)', pass: gappy.length === 0, detail: gappy.length ? `${gappy.length} services wrong: ${JSON.stringify(gappy.slice(0, 3))}` : `${numbering.filter((r) => r.n > 0).length} services, ${kiosk_tickets} numbers` },
      {
        name: 'every issued ticket finished or still waiting',
        pass: missing_issued === 0 && kiosk_tickets === okIssue.length && !statuses.called && !statuses.serving && !statuses.cancelled,
        detail: `${okIssue.length} issued (201) = ${kiosk_tickets} kiosk tickets in the database, ${missing_issued} missing; statuses ${JSON.stringify(statuses)}`,
      },
      {
        name: 'no ticket called twice',
        pass: calledTwiceDb === 0 && calledTwiceClient === 0 && callsPerTicket.size === okNext.length,
        detail: `${okNext.length} call-next answers with a ticket = ${callsPerTicket.size} called tickets in calls; twice: ${calledTwiceDb} in the database, ${calledTwiceClient} among answers; ${recallsPerTicket.size} recalls`,
      },
      { name: 'every display saw every call', pass: missedDeliveries === 0 && dbCalls.length > 0, detail: `${dbCalls.length} calls × ${displayHubs.length} displays; ${missedDeliveries} deliveries missing (${callsMissed} calls; by [calling hub][display hub] ${JSON.stringify(missedByHubs)}); adapter publishes failed: ${hubStats.map((h) => `${h.publish.failed}${h.publish.firstError ? ` (${h.publish.firstError})` : ''}`).join(', ')}` },
      { name: 'ratings stored = ratings answered 201', pass: ratings_in_db === ratingOk.length && seen.foreignRequests === 0, detail: `${ratingOk.length} answered 201, ${ratings_in_db} in the database; ${seen.ratingRequests} rating:request received, ${seen.foreignRequests} for another counter, ${seen.duplicateRequests} repeated` },
      { name: 'transfers stored', pass: transfers_in_db === of('transfer', (s) => s === 200).length, detail: `${of('transfer', (s) => s === 200).length} answered 200, ${transfers_in_db} transferred tickets in the database` },
    ];
    const allPass = checks.every((c) => c.pass);

    const config = {
      tickets: TICKETS,
      compressedDaySeconds: DAY_S,
      realDay: '07:30–17:00, lunch lull 11:30–13:30',
      compression: Math.round(REAL_DAY_SECONDS / DAY_S),
      hubs: HUBS,
      departments: 20,
      services: plan.services.length,
      counters: hall.counters.length,
      servicesPerCounter: { 1: plan.counters.filter((c) => c.services.length === 1).length, 2: plan.counters.filter((c) => c.services.length === 2).length, 3: plan.counters.filter((c) => c.services.length === 3).length },
      staff: hall.counters.length,
      kiosks: `${KIOSKS} (no printers)`,
      displays: DISPLAYS,
      tablets: conn.tablets,
      voice: VOICE ? 'on (the hub renders each announcement with espeak-ng)' : 'off',
      noShowShare: NO_SHOW_SHARE,
      transferShare: TRANSFER_SHARE,
      rateShare: RATE_SHARE,
      priorityShare: 0.07,
      seed: SEED,
    };
    const figures = {
      config,
      durationMs: { day: Math.round(dayMs), servedUntilAfterDayEnd: Math.round(servedUntil - dayEnd) },
      counts: {
        issued: okIssue.length,
        calls: okNext.length,
        recalls: of('recall', (s) => s === 200).length,
        noShows: of('no-show', (s) => s === 200).length,
        transfers: of('transfer', (s) => s === 200).length,
        done: of('done', (s) => s === 200).length,
        next204: next204.length,
        ratingRequests: seen.ratingRequests,
        ratings: ratingOk.length,
        leftWaiting: statuses.waiting ?? 0,
      },
      throughput,
      latencyMs: lat,
      latencyByPhaseMs: {
        morningPeak0815to0930: { issue: byPhase('issue', atHour(8.25), atHour(9.5)), next: byPhase('next', atHour(8.25), atHour(9.5)) },
        lunchLull1200to1330: { issue: byPhase('issue', atHour(12), atHour(13.5)), next: byPhase('next', atHour(12), atHour(13.5)) },
      },
      hubs: hubFigures,
      errors: { total: errorSamples.length, byEndpointStatus: Object.fromEntries(errorGroups) },
      checks,
      socketDisconnects: seen.disconnects,
      settleMs,
      clock: { swarmOffsetMs: round(clock.offset, 3), ipcRttMs: round(clock.rtt, 3) },
    };

    const f = (s: Summary) => `${s.p50} / ${s.p99}`;
    console.log(
      [
        '',
        `== province: ${TICKETS} tickets over a ${DAY_S} s day (×${config.compression}), ${HUBS} hub processes on one database ==`,
        `${plan.services.length} services of 20 departments at ${hall.counters.length} counters; ${KIOSKS} kiosks WITHOUT printers (the queue is measured, not printing); ${DISPLAYS} displays, ${conn.tablets} tablets; voice ${VOICE ? 'on' : 'off'}`,
        table(
          ['throughput', 'overall /s', 'peak 5 s /s', 'peak 1 s /s', 'count'],
          [
            ['tickets issued', throughput.issuedPerSecOverall, throughput.issuedPerSecPeak5s, throughput.issuedPerSecPeak1s, okIssue.length],
            ['calls (next → ticket)', throughput.callsPerSecOverall, throughput.callsPerSecPeak5s, throughput.callsPerSecPeak1s, okNext.length],
            ['ratings', throughput.ratingsPerSecOverall, '-', '-', ratingOk.length],
          ],
        ),
        '',
        table(
          ['latency ms', 'n', 'p50', 'p90', 'p99', 'max'],
          [
            ['issue POST /tickets', lat.issue!],
            ['call-next POST /next (200)', lat.callNext!],
            ['next when nobody waits (204)', lat.callNextEmpty204!],
            ['done', lat.done!],
            ['call → each display (all)', lat.callToDisplay!],
            ['  display on the same hub', lat.callToDisplaySameHub!],
            ['  display on the other hub', lat.callToDisplayCrossHub!],
            ['rating POST /ratings', lat.rating!],
          ].map(([name, s]) => [name as string, (s as Summary).n, (s as Summary).p50, (s as Summary).p90, (s as Summary).p99, (s as Summary).max]),
        ),
        `p50 / p99 at the morning peak (8:15–9:30): issue ${f(figures.latencyByPhaseMs.morningPeak0815to0930.issue)} ms, next ${f(figures.latencyByPhaseMs.morningPeak0815to0930.next)} ms; in the lunch lull (12:00–13:30): issue ${f(figures.latencyByPhaseMs.lunchLull1200to1330.issue)} ms, next ${f(figures.latencyByPhaseMs.lunchLull1200to1330.next)} ms`,
        '',
        table(
          ['hub process', 'peak RSS MB (1 s samples)', 'RSS at end MB', 'CPU s', 'event loop busy', 'broadcasts', 'pg_notify wait p50/p99 ms', 'server next p50/p99 ms'],
          hubFigures.map((h) => [
            `hub ${h.hub}`,
            h.peakRssMB,
            h.finalRssMB,
            h.cpuS,
            `${Math.round(h.eventLoopUtilisation * 100)} %`,
            h.broadcasts,
            `${h.adapterPublishWaitMs.p50} / ${h.adapterPublishWaitMs.p99}`,
            h.serverTimeMs.next ? `${h.serverTimeMs.next.p50} / ${h.serverTimeMs.next.p99}` : '-',
          ]),
        ),
        '',
        `errors (non-2xx, except 204 from next): ${errorSamples.length}${errorGroups.size ? ` — ${[...errorGroups].map(([k, v]) => `${k}: ${v.n} (${v.example})`).join('; ')}` : ''}`,
        `counts: ${JSON.stringify(figures.counts)}`,
        table(['check', 'result', 'detail'], checks.map((c) => [c.name, c.pass ? 'PASS' : 'FAIL', c.detail])),
      ].join('\n'),
    );

    const targets: TargetCheck[] = [
      { name: 'province: correctness checks passed', value: checks.filter((c) => c.pass).length, target: `= ${checks.length}`, pass: allPass },
      { name: 'province: errors (non-2xx except 204)', value: errorSamples.length, target: '= 0', pass: errorSamples.length === 0 },
      ...hubFigures.map((h) => ({ name: `province: hub ${h.hub} peak RSS MB`, value: h.peakRssMB, target: `< ${RSS_TARGET_MB}`, pass: h.peakRssMB < RSS_TARGET_MB })),
    ];
    const notes = [
      `Arrivals are open-loop (each kiosk fires at its scheduled time, up to 16 requests in flight per kiosk); the curve is a morning peak around 8:45, a lunch lull 11:30–13:30 and an afternoon peak around 14:30 of a real 7:30–17:00 day compressed ×${config.compression}.`,
      'Counters: next → walk-up → service time (log-normal around the service\'s real minutes, compressed) → done; 4 % no-shows (recall, then no-show), 3 % transfers to another service; when nobody waits a counter polls next again after 0.4–0.6 s. After the day counters serve until next answers 204 twice.',
      `Tablets answer ${RATE_SHARE * 100} % of their rating:request prompts (they come over socket.io from whichever hub finished the ticket) with POST /ratings to the hub the tablet is connected to; half the tablets are on the other hub than their counter.`,
      'Call → display: from just before the call-next (or recall) request in the bench process to the display receiving `call` in the swarm process (clock offset measured over IPC), for every display, both hubs.',
      'Peak RSS: process.memoryUsage().rss sampled every second inside each hub process from listen to the end. Server times per route are Fastify reply.elapsedTime inside each hub.',
    ];
    const result: PartResult = { part: 'province', measuredAt: new Date().toISOString(), durationMs: Math.round(performance.now() - started), figures, targets, notes };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(
      RESULTS_FILE,
      `${JSON.stringify({ schema: 1, measuredAt: result.measuredAt, machine: machineInfo(), loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 2)), ...figures, durationMs: { total: result.durationMs, ...figures.durationMs }, targets, notes }, null, 2)}\n`,
    );
    ctx.log(`province: results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
    return result;
  } finally {
    for (const c of clients) c.close();
    if (swarm) {
      await swarm.request({ cmd: 'close' }, 5000).catch(() => undefined);
      await swarm.stop();
    }
    await Promise.all(hubs.map(async (h) => {
      await h.request({ cmd: 'stop' }, 5000).catch(() => undefined);
      await h.stop();
    }));
    await base.drop().catch((err: unknown) => ctx.log(`province: drop failed: ${String(err)}`));
  }
}

/** Standalone: its own embedded PostgreSQL, this part only. */
async function main(): Promise<number> {
  const t0 = Date.now();
  const log = (line: string) => process.stdout.write(`[province ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
  const server = await startServer(log);
  try {
    log(`database: ${await serverVersion(server)}`);
    const ctx: BenchContext = { server, log, deadline: Date.now() + 210_000 };
    const result = await provincePart(ctx);
    console.log(`\n${table(['target', 'measured', 'wanted', 'verdict'], result.targets.map((c) => [c.name, c.value, c.target, c.pass ? 'PASS' : 'MISS']))}`);
    log(`done in ${Math.round((Date.now() - t0) / 1000)} s`);
    return 0;
  } finally {
    await server.stop().catch((err: unknown) => log(`database stop failed: ${String(err)}`));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const hard = setTimeout(() => {
    process.stderr.write('province: over the hard limit of 5 minutes: giving up\n');
    process.exit(3);
  }, 5 * 60_000);
  hard.unref();
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`province failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
