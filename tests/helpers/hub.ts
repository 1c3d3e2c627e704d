import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { inject } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/index.js';
import { buildApp, type BuiltApp } from '../../server/app.js';
import type { Drivers } from '../../server/features.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createPool, type Db } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { seedDemoHall, DEMO_STAFF_PASSWORD, type DemoHall } from '../../server/demo/seed.js';

export { DEMO_STAFF_PASSWORD };

/** The URL of `database` on the test PostgreSQL server. */
export function urlOf(database: string): string {
  const u = new URL(inject('pgUrl'));
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<{ url: string; db: Db; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('pgUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = urlOf(name);
  const db = createPool(url, 30);
  await migrate(db);
  return {
    url,
    db,
    async drop() {
      await db.end().catch(() => undefined);
      const a = new pg.Client({ connectionString: inject('pgUrl') });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface TestHub extends BuiltApp {
  url: string;
  close(): Promise<void>;
}

/**
 * The whole hub, listening on loopback, on the given database (its own pool of `poolSize` connections, default 30,
 * unless one is given). `port` (default 0: a free port) puts it on a fixed port, e.g. the one a closed hub used.
 * When it fails to start, its own pool is ended.
 */
export async function startTestHub(opts: {
  url: string;
  db?: Db;
  poolSize?: number;
  port?: number;
  config?: Partial<Config>;
  logger?: FastifyBaseLogger;
  drivers?: Drivers;
}): Promise<TestHub> {
  const listenPort = opts.port ?? 0;
  const config: Config = { ...loadConfig({}), databaseUrl: opts.url, port: listenPort, host: '127.0.0.1', logLevel: 'silent', ...opts.config };
  const db = opts.db ?? createPool(opts.url, opts.poolSize ?? 30, config.dbLimits);
  let built: BuiltApp;
  try {
    built = await buildApp({ config, db, logger: opts.logger ?? false, ...(opts.drivers ? { drivers: opts.drivers } : {}) });
    await built.app.listen({ host: '127.0.0.1', port: listenPort });
  } catch (err) {
    if (!opts.db) await db.end().catch(() => undefined);
    throw err;
  }
  const addr = built.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    ...built,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await built.app.close();
      if (!opts.db) await db.end();
    },
  };
}

/**
 * Seeds the demo hall (6 counters, staff canbo1..6, kiosk and display tokens). Its kiosks issue at machine speed
 * (`kioskTicketsPerMinute` 0): tests issue tickets in bursts; the kiosk pace has its own test.
 */
export async function seedHall(db: Db): Promise<DemoHall> {
  const demo = await seedDemoHall(db);
  await db.query(`UPDATE halls SET settings = settings || '{"kioskTicketsPerMinute": 0}'::jsonb WHERE id = $1`, [demo.hallId]);
  return demo;
}

/** Logs in over HTTP and returns the bearer token. */
export async function login(hub: { url: string }, username: string, password = DEMO_STAFF_PASSWORD): Promise<string> {
  const res = await fetch(`${hub.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** JSON over HTTP with a bearer token; returns status and parsed body. */
export async function api<T = unknown>(hub: { url: string }, method: string, path: string, token?: string | null, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${hub.url}/api/v1${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json');
  return { status: res.status, body: (json && text ? JSON.parse(text) : text || null) as T };
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client connected with a token (websocket transport). */
export async function connectSocket(hub: { url: string }, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = ioClient(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Resolves with the next `event` that matches, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 10_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}
