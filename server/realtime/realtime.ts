import { Server, type Socket } from 'socket.io';
import type { Server as HttpServer } from 'node:http';
import { rooms, type ClientToServerEvents, type ServerToClientEvents } from '../../protocol/index.js';
import type { Hub } from '../context.js';
import type { Principal } from '../auth/principal.js';
import { createPool } from '../db/pool.js';
import { resyncLocalScreens } from './resync.js';
import { hashToken } from '../auth/tokens.js';
import { localFirstAdapter } from './adapter.js';

export interface SocketData {
  principal: Principal;
}
/** Messages between hub processes (through the adapter). */
export interface InterHubEvents {
  /** Access was revoked on another hub process: drop cached token answers here too. */
  'access:revoked': () => void;
}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, InterHubEvents, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** A socket opened with a staff session is cut when that session expires (the client then finds it signed out). */
function cutAtSessionEnd(socket: HubSocket, p: Principal): void {
  if (p.type !== 'user' || !p.expiresAt) return;
  const timer = setTimeout(() => socket.disconnect(true), Math.min(2 ** 31 - 1, Math.max(0, p.expiresAt.getTime() - Date.now())));
  timer.unref();
  socket.once('disconnect', () => clearTimeout(timer));
}

export function roomsOf(p: Principal): string[] {
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
 * socket.io on the hub's HTTP server: authenticates every socket by its token. What sockets are then sent and
 * may send is declared by the features and wired in server/wiring.ts. The PostgreSQL adapter carries every emit
 * to the sockets of the other hub processes. `forgetTokens`: drops this process's cached token answers (called
 * when any hub process revokes access).
 */
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
    adapter: localFirstAdapter(adapterPool, { errorHandler: (err) => hub.log.warn({ err }, 'socket.io adapter error'), heartbeatInterval: 5000, heartbeatTimeout: 12000 }, () => {
      hub.log.info('socket.io adapter linked again: resyncing this hub\'s screens');
      resyncLocalScreens(hub, io).catch((err: unknown) => hub.log.warn({ err }, 'screen resync failed'));
    }),
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

  io.on('access:revoked', forgetTokens);
  io.on('connection', (socket: HubSocket) => cutAtSessionEnd(socket, socket.data.principal));

  return {
    io,
    async close() {
      // Only this process's sockets: `io.disconnectSockets` would go through the adapter to every hub's screens.
      io.local.disconnectSockets(true);
      await io.close().catch(() => undefined);
      await Promise.race([adapterPool.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}
