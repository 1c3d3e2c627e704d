/**
 * The periodic report (Biểu 06/VPCP/KSTT) and the indicators (QĐ 766) over dossier histories built by hand:
 * every cell checked, "as of the end of the period" (a dossier resolved after it is in progress in it), supplement
 * waits moving the due day, an extension not moving it, refused and withdrawn dossiers, the one-by-one judging of
 * dossiers whose history moved after the end, the CSV and XLSX layouts, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { DossierReport, Indicators, ReportCells } from '../../protocol/index.js';
import { FiguresService } from '../../server/figures/figures.service.js';

type Err = { error: { code: string; message: string } };
const CIVIL = 'Tư pháp – Hộ tịch';
const LAND = 'Đất đai';
const at = (day: string, hhmm = '09:00') => new Date(`${day}T${hhmm}:00+07:00`);

const cells = (
  received: [number, number, number, number],
  resolved: [number, number, number, number],
  inProgress: [number, number, number],
  stopped: number,
): ReportCells => ({
  received: { total: received[0], online: received[1], inPerson: received[2], carriedOver: received[3] },
  resolved: { total: resolved[0], early: resolved[1], onTime: resolved[2], late: resolved[3] },
  inProgress: { total: inProgress[0], withinTime: inProgress[1], overdue: inProgress[2] },
  stopped,
});

describe('the periodic report on dossiers and the indicators', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let manager: string;
  let staff: string;
  const procedureOf = new Map<string, number>();
  const ids = new Map<string, number>();
  let seq = 0;
  let hallCode = '';

  /** A dossier received on `received` (due `due`; `originalDue`: the due day fixed at receipt, when an extension moved it) with its status events on the given days. */
  async function dossier(key: string, field: string, channel: 'in_person' | 'online' | 'postal', received: string, due: string, events: [string, string][], originalDue = due) {
    seq += 1;
    const last = events.length > 0 ? events[events.length - 1]![0] : 'received';
    const status = last === 'extended' ? 'processing' : last;
    const { rows } = await dbh.db.query<{ id: number }>(
      `INSERT INTO dossiers (hall_id, code, day, seq, procedure_id, processing_days, applicant_name, status, received_at, due_day, due_at, original_due_at, channel)
       VALUES ($1, $2, $3, $4, $5, 3, 'Nguyễn Văn A', $6, $7, $8, $9, $10, $11) RETURNING id`,
      [demo.hallId, `TEST-${seq}`, received, seq, procedureOf.get(field), status, at(received), due, at(due, '17:00'), at(originalDue, '17:00'), channel],
    );
    const id = rows[0]!.id;
    ids.set(key, id);
    await dbh.db.query(`INSERT INTO dossier_events (dossier_id, status, at) VALUES ($1, 'received', $2)`, [id, at(received, '08:30')]);
    let minute = 0;
    for (const [s, day] of events) {
      minute += 1;
      await dbh.db.query(`INSERT INTO dossier_events (dossier_id, status, at) VALUES ($1, $2, $3)`, [id, s, new Date(at(day).getTime() + minute * 60_000)]);
    }
  }
  const report = (query: string, token: string | null = manager) => api<DossierReport & Err>(hub, 'GET', `/reports/dossiers?${query}`, token);
  const rowOf = (r: DossierReport, field: string) => {
    const row = r.rows.find((x) => x.field === field);
    expect(row, field).toBeDefined();
    const { field: _f, ...rest } = row!;
    return rest;
  };

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    manager = await login(hub, 'quanly');
    hallCode = (await dbh.db.query<{ code: string }>('SELECT code FROM halls WHERE id = $1', [demo.hallId])).rows[0]!.code;
    staff = await login(hub, 'canbo1');
    const { rows } = await dbh.db.query<{ id: number; name: string }>(
      `SELECT p.id, s.name FROM procedures p JOIN services s ON s.id = p.service_id
        WHERE p.name IN ('Cấp Giấy xác nhận tình trạng hôn nhân', 'Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất')`,
    );
    for (const r of rows) procedureOf.set(r.name, r.id);
    expect([...procedureOf.keys()].sort()).toEqual([LAND, CIVIL].sort());

    // November 2026: Mon 2 … Mon 30, no public holiday. Hộ tịch:
    await dossier('early', CIVIL, 'online', '2026-11-03', '2026-11-06', [['processing', '2026-11-03'], ['result_ready', '2026-11-05'], ['returned', '2026-11-06']]);
    await dossier('onTime', CIVIL, 'in_person', '2026-11-03', '2026-11-06', [['processing', '2026-11-04'], ['result_ready', '2026-11-06']]);
    await dossier('late', CIVIL, 'postal', '2026-11-03', '2026-11-06', [['processing', '2026-11-04'], ['result_ready', '2026-11-10']]);
    await dossier('open', CIVIL, 'in_person', '2026-11-25', '2026-11-30', [['processing', '2026-11-26']]);
    // resolved only on 2 December: as of 30 November it was in progress, and past its due day
    await dossier('afterEnd', CIVIL, 'in_person', '2026-11-24', '2026-11-27', [['processing', '2026-11-24'], ['result_ready', '2026-12-02']]);
    // waited for the applicant Wed 4 → Mon 9 (3 working days: 5, 6, 9): due Thu 5 → Tue 10, result on Tue 10 is on time
    await dossier('paused', CIVIL, 'in_person', '2026-11-02', '2026-11-05', [['supplement_required', '2026-11-04'], ['processing', '2026-11-09'], ['result_ready', '2026-11-10']]);
    // two supplement requests (due 5 → 9): early in the report, late for indicator 2.1
    await dossier('twice', CIVIL, 'in_person', '2026-11-02', '2026-11-05', [
      ['supplement_required', '2026-11-03'],
      ['processing', '2026-11-04'],
      ['supplement_required', '2026-11-05'],
      ['processing', '2026-11-06'],
      ['result_ready', '2026-11-06'],
    ]);
    // waiting for the applicant at the end, asked before the due day: within time
    await dossier('waiting', CIVIL, 'in_person', '2026-11-20', '2026-11-25', [['processing', '2026-11-20'], ['supplement_required', '2026-11-24']]);
    // asked for a supplement already past due (9 > 5), answered only on 10 December: overdue at the end of November,
    // although the final due day (moved by the long wait) is after the 30th
    await dossier('lateWait', CIVIL, 'in_person', '2026-11-02', '2026-11-05', [['supplement_required', '2026-11-09'], ['processing', '2026-12-10']]);
    await dossier('refused', CIVIL, 'in_person', '2026-11-03', '2026-11-03', [['rejected', '2026-11-03']]);
    await dossier('withdrawn', CIVIL, 'in_person', '2026-11-04', '2026-11-09', [['processing', '2026-11-04'], ['withdrawn', '2026-11-06']]);
    // an apology with a new due day (12th): a result on the 10th is still late against the due day of the 5th
    await dossier('extended', CIVIL, 'in_person', '2026-11-02', '2026-11-12', [['processing', '2026-11-02'], ['extended', '2026-11-05'], ['result_ready', '2026-11-10']], '2026-11-05');
    // Đất đai: carried over from October
    await dossier('carriedLate', LAND, 'online', '2026-10-28', '2026-11-02', [['processing', '2026-10-28'], ['result_ready', '2026-11-04']]);
    await dossier('carriedOverdue', LAND, 'in_person', '2026-10-20', '2026-10-23', [['processing', '2026-10-20']]);
    await dossier('carriedWithin', LAND, 'in_person', '2026-10-29', '2026-12-15', [['processing', '2026-10-29']]);
    await dossier('october', LAND, 'in_person', '2026-10-01', '2026-10-15', [['processing', '2026-10-01'], ['result_ready', '2026-10-05']]);
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('counts every cell of November 2026 as the dossiers stood on 30 November', async () => {
    const { status, body } = await report('period=2026-11');
    expect(status).toBe(200);
    expect(body).toMatchObject({ period: '2026-11', from: '2026-11-01', to: '2026-11-30', hall: { code: hallCode } });
    expect(body.rows.map((r) => r.field)).toEqual([LAND, CIVIL].sort((a, b) => a.localeCompare(b, 'vi')));
    // received: early(online), onTime, late(postal), open, afterEnd, paused, twice, waiting, lateWait, withdrawn, extended
    // resolved: early, twice | onTime, paused | late, extended; in progress: open, waiting | afterEnd, lateWait
    expect(rowOf(body, CIVIL)).toEqual(cells([11, 1, 10, 0], [6, 2, 2, 2], [4, 2, 2], 1));
    expect(rowOf(body, LAND)).toEqual(cells([3, 0, 0, 3], [1, 0, 0, 1], [2, 1, 1], 0));
    expect(body.total).toEqual(cells([14, 1, 10, 3], [7, 2, 2, 3], [6, 3, 3], 1));
  });

  it('carries November’s unfinished dossiers into December, and adds the months of a quarter, a half and a year', async () => {
    const dec = (await report('period=2026-12')).body;
    // afterEnd is resolved on 2 Dec, late against its due day of 27 Nov; lateWait resumed on 10 Dec
    // at 31 Dec: open (due 30 Nov) overdue, waiting still within, lateWait's due moved by its wait only to 8 Dec
    expect(rowOf(dec, CIVIL)).toEqual(cells([4, 0, 0, 4], [1, 0, 0, 1], [3, 1, 2], 0));
    expect(rowOf(dec, LAND)).toEqual(cells([2, 0, 0, 2], [0, 0, 0, 0], [2, 0, 2], 0));
    for (const period of ['2026-Q4', '2026-H2', '2026']) {
      const r = (await report(`period=${period}`)).body;
      expect(r.total.received, period).toEqual({ total: 15, online: 2, inPerson: 13, carriedOver: 0 });
      expect(r.total.resolved, period).toEqual({ total: 9, early: 3, onTime: 2, late: 4 });
    }
    const oct = (await report('from=2026-10-01&to=2026-10-31')).body;
    expect(oct.period).toBe('2026-10-01..2026-10-31');
    expect(rowOf(oct, LAND)).toEqual(cells([4, 1, 3, 0], [1, 1, 0, 0], [3, 2, 1], 0));
    expect((await report(`period=2026-11&field=${encodeURIComponent(LAND)}`)).body.rows.map((r) => r.field)).toEqual([LAND]);
  });

  it('follows a change made after a report: the dossier is computed again', async () => {
    await dbh.db.query(`INSERT INTO dossier_events (dossier_id, status, at) VALUES ($1, 'result_ready', $2)`, [ids.get('open'), at('2026-11-27')]);
    const { body } = await report('period=2026-11');
    expect(rowOf(body, CIVIL)).toEqual(cells([11, 1, 10, 0], [7, 3, 2, 2], [3, 1, 2], 1));
    // a day off added to the calendar marks the dossiers it can move for computing again
    await dbh.db.query(`INSERT INTO holidays (hall_id, day, name) VALUES ($1, '2026-11-04', 'Ngày nghỉ thử')`, [demo.hallId]);
    const stale = await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_figures_stale');
    expect(stale.rows[0]!.n).toBeGreaterThan(5);
    await dbh.db.query(`DELETE FROM holidays WHERE hall_id = $1 AND day = '2026-11-04'`, [demo.hallId]);
    expect(rowOf((await report('period=2026-11')).body, CIVIL)).toEqual(cells([11, 1, 10, 0], [7, 3, 2, 2], [3, 1, 2], 1));
    const sums = await dbh.db.query<{ n: number }>('SELECT sum(online + in_person)::int AS n FROM dossier_figures_daily');
    expect(sums.rows[0]!.n).toBe(15); // every dossier received once in the daily sums, after all the changes
  });

  it('computes the indicators with their numerators and how', async () => {
    const { status, body } = await api<Indicators & Err>(hub, 'GET', '/indicators?period=2026-11', null);
    expect(status).toBe(200);
    const by = new Map(body.items.map((i) => [i.code, i]));
    expect([...by.keys()]).toEqual(['2.1', '2.2', '3.3', '5.4']);
    // judged: 8 resolved + 5 in progress; on time: early, onTime, paused, open (twice has two supplement requests) + waiting, carriedWithin
    expect(by.get('2.1')).toMatchObject({ value: 46.15, unit: '%', numerator: 6, denominator: 13 });
    expect(by.get('2.1')!.method).toContain('bổ sung quá một lần');
    // working days to the result, waits excluded: early 2, onTime 3, late 5, paused 6−3, twice 4−2, extended 6, open 2, carriedLate 5
    expect(by.get('2.2')).toMatchObject({ value: 3.5, unit: 'ngày làm việc', numerator: 28, denominator: 8 });
    expect(by.get('2.2')!.parts!.map((p) => [p.count, p.value])).toEqual([
      [7, 3.29],
      [1, 5],
    ]);
    expect(by.get('3.3')).toMatchObject({ value: 9.09, numerator: 1, denominator: 11 });
    // 100 − late 3/8 (37.5%) − unsatisfied ratings 0/0
    expect(by.get('5.4')).toMatchObject({ value: 62.5, unit: '%' });
  });

  it('writes the form as CSV (UTF-8 with BOM) and XLSX in the official column layout', async () => {
    const csv = await fetch(`${hub.url}/api/v1/reports/dossiers.csv?period=2026-11`, { headers: { authorization: `Bearer ${manager}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain(`bieu06-${hallCode}-2026-11.csv`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines[0]).toBe('Biểu số 06/VPCP/KSTT');
    expect(lines[4]).toBe(',,Số hồ sơ nhận giải quyết,,,,Số hồ sơ đã giải quyết,,,,Số hồ sơ đang giải quyết,,');
    expect(lines[5]).toBe('STT,Lĩnh vực,Tổng số,Trực tuyến,"Trực tiếp, dịch vụ bưu chính",Từ kỳ trước,Tổng số,Trước hạn,Đúng hạn,Quá hạn,Tổng số,Trong hạn,Quá hạn');
    expect(lines[6]).toBe(',,(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11)');
    expect(lines).toContain(`2,${CIVIL},11,1,10,0,7,3,2,2,3,1,2`);
    expect(lines).toContain(`,Tổng cộng,14,1,10,3,8,3,2,3,5,2,3`);

    const xlsx = await fetch(`${hub.url}/api/v1/reports/dossiers.xlsx?period=2026-11`, { headers: { authorization: `Bearer ${manager}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A2').value).toBe('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH');
    expect(ws.getCell('C6').value).toBe('Số hồ sơ nhận giải quyết');
    expect(ws.getCell('G6').value).toBe('Số hồ sơ đã giải quyết');
    expect(ws.getCell('K6').value).toBe('Số hồ sơ đang giải quyết');
    expect(ws.getCell('C7').value).toBe('Tổng số');
    expect(ws.getCell('M8').value).toBe('(11)');
    const civil = ws.getRow(10).values as unknown[];
    expect(civil.slice(1)).toEqual([2, CIVIL, 11, 1, 10, 0, 7, 3, 2, 2, 3, 1, 2]);
    expect((ws.getRow(11).values as unknown[]).slice(2)).toEqual(['Tổng cộng', 14, 1, 10, 3, 8, 3, 2, 3, 5, 2, 3]);
  });

  it('refuses a period that does not exist, from after to, an unknown field or another hall; only managers read it', async () => {
    for (const q of ['period=2026-13', 'period=2026-Q5', 'period=2026-H3', 'period=26', 'period=2026-11&from=2026-11-01&to=2026-11-30', 'from=2026-11-30&to=2026-11-01', 'from=2026-02-30&to=2026-03-01', 'from=2026-11-01']) {
      const { status, body } = await report(q);
      expect(status, q).toBe(400);
      expect(body.error.code, q).toBe('bad_period');
    }
    const field = await report('period=2026-11&field=Kh%C3%B4ng%20c%C3%B3');
    expect(field.status).toBe(400);
    expect(field.body.error).toMatchObject({ code: 'unknown_field' });
    expect(field.body.error.message).toContain('Không có');
    expect((await report(`period=2026-11&hall=${hallCode}`)).status).toBe(200);
    expect((await report('period=2026-11&hall=NOPE')).status).toBe(404);
    expect((await report('period=2026-11', staff)).status).toBe(403);
    expect((await report('period=2026-11', null)).status).toBe(401);
    expect((await api<Err>(hub, 'GET', '/indicators?period=2026-Q9', null)).status).toBe(400);
  });

  it('reads the due day fixed at receipt from original_due_at where dossiers keep it (their due day then moves with the clock)', async () => {
    await dbh.db.query('ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS original_due_at timestamptz');
    await dbh.db.query('UPDATE dossiers SET original_due_at = due_at');
    // as the dossier rules keep them: "paused" moved on to Tue 10 by its wait, "extended" to the 12th by its apology
    await dbh.db.query(`UPDATE dossiers SET original_due_at = $2, due_day = '2026-11-10' WHERE id = $1`, [ids.get('paused'), at('2026-11-05', '17:00')]);
    await dbh.db.query(`UPDATE dossiers SET original_due_at = $2 WHERE id = $1`, [ids.get('extended'), at('2026-11-05', '17:00')]);
    await dbh.db.query('INSERT INTO dossier_figures_stale (dossier_id, hall_id) SELECT id, hall_id FROM dossiers ON CONFLICT DO NOTHING');
    const r = await new FiguresService(dbh.db).report(demo.hallId, { period: '2026-11' });
    expect(rowOf(r, CIVIL)).toEqual(cells([11, 1, 10, 0], [7, 3, 2, 2], [3, 1, 2], 1));
  });
});
