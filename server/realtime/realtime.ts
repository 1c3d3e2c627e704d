import { Server, type Socket } from 'socket.io';
import type { Server as HttpServer } from 'node:http';
import {
  DeviceHeartbeat,
  rooms,
  type ClientToServerEvents,
  type DisplaySnapshot,
  type ServerToClientEvents,
} from '../../protocol/index.js';
import { validator } from '../../protocol/validate.js';
import type { Hub } from '../context.js';
import type { Principal } from '../auth/principal.js';
import * as queueRepo from '../queue/queue.repo.js';
import { findHall, listCounters } from '../admin/setup.repo.js';
import { actorOf, ackStatus } from '../audit/audit.js';
import { createPool } from '../db/pool.js';
import { hashToken } from '../auth/tokens.js';
import { localFirstAdapter } from './adapter.js';

interface SocketData {
  principal: Principal;
}
/** Messages between hub processes (through the adapter). */
interface InterHubEvents {
  /** Access was revoked on another hub process: drop cached token answers here too. */
  'access:revoked': () => void;
}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterHubEvents, SocketData>;
type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const heartbeat = validator(DeviceHeartbeat);
/** Socket commands that change state (heartbeats and snapshots do not go in the audit log). */
const AUDITED_EVENTS: ReadonlySet<string> = new Set(['agent:print-result', 'agent:printer', 'agent:scan']);

export async function displaySnapshot(hub: Hub, hallId: number): Promise<DisplaySnapshot> {
  const [hall, since] = await Promise.all([findHall(hub.db, hallId), queueRepo.dayStart(hub.db, hallId)]);
  const [counters, last, calls] = await Promise.all([
    listCounters(hub.db, hallId),
    queueRepo.lastCallPerCounter(hub.db, hallId, since),
    queueRepo.recentCalls(hub.db, hallId, since, 12),
  ]);
  return {
    hallName: hall?.name ?? '',
    counters: counters.map((c) => ({ id: c.id, number: c.number, name: c.name, status: c.status, currentNumber: last.get(c.id) ?? null })),
    recentCalls: calls.map((c) => ({
      ticketId: c.ticket_id,
      number: c.number,
      counterId: c.counter_id,
      counterNumber: c.counter_number,
      counterName: c.counter_name,
      serviceId: c.service_id,
      serviceName: c.service_name,
      recall: c.recall,
      at: c.at.toISOString(),
    })),
    at: new Date().toISOString(),
  };
}

function roomsOf(p: Principal): string[] {
  const list = [rooms.hall(p.hallId)];
  if (p.type === 'user') {
    list.push(rooms.staff(p.hallId), rooms.user(p.user.id), rooms.session(hashToken(p.token)));
    if (p.user.role !== 'staff') list.push(rooms.managers(p.hallId));
    return list;
  }
  switch (p.device.kind) {
    case 'display':
      list.push(rooms.displays(p.hallId));
      break;
    case 'kiosk':
    case 'lookup':
      list.push(rooms.kiosks(p.hallId));
      break;
    case 'tablet':
    case 'agent':
      break;
  }
  if (p.device.counterId) list.push(rooms.counter(p.device.counterId));
  list.push(rooms.device(p.device.id));
  return list;
}

/**
 * socket.io on the hub's HTTP server: authenticates every socket by its token, puts it in its rooms,
 * sends its snapshot, and fans the event bus out to the rooms that care. The PostgreSQL adapter carries
 * every emit to the sockets of the other hub processes.
 */
