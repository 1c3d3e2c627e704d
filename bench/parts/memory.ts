/**
 * Part 4 — memory: RSS of the hub in a process of its own (bench/hub-process.ts) through a day:
 * 5,000 tickets issued over HTTP and served by the six counters, then 1,000 display clients, then live
 * calls fanned out to them. The target: under 250 MB with 1,000 clients and a day of tickets.
 */
import type { BenchContext } from '../lib/context.js';
import { pastDeadline } from '../lib/context.js';
import { Child } from '../lib/child.js';
import { freshDatabase } from '../lib/database.js';
import { HttpClient } from '../lib/http.js';
import type { HubCommand, HubReadyEvent, MemorySample } from '../lib/messages.js';
import { table, verdict, type PartResult } from '../lib/report.js';
import { epochNow, round, sleep, summarize } from '../lib/stats.js';
import { Swarm } from '../lib/swarm.js';
import { DEMO_STAFF_PASSWORD } from '../../server/demo/seed.js';
import { CLIENTS } from './fanout.js';

const TICKETS = 5000;
const LIVE_CALLS = 30;
const TARGET_MB = 250;
/** Serving stops this long before the part's deadline, to leave time for the clients and live calls. */
const SERVE_RESERVE_MS = 30_000;
const MB = 1024 * 1024;

const mb = (bytes: number) => round(bytes / MB, 1);

