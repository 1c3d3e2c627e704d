/**
 * Two hub processes on one PostgreSQL, hall displays on both: every call reaches every display (as a `call`, or in
 * the fresh snapshot a hub pushes when its adapter links again after a database restart), and stopping one hub
 * leaves the other hub's displays connected.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { api, login, seedHall, startTestHub, type ClientSocket, type TestHub } from '../helpers/hub.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { createPool, type Db } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { CounterActionReply } from '../../protocol/index.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A hall display: every call it was told of, by `call` or in a snapshot's recent calls. */
interface Display {
  url: string;
  socket: ClientSocket;
  seen: Set<number>;
  disconnects: number;
}

function display(url: string, token: string): Display {
  const socket: ClientSocket = ioClient(url, { auth: { token }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500, forceNew: true });
  const d: Display = { url, socket, seen: new Set(), disconnects: 0 };
  socket.on('call', (c) => d.seen.add(c.ticketId));
  socket.on('display:snapshot', (s) => {
    for (const c of s.recentCalls) d.seen.add(c.ticketId);
  });
  socket.on('disconnect', () => void d.disconnects++);
  return d;
}

describe('two hubs on one PostgreSQL', () => {
  let dir: string;
  let port: number;
  let pg: EmbeddedDatabase;
  let db: Db;
  let demo: DemoHall;
  let a: TestHub;
  let b: TestHub;
  const displays: Display[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-twohubs-'));
    await chmod(dir, 0o755);
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir: dir, port });
    db = createPool(pg.url, 5);
    await migrate(db);
    demo = await seedHall(db);
    a = await startTestHub({ url: pg.url, poolSize: 10 });
    b = await startTestHub({ url: pg.url, poolSize: 10 });
    for (let i = 0; i < 4; i++) displays.push(display(a.url, demo.displayToken), display(b.url, demo.displayToken));
  });
  afterAll(async () => {
    for (const d of displays) d.socket.close();
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('misses no call on any display of either hub across a PostgreSQL restart', async () => {
    await expect.poll(() => displays.every((d) => d.socket.connected), { timeout: 15_000 }).toBe(true);
    for (let i = 0; i < 40; i++) await api(a, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 + (i % 2) });
    const staffA = await login(a, 'canbo1');
    const staffB = await login(b, 'canbo2');
    expect((await api(a, 'POST', '/counters/1/open', staffA)).status).toBe(200);
    expect((await api(b, 'POST', '/counters/2/open', staffB)).status).toBe(200);

    const acknowledged: number[] = [];
    let running = true;
    const caller = async (hub: TestHub, token: string, counter: number) => {
      while (running) {
        const r = await api<CounterActionReply>(hub, 'POST', `/counters/${counter}/next`, token).catch(() => null);
        if (r?.status === 200 && r.body.ticket) acknowledged.push(r.body.ticket.id);
        await new Promise((res) => setTimeout(res, 250));
      }
    };
    const callers = [caller(a, staffA, 1), caller(b, staffB, 2)];
    await expect.poll(() => acknowledged.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    await pg.stop();
    await new Promise((r) => setTimeout(r, 500));
    pg = await startEmbeddedPostgres({ dataDir: dir, port });
    const before = acknowledged.length;
    // calls go on while the hubs' adapters link again (the window in which broadcasts between hubs are lost)
    await expect.poll(() => acknowledged.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 8);
    running = false;
    await Promise.all(callers);

    // every display knows every acknowledged call, through `call` or a pushed snapshot (its 12 recent calls)
    const missed = () => displays.map((d) => acknowledged.filter((id) => !d.seen.has(id)).length);
    await expect.poll(() => missed().reduce((x, y) => x + y, 0), { timeout: 20_000 }).toBe(0);
    console.log(`two hubs, PostgreSQL restart: ${acknowledged.length} calls acknowledged, missed per display ${JSON.stringify(missed())}`);
  });

  it("leaves the other hub's displays connected when one hub stops", async () => {
    const onB = displays.filter((d) => d.url === b.url);
    await expect.poll(() => onB.every((d) => d.socket.connected), { timeout: 15_000 }).toBe(true);
    const before = onB.map((d) => d.disconnects);
    await a.close();
    // give a broadcast disconnect from A's shutdown time to arrive
    await new Promise((r) => setTimeout(r, 1500));
    expect(onB.map((d) => d.disconnects)).toEqual(before);
    expect(onB.every((d) => d.socket.connected)).toBe(true);
  });
});

describe('numbered calls', () => {
  it("numbers each hall's calls per hub process, 1, 2, 3…", async () => {
    const { createTestDatabase, connectSocket } = await import('../helpers/hub.js');
    const dbh = await createTestDatabase();
    const demo = await seedHall(dbh.db);
    const hub = await startTestHub({ url: dbh.url });
    try {
      const socket = await connectSocket(hub, demo.displayToken);
      const seqs: { origin: string; n: number }[] = [];
      socket.on('call', (c) => c.seq && seqs.push(c.seq));
      for (let i = 0; i < 3; i++) await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
      const staff = await login(hub, 'canbo1');
      await api(hub, 'POST', '/counters/1/open', staff);
      await api(hub, 'POST', '/counters/1/next', staff);
      await api(hub, 'POST', '/counters/1/recall', staff);
      await api(hub, 'POST', '/counters/1/next', staff);
      await expect.poll(() => seqs.length).toBe(3);
      expect(seqs.map((s) => s.n)).toEqual([1, 2, 3]);
      expect(new Set(seqs.map((s) => s.origin)).size).toBe(1);
      socket.close();
    } finally {
      await hub.close();
      await dbh.drop();
    }
  });
});
