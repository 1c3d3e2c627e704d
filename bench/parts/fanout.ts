/**
 * Part 2 — fanout: 1,000 display clients (websocket, display token) in the client process. Time from just
 * before POST /counters/:id/next until each client holds the `call`, beside a raw broadcast of the same
 * payload from the hub's own socket.io server to the same clients, alternating call by call.
 */
import { rooms, type CallEvent } from '../../protocol/index.js';
import type { BenchContext } from '../lib/context.js';
import { pastDeadline } from '../lib/context.js';
import { freshDatabase } from '../lib/database.js';
import { HttpClient } from '../lib/http.js';
import { startHub } from '../lib/hub.js';
import { table, verdict, type PartResult } from '../lib/report.js';
import { epochNow, round, sleep, summarize } from '../lib/stats.js';
import { Adapter } from 'socket.io-adapter';
import { Swarm } from '../lib/swarm.js';
import { pgTrace } from '../lib/pgtrace.js';
import { cpuLines, profileDuring } from '../lib/profile.js';
import { DEMO_STAFF_PASSWORD } from '../../server/demo/seed.js';

export const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const CALLS = 30;
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

    ctx.log(`fanout: ${WARMUP} warm-up + ${CALLS} calls each way, alternating`);
    for (let i = 0; i < CALLS + WARMUP; i++) {
      if (i >= WARMUP + 10 && pastDeadline(ctx)) {
        ctx.log('fanout: over the time budget, stopping early');
        break;
      }
      const order = i % 2 === 0 ? [viaApi, viaRaw] : [viaRaw, viaApi];
      for (const step of order) {
        const d = await step();
        if (!d.complete) incomplete++;
        if (i >= WARMUP) (step === viaApi ? api : raw).push(d);
        await sleep(GAP_MS);
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
    const ratioP99 = round(apiAll.p99 / rawAll.p99, 3);
    const ratioP50 = round(apiAll.p50 / rawAll.p50, 3);
    const ratioP90 = round(apiAll.p90 / rawAll.p90, 3);

    console.log(
      [
        '',
        `== fanout: ${conn.connected} display clients (client process), ${api.length} calls each way ==`,
        table(
          ['delivery', 'all-received p50 ms', 'all-received p99 ms', 'per-client p50 ms', 'per-client p99 ms'],
          [
            ['call-next via HTTP', apiAll.p50, apiAll.p99, apiClient.p50, apiClient.p99],
            ['raw io.to(displays).emit', rawAll.p50, rawAll.p99, rawClient.p50, rawClient.p99],
          ],
        ),
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
        `target: call p99 ≤ ${TARGET}× raw p99: ${ratioP99}× → ${verdict(ratioP99 <= TARGET)}   (p90 ratio ${ratioP90}×, p50 ratio ${ratioP50}×; with ${api.length} calls the p99 is the slowest call)`,
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
        ratioP99,
        ratioP50,
        ratioP90,
        incompleteDeliveries: incomplete,
        clockOffsetMs: round(swarm.clockOffset, 3),
        hubCpuProfiledCalls: cpu,
      },
      targets: [{ name: `fanout call p99 / raw p99 (${conn.connected} clients)`, value: ratioP99, target: `≤ ${TARGET}×`, pass: ratioP99 <= TARGET }],
      notes: [
        'all-received = time from just before the request (or the raw emit) until the last of the clients holds the event; p50/p99 over the calls.',
        'per-client = every client receipt of every call. Receipt times are taken in the client process (performance.timeOrigin + now()), corrected by the measured clock offset.',
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
