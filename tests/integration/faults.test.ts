import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { api, createTestDatabase, login, nextEvent, seedHall, startTestHub, type ClientSocket, type TestHub } from '../helpers/hub.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { createPool } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { CallEvent, DisplaySnapshot, IssuedTicket } from '../../protocol/index.js';
import { hubNodeFlags } from '../../server/build.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) {
    const t = Date.now();
    await c().catch(() => undefined);
    if (Date.now() - t > 2000) console.log('slow cleanup', Date.now() - t, c.toString());
  }
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'hallhub-fault-'));
  await chmod(d, 0o755);
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

function displayClient(url: string, token: string): ClientSocket {
  return ioClient(url, { auth: { token }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 500, forceNew: true });
}

describe('faults', () => {
  it('loses and duplicates no ticket when the hub is killed with SIGKILL under load, and displays and tablets resync by themselves', async () => {
    const dbh = await createTestDatabase();
    cleanups.push(() => dbh.drop());
    const dataDir = await tempDir();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let hubProcess: ChildProcess | null = null;
    const startHub = async () => {
      const child = spawn(process.execPath, [...hubNodeFlags, 'dist/hub/main.js'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: dbh.url, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', HUB_ADMIN_PASSWORD: 'admin-pass-123' },
        stdio: 'ignore',
      });
      hubProcess = child;
      for (let i = 0; i < 300; i++) {
        const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
        if (ok) return child;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('hub did not start');
    };
    cleanups.push(async () => void hubProcess?.kill('SIGKILL'));
    await startHub();
    const demo = JSON.parse(await readFile(path.join(dataDir, 'demo-devices.json'), 'utf8')) as DemoHall;
    // The demo kiosk issues at a kiosk's pace (20 a minute); six loops here issue as fast as they can.
    const admin = await login({ url: base }, 'admin', 'admin-pass-123');
    expect((await api({ url: base }, 'PATCH', '/hall', admin, { settings: { kioskTicketsPerMinute: 0 } })).status).toBe(200);

    const display = displayClient(base, demo.displayToken);
    cleanups.push(async () => void display.close());
    const snapshots: DisplaySnapshot[] = [];
    display.on('display:snapshot', (s) => snapshots.push(s));
    await expect.poll(() => snapshots.length, { timeout: 10_000 }).toBe(1);
    const tablet = displayClient(base, demo.tabletTokens[1]!);
    cleanups.push(async () => void tablet.close());
    let tabletConnects = 0;
    tablet.on('connect', () => void tabletConnects++);
    await expect.poll(() => tabletConnects, { timeout: 10_000 }).toBe(1);

    const confirmed: IssuedTicket[] = [];
    let failed = 0;
    let running = true;
    const kiosks = Array.from({ length: 6 }, async (_, k) => {
      while (running) {
        const r = await fetch(`${base}/api/v1/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${demo.kioskToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ serviceId: 1 + (k % 3) }),
        }).then(
          async (res) => (res.status === 201 ? ((await res.json()) as IssuedTicket) : null),
          () => null,
        );
        if (r) confirmed.push(r);
        else {
          failed++;
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    });
    await expect.poll(() => confirmed.length, { timeout: 20_000 }).toBeGreaterThan(40);
    hubProcess!.kill('SIGKILL');
    await expect.poll(() => failed, { timeout: 10_000 }).toBeGreaterThan(0);
    const beforeRestart = confirmed.length;
    await startHub();
    await expect.poll(() => confirmed.length, { timeout: 20_000 }).toBeGreaterThan(beforeRestart + 40);
    running = false;
    await Promise.all(kiosks);

    const { rows } = await dbh.db.query<{ id: number; service_id: number; seq: number; number: string }>('SELECT id, service_id, seq, number FROM tickets ORDER BY service_id, seq');
    const ids = new Set(rows.map((r) => r.id));
    for (const t of confirmed) expect(ids.has(t.id), `ticket ${t.number} confirmed to a kiosk is in the database`).toBe(true);
    const byService = new Map<number, number[]>();
    for (const r of rows) byService.set(r.service_id, [...(byService.get(r.service_id) ?? []), r.seq]);
    for (const seqs of byService.values()) expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(new Set(confirmed.map((t) => t.number + t.serviceId)).size).toBe(confirmed.length);

    // the display reconnected on its own and got a fresh snapshot; calls reach it again
    await expect.poll(() => snapshots.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const staff = await login({ url: base }, 'canbo1');
    await api({ url: base }, 'POST', '/counters/1/open', staff);
    const call = nextEvent(display, 'call');
    await api({ url: base }, 'POST', '/counters/1/next', staff);
    const called = await call;
    expect(called.counterNumber).toBe(1);
    // so did counter 1's rating tablet: it asks for a rating of the ticket served after the restart
    expect(tabletConnects).toBeGreaterThanOrEqual(2);
    const request = nextEvent(tablet, 'rating:request');
    expect((await api({ url: base }, 'POST', '/counters/1/done', staff)).status).toBe(200);
    expect((await request).ticketId).toBe(called.ticketId);
  });

  it('answers 503 while PostgreSQL restarts under load, and recovers without a hub restart', async () => {
    const dir = await tempDir();
    const port = await freePort();
    let pg: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: dir, port });
    cleanups.push(() => pg.stop());
    const db = createPool(pg.url, 20);
    await migrate(db);
    const demo = await seedHall(db);
    const hub: TestHub = await startTestHub({ url: pg.url, db });
    cleanups.push(async () => {
      await hub.close();
      await db.end();
    });
    const staff = await login(hub, 'canbo1');
    await api(hub, 'POST', '/counters/1/open', staff);
    const display = displayClient(hub.url, demo.displayToken);
    cleanups.push(async () => void display.close());
    await nextEvent(display, 'display:snapshot');

    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const r = await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 }).catch(() => ({ status: -1, body: null }));
        statuses.push(r.status);
        if (r.status !== 201) await new Promise((res) => setTimeout(res, 50));
      }
    })();
    await expect.poll(() => statuses.filter((s) => s === 201).length, { timeout: 10_000 }).toBeGreaterThan(10);
    await pg.stop();
    const during = await api<{ error: { code: string } }>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('unavailable');
    expect((await fetch(`${hub.url}/health`)).status).toBe(503);
    pg = await startEmbeddedPostgres({ dataDir: dir, port });
    await expect.poll(async () => (await fetch(`${hub.url}/health`)).status, { timeout: 20_000 }).toBe(200);
    const after = statuses.length;
    await expect.poll(() => statuses.slice(after).filter((s) => s === 201).length, { timeout: 20_000 }).toBeGreaterThan(10);
    running = false;
    await load;
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);

    // live events flow again through the adapter's re-established LISTEN connection
    const call = nextEvent(display, 'call', () => true, 20_000);
    await expect.poll(async () => (await api(hub, 'POST', '/counters/1/next', staff)).status, { timeout: 20_000 }).toBe(200);
    expect((await call).counterNumber).toBe(1);
  });

  it('shows a display what it missed after its network dropped during calls', async () => {
    const dbh = await createTestDatabase();
    cleanups.push(() => dbh.drop());
    const demo = await seedHall(dbh.db);
    const hub = await startTestHub({ url: dbh.url });
    cleanups.push(() => hub.close());
    const target = new URL(hub.url);
    // a TCP proxy between the display and the hub whose links we can cut
    const links = new Set<net.Socket>();
    let accepting = true;
    const proxy = net.createServer((client) => {
      if (!accepting) return client.destroy();
      const upstream = net.connect(Number(target.port), target.hostname);
      client.pipe(upstream).pipe(client);
      for (const s of [client, upstream]) {
        links.add(s);
        s.on('error', () => undefined);
        s.on('close', () => links.delete(s));
      }
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    cleanups.push(async () => void proxy.close());
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    const display = displayClient(proxyUrl, demo.displayToken);
    cleanups.push(async () => void display.close());
    const seen: CallEvent[] = [];
    const snapshots: DisplaySnapshot[] = [];
    display.on('call', (c) => seen.push(c));
    display.on('display:snapshot', (s) => snapshots.push(s));
    await expect.poll(() => snapshots.length, { timeout: 10_000 }).toBe(1);

    const staff = await login(hub, 'canbo1');
    await api(hub, 'POST', '/counters/1/open', staff);
    for (let i = 0; i < 3; i++) await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
    await api(hub, 'POST', '/counters/1/next', staff);
    await expect.poll(() => seen.length).toBe(1);

    accepting = false;
    for (const s of links) s.destroy();
    await expect.poll(() => display.connected, { timeout: 10_000 }).toBe(false);
    await api(hub, 'POST', '/counters/1/next', staff);
    await api(hub, 'POST', '/counters/1/next', staff);
    expect(seen).toHaveLength(1);
    accepting = true;

    await expect.poll(() => snapshots.length, { timeout: 15_000 }).toBe(2);
    const latest = snapshots[1]!;
    expect(latest.counters.find((c) => c.number === 1)?.currentNumber).toBe('A003');
    expect(latest.recentCalls.slice(0, 3).map((c) => c.number)).toEqual(['A003', 'A002', 'A001']);
  });
});
