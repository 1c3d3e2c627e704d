/**
 * Part 2 — fanout: 1,000 display clients (websocket, display token) in the client process. Time from just
 * before POST /counters/:id/next until each client holds the `call`, beside a raw broadcast of the same
 * payload from the hub's own socket.io server to the same clients, alternating call by call, in 3 rounds.
 * The target's p99 is over every client's receipt (calls × clients ≥ 1,000 per round and way), the ratio
 * taken per round, the verdict on the median of the rounds.
 */
import { rooms, type CallEvent } from '../../protocol/index.js';
import type { BenchContext } from '../lib/context.js';
import { freshDatabase } from '../lib/database.js';
import { HttpClient } from '../lib/http.js';
import { startHub } from '../lib/hub.js';
import { roundTarget, table, verdict, type PartResult } from '../lib/report.js';
import { epochNow, ratioSpread, round, sleep, spreadLabel, summarize, tail, tailLabel } from '../lib/stats.js';
import { Adapter } from 'socket.io-adapter';
import { Swarm } from '../lib/swarm.js';
import { pgTrace } from '../lib/pgtrace.js';
import { cpuLines, profileDuring } from '../lib/profile.js';
import { DEMO_STAFF_PASSWORD } from '../../server/demo/seed.js';

export const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const ROUNDS = 3;
/** Calls each way in a round: with 1,000 clients, 10,000 receipts per round and way. */
const CALLS_PER_ROUND = 10;
const CALLS = ROUNDS * CALLS_PER_ROUND;
const WARMUP = 3;
/** Pause after each measured delivery: lets the debounced queue:update (200 ms) fan out before the next one. */
const GAP_MS = 350;
/** Calls made afterwards under the CPU profiler (not in the figures). */
const PROFILED = 10;
const TARGET = 1.3;

