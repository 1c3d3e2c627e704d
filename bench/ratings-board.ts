/**
 * Benchmarks of the ratings, rankings and board features (standalone):
 *
 *   node_modules/.bin/tsx bench/ratings-board.ts            # embedded PostgreSQL in a temp folder
 *   BENCH_DATABASE_URL=postgres://… tsx bench/ratings-board.ts   # a server (creates its own database)
 *
 * The database is set up by bench/lib/database.ts like the other benches: a fresh, migrated database
 * `bench_ratings_<random>` (no demo hall), dropped at the end with the embedded server and its folder.
 *
 * Targets: rankings for any period over 1,000,000 ratings ≤ 100 ms; the board's snapshot of a hall with
 * 60 counters and 2,000 tickets today ≤ 20 ms. The data is generated inside PostgreSQL with
 * generate_series (triggers off during the bulk load, then the daily rollup is rebuilt in one statement,
 * exactly what the triggers would have written). Times are wall-clock around the service calls, which
 * include every SQL round trip; median and 95th percentile of repeated runs after one warm-up.
 * Options: RATINGS (default 1000000), DAYS (default 730), RUNS (default 30).
 */
import os from 'node:os';
import type { Db } from '../server/db/pool.js';
import { RankingsService } from '../server/rankings/rankings.service.js';
import { rebuildRollup } from '../server/rankings/rankings.repo.js';
import { BoardService } from '../server/board/board.service.js';
import { DevicesService } from '../server/devices/devices.service.js';
import type { Period, RankingBy } from '../protocol/index.js';
import { emptyDatabase, startServer, type BenchDatabase } from './lib/database.js';

const RATINGS = Number(process.env.RATINGS ?? 1_000_000);
const DAYS = Number(process.env.DAYS ?? 730);
const RUNS = Number(process.env.RUNS ?? 30);
const COUNTERS = 60;
const SERVICES = 12;
const DEPARTMENTS = 6;

const t0 = Date.now();
const log = (msg: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);

/** A hall with departments, services, 60 counters with one staff member each, and a tablet per counter. */
async function makeHall(db: Db, code: string): Promise<{ hallId: number; services: number[]; counters: number[]; staff: number[] }> {
  const hallId = (await db.query<{ id: number }>(`INSERT INTO halls (code, name) VALUES ($1, $2) RETURNING id`, [code, `Trung tâm ${code}`])).rows[0]!.id;
  const depts = (
    await db.query<{ id: number }>(
      `INSERT INTO departments (hall_id, name) SELECT $1, 'Sở ' || g FROM generate_series(1, $2) g RETURNING id`,
      [hallId, DEPARTMENTS],
    )
  ).rows.map((r) => r.id);
  const services = (
    await db.query<{ id: number }>(
      `INSERT INTO services (hall_id, department_id, name, prefix, max_wait_minutes, sort_order)
       SELECT $1, ($2::int[])[1 + (g - 1) % $3], 'Lĩnh vực ' || g, chr(64 + g), 20, g FROM generate_series(1, $4) g RETURNING id`,
      [hallId, depts, DEPARTMENTS, SERVICES],
    )
  ).rows.map((r) => r.id);
  const staff = (
    await db.query<{ id: number }>(
      `INSERT INTO users (hall_id, username, password_hash, name, title, role)
       SELECT $1, $2 || '_cb' || g, 'x', 'Cán bộ ' || g, 'Chuyên viên', 'staff' FROM generate_series(1, $3) g RETURNING id`,
      [hallId, code.toLowerCase(), COUNTERS],
    )
  ).rows.map((r) => r.id);
  const counters = (
    await db.query<{ id: number }>(
      `INSERT INTO counters (hall_id, number, name) SELECT $1, g, 'Quầy ' || g FROM generate_series(1, $2) g RETURNING id`,
      [hallId, COUNTERS],
    )
  ).rows.map((r) => r.id);
  // each counter serves two services
  await db.query(
    `INSERT INTO counter_services (counter_id, service_id)
     SELECT c, ($2::int[])[1 + (i - 1) % $3] FROM unnest($1::int[]) WITH ORDINALITY AS x(c, i)
     UNION SELECT c, ($2::int[])[1 + i % $3] FROM unnest($1::int[]) WITH ORDINALITY AS x(c, i)`,
    [counters, services, SERVICES],
  );
  await db.query(
    `INSERT INTO devices (hall_id, kind, name, counter_id, token_hash)
     SELECT $1, 'tablet', 'Máy tính bảng ' || i, c, md5($2 || i) FROM unnest($3::int[]) WITH ORDINALITY AS x(c, i)`,
    [hallId, code, counters],
  );
  return { hallId, services, counters, staff };
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1]! };
}

