/**
 * Official figures bench (standalone): `node --import tsx bench/reports.ts [--dossiers=1000000] [--procedures=2000]`
 *
 * Targets: the periodic report (Biểu 06) for a year over 1,000,000 dossiers and ~5,000,000 events ≤ 1 s; the
 * indicators (all four, one request) ≤ 200 ms; the catalogue search over 2,000 procedures p99 ≤ 20 ms.
 *
 * A fresh database on bench/lib/database.ts's server (embedded PostgreSQL, or BENCH_DATABASE_URL), the demo hall, then
 * DOSSIERS dossiers received from 2024-12-01 to 2025-12-31 with their timelines generated in SQL (received,
 * processing, a supplement wait for one in five, a result 0–10 days after receipt, the hand-over; one in six of
 * the last month's still open; 30 % online, 10 % by post). The bulk load bypasses the triggers, so every dossier is
 * then marked stale and the first report computes all the figures rows (measured, "initial build"). Timed after
 * that, through the hub's own service (no HTTP): the 2025 report, a quarter, a month; the report after 1,000
 * dossiers changed (their rows computed again); the indicators for the year and a month; and catalogue searches
 * as people type (prefixes of real names, with and without diacritics) over PROCEDURES procedures.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { FiguresService } from '../server/figures/figures.service.js';
import { freshDatabase, startServer, type BenchDatabase } from './lib/database.js';
import { summarize, round } from './lib/stats.js';
import { table, verdict } from './lib/report.js';
import { arg } from './lib/args.js';

const DOSSIERS = arg('dossiers', 1_000_000);
const PROCEDURES = arg('procedures', 2000);
const RUNS = arg('runs', 7);
const SEARCHES = arg('searches', 2000);

const t0 = performance.now();
const log = (s: string) => process.stdout.write(`[reports ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}\n`);

async function timed<T>(runs: number, f: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    last = await f();
    ms.push(performance.now() - a);
  }
  return { ms, last: last! };
}

const WORDS = ['Đăng ký', 'Cấp', 'Cấp lại', 'Điều chỉnh', 'Gia hạn', 'Xác nhận', 'Thu hồi', 'Chứng thực', 'Công nhận', 'Giải quyết'];
const OBJECTS = [
  'khai sinh',
  'kết hôn',
  'giấy phép xây dựng',
  'quyền sử dụng đất',
  'hộ kinh doanh',
  'trợ cấp xã hội',
  'giấy phép lái xe',
  'bản sao trích lục',
  'tình trạng hôn nhân',
  'giấy chứng nhận đầu tư',
  'kế hoạch bảo vệ môi trường',
  'giấy phép kinh doanh rượu',
  'hồ sơ thuế',
  'người có công',
  'bảo trợ xã hội',
  'đăng ký tạm trú',
  'thay đổi hộ tịch',
  'di tích lịch sử',
  'hoạt động giáo dục',
  'khám bệnh nghề nghiệp',
];

async function generate(bench: BenchDatabase) {
  const { db, demo } = bench;
  const c = await db.connect();
  try {
    await c.query('SET synchronous_commit = off');
    await c.query(`SET maintenance_work_mem = '256MB'`);
    await c.query('SET session_replication_role = replica');
    // the catalogue: PROCEDURES procedures (the demo's 14 and generated ones), spread over the hall's services
    await c.query(
      `INSERT INTO procedures (hall_id, service_id, department_id, name, processing_days, fee, papers, code)
       SELECT $1, s.ids[1 + i % cardinality(s.ids)], NULL,
              ($3::text[])[1 + i % cardinality($3::text[])] || ' ' || ($4::text[])[1 + (i / cardinality($3::text[])) % cardinality($4::text[])] || ' (mẫu ' || i || ')',
              1 + i % 20, (i % 7) * 10000, '[{"name":"Tờ khai","originals":1,"copies":0}]'::jsonb, '1.00' || i
         FROM generate_series(1, $2::int - 14) i
        CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM services WHERE hall_id = $1) s`,
      [demo.hallId, PROCEDURES, WORDS, OBJECTS],
    );
    const g0 = performance.now();
    await c.query('DROP INDEX dossier_events_dossier_idx');
    await c.query(
      `INSERT INTO dossiers (hall_id, code, day, seq, procedure_id, processing_days, applicant_name, status, received_at, due_day, due_at, channel)
       SELECT $1, 'B-' || to_char(x.day, 'YYMMDD') || '-' || lpad(x.seq::text, 5, '0'), x.day, x.seq,
              p.ids[1 + x.i % cardinality(p.ids)], 5, 'Nguyễn Văn Thử', 'processing',
              (x.day + time '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', x.day + 7, (x.day + 7 + time '17:00') AT TIME ZONE 'Asia/Ho_Chi_Minh',
              CASE WHEN x.i % 10 < 3 THEN 'online' WHEN x.i % 10 = 3 THEN 'postal' ELSE 'in_person' END
         FROM (SELECT i, date '2024-12-01' + (i % 396) AS day, i / 396 + 1 AS seq FROM generate_series(0, $2::int - 1) i) x
        CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM (SELECT id FROM procedures WHERE hall_id = $1 ORDER BY id LIMIT 40) q) p`,
      [demo.hallId, DOSSIERS],
    );
    log(`dossiers inserted in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    const e0 = performance.now();
    await c.query(
      `INSERT INTO dossier_events (dossier_id, kind, status, at)
       SELECT d.id, 'status', e.status, ((d.day + e.after) + time '09:00' + e.n * interval '1 minute') AT TIME ZONE 'Asia/Ho_Chi_Minh'
         FROM dossiers d
        CROSS JOIN LATERAL (SELECT (d.id % 11)::int AS r, d.id % 5 = 0 AS supp, d.day > date '2025-12-01' AND d.id % 6 = 0 AS open) o
        CROSS JOIN LATERAL (VALUES (1, 'received', 0), (2, 'processing', 0), (3, 'supplement_required', 1), (4, 'processing', 3),
                                   (5, 'result_ready', 0), (6, 'returned', 1)) AS e0(n, status, after0)
        CROSS JOIN LATERAL (SELECT e0.n, e0.status,
                                   CASE WHEN e0.n = 5 THEN o.r + CASE WHEN o.supp THEN 3 ELSE 0 END
                                        WHEN e0.n = 6 THEN o.r + CASE WHEN o.supp THEN 3 ELSE 0 END + 1 ELSE e0.after0 END AS after) e
        WHERE (e.n NOT IN (3, 4) OR o.supp) AND (e.n < 5 OR NOT o.open)`,
    );
    await c.query('CREATE INDEX dossier_events_dossier_idx ON dossier_events (dossier_id, id)');
    await c.query('SET session_replication_role = DEFAULT');
    // the bulk load bypassed the triggers: every dossier's figures are still to be computed
    await c.query('INSERT INTO dossier_figures_stale (dossier_id, hall_id) SELECT id, hall_id FROM dossiers');
    log(`events inserted and indexed in ${((performance.now() - e0) / 1000).toFixed(1)} s`);
    await c.query('VACUUM ANALYZE dossiers');
    await c.query('VACUUM ANALYZE dossier_events');
    await c.query('VACUUM ANALYZE procedures');
  } finally {
    c.release();
  }
  const { rows } = await db.query<{ d: number; e: number; p: number; size: string }>(
    `SELECT (SELECT count(*)::int FROM dossiers) AS d, (SELECT count(*)::int FROM dossier_events) AS e, (SELECT count(*)::int FROM procedures) AS p,
            pg_size_pretty(pg_database_size(current_database())) AS size`,
  );
  return rows[0]!;
}

async function main() {
  const server = await startServer(log);
  let bench: BenchDatabase | null = null;
  try {
    bench = await freshDatabase(server, 'reports', 10);
    const { db, demo } = bench;
    log(`database ready (${server.description}); generating ${DOSSIERS.toLocaleString('en')} dossiers`);
    const counts = await generate(bench);
    log(`data: ${counts.d.toLocaleString('en')} dossiers, ${counts.e.toLocaleString('en')} events, ${counts.p} procedures, database ${counts.size}`);
    const figures = new FiguresService(db);
    const hallId = demo.hallId;

    const b0 = performance.now();
    const first = await figures.report(hallId, { period: '2025' });
    const buildS = (performance.now() - b0) / 1000;
    log(`initial build of the figures rows (every dossier computed from its events) and the first report: ${buildS.toFixed(1)} s`);
    await db.query('VACUUM ANALYZE dossier_figures');
    await db.query('VACUUM ANALYZE dossier_figures_daily');

    const year = await timed(RUNS, () => figures.report(hallId, { period: '2025' }));
    const quarter = await timed(RUNS, () => figures.report(hallId, { period: '2025-Q4' }));
    const month = await timed(RUNS, () => figures.report(hallId, { period: '2025-11' }));
    // 1,000 dossiers change (a new event each), then the year report computes their rows again
    const changedMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      await db.query(
        `INSERT INTO dossier_events (dossier_id, kind, status, note, at)
         SELECT id, 'notification', 'result_ready', 'bench', now() FROM dossiers WHERE id % 997 = $1 LIMIT 1000`,
        [round],
      );
      changedMs.push((await timed(1, () => figures.report(hallId, { period: '2025' }))).ms[0]!);
    }
    const changed = { ms: changedMs };
    const indYear = await timed(RUNS, () => figures.indicators(hallId, { period: '2025' }));
    const indMonth = await timed(RUNS, () => figures.indicators(hallId, { period: '2025-11' }));

    // catalogue: what people type, letter by letter, with and without diacritics
    const typed = ['dang ky khai sinh', 'Đăng ký kết hôn', 'giay phep xay dung', 'cấp lại giấy phép', 'quyen su dung dat', 'tro cap', 'xac nhan tinh trang hon nhan', 'ho kinh doanh'];
    const queries: string[] = [];
    while (queries.length < SEARCHES) for (const q of typed) for (let n = 1; n <= q.length && queries.length < SEARCHES; n++) queries.push(q.slice(0, n));
    for (const q of queries.slice(0, 50)) await figures.search(hallId, { q }); // warm-up
    const search = await timed(1, async () => {
      const ms: number[] = [];
      for (const q of queries) {
        const a = performance.now();
        await figures.search(hallId, { q });
        ms.push(performance.now() - a);
      }
      return ms;
    });
    const searchMs = search.last;
    if (process.argv.includes('--explain')) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) SELECT p.id FROM procedures p WHERE p.hall_id = $1 AND p.active AND p.search_key LIKE ALL (SELECT '%' || w || '%' FROM unnest($2::text[]) AS w)`,
        [hallId, ['dang', 'ky']],
      );
      log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    const hits = (await figures.search(hallId, { q: 'giay phep xay dung' })).items.length;

    const s = (ms: number[]) => summarize(ms);
    const rows = [
      ['year report (2025), median / max', `${round(s(year.ms).p50)} / ${round(s(year.ms).max)} ms`, '≤ 1000 ms', verdict(s(year.ms).max <= 1000)],
      ['quarter report (2025-Q4), median', `${round(s(quarter.ms).p50)} ms`, '—', 'info'],
      ['month report (2025-11), median', `${round(s(month.ms).p50)} ms`, '—', 'info'],
      ['year report after 1,000 dossiers changed, median', `${round(s(changed.ms).p50)} ms`, '—', 'info'],
      ['indicators (all four) for the year, median / max', `${round(s(indYear.ms).p50)} / ${round(s(indYear.ms).max)} ms`, '≤ 200 ms', verdict(s(indYear.ms).max <= 200)],
      ['indicators (all four) for a month, median / max', `${round(s(indMonth.ms).p50)} / ${round(s(indMonth.ms).max)} ms`, '≤ 200 ms', verdict(s(indMonth.ms).max <= 200)],
      [`catalogue search over ${counts.p} procedures, p50 / p99 (${searchMs.length} typed queries)`, `${round(s(searchMs).p50)} / ${round(s(searchMs).p99)} ms`, '≤ 20 ms p99', verdict(s(searchMs).p99 <= 20)],
      ['initial build of the figures rows', `${round(buildS, 1)} s`, '—', 'info'],
    ];
    process.stdout.write(`\n${table(['measure', 'measured', 'wanted', ''], rows)}\n`);
    process.stdout.write(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'reports',
        dossiers: counts.d,
        events: counts.e,
        procedures: counts.p,
        yearTotal: first.total,
        yearMs: s(year.ms),
        quarterMs: s(quarter.ms),
        monthMs: s(month.ms),
        afterChangesMs: s(changed.ms),
        indicatorsYearMs: s(indYear.ms),
        indicatorsMonthMs: s(indMonth.ms),
        searchMs: s(searchMs),
        searchHits: hits,
        initialBuildS: round(buildS, 1),
      })}\n`,
    );
  } finally {
    await bench?.drop();
    await server.stop();
  }
}

await main();