export async function fanoutPart(ctx: BenchContext): Promise<PartResult> {
  const started = performance.now();
  const base = await freshDatabase(ctx.server, 'fanout');
  const hub = await startHub(base.url, ctx.server.scratchDir);
  const http = new HttpClient(hub.url, 4);
  const swarm = new Swarm();
  const restore: (() => void)[] = [];
  try {
    const hallId = base.demo.hallId;
    const { rows: c } = await base.db.query<{ id: number }>('SELECT id FROM counters WHERE hall_id = $1 AND number = 1', [hallId]);
    const counterId = c[0]!.id;
    const { rows: svc } = await base.db.query<{ service_id: number }>('SELECT service_id FROM counter_services WHERE counter_id = $1 ORDER BY service_id', [counterId]);
    const services = svc.map((r) => r.service_id);
    for (let i = 0; i < CALLS + WARMUP + PROFILED + 2; i++) await hub.hub.queue.issue(hallId, services[i % services.length]!, false, null);

    const login = await http.must<{ token: string }>('POST', '/api/v1/auth/login', 200, { body: { username: 'canbo1', password: DEMO_STAFF_PASSWORD } });
    const staffToken = login.body.token;
    await http.must('POST', `/api/v1/counters/${counterId}/open`, 200, { token: staffToken });

    ctx.log(`fanout: connecting ${CLIENTS} display clients`);
    const conn = await swarm.connect(hub.url, base.demo.displayToken, CLIENTS);
    ctx.log(`fanout: ${conn.connected} connected in ${conn.ms} ms${conn.failed ? `, ${conn.failed} failed (${conn.firstError ?? '?'})` : ''}`);
    if (conn.connected === 0) throw new Error(`no display client connected: ${conn.firstError ?? '?'}`);
    await sleep(1500);
    await swarm.calibrateClock();

    let lastCall: CallEvent | null = null;
    const off = hub.hub.bus.on('ticket.called', ({ call }) => {
      lastCall = call;
    });

    // Bench-side instrumentation (no server code changed). (1) When the hub hands `call` to socket.io:
    // splits a call-next into "before the emit" (HTTP, auth, the transaction, the queries after it) and
    // the rest. (2) When socket.io's in-memory adapter then writes it to the local sockets: the PostgreSQL
    // adapter first publishes every broadcast (pg_notify) and only then writes locally.
    let callEmittedAt = 0;
    let localWriteAt = 0;
    let localWriteMs = 0;
    const server = hub.io as unknown as { to: (room: unknown) => { emit: (ev: string, ...args: unknown[]) => unknown } };
    const originalTo = server.to;
    server.to = (room: unknown) => {
      const op = originalTo.call(hub.io, room);
      const originalEmit = op.emit.bind(op);
      op.emit = (ev: string, ...args: unknown[]) => {
        if (ev === 'call' && !callEmittedAt) callEmittedAt = epochNow();
        return originalEmit(ev, ...args);
      };
      return op;
    };
    const adapterProto = Adapter.prototype as unknown as { broadcast: (packet: { data?: unknown }, opts: unknown) => void };
    const originalBroadcast = adapterProto.broadcast;
    adapterProto.broadcast = function (this: unknown, packet: { data?: unknown }, opts: unknown): void {
      if (!Array.isArray(packet.data) || packet.data[0] !== 'call' || localWriteAt) return originalBroadcast.call(this, packet, opts);
      localWriteAt = epochNow();
      originalBroadcast.call(this, packet, opts);
      localWriteMs = epochNow() - localWriteAt;
    };
    restore.push(() => {
      adapterProto.broadcast = originalBroadcast;
      server.to = originalTo;
    });
    pgTrace.sample('pg_notify');

    interface Delivery {
      all: number;
      perClient: number[];
      complete: boolean;
      httpMs?: number;
      /** From t0 to the `call` emit (API: the request's work before it; raw: ~0). */
      toEmit: number;
      /** From the emit to socket.io's local write (the PostgreSQL adapter's publish comes first). */
      publishMs: number;
      /** How long the local write to every display socket ran (synchronous). */
      writeMs: number;
      /** Durations of the pg_notify round trips during the delivery. */
      notifies: number[];
    }
    const api: Delivery[] = [];
    const raw: Delivery[] = [];
    /** The round each measured delivery belongs to (index into api / raw). */
    const apiRound: number[] = [];
    const rawRound: number[] = [];
    let incomplete = 0;
    const arm = () => {
      callEmittedAt = 0;
      localWriteAt = 0;
      localWriteMs = 0;
      pgTrace.samples('pg_notify');
      pgTrace.resume();
    };
    const marks = (t0: number) => {
      pgTrace.stop();
      return {
        toEmit: callEmittedAt ? callEmittedAt - t0 : Number.NaN,
        publishMs: callEmittedAt && localWriteAt ? localWriteAt - callEmittedAt : Number.NaN,
        writeMs: localWriteAt ? localWriteMs : Number.NaN,
        notifies: pgTrace.samples('pg_notify'),
      };
    };
    const viaApi = async (): Promise<Delivery> => {
      arm();
      const t0 = epochNow();
      const res = await http.must<{ ticket: { id: number } }>('POST', `/api/v1/counters/${counterId}/next`, 200, { token: staffToken });
      const httpMs = epochNow() - t0;
      const got = await swarm.received(res.body.ticket.id);
      const perClient = got.times.map((t) => t - t0);
      return { all: Math.max(...perClient), perClient, complete: got.complete, httpMs, ...marks(t0) };
    };
    let rawKey = 0;
    const viaRaw = async (): Promise<Delivery> => {
      if (!lastCall) throw new Error('no call seen yet to copy');
      const payload: CallEvent = { ...(lastCall as CallEvent), ticketId: --rawKey, at: new Date().toISOString() };
      arm();
      const t0 = epochNow();
      hub.io.to(rooms.displays(hallId)).emit('call', payload);
      const got = await swarm.received(payload.ticketId);
      const perClient = got.times.map((t) => t - t0);
      return { all: Math.max(...perClient), perClient, complete: got.complete, ...marks(t0) };
    };

    ctx.log(`fanout: ${WARMUP} warm-up + ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls each way, alternating call by call`);
    for (let i = 0; i < WARMUP; i++) {
      for (const step of [viaApi, viaRaw]) {
        await step();
        await sleep(GAP_MS);
      }
    }
    // Setting up 1,000 clients on a busy machine can eat the part's budget: the calls get at least 30 s of their own.
    const callsDeadline = Math.max(ctx.deadline, Date.now() + 30_000);
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        // Every round gets at least 2 calls each way, whatever the budget says: the rounds are the point.
        if (i >= 2 && Date.now() > callsDeadline) {
          ctx.log(`fanout: over the time budget, round ${r + 1} cut to ${i} calls each way`);
          break;
        }
        const order = (r * CALLS_PER_ROUND + i) % 2 === 0 ? [viaApi, viaRaw] : [viaRaw, viaApi];
        for (const step of order) {
          const d = await step();
          if (!d.complete) incomplete++;
          if (step === viaApi) {
            api.push(d);
            apiRound.push(r);
          } else {
            raw.push(d);
            rawRound.push(r);
          }
          await sleep(GAP_MS);
        }
      }
    }

    // Where the hub's CPU goes on a call-next with the displays connected (profiled apart from the figures).
    const { cpu } = await profileDuring(async () => {
      for (let i = 0; i < PROFILED; i++) {
        await viaApi();
        await sleep(GAP_MS);
      }
    });
    off();

    const apiAll = summarize(api.map((d) => d.all));
    const rawAll = summarize(raw.map((d) => d.all));
    const apiClient = summarize(api.flatMap((d) => d.perClient));
    const rawClient = summarize(raw.flatMap((d) => d.perClient));
    const httpMs = summarize(api.map((d) => d.httpMs ?? 0));
    const apiToEmit = summarize(api.map((d) => d.toEmit).filter((x) => Number.isFinite(x)));
    const apiFanout = summarize(api.filter((d) => Number.isFinite(d.toEmit)).map((d) => d.all - d.toEmit));
    const rawFanout = summarize(raw.map((d) => d.all - d.toEmit));
    const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
    const split = (list: Delivery[]) => ({
      publish: summarize(finite(list.map((d) => d.publishMs))),
      write: summarize(finite(list.map((d) => d.writeMs))),
      afterWrite: summarize(finite(list.map((d) => d.all - d.toEmit - d.publishMs))),
      notify: summarize(list.flatMap((d) => d.notifies)),
      notifiesPerDelivery: round(list.reduce((n, d) => n + d.notifies.length, 0) / Math.max(1, list.length), 2),
    });
    const apiSplit = split(api);
    const rawSplit = split(raw);
    // Per round: the p99 over every client's receipt of that round's calls, API beside raw.
    const perRound = Array.from({ length: ROUNDS }, (_, r) => {
      const a = api.filter((_, i) => apiRound[i] === r).flatMap((d) => d.perClient);
      const w = raw.filter((_, i) => rawRound[i] === r).flatMap((d) => d.perClient);
      return { round: r + 1, api: tail(a), raw: tail(w), apiP50: round(summarize(a).p50), rawP50: round(summarize(w).p50) };
    });
    const usable = perRound.filter((x) => x.api.p !== null && x.api.p === x.raw.p);
    const tailP = usable[0]?.api.p ?? null;
    const ratioTail = ratioSpread(
      usable.map((x) => x.api.value),
      usable.map((x) => x.raw.value),
    );
    const ratioMid = ratioSpread(
      perRound.map((x) => x.apiP50),
      perRound.map((x) => x.rawP50),
    );
    const apiTail = tail(api.flatMap((d) => d.perClient));
    const rawTail = tail(raw.flatMap((d) => d.perClient));
    const target = roundTarget(
      `fanout call p${tailP ?? 99} / raw p${tailP ?? 99} per client (${conn.connected} clients)`,
      ratioTail,
      `≤ ${TARGET}×`,
      (m) => m <= TARGET,
    );

    console.log(
      [
        '',
        `== fanout: ${conn.connected} display clients (client process), ${api.length} calls each way ==`,
        table(
          ['delivery', 'per-client p50 ms', 'per-client tail ms (all rounds)', 'all-received median ms', 'all-received max ms', 'calls'],
          [
            ['call-next via HTTP', apiClient.p50, tailLabel(apiTail), apiAll.p50, apiAll.max, api.length],
            ['raw io.to(displays).emit', rawClient.p50, tailLabel(rawTail), rawAll.p50, rawAll.max, raw.length],
          ],
        ),
        'per round (per-client receipts of the round\'s calls):',
        table(
          ['round', 'api p50', 'api tail', 'raw p50', 'raw tail', 'tail ratio'],
          perRound.map((x) => [x.round, x.apiP50, tailLabel(x.api), x.rawP50, tailLabel(x.raw), x.api.p !== null && x.api.p === x.raw.p ? round(x.api.value / x.raw.value, 3) : '-']),
        ),
        `  all-received (the last client of a call) has one sample per call (${api.length}): too few for a tail, so its median and max are shown.`,
        'where the time goes (p50 / p99 ms):',
        table(
          ['delivery', 'request → emit', 'emit → local write (adapter publish)', 'local write', 'local write → last client', 'pg_notify round trip', 'pg_notify per delivery'],
          [
            ['call-next via HTTP', `${apiToEmit.p50} / ${apiToEmit.p99}`, `${apiSplit.publish.p50} / ${apiSplit.publish.p99}`, `${apiSplit.write.p50} / ${apiSplit.write.p99}`, `${apiSplit.afterWrite.p50} / ${apiSplit.afterWrite.p99}`, `${apiSplit.notify.p50} / ${apiSplit.notify.p99}`, apiSplit.notifiesPerDelivery],
            ['raw emit', '0', `${rawSplit.publish.p50} / ${rawSplit.publish.p99}`, `${rawSplit.write.p50} / ${rawSplit.write.p99}`, `${rawSplit.afterWrite.p50} / ${rawSplit.afterWrite.p99}`, `${rawSplit.notify.p50} / ${rawSplit.notify.p99}`, rawSplit.notifiesPerDelivery],
          ],
        ),
        `HTTP reply of call-next: p50 ${httpMs.p50} ms, p99 ${httpMs.p99} ms; clock offset client−bench ${round(swarm.clockOffset, 3)} ms (IPC rtt ${round(swarm.clockRttMs, 3)} ms)` +
          (incomplete ? `; ${incomplete} deliveries did not reach every client within 10 s` : ''),
        `target: per-client call p${tailP ?? '?'} ≤ ${TARGET}× raw: ${spreadLabel(ratioTail)} → ${verdict(target.pass)}   (p50 ratio ${spreadLabel(ratioMid)})`,
        ...cpuLines(`hub (bench process) CPU over ${PROFILED} profiled call-nexts, pauses included`, cpu, PROFILED, 'call'),
      ].join('\n'),
    );

    await swarm.disconnect();
    return {
      part: 'fanout',
      measuredAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      figures: {
        clients: conn.connected,
        connectFailed: conn.failed,
        connectMs: conn.ms,
        calls: api.length,
        api: { allReceived: apiAll, perClient: apiClient, httpReply: httpMs, requestToEmit: apiToEmit, emitToAllReceived: apiFanout, ...apiSplit },
        raw: { allReceived: rawAll, perClient: rawClient, emitToAllReceived: rawFanout, ...rawSplit },
        rounds: ROUNDS,
        perRound,
        ratioTail,
        ratioP50: ratioMid,
        incompleteDeliveries: incomplete,
        clockOffsetMs: round(swarm.clockOffset, 3),
        hubCpuProfiledCalls: cpu,
      },
      targets: [target],
      notes: [
        `per-client = every client receipt of every call (calls × clients samples). The target: in each of ${ROUNDS} rounds the p99 of the API's per-client receipts ÷ the raw broadcast's, the verdict on the median round; a p90 instead when a round has < 1,000 receipts (BENCH_CLIENTS small).`,
        'all-received = time from just before the request (or the raw emit) until the last of the clients holds the event: one sample per call, so only its median and max.',
        'Receipt times are taken in the client process (performance.timeOrigin + now()), corrected by the measured clock offset.',
        'The hub runs in the bench process; the clients in their own process. Calls and raw broadcasts alternate, each followed by a pause so the debounced queue:update fan-out does not overlap the next measurement.',
        'A call also sends counter:update to the displays and, 200 ms later, queue:update to the hall: the raw broadcast sends only the call.',
      ],
    };
  } finally {
    for (const undo of restore) undo();
    pgTrace.stop();
    http.close();
    await swarm.stop().catch(() => undefined);
    await hub.close();
    await base.drop().catch((err: unknown) => ctx.log(`fanout: drop failed: ${String(err)}`));
  }
}
