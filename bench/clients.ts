/**
 * The client swarm, a process of its own so that the hub's event loop is not shared with its clients:
 * many socket.io display clients (recording when each `call` arrives) and a keep-alive HTTP load of
 * ticket issues. Spoken to over IPC by bench/run.ts (see lib/messages.ts).
 */
import { io as connectIo, type Socket } from 'socket.io-client';
import type { CallEvent, ClientToServerEvents, ServerToClientEvents } from '../protocol/index.js';
import { HttpClient } from './lib/http.js';
import { serveRequests, type AbuseSocketResult, type ClientsCommand, type ConnectResult, type IssueLoadResult, type ReceivedEvent } from './lib/messages.js';
import { epochNow } from './lib/stats.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const sockets: ClientSocket[] = [];
/** Receipt times of `call` by ticket id, until every connected client has it. */
const received = new Map<number, number[]>();

function onCall(event: CallEvent): void {
  const at = epochNow();
  let times = received.get(event.ticketId);
  if (!times) {
    times = [];
    received.set(event.ticketId, times);
  }
  times.push(at);
  if (times.length === sockets.length) {
    received.delete(event.ticketId);
    process.send?.({ event: 'received', key: event.ticketId, times } satisfies ReceivedEvent);
  }
}

function connectOne(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectIo(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

async function connect(cmd: Extract<ClientsCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  const t0 = performance.now();
  let failed = 0;
  let firstError: string | null = null;
  for (let done = 0; done < cmd.count; done += cmd.batch) {
    const n = Math.min(cmd.batch, cmd.count - done);
    const results = await Promise.allSettled(Array.from({ length: n }, () => connectOne(cmd.url, cmd.token)));
    for (const r of results) {
      if (r.status === 'fulfilled') {
        r.value.on('call', onCall);
        sockets.push(r.value);
      } else {
        failed++;
        firstError ??= r.reason instanceof Error ? r.reason.message : String(r.reason);
      }
    }
  }
  return { connected: sockets.length, failed, firstError, ms: Math.round(performance.now() - t0) };
}

async function issueLoad(cmd: Extract<ClientsCommand, { cmd: 'issue' }>): Promise<IssueLoadResult> {
  const http = new HttpClient(cmd.url, cmd.concurrency);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let firstError: string | null = null;
  let next = 0;
  let ok = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      if (performance.now() - t0 > cmd.maxMs) return;
      const i = next++;
      if (i >= cmd.total) return;
      const serviceId = cmd.serviceIds[i % cmd.serviceIds.length]!;
      const s = performance.now();
      try {
        const res = await http.request('POST', '/api/v1/tickets', { token: cmd.token, body: { serviceId, priority: cmd.priorityEvery > 0 && i % cmd.priorityEvery === 0 } });
        latencies.push(performance.now() - s);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 201) ok++;
        else {
          failed++;
          firstError ??= `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        }
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, worker));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  http.close();
  return { ms, ok, failed, statuses, firstError, latencies, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 };
}

/**
 * One abusive socket: connects, sends `count` acknowledged `event`s at once, and counts what came back until
 * every one was answered, the hub cut the socket, or `maxMs` passed. The socket is closed afterwards.
 */
async function abuseOne(url: string, token: string, event: 'board:subscribe' | 'snapshot:get', count: number, maxMs: number): Promise<AbuseSocketResult> {
  const socket = await connectOne(url, token);
  const result: AbuseSocketResult = { event, sent: 0, ok: 0, refused: 0, unanswered: 0, disconnected: false, ms: 0, firstError: null };
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.ms = Math.round(performance.now() - t0);
      result.unanswered = result.sent - result.ok - result.refused;
      resolve();
    };
    const timer = setTimeout(finish, maxMs);
    socket.once('disconnect', () => {
      if (settled) return;
      result.disconnected = true;
      finish();
    });
    const ack = (r: { ok: boolean; error?: { code: string; message: string } }) => {
      if (settled) return;
      if (r.ok) result.ok++;
      else {
        result.refused++;
        result.firstError ??= `${r.error?.code ?? '?'}: ${r.error?.message ?? ''}`;
      }
      if (result.ok + result.refused === count) finish();
    };
    for (let i = 0; i < count && socket.connected; i++) {
      result.sent++;
      if (event === 'board:subscribe') socket.emit('board:subscribe', ack);
      else socket.emit('snapshot:get', ack);
    }
  });
  socket.close();
  return result;
}

serveRequests<ClientsCommand>(async (cmd) => {
  switch (cmd.cmd) {
    case 'connect':
      return connect(cmd);
    case 'clock':
      return { now: epochNow() };
    case 'collect': {
      const times = received.get(cmd.key) ?? [];
      received.delete(cmd.key);
      return { times };
    }
    case 'disconnect': {
      const n = sockets.length;
      for (const s of sockets.splice(0)) s.close();
      received.clear();
      return { closed: n };
    }
    case 'issue':
      return issueLoad(cmd);
    case 'abuse':
      return Promise.all(cmd.sockets.map((s) => abuseOne(cmd.url, s.token, s.event, s.count, cmd.maxMs)));
  }
});
