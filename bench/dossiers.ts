/**
 * Dossier bench (standalone): `node_modules/.bin/tsx bench/dossiers.ts [--dossiers=1000000] [--events-per=5]`
 *
 * Targets: the public lookup p99 ≤ 10 ms with 1,000,000 dossiers and 5,000,000 timeline events; receiving a
 * dossier, print job included (the `dossier.received` event handled), p99 ≤ 100 ms.
 *
 * Runs an embedded PostgreSQL in a temporary folder, or uses BENCH_DATABASE_URL's server (the user needs CREATEDB),
 * through bench/lib/database.ts like the other benches: a fresh database `bench_dossiers_<random>`, migrated, demo
 * hall seeded, dropped at the end. (DATABASE_URL, which this bench used to read, is ignored: use
 * BENCH_DATABASE_URL.) It bulk-generates the data with generate_series, then starts the whole hub in a process of
 * its own (this file with `--hub=<url>`, as on a hall's server) and measures over real HTTP from this process: the
 * lookup with its rate limiter (limits raised so the bench is never refused), and the reception, whose
 * `dossier.received` event the printing feature handles by recording a print job (counted at the end). Prints a
 * table and a JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool, type Db } from '../server/db/pool.js';
import { DEMO_STAFF_PASSWORD } from '../server/demo/seed.js';
import { freshDatabase, startServer, type BenchDatabase } from './lib/database.js';
import { arg } from './lib/args.js';

const DOSSIERS = arg('dossiers', 1_000_000);
const EVENTS_PER = arg('events-per', 5);
const LOOKUPS = arg('lookups', 5000);
const RECEPTIONS = arg('receptions', 1000);
const DAYS = 500;

const t0 = performance.now();
const log = (s: string) => process.stdout.write(`[dossiers ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}\n`);

function quantiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1]! };
}
const ms = (v: number) => v.toFixed(2);

/** `--hub=<database url>`: the hub alone, printing `READY <port>` once it listens (the bench's server process). */
async function hubProcess(url: string): Promise<void> {
  const db = createPool(url, 30);
  const config = { ...loadConfig({}), databaseUrl: url, port: 0, host: '127.0.0.1', logLevel: 'silent', lookupPerMinute: 1_000_000, lookupMissesPerHour: 1_000_000 };
  const built = await buildApp({ config, db, logger: false });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = built.app.server.address();
  process.stdout.write(`READY ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  const stop = () => {
    void built.app
      .close()
      .then(() => db.end())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Starts the hub process on `url`; resolves with its base URL once it listens. */
function startHubProcess(url: string): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'dossiers.ts'), `--hub=${url}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('the hub process did not start within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${m[1]}/api/v1` });
      }
    });
    child.once('exit', (code) => reject(new Error(`the hub process exited with ${code}`)));
  });
}

