import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { createPool, type Db } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import type { DemoHall } from '../../server/demo/seed.js';

/** The postmaster of the cluster in `dir` and every process it started (backends, checkpointer, walwriter…). */
function clusterPids(dir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

describe('a stalled database (SIGSTOP of the whole cluster)', () => {
  let dir: string;
  let pg: EmbeddedDatabase;
  let db: Db;
  let demo: DemoHall;
  const hubs: TestHub[] = [];
  let stopped: number[] = [];

  const stall = () => {
    stopped = clusterPids(dir);
    for (const pid of stopped) process.kill(pid, 'SIGSTOP');
  };
  const resume = () => {
    for (const pid of stopped) process.kill(pid, 'SIGCONT');
    stopped = [];
  };
  const tickets = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).rows[0]!.n;
  const issue = (hub: TestHub, signal?: AbortSignal) =>
    fetch(`${hub.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.kioskToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 1 }),
      ...(signal ? { signal } : {}),
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-stall-'));
    await chmod(dir, 0o755);
    pg = await startEmbeddedPostgres({ dataDir: dir });
    db = createPool(pg.url, 5);
    await migrate(db);
    demo = await seedHall(db);
  });
  afterAll(async () => {
    resume();
    for (const h of hubs) await h.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('rolls back a ticket whose kiosk gave up during the stall, instead of committing it when the database comes back', async () => {
    const hub = await startTestHub({ url: pg.url, poolSize: 4 });
    hubs.push(hub);
    expect((await issue(hub)).status).toBe(201);
    const before = await tickets();

    stall();
    const kiosk = new AbortController();
    const abandoned = issue(hub, kiosk.signal).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 300));
    kiosk.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    // /health answers at once while the database is stopped: 503 saying what is wrong
    const health = await fetch(`${hub.url}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { error: { message: string } }).error.message).toMatch(/database does not answer/);
    resume();

    // the hub finishes the work it had started, sees the client gone and does not commit
    await expect.poll(async () => (await fetch(`${hub.url}/health`)).status, { timeout: 15_000 }).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await tickets()).toBe(before);
    const next = await issue(hub);
    expect(next.status).toBe(201);
    // the rolled-back ticket took no number: numbering stays gap-free
    expect(((await next.json()) as { number: string }).number).toBe('A002');
  });

  it('answers 503 to a request still waiting at its deadline, and commits nothing for it', async () => {
    const hub = await startTestHub({ url: pg.url, poolSize: 4, config: { requestDeadlineMs: 500 } });
    hubs.push(hub);
    await expect.poll(async () => (await issue(hub)).status, { timeout: 10_000 }).toBe(201);
    await expect.poll(() => hub.hub.db.idleCount === hub.hub.db.totalCount, { timeout: 10_000 }).toBe(true);
    const before = await tickets();
    stall();
    const waiting = issue(hub);
    await new Promise((r) => setTimeout(r, 1000));
    resume();
    const res = await waiting;
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('deadline_exceeded');
    expect(await tickets()).toBe(before);
  });

  it('answers 503 busy at once when every connection of the pool is taken, while the database is still stopped', async () => {
    const hub = await startTestHub({ url: pg.url, poolSize: 2, config: { dbLimits: { statementTimeoutMs: 8000, connectTimeoutMs: 5000, poolQueueMax: 1 } } });
    hubs.push(hub);
    // (the hub's own start-up work may hold both connections a moment)
    await expect.poll(async () => (await issue(hub)).status, { timeout: 10_000 }).toBe(201);
    await Promise.all([issue(hub), issue(hub)]);
    const pool = hub.hub.db;
    await expect.poll(() => pool.totalCount === 2 && pool.idleCount === 2 && pool.waitingCount === 0, { timeout: 10_000 }).toBe(true);
    stall();
    // two requests hold both connections, a third waits for one: the pool is full
    const held = [issue(hub), issue(hub), issue(hub)];
    await new Promise((r) => setTimeout(r, 200));
    const refused = await issue(hub);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    const stillStopped = stopped.length > 0;
    resume();
    expect(stillStopped).toBe(true);
    expect(refused.status).toBe(503);
    expect(body.error, JSON.stringify(body)).toMatchObject({ code: 'busy' });
    expect(body.error.message).toMatch(/bận/);
    await Promise.all(held);
  });
});