/** `forgetTokens`: drops this process's cached token answers (called when any hub process revokes access). */
export function startRealtime(hub: Hub, server: HttpServer, forgetTokens: () => void): { io: HubServer; close(): Promise<void> } {
  // The adapter holds one connection for LISTEN for good and does not release it when the database
  // restarts, so it gets a small pool of its own: the hub's pool can always end cleanly.
  const adapterPool = createPool(hub.db.options.connectionString ?? '', 12);
  const io: HubServer = new Server(server, {
    serveClient: false,
    cors: { origin: false },
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    adapter: localFirstAdapter(adapterPool, { errorHandler: (err) => hub.log.warn({ err }, 'socket.io adapter error'), heartbeatInterval: 5000, heartbeatTimeout: 12000 }),
  });

  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || !token) return next(new Error('unauthorized: auth.token is required'));
    hub.auth
      .authenticate(token)
      .then((principal) => {
        if (!principal) return next(new Error('unauthorized: unknown or revoked token'));
        socket.data.principal = principal;
        next();
      })
      .catch((err: unknown) => {
        hub.log.warn({ err }, 'socket auth failed');
        next(new Error('unavailable: try again'));
      });
  });

  io.on('connection', (socket: HubSocket) => {
    const p = socket.data.principal;
    // A state-changing command is audited with its outcome: the hub's ack is wrapped (or, when the client asked
    // for none, supplied) so the entry carries the status the command ended with.
    socket.use((packet, next) => {
      const event = String(packet[0]);
      if (AUDITED_EVENTS.has(event) && packet.length >= 2) {
        const last = packet[packet.length - 1] as unknown;
        const clientAck = typeof last === 'function' ? (last as (reply: unknown) => void) : null;
        let recorded = false;
        const ack = (reply: unknown) => {
          if (!recorded) {
            recorded = true;
            hub.audit.record({ hallId: p.hallId, ...actorOf(p), action: `SOCKET ${event}`, target: null, status: ackStatus(reply), ip: socket.handshake.address });
          }
          clientAck?.(reply);
        };
        if (clientAck) packet[packet.length - 1] = ack;
        else packet.push(ack);
      }
      next();
    });
    void socket.join(roomsOf(p));
    const sendSnapshot = async () => {
      const counts = await queueRepo.waitingCounts(hub.db, p.hallId);
      socket.emit('queue:update', { services: counts.map((c) => ({ serviceId: c.service_id, waiting: c.waiting })), at: new Date().toISOString() });
      if (p.type === 'device' && p.device.kind !== 'display') return;
      socket.emit('display:snapshot', await displaySnapshot(hub, p.hallId));
    };
    const fail = (what: string) => (err: unknown) => hub.log.warn({ err, socket: socket.id }, what);
    sendSnapshot().catch(fail('snapshot failed'));
    if (p.type === 'device') hub.devices.seen(p.device.id).catch(fail('device seen failed'));

    socket.on('snapshot:get', (ack) => {
      sendSnapshot()
        .then(() => (typeof ack === 'function' ? ack({ ok: true }) : undefined))
        .catch((err: unknown) => {
          fail('snapshot failed')(err);
          if (typeof ack === 'function') ack({ ok: false, error: { code: 'unavailable', message: 'snapshot failed' } });
        });
    });

    socket.on('device:heartbeat', (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      if (p.type !== 'device') return reply({ ok: false, error: { code: 'forbidden', message: 'only devices send heartbeats' } });
      if (!heartbeat.check(payload)) return reply({ ok: false, error: { code: 'bad_request', message: 'invalid heartbeat' } });
      hub.devices
        .seen(p.device.id, payload.faults ?? [])
        .then(() => reply({ ok: true }))
        .catch((err: unknown) => {
          fail('heartbeat failed')(err);
          reply({ ok: false, error: { code: 'unavailable', message: 'heartbeat not stored' } });
        });
    });

    socket.on('disconnect', () => {
      if (p.type === 'device') hub.devices.offline(p.device.id).catch(fail('device offline failed'));
    });
  });

  hub.bus.on('ticket.called', ({ hallId, call }) => {
    io.to([rooms.displays(hallId), rooms.staff(hallId), rooms.counter(call.counterId)]).emit('call', call);
  });
  // Displays take a counter's number from `call`; they need counter updates only when it opens, pauses or closes.
  hub.bus.on('counter.changed', ({ hallId, counter, statusChanged }) => {
    const to = [rooms.staff(hallId), rooms.counter(counter.id)];
    io.to(statusChanged ? [rooms.displays(hallId), ...to] : to).emit('counter:update', counter);
  });
  hub.bus.on('ticket.changed', ({ hallId, update }) => {
    io.to(rooms.staff(hallId)).emit('ticket:update', update);
  });
  // Cutting the connection (not a socket.io disconnect) makes the client reconnect, which then fails or re-joins its rooms.
  hub.bus.on('access.revoked', (e) => {
    const room = 'userId' in e ? rooms.user(e.userId) : 'deviceId' in e ? rooms.device(e.deviceId) : rooms.session(e.sessionTokenHash);
    io.in(room).disconnectSockets(true);
    forgetTokens();
    io.serverSideEmit('access:revoked');
  });
  io.on('access:revoked', forgetTokens);
  // Screens re-read the set-up over HTTP; displays get their new snapshot (hall name, counters) built once here.
  hub.bus.on('setup.changed', async ({ hallId }) => {
    io.to(rooms.hall(hallId)).emit('setup:update', { at: new Date().toISOString() });
    io.to(rooms.displays(hallId)).emit('display:snapshot', await displaySnapshot(hub, hallId));
  });
  hub.bus.on('dossier.changed', ({ hallId, code, status, counterId, at }) => {
    io.to(rooms.staff(hallId)).emit('dossier:update', { code, status, counterId, at });
  });
  hub.bus.on('queue.changed', ({ hallId, update }) => {
    io.to([rooms.kiosks(hallId), rooms.staff(hallId)]).emit('queue:update', update);
  });

  return {
    io,
    async close() {
      io.disconnectSockets(true);
      await io.close().catch(() => undefined);
      await Promise.race([adapterPool.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}