async function main() {
  if (process.env.DATABASE_URL && !process.env.BENCH_DATABASE_URL) log('DATABASE_URL is ignored: set BENCH_DATABASE_URL to bench on a server of your own');
  const server = await startServer(log);
  let bench: BenchDatabase | null = null;
  let closeHub: (() => Promise<void>) | null = null;
  try {
    bench = await freshDatabase(server, 'dossiers', 30);
    const { db, demo, url } = bench;
    log(`database ready (${server.description}); generating ${DOSSIERS.toLocaleString('en')} dossiers, ${(DOSSIERS * EVENTS_PER).toLocaleString('en')} events`);

    // ---- bulk data: DAYS past hall days, DOSSIERS/DAYS dossiers a day, EVENTS_PER events each ----
    const g0 = performance.now();
    const c = await db.connect();
    try {
      await c.query('SET synchronous_commit = off');
      await c.query(`SET maintenance_work_mem = '256MB'`);
      // Bulk load only: the generated rows are consistent by construction, so skip the per-row foreign-key checks,
      // and build the timeline index once after the load (same definition as migration 004).
      await c.query('SET session_replication_role = replica');
      await c.query('DROP INDEX dossier_events_dossier_idx');
      await c.query(
        `INSERT INTO dossiers (hall_id, code, day, seq, procedure_id, processing_days, applicant_name, applicant_phone, status,
                               received_at, due_day, due_at, result_at, closed_at, counter_id, staff_id)
         SELECT $1, '000.00.12.H40-' || to_char(x.day, 'YYMMDD') || '-' || lpad(x.seq::text, 4, '0'), x.day, x.seq,
                p.ids[1 + x.i % cardinality(p.ids)], p.days[1 + x.i % cardinality(p.ids)],
                'Nguyễn Văn Thử ' || x.i, '09' || lpad((x.i % 100000000)::text, 8, '0'),
                CASE WHEN x.day < current_date - 30 THEN 'returned' ELSE 'processing' END,
                x.at, x.day + 7, (x.day + 7 + time '17:00') AT TIME ZONE 'Asia/Ho_Chi_Minh',
                CASE WHEN x.day < current_date - 30 THEN x.at + interval '5 days' END,
                CASE WHEN x.day < current_date - 30 THEN x.at + interval '6 days' END,
                (SELECT min(id) FROM counters WHERE hall_id = $1), NULL
           FROM (SELECT i, current_date - 1 - (i % $3) AS day, i / $3 + 1 AS seq,
                        ((current_date - 1 - (i % $3)) + time '07:30' + (i / $3) * interval '2 seconds') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS at
                   FROM generate_series(0, $2 - 1) i) x
          CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids, array_agg(processing_days ORDER BY id) AS days FROM procedures WHERE hall_id = $1) p`,
        [demo.hallId, DOSSIERS, DAYS],
      );
      log(`dossiers inserted in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
      const e0 = performance.now();
      await c.query(
        `INSERT INTO dossier_events (dossier_id, kind, status, from_status, note, at)
         SELECT d.id, 'status',
                (ARRAY['received','processing','supplement_required','processing','result_ready','returned'])[least(k, 6)],
                CASE WHEN k > 1 THEN (ARRAY['received','processing','supplement_required','processing','result_ready'])[least(k - 1, 5)] END,
                CASE WHEN k = 1 THEN 'Tiếp nhận tại quầy số 1' WHEN k = 3 THEN 'Bổ sung bản sao giấy tờ' END,
                d.received_at + (k - 1) * interval '1 day'
           FROM dossiers d CROSS JOIN generate_series(1, $1) k`,
        [EVENTS_PER],
      );
      await c.query('CREATE INDEX dossier_events_dossier_idx ON dossier_events (dossier_id, id)');
      await c.query('SET session_replication_role = DEFAULT');
      log(`events inserted and indexed in ${((performance.now() - e0) / 1000).toFixed(1)} s`);
      const a0 = performance.now();
      await c.query('VACUUM ANALYZE dossiers');
      await c.query('VACUUM ANALYZE dossier_events');
      log(`vacuum analyze in ${((performance.now() - a0) / 1000).toFixed(1)} s`);
    } finally {
      c.release();
    }
    const counts = await db.query<{ d: number; e: number; size: string }>(
      `SELECT (SELECT count(*)::int FROM dossiers) AS d, (SELECT count(*)::int FROM dossier_events) AS e, pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    const genSeconds = (performance.now() - g0) / 1000;
    log(`data: ${counts.rows[0]!.d.toLocaleString('en')} dossiers, ${counts.rows[0]!.e.toLocaleString('en')} events, database ${counts.rows[0]!.size}, ${genSeconds.toFixed(1)} s`);

    // ---- the hub, in its own process ----
    const { child, base } = await startHubProcess(url);
    const hubPid = child.pid ?? 0;
    closeHub = () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });

    // ---- lookup ----
    const sample = await db.query<{ code: string }>(`SELECT code FROM dossiers TABLESAMPLE SYSTEM (1) LIMIT $1`, [LOOKUPS]);
    const codes = sample.rows.map((r) => r.code);
    const get = async (code: string) => {
      const s = performance.now();
      const res = await fetch(`${base}/dossiers/${code}`);
      await res.arrayBuffer();
      const took = performance.now() - s;
      return { took, status: res.status };
    };
    for (let i = 0; i < 300; i++) await get(codes[i % codes.length]!); // warm-up
    const lookupTimes: number[] = [];
    for (const code of codes) {
      const r = await get(code);
      if (r.status !== 200) throw new Error(`lookup ${code}: HTTP ${r.status}`);
      lookupTimes.push(r.took);
    }
    const lookup = quantiles(lookupTimes);
    log(`lookup (found, sequential): p50 ${ms(lookup.p50)} ms, p99 ${ms(lookup.p99)} ms over ${lookup.n}`);
    const missTimes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = await get(`000.00.12.H40-990101-${String(1000 + i)}`);
      if (r.status !== 404) throw new Error(`unknown code answered HTTP ${r.status}`);
      missTimes.push(r.took);
    }
    const miss = quantiles(missTimes);
    log(`lookup (unknown code): p50 ${ms(miss.p50)} ms, p99 ${ms(miss.p99)} ms over ${miss.n}`);
    // 8 lookups in flight: throughput on this machine.
    const c0 = performance.now();
    let next = 0;
    const concurrentTimes: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < codes.length) {
          const code = codes[next++]!;
          concurrentTimes.push((await get(code)).took);
        }
      }),
    );
    const concurrent = quantiles(concurrentTimes);
    const perSecond = Math.round(codes.length / ((performance.now() - c0) / 1000));
    log(`lookup (8 in flight): ${perSecond}/s, p99 ${ms(concurrent.p99)} ms`);

    // ---- receipts: POST /dossiers at an open counter; done when the dossier.received event was handled ----
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo1', password: DEMO_STAFF_PASSWORD }) });
    const token = ((await login.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const counters = (await (await fetch(`${base}/counters`, { headers: auth })).json()) as { id: number; number: number }[];
    const counterId = counters.find((x) => x.number === 1)!.id;
    await fetch(`${base}/counters/${counterId}/open`, { method: 'POST', headers: { authorization: auth.authorization } });
    const jobsBefore = await printJobs(db);
    const receiveTimes: number[] = [];
    for (let i = 0; i < RECEPTIONS + 50; i++) {
      const s = performance.now();
      const res = await fetch(`${base}/dossiers`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ procedure: 'Đăng ký khai sinh', applicantName: `Lê Thị Bench ${i}`, applicantPhone: '0912345678', eventId: `bench-${i}` }),
      });
      const body = (await res.json()) as { code: string };
      const took = performance.now() - s;
      if (res.status !== 201) throw new Error(`receive: HTTP ${res.status} ${JSON.stringify(body)}`);
      if (i >= 50) receiveTimes.push(took);
    }
    const receive = quantiles(receiveTimes);
    // Every reception's dossier.received was handled: the printing feature recorded one receipt job each.
    let jobs: number | null = null;
    for (let wait = 0; wait < 100; wait++) {
      const now = await printJobs(db);
      jobs = now === null || jobsBefore === null ? null : now - jobsBefore;
      if (jobs === null || jobs >= RECEPTIONS + 50) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`receive: p50 ${ms(receive.p50)} ms, p99 ${ms(receive.p99)} ms over ${receive.n}; receipt print jobs recorded: ${jobs ?? 'n/a (no print_jobs table)'}`);

    const rssMb = Math.round(Number((await import('node:fs')).readFileSync(`/proc/${hubPid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024);
    const rows: [string, string, string, string, string][] = [
      ['lookup, found (1 in flight)', ms(lookup.p50), ms(lookup.p99), ms(lookup.max), '≤ 10 ms'],
      ['lookup, unknown code', ms(miss.p50), ms(miss.p99), ms(miss.max), '≤ 10 ms'],
      [`lookup, 8 in flight (${perSecond}/s)`, ms(concurrent.p50), ms(concurrent.p99), ms(concurrent.max), '—'],
      ['receive (+ receipt print job)', ms(receive.p50), ms(receive.p99), ms(receive.max), '≤ 100 ms'],
    ];
    process.stdout.write(`\n${'measure'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  target\n`);
    for (const r of rows) process.stdout.write(`${r[0].padEnd(34)} ${r[1].padStart(8)} ${r[2].padStart(8)} ${r[3].padStart(8)}  ${r[4]}\n`);
    const verdicts = { lookupP99Ok: lookup.p99 <= 10 && miss.p99 <= 10, receiveP99Ok: receive.p99 <= 100 };
    process.stdout.write(`\nverdicts: lookup ${verdicts.lookupP99Ok ? 'PASS' : 'FAIL'}, receive ${verdicts.receiveP99Ok ? 'PASS' : 'FAIL'}; hub process RSS ${rssMb} MB; load ${loadavg()}\n`);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'dossiers',
        data: { dossiers: counts.rows[0]!.d, events: counts.rows[0]!.e, size: counts.rows[0]!.size, generateSeconds: Number(genSeconds.toFixed(1)) },
        lookup,
        lookupUnknown: miss,
        lookupConcurrent: { ...concurrent, perSecond },
        receive,
        receiptPrintJobs: jobs,
        hubRssMb: rssMb,
        load: loadavg(),
        verdicts,
      })}\n`,
    );
  } finally {
    await closeHub?.().catch(() => undefined);
    await bench?.drop().catch(() => undefined);
    await server.stop().catch(() => undefined);
    log('done');
  }
}

/** Receipt print jobs recorded so far, or null when the printing feature's table is absent. */
async function printJobs(db: Db): Promise<number | null> {
  try {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM print_jobs WHERE kind = 'receipt'`);
    return rows[0]!.n;
  } catch {
    return null;
  }
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

const hubArg = process.argv.find((a) => a.startsWith('--hub='));
(hubArg ? hubProcess(hubArg.slice('--hub='.length)).then(() => undefined) : main()).then(
  () => (hubArg ? undefined : process.exit(0)),
  (err: unknown) => {
    process.stderr.write(`dossier bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