export async function memoryPart(ctx: BenchContext): Promise<PartResult> {
  const started = performance.now();
  const base = await freshDatabase(ctx.server, 'memory');
  // --expose-gc only lets the bench ask for a collection after measuring RSS, to tell live memory from garbage.
  const hubProc = await Child.startHub<HubCommand>('hub', 'bench/hub-process.ts', { BENCH_HUB_DATABASE_URL: base.url, BENCH_HUB_DATA_DIR: ctx.server.scratchDir }, ['--expose-gc']);
  const swarm = new Swarm();
  let http: HttpClient | null = null;
  try {
    const ready = await hubProc.waitEvent((e): e is HubReadyEvent => e.event === 'ready', 60_000);
    const url = ready.url;
    http = new HttpClient(url, 8);
    const h = http;
    const mem = (gc: boolean) => hubProc.request<MemorySample>({ cmd: 'mem', gc });
    const samples: { stage: string; sample: MemorySample }[] = [];
    // Only the last sample forces a collection (after reading RSS), so no stage starts from an unnaturally clean heap.
    const snap = async (stage: string, gc = false) => {
      const sample = await mem(gc);
      samples.push({ stage, sample });
      ctx.log(
        `memory: ${stage}: RSS ${mb(sample.rss)} MB, peak during ${mb(sample.peakRssSinceLast)} MB (heap ${mb(sample.heapUsed)} MB; ` +
          (sample.afterGc ? `after a forced GC: RSS ${mb(sample.afterGc.rss)} MB, heap ${mb(sample.afterGc.heapUsed)} MB)` : 'no forced GC)'),
      );
    };
    await snap('hub started');

    const hallId = base.demo.hallId;
    const { rows: svc } = await base.db.query<{ id: number }>('SELECT id FROM services WHERE hall_id = $1 ORDER BY id', [hallId]);
    const services = svc.map((r) => r.id);

    ctx.log(`memory: issuing ${TICKETS} tickets over HTTP`);
    const issued = await swarm.issue(url, base.demo.kioskToken, services, TICKETS, 16, 10);
    if (issued.failed) throw new Error(`${issued.failed} issues failed: ${issued.firstError ?? '?'}`);
    await snap(`${TICKETS} tickets issued`);

    // Six staff serve the day: each counter calls next until nobody waits for it (that last call, answered
    // 204, also finishes the ticket in progress).
    ctx.log('memory: six counters serving the day');
    const { rows: counters } = await base.db.query<{ id: number; number: number }>('SELECT id, number FROM counters WHERE hall_id = $1 ORDER BY number', [hallId]);
    const tokens = new Map<number, string>();
    for (const c of counters) {
      const login = await h.must<{ token: string }>('POST', '/api/v1/auth/login', 200, { body: { username: `canbo${c.number}`, password: DEMO_STAFF_PASSWORD } });
      tokens.set(c.id, login.body.token);
      await h.must('POST', `/api/v1/counters/${c.id}/open`, 200, { token: login.body.token });
    }
    const serveT0 = performance.now();
    let calls = 0;
    await Promise.all(
      counters.map(async (c) => {
        const token = tokens.get(c.id)!;
        for (let i = 0; i <= TICKETS && Date.now() < ctx.deadline - SERVE_RESERVE_MS; i++) {
          const res = await h.request('POST', `/api/v1/counters/${c.id}/next`, { token });
          if (res.status === 204) break;
          if (res.status !== 200) throw new Error(`counter ${c.number} next: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          calls++;
        }
      }),
    );
    const serveMs = Math.round(performance.now() - serveT0);
    // Whatever the time box left waiting is served in SQL (done, with its call), so the database holds a whole day.
    const { rowCount: servedInSql } = await base.db.query(
      `WITH pick AS (
         SELECT DISTINCT ON (cs.service_id) cs.service_id, c.id AS counter_id, c.staff_id
           FROM counter_services cs JOIN counters c ON c.id = cs.counter_id WHERE c.hall_id = $1 ORDER BY cs.service_id, c.id),
       upd AS (
         UPDATE tickets t SET status = 'done', counter_id = p.counter_id, staff_id = p.staff_id, called_at = now(), serving_at = now(),
                finished_at = now(), call_count = t.call_count + 1
           FROM pick p WHERE t.hall_id = $1 AND t.status = 'waiting' AND p.service_id = t.service_id
         RETURNING t.id, t.counter_id)
       INSERT INTO calls (hall_id, ticket_id, counter_id, recall) SELECT $1, id, counter_id, false FROM upd`,
      [hallId],
    );
    const { rows: done } = await base.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE hall_id = $1 AND status = 'done'`, [hallId]);
    ctx.log(`memory: ${calls} calls in ${serveMs} ms${servedInSql ? `, the ${servedInSql} left served in SQL` : ''}; ${done[0]!.n} tickets done`);
    await snap(`day served (${calls} through the API)`);

    ctx.log(`memory: connecting ${CLIENTS} display clients`);
    const conn = await swarm.connect(url, base.demo.displayToken, CLIENTS);
    if (conn.failed) ctx.log(`memory: ${conn.failed} clients failed to connect (${conn.firstError ?? '?'})`);
    await sleep(2000);
    await snap(`${conn.connected} clients connected`);

    // Live: calls fanned out to every display while the clients stay connected.
    await swarm.calibrateClock();
    const c1 = counters.find((c) => c.number === 1)!;
    const { rows: c1svc } = await base.db.query<{ service_id: number }>('SELECT service_id FROM counter_services WHERE counter_id = $1 ORDER BY service_id', [c1.id]);
    for (let i = 0; i < LIVE_CALLS; i++) {
      await h.must('POST', '/api/v1/tickets', 201, { token: base.demo.kioskToken, body: { serviceId: c1svc[i % c1svc.length]!.service_id } });
    }
    await sleep(1500);
    await snap(`${LIVE_CALLS} more tickets issued one by one (each printed)`);
    const live: number[] = [];
    let incomplete = 0;
    for (let i = 0; i < LIVE_CALLS && (i < 10 || !pastDeadline(ctx)); i++) {
      const t0 = epochNow();
      const res = await h.must<{ ticket: { id: number } }>('POST', `/api/v1/counters/${c1.id}/next`, 200, { token: tokens.get(c1.id)! });
      const got = await swarm.received(res.body.ticket.id);
      if (!got.complete) incomplete++;
      live.push(Math.max(...got.times) - t0);
    }
    await h.must('POST', `/api/v1/counters/${c1.id}/done`, 200, { token: tokens.get(c1.id)! });
    await sleep(2000);
    await snap(`${live.length} live calls to ${conn.connected} clients`, true);

    const final = samples[samples.length - 1]!.sample;
    const peak = Math.max(...samples.map((s) => s.sample.peakRss));
    const liveFanout = summarize(live);
    const pass = mb(final.rss) < TARGET_MB;

    console.log(
      [
        '',
        `== memory: hub process RSS through a day (${TICKETS} tickets issued and served, ${conn.connected} display clients) ==`,
        table(
          ['stage', 'RSS MB at end', 'peak RSS MB during', 'heap used MB', 'external MB', 'after GC: RSS MB', 'after GC: heap MB'],
          samples.map((s) => [
            s.stage,
            mb(s.sample.rss),
            mb(s.sample.peakRssSinceLast),
            mb(s.sample.heapUsed),
            mb(s.sample.external),
            s.sample.afterGc ? mb(s.sample.afterGc.rss) : '-',
            s.sample.afterGc ? mb(s.sample.afterGc.heapUsed) : '-',
          ]),
        ),
        `peak RSS (sampled every 100 ms): ${mb(peak)} MB; serving: ${calls} calls in ${serveMs} ms; ` +
          `live call → all ${conn.connected} clients (hub in its own process), ${liveFanout.n} calls (too few for percentiles): median ${liveFanout.p50} ms, max ${liveFanout.max} ms${incomplete ? `, ${incomplete} incomplete` : ''}`,
        `target: RSS < ${TARGET_MB} MB with ${conn.connected} clients and a day of tickets: ${mb(final.rss)} MB → ${verdict(pass)}`,
      ].join('\n'),
    );

    await swarm.disconnect();
    return {
      part: 'memory',
      measuredAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      figures: {
        ticketsIssued: issued.ok,
        issueMs: round(issued.ms, 0),
        serveCalls: calls,
        serveMs,
        servedInSql: servedInSql ?? 0,
        ticketsDone: done[0]!.n,
        clients: conn.connected,
        stagesMB: samples.map((s) => ({
          stage: s.stage,
          rss: mb(s.sample.rss),
          peakDuring: mb(s.sample.peakRssSinceLast),
          heapUsed: mb(s.sample.heapUsed),
          heapTotal: mb(s.sample.heapTotal),
          external: mb(s.sample.external),
          afterGc: s.sample.afterGc ? { rss: mb(s.sample.afterGc.rss), heapUsed: mb(s.sample.afterGc.heapUsed), external: mb(s.sample.afterGc.external) } : null,
        })),
        finalRssMB: mb(final.rss),
        peakRssMB: mb(peak),
        liveFanout,
      },
      targets: [{ name: `hub RSS MB (${conn.connected} clients + ${TICKETS} tickets)`, value: mb(final.rss), target: `< ${TARGET_MB}`, pass }],
      notes: [
        'The hub runs alone in bench/hub-process.ts (node --import tsx --expose-gc, as npm start runs it under tsx); RSS from process.memoryUsage(). Only after the last RSS reading does the bench force a GC, to show how much of it was garbage.',
        `The day: ${TICKETS} tickets through POST /tickets (demo kiosk, 16 clients), then served by the six counters through /next (its final 204 finishes the last ticket), ` +
          `time-boxed: what the box leaves waiting is marked served in SQL (done + its calls row) so the database still holds a whole day. This runs before the display clients connect: ` +
          `with ${CLIENTS} displays every call fans out to all of them (call, counter:update, queue:update) and the voice feature renders an announcement, which would make ${TICKETS} calls take minutes.`,
        `Then ${CLIENTS} display clients connect (each gets its snapshot), ${LIVE_CALLS} tickets are issued one at a time (so each is really printed, by the sim printer in the hub process), and up to ${LIVE_CALLS} live calls fan out to all the displays; the figure checked is the RSS 2 s after that.`,
        'RSS never shrinks much after a burst (V8 and malloc keep the pages): each stage shows its own peak, and the forced GC at the end shows how much of the heap was garbage.',
      ],
    };
  } finally {
    http?.close();
    await swarm.stop().catch(() => undefined);
    await hubProc.request({ cmd: 'stop' }, 5000).catch(() => undefined);
    await hubProc.stop();
    await base.drop().catch((err: unknown) => ctx.log(`memory: drop failed: ${String(err)}`));
  }
}