async function time(fn: () => Promise<unknown>, runs = RUNS) {
  await fn(); // warm-up (plans, caches)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return stats(samples);
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  const server = await startServer(log);
  let bench: Omit<BenchDatabase, 'demo'> | null = null;
  const results: string[] = [];
  try {
    bench = await emptyDatabase(server, 'ratings', 12);
    const { db } = bench;
    const { rows: ver } = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    log(`PostgreSQL ${ver[0]!.v}, ${os.cpus().length} CPU(s), Node ${process.version}`);

    // ---- rankings over RATINGS ratings ----
    const big = await makeHall(db, 'BENCH');
    const lastDay = (await db.query<{ d: string }>(`SELECT to_char(current_date, 'YYYY-MM-DD') AS d`)).rows[0]!.d;
    log(`generating ${RATINGS.toLocaleString('en')} served tickets and ratings over ${DAYS} days…`);
    const client = await db.connect();
    try {
      // bulk load: triggers off (also skips FK checks); the rollup is rebuilt below in one statement
      await client.query(`SET session_replication_role = replica`);
      await client.query(
        `INSERT INTO tickets (hall_id, service_id, day, seq, number, status, issued_at, queued_at, called_at, serving_at, finished_at, counter_id, staff_id)
         SELECT $1, ($2::int[])[1 + (c - 1 + alt) % $6], d, g, 'B' || g, 'done', ts, ts,
                ts + make_interval(secs => 60 + g % 1200), ts + make_interval(secs => 90 + g % 1200), ts + make_interval(secs => 400 + g % 1200 + g % 700),
                ($3::int[])[c], ($4::int[])[c]
           FROM generate_series(1, $5::int) g,
                LATERAL (SELECT 1 + g % ${COUNTERS} AS c, ($7::date - ((g / ${COUNTERS}) % $8::int)) AS d, (g / ${COUNTERS} / $8::int) % 2 AS alt) k,
                LATERAL (SELECT (d::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') + make_interval(mins => 450 + g % 540) AS ts) x`,
        [big.hallId, big.services, big.counters, big.staff, RATINGS, SERVICES, lastDay, DAYS],
      );
      log('tickets inserted; ratings…');
      await client.query(
        `INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, level, rated_at, created_at)
         SELECT hall_id, id, day, counter_id, staff_id, service_id,
                CASE WHEN r < 0.50 + (counter_id % 7) * 0.03 THEN 4 WHEN r < 0.85 THEN 3 WHEN r < 0.95 THEN 2 ELSE 1 END,
                finished_at + interval '1 minute', finished_at + interval '1 minute'
           FROM (SELECT t.*, random() AS r FROM tickets t WHERE hall_id = $1) t`,
        [big.hallId],
      );
      await client.query(`SET session_replication_role = origin`);
    } finally {
      client.release();
    }
    log('rebuilding the daily rollup…');
    await rebuildRollup(db, big.hallId);
    await db.query('ANALYZE');
    const counts = (
      await db.query<{ ratings: number; rollup: number }>(
        `SELECT (SELECT count(*) FROM ratings WHERE hall_id = $1)::int AS ratings, (SELECT count(*) FROM satisfaction_daily WHERE hall_id = $1)::int AS rollup`,
        [big.hallId],
      )
    ).rows[0]!;
    log(`${counts.ratings.toLocaleString('en')} ratings, ${counts.rollup.toLocaleString('en')} rollup rows`);

    const rankings = new RankingsService(db);
    const bys: RankingBy[] = ['staff', 'counter', 'department', 'hall'];
    const periods: (Period | 'range')[] = ['day', 'week', 'month', 'quarter', 'year', 'range'];
    let worst = 0;
    results.push(`rankings over ${counts.ratings.toLocaleString('en')} ratings (${DAYS} days, ${COUNTERS} staff/counters), ${RUNS} runs each — target ≤ 100 ms`);
    results.push(`  ${'by'.padEnd(11)}${periods.map((p) => (p === 'range' ? `${DAYS}-day range` : p).padStart(16)).join('')}`);
    for (const by of bys) {
      const cells: string[] = [];
      for (const p of periods) {
        const q = p === 'range' ? { by, hall: 'BENCH', from: (await db.query<{ d: string }>(`SELECT to_char($1::date - $2::int + 1, 'YYYY-MM-DD') AS d`, [lastDay, DAYS])).rows[0]!.d, to: lastDay } : { by, hall: 'BENCH', period: p, date: lastDay };
        const s = await time(() => rankings.rankings(q, null));
        worst = Math.max(worst, s.p95);
        cells.push(`${s.median.toFixed(1)} / ${s.p95.toFixed(1)}`.padStart(16));
      }
      results.push(`  ${by.padEnd(11)}${cells.join('')}`);
    }
    results.push(`  (median / p95 in ms; worst p95 ${ms(worst)}: ${worst <= 100 ? 'PASS' : 'FAIL'})`);
    log('rankings measured');

    // ---- board snapshot: 60 counters, 2,000 tickets today ----
    const hall = await makeHall(db, 'BOARD');
    const today = (await db.query<{ d: string }>(`SELECT to_char((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD') AS d`)).rows[0]!.d;
    // 60 in progress (one per counter), 1,400 done, 40 no-show, 500 waiting
    await db.query(
      `INSERT INTO tickets (hall_id, service_id, day, seq, number, status, issued_at, queued_at, called_at, serving_at, finished_at, counter_id, staff_id)
       SELECT $1, ($2::int[])[1 + (c - 1) % $6], $5::date, g, 'T' || g, st,
              now() - make_interval(secs => 28800 - g * 14), now() - make_interval(secs => 28800 - g * 14),
              CASE WHEN st <> 'waiting' THEN now() - make_interval(secs => 28800 - g * 14 - 300 - g % 900) END,
              CASE WHEN st IN ('serving', 'done') THEN now() - make_interval(secs => 28800 - g * 14 - 330 - g % 900) END,
              CASE WHEN st IN ('done', 'no_show') THEN now() - make_interval(secs => 28800 - g * 14 - 700 - g % 900) END,
              CASE WHEN st <> 'waiting' THEN ($3::int[])[c] END, CASE WHEN st <> 'waiting' THEN ($4::int[])[c] END
         FROM generate_series(1, 2000) g,
              LATERAL (SELECT 1 + (g - 1) % ${COUNTERS} AS c,
                              CASE WHEN g <= 1400 THEN 'done' WHEN g <= 1440 THEN 'no_show' WHEN g <= 1500 THEN 'serving' ELSE 'waiting' END AS st) k`,
      [hall.hallId, hall.services, hall.counters, hall.staff, today, SERVICES],
    );
    await db.query(
      `INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, level)
       SELECT hall_id, id, day, counter_id, staff_id, service_id, 1 + (id % 4)::int FROM tickets WHERE hall_id = $1 AND status = 'done' AND id % 2 = 0`,
      [hall.hallId],
    );
    await db.query(`UPDATE counters SET status = 'open', staff_id = s.staff, opened_at = now() - interval '8 hours'
                      FROM unnest($1::int[], $2::int[]) AS s(counter, staff) WHERE counters.id = s.counter`, [hall.counters, hall.staff]);
    await db.query('ANALYZE');
    const devices = new DevicesService(db);
    const board = new BoardService(db, (hallId) => devices.list(hallId));
    const snap = await board.snapshot(hall.hallId);
    // where the time goes: the one board statement on the server (EXPLAIN ANALYZE, no client or scheduling
    // noise), the statement with its round trip, and the device list that runs beside it
    const boardRepo = await import('../server/board/board.repo.js');
    const explained: number[] = [];
    const spy = {
      query: async (text: string, params: unknown[]) => {
        const r = await db.query<{ 'QUERY PLAN': { 'Execution Time': number }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
        explained.push(r.rows[0]!['QUERY PLAN'][0]!['Execution Time']);
        return { rows: [{ hall: null }] };
      },
    };
    for (let i = 0; i < 20; i++) await boardRepo.boardDay(spy as unknown as Db, hall.hallId, new Date(), 15);
    const statement = await time(() => boardRepo.boardDay(db, hall.hallId, new Date(), 15), RUNS);
    const deviceList = await time(() => devices.list(hall.hallId), RUNS);
    for (let i = 0; i < 20; i++) await board.snapshot(hall.hallId); // JIT and plan caches warm
    const b = await time(() => board.snapshot(hall.hallId), RUNS * 4);
    results.push('');
    results.push(
      `board snapshot, ${snap.counters.length} counters, ${snap.totals.issued.toLocaleString('en')} tickets today (${snap.totals.waiting} waiting), ${snap.devices.length} devices, ${RUNS * 4} runs — target ≤ 20 ms`,
    );
    results.push(`  median ${ms(b.median)}, p95 ${ms(b.p95)}, max ${ms(b.max)}: ${b.p95 <= 20 ? 'PASS' : 'FAIL'}`);
    results.push(
      `  parts: board statement ${ms(statement.median)} median (server execution ${ms(stats(explained).median)}, min ${ms(Math.min(...explained))}), device list ${ms(deviceList.median)}`,
    );
    results.push(`  load average during the run: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    log('board measured');
  } finally {
    await bench?.drop().catch((err: unknown) => log(`drop failed: ${String(err)}`));
    await server.stop();
  }
  process.stdout.write(`\n${results.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
