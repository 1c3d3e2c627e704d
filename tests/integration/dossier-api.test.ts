import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService, hashPassword } from '../../server/auth/auth.service.js';
import { insertUser } from '../../server/auth/auth.repo.js';
import { insertCounter, insertHall, insertService } from '../../server/admin/setup.repo.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import { insertProcedure } from '../../server/dossiers/dossiers.repo.js';
import { addWorkingDays } from '../../server/dossiers/workdays.js';
import type { HubEvents } from '../../server/events.js';
import type { DossierDetail, DossierList, DossierStats, Holiday, Procedure, PublicDossier } from '../../protocol/index.js';
import { openCounter, startDossierHub } from './dossier-support.js';

type Err = { error: { code: string; message: string } };

describe('dossiers API', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let staff: { token: string; counterId: number };
  let adminToken: string;
  let managerToken: string;
  let lookupToken: string;
  let hallDay: string;
  let procedures: Procedure[];
  const receipts: HubEvents['dossier.received'][] = [];

  const procedureId = (name: string) => procedures.find((p) => p.name === name)!.id;
  const CORRECTION = 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch'; // 3 working days
  const COPY = 'Chứng thực bản sao từ bản chính'; // same day

  /** Counts that must not move when a request is refused. */
  const snapshot = async () => {
    const { rows } = await dbh.db.query<{ d: number; e: number; seqs: string; statuses: string; o: number }>(
      `SELECT (SELECT count(*)::int FROM dossiers) AS d, (SELECT count(*)::int FROM dossier_events) AS e,
              (SELECT count(*)::int FROM dossier_outbox) AS o,
              (SELECT coalesce(string_agg(hall_id || ':' || day || ':' || last_seq, ',' ORDER BY hall_id, day), '') FROM dossier_sequences) AS seqs,
              (SELECT coalesce(string_agg(code || '=' || status, ',' ORDER BY code), '') FROM dossiers) AS statuses`,
    );
    return rows[0]!;
  };

  const receive = (body: Record<string, unknown>, token: string | null = staff.token) => api<DossierDetail & Err>(hub, 'POST', '/dossiers', token, body);
  const move = (code: string, status: string, note?: string, token = staff.token) =>
    api<DossierDetail & Err>(hub, 'POST', `/dossiers/${encodeURIComponent(code)}/events`, token, note === undefined ? { status } : { status, note });

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-secret-1');
    lookupToken = newToken('d');
    await insertDevice(dbh.db, { hallId: demo.hallId, kind: 'lookup', name: 'Ki-ốt tra cứu', counterId: null, printer: null, tokenHash: hashToken(lookupToken) });
    hub = await startDossierHub({ url: dbh.url, config: { lookupPerMinute: 10_000, lookupMissesPerHour: 10_000 } });
    hub.hub.bus.on('dossier.received', (e) => void receipts.push(e));
    staff = await openCounter(hub, 'canbo1', 1);
    adminToken = await login(hub, 'admin', 'admin-secret-1');
    managerToken = await login(hub, 'quanly');
    hallDay = (await api<{ day: string }>(hub, 'GET', '/hall', staff.token)).body.day;
    procedures = (await api<Procedure[]>(hub, 'GET', '/procedures', staff.token)).body;
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('gives 50 parallel receptions the codes 0001…0050, with no gap or duplicate, despite failures among them', async () => {
    const ok = Array.from({ length: 50 }, (_, i) => receive({ procedure: procedureId(COPY), applicantName: `Công dân số ${i + 1}` }));
    const bad = Array.from({ length: 10 }, () => receive({ procedure: 999_999, applicantName: 'Không có thủ tục' }));
    const results = await Promise.all([...ok, ...bad]);
    expect(results.slice(50).every((r) => r.status === 404)).toBe(true);
    expect(results.slice(0, 50).every((r) => r.status === 201)).toBe(true);
    const yymmdd = hallDay.slice(2).replace(/-/g, '');
    const codes = results.slice(0, 50).map((r) => r.body.code).sort();
    expect(codes).toEqual(Array.from({ length: 50 }, (_, i) => `000.00.12.H40-${yymmdd}-${String(i + 1).padStart(4, '0')}`));
    expect(receipts).toHaveLength(50);
    expect(new Set(receipts.map((r) => r.receipt.code)).size).toBe(50);
  });

  it('receives a dossier for the citizen being served: code, due date in working days, receipt, masked public view', async () => {
    const services = (await api<{ id: number; name: string }[]>(hub, 'GET', '/services', staff.token)).body;
    const hotich = services.find((s) => s.name === 'Tư pháp – Hộ tịch')!;
    const ticket = await api<{ id: number }>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: hotich.id });
    const called = await api<{ ticket: { id: number } }>(hub, 'POST', `/counters/${staff.counterId}/call`, staff.token, { ticketId: ticket.body.id });
    expect(called.status).toBe(200);

    receipts.length = 0;
    const r = await receive({
      procedure: CORRECTION,
      applicantName: '  Nguyễn   Văn An ',
      applicantPhone: '0912 345 678',
      applicantEmail: 'An.Nguyen@example.vn',
      ticketId: ticket.body.id,
    });
    expect(r.status).toBe(201);
    expect(r.body.code).toMatch(new RegExp(`^000\\.00\\.12\\.H40-${hallDay.slice(2).replace(/-/g, '')}-0051$`));
    expect(r.body).toMatchObject({
      status: 'received',
      procedure: CORRECTION,
      applicantName: 'Nguyễn Văn An',
      applicantPhone: '0912345678',
      applicantEmail: 'an.nguyen@example.vn',
      ticketId: ticket.body.id,
      counterId: staff.counterId,
      counterNumber: 1,
      staffName: 'Nguyễn Thị Lan',
      overdue: false,
    });
    // Due: 3 working days after the hall day of receipt, skipping weekends and the hall's holidays, at 17:00 (UTC+7).
    const { rows } = await dbh.db.query<{ day: string; kind: 'holiday' | 'workday' }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays WHERE hall_id = $1`, [demo.hallId]);
    const due = addWorkingDays(hallDay, 3, {
      holidays: new Set(rows.filter((x) => x.kind === 'holiday').map((x) => x.day)),
      workdays: new Set(rows.filter((x) => x.kind === 'workday').map((x) => x.day)),
    });
    expect(r.body.dueAt).toBe(`${due}T10:00:00.000Z`);
    expect(r.body.timeline).toEqual([
      {
        status: 'received',
        at: r.body.receivedAt,
        note: 'Tiếp nhận tại quầy số 1',
        kind: 'status',
        by: 'Nguyễn Thị Lan',
        forCitizen: true,
        reason: null,
        missingPapers: null,
        oldDueAt: null,
        newDueAt: null,
      },
    ]);
    expect(r.body.lookupKey).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(r.body.originalDueAt).toBe(r.body.dueAt);

    // The receipt goes to the printing feature after the commit.
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      hallId: demo.hallId,
      counterId: staff.counterId,
      ticketId: ticket.body.id,
      receipt: { code: r.body.code, procedure: CORRECTION, applicantName: 'Nguyễn Văn An', dueAt: r.body.dueAt, staffName: 'Nguyễn Thị Lan', hallName: 'Trung tâm Phục vụ hành chính công xã Minh Hòa' },
    });
    expect(receipts[0]!.receipt.lookupUrl).toMatch(new RegExp(`/lookup/\\?code=000\\.00\\.12\\.H40-\\d{6}-0051&key=${r.body.lookupKey}$`));
    expect(receipts[0]!.receipt.lookupKey).toBe(r.body.lookupKey);

    // Public view without the key: procedure, status, dates, where to go; no name, no timeline.
    const bare = await api<PublicDossier>(hub, 'GET', `/dossiers/${r.body.code}`);
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ applicantName: null, withKey: false, timeline: [], procedure: CORRECTION, pickupCounter: { number: 1, name: 'Quầy 1 – Hộ tịch' } });
    expect(JSON.stringify(bare.body)).not.toMatch(/0912|example\.vn|Văn An|Nguyễn/);

    // With the key: masked name, never phone or e-mail.
    const pub = await api<PublicDossier>(hub, 'GET', `/dossiers/${r.body.code}?key=${r.body.lookupKey}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toEqual({
      code: r.body.code,
      procedure: CORRECTION,
      status: 'received',
      receivedAt: r.body.receivedAt,
      dueAt: r.body.dueAt,
      overdue: false,
      applicantName: 'Nguyễn V** A*',
      withKey: true,
      hallName: 'Trung tâm Phục vụ hành chính công xã Minh Hòa',
      pickupCounter: { number: 1, name: 'Quầy 1 – Hộ tịch' },
      timeline: [{ status: 'received', at: r.body.receivedAt, note: 'Tiếp nhận tại quầy số 1', kind: 'status' }],
    });
    expect(JSON.stringify(pub.body)).not.toMatch(/0912|example\.vn|Văn An/);
    // Lower-case and spaces around a scanned code are accepted.
    expect((await api(hub, 'GET', `/dossiers/${encodeURIComponent(` ${r.body.code.toLowerCase()} `)}`)).status).toBe(200);
  });

  it('moves a dossier through its statuses and refuses moves out of order with 409, changing nothing', async () => {
    const created = await receive({ procedure: procedureId(CORRECTION), applicantName: 'Trần Thị Bình' });
    const code = created.body.code;
    expect((await move(code, 'processing')).body.status).toBe('processing');
    const sup = await api<DossierDetail & Err>(hub, 'POST', `/dossiers/${code}/events`, staff.token, {
      status: 'supplement_required',
      note: 'Thiếu bản sao Giấy khai sinh',
      forCitizen: true,
      missingPapers: [{ name: 'Bản sao Giấy khai sinh', reason: 'Chưa nộp' }],
    });
    expect(sup.status).toBe(200);
    expect(sup.body.nextStatuses).toEqual(['processing', 'withdrawn', 'suspended']);

    const before = await snapshot();
    for (const [status, expected] of [
      ['returned', 409],
      ['result_ready', 409],
      ['rejected', 409],
      ['supplement_required', 409],
      ['received', 409],
      ['done', 400],
    ] as const) {
      const r = await move(code, status);
      expect(r.status, status).toBe(expected);
      expect(r.body.error.code).toBe(expected === 409 ? 'invalid_transition' : 'bad_request');
    }
    const refused = await move(code, 'returned');
    expect(refused.body.error.message).toContain('Yêu cầu bổ sung hồ sơ');
    expect(await snapshot()).toEqual(before);

    await move(code, 'processing', 'Đã nhận đủ giấy tờ bổ sung');
    await move(code, 'result_ready');
    const back = await move(code, 'returned', 'Công dân đã nhận kết quả');
    expect(back.body.status).toBe('returned');
    expect(back.body.nextStatuses).toEqual([]);
    expect(back.body.timeline.map((t) => t.status)).toEqual(['received', 'processing', 'supplement_required', 'processing', 'result_ready', 'returned']);
    expect((await move(code, 'processing')).status).toBe(409);

    const pub = await api<PublicDossier>(hub, 'GET', `/dossiers/${code}?key=${created.body.lookupKey}`, lookupToken);
    expect(pub.body.status).toBe('returned');
    expect(pub.body.timeline[2]).toMatchObject({ status: 'supplement_required', note: 'Thiếu bản sao Giấy khai sinh', missingPapers: [{ name: 'Bản sao Giấy khai sinh', reason: 'Chưa nộp' }] });
    // Notes not marked for the citizen stay internal.
    expect(pub.body.timeline[5]).toMatchObject({ status: 'returned', note: null });
    expect(JSON.stringify(pub.body)).not.toContain('Công dân đã nhận kết quả');
  });

  it('tells the staff consoles live when a dossier is received or moves (no applicant data), and not the displays', async () => {
    const console2 = await connectSocket(hub, await login(hub, 'canbo2'));
    const display = await connectSocket(hub, demo.displayToken);
    const displayGot: unknown[] = [];
    display.on('dossier:update', (u) => void displayGot.push(u));
    try {
      const received = nextEvent(console2, 'dossier:update', (u) => u.status === 'received');
      const r = await receive({ procedure: procedureId(COPY), applicantName: 'Trần Thị Bình' });
      expect(r.status).toBe(201);
      expect(await received).toEqual({ code: r.body.code, status: 'received', counterId: staff.counterId, at: expect.any(String) });
      const moved = nextEvent(console2, 'dossier:update', (u) => u.code === r.body.code && u.status === 'processing');
      expect((await move(r.body.code, 'processing')).status).toBe(200);
      expect(Object.keys(await moved).sort()).toEqual(['at', 'code', 'counterId', 'status']);
      await new Promise((res) => setTimeout(res, 200));
      expect(displayGot).toEqual([]);
    } finally {
      console2.close();
      display.close();
    }
  });

  it('answers bad input with a clear 4xx and changes nothing', async () => {
    const created = await receive({ procedure: procedureId(CORRECTION), applicantName: 'Lê Văn Cường' });
    const code = created.body.code;
    const before = await snapshot();

    // Malformed and unknown codes.
    for (const bad of ['abc', '000.00.12.H40-261122-01', '000.00.12.H40_261122_0001', "x' OR '1'='1", 'a'.repeat(64)]) {
      const r = await api<Err>(hub, 'GET', `/dossiers/${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code).toBe('malformed_code');
      expect(r.body.error.message).toContain('Mã hồ sơ không đúng định dạng');
    }
    expect((await api(hub, 'GET', `/dossiers/${'a'.repeat(65)}`)).status).toBe(400);
    const unknown = await api<Err>(hub, 'GET', '/dossiers/000.00.12.H40-991231-9999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'dossier_not_found', message: 'Không tìm thấy hồ sơ 000.00.12.H40-991231-9999' });
    expect((await move('000.00.12.H40-991231-9999', 'processing')).status).toBe(404);
    expect((await move('not-a-code', 'processing')).status).toBe(400);

    // Notes over 1000 characters, unknown fields, wrong types.
    expect((await move(code, 'processing', 'x'.repeat(1001))).status).toBe(400);
    expect((await api(hub, 'POST', `/dossiers/${code}/events`, staff.token, { status: 'processing', by: 'me' })).status).toBe(400);
    expect((await api(hub, 'POST', `/dossiers/${code}/events`, staff.token, {})).status).toBe(400);
    expect((await move(code, 'processing', 'a\u0000b')).status).toBe(400);
    expect((await api(hub, 'GET', `/dossiers?q=${encodeURIComponent('a\u0000b')}`, staff.token)).status).toBe(400);

    // Reception: missing or malformed fields, unknown procedure or ticket, a ticket served at another counter.
    const bodies: [Record<string, unknown>, number][] = [
      [{ applicantName: 'Thiếu thủ tục' }, 400],
      [{ procedure: procedureId(COPY) }, 400],
      [{ procedure: procedureId(COPY), applicantName: '   ' }, 400],
      [{ procedure: procedureId(COPY), applicantName: 'x'.repeat(121) }, 400],
      [{ procedure: procedureId(COPY), applicantName: '<script>alert(1)</script>' }, 400],
      [{ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung', applicantEmail: 'không-phải-email' }, 400],
      [{ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung', applicantPhone: '12ab' }, 400],
      [{ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung', extra: 1 }, 400],
      [{ procedure: 'Thủ tục không có', applicantName: 'Phạm Thị Dung' }, 404],
      [{ procedure: 'Đăng ký\u0000khai sinh', applicantName: 'Phạm Thị Dung' }, 400],
      [{ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung', eventId: 'có dấu cách' }, 400],
      [{ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung', ticketId: 987654 }, 404],
    ];
    for (const [body, status] of bodies) {
      const r = await receive(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(typeof r.body.error.message).toBe('string');
    }
    const services = (await api<{ id: number; name: string }[]>(hub, 'GET', '/services', staff.token)).body;
    const other = await api<{ id: number }>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: services.find((s) => s.name === 'Đất đai')!.id });
    const atCounter3 = await openCounter(hub, 'canbo3', 3);
    expect((await api(hub, 'POST', `/counters/${atCounter3.counterId}/next`, atCounter3.token)).status).toBe(200);
    const wrongTicket = await receive({ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung', ticketId: other.body.id });
    expect(wrongTicket.status).toBe(409);
    expect(wrongTicket.body.error.code).toBe('ticket_not_at_counter');

    // Who may do what: staff without an open counter, devices, nobody.
    const canbo2 = await login(hub, 'canbo2');
    const closed = await receive({ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung' }, canbo2);
    expect(closed.status).toBe(403);
    expect(closed.body.error.message).toContain('chưa mở quầy');
    expect((await receive({ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung' }, demo.kioskToken)).status).toBe(403);
    expect((await receive({ procedure: procedureId(COPY), applicantName: 'Phạm Thị Dung' }, null)).status).toBe(401);
    expect((await move(code, 'processing', undefined, lookupToken)).status).toBe(403);
    expect((await api(hub, 'GET', '/dossiers', lookupToken)).status).toBe(403);
    expect((await api(hub, 'GET', `/dossiers/${code}/detail`)).status).toBe(401);

    expect(await snapshot()).toEqual(before);
  });

  it('keeps each hall to its own dossiers (a code of another hall is not found there)', async () => {
    const hall2 = await insertHall(dbh.db, { code: 'TANLAP', name: 'Bộ phận Một cửa UBND xã Tân Lập', settings: { agencyId: '000.00.34.H99' } });
    const service = await insertService(dbh.db, { hallId: hall2, departmentId: null, name: 'Chứng thực', nameEn: null, prefix: 'A', numberStart: 1, numberEnd: 999, defaultServiceSeconds: 300, active: true });
    await insertCounter(dbh.db, hall2, 1, 'Quầy 1 – Xã Tân Lập', [service.id]);
    await insertUser(dbh.db, { hallId: hall2, username: 'canbo_tanlap', passwordHash: await hashPassword('demo12345'), name: 'Đinh Văn Sơn', role: 'staff' });
    await insertProcedure(dbh.db, { hallId: hall2, departmentId: null, serviceId: service.id, name: COPY, nameEn: null, processingDays: 0, fee: 2000, active: true });
    const other = await openCounter(hub, 'canbo_tanlap', 1);
    const theirs = await receive({ procedure: COPY, applicantName: 'Đinh Thị Hoa' }, other.token);
    expect(theirs.status).toBe(201);
    expect(theirs.body.code).toMatch(/^000\.00\.34\.H99-\d{6}-0001$/);
    // The hall's own procedure list only.
    expect((await api<Procedure[]>(hub, 'GET', '/procedures', other.token)).body.map((p) => p.name)).toEqual([COPY]);

    const before = await snapshot();
    expect((await move(theirs.body.code, 'processing')).status).toBe(404);
    expect((await api(hub, 'GET', `/dossiers/${theirs.body.code}/detail`, staff.token)).status).toBe(404);
    expect((await api(hub, 'GET', `/dossiers/${theirs.body.code}`, lookupToken)).status).toBe(404);
    expect((await api(hub, 'GET', `/dossiers/${theirs.body.code}`, staff.token)).status).toBe(404);
    expect((await api<DossierList>(hub, 'GET', `/dossiers?q=${encodeURIComponent('Đinh Thị Hoa')}`, staff.token)).body.items).toEqual([]);
    expect(await snapshot()).toEqual(before);
    // The public page (no token) looks codes up in every hall.
    expect((await api<PublicDossier>(hub, 'GET', `/dossiers/${theirs.body.code}`)).body.hallName).toBe('Bộ phận Một cửa UBND xã Tân Lập');
  });

  it('lists and searches today’s dossiers for the console', async () => {
    const r = await receive({ procedure: procedureId(COPY), applicantName: 'Võ Thị Tuyết Mai', applicantPhone: '0987.654.321' });
    const mine = await api<DossierList>(hub, 'GET', `/dossiers?counterId=${staff.counterId}&limit=500`, staff.token);
    expect(mine.status).toBe(200);
    expect(mine.body.day).toBe(hallDay);
    expect(mine.body.items[0]).toMatchObject({ code: r.body.code, applicantName: 'Võ Thị Tuyết Mai', applicantPhone: '0987654321', status: 'received', counterNumber: 1 });
    expect(mine.body.items.every((d) => d.counterNumber === 1)).toBe(true);
    const byName = await api<DossierList>(hub, 'GET', `/dossiers?q=${encodeURIComponent('tuyết mai')}`, staff.token);
    expect(byName.body.items.map((d) => d.code)).toEqual([r.body.code]);
    const byPhone = await api<DossierList>(hub, 'GET', `/dossiers?q=${encodeURIComponent('654 321')}`, staff.token);
    expect(byPhone.body.items.map((d) => d.code)).toEqual([r.body.code]);
    const byCode = await api<DossierList>(hub, 'GET', `/dossiers?q=${r.body.code.slice(-11)}`, staff.token);
    expect(byCode.body.items.map((d) => d.code)).toEqual([r.body.code]);
    expect((await api<DossierList>(hub, 'GET', '/dossiers?q=%25', staff.token)).body.items).toEqual([]);
    expect((await api<DossierList>(hub, 'GET', '/dossiers?day=2020-01-01', staff.token)).body.items).toEqual([]);
    expect((await api(hub, 'GET', '/dossiers?day=2026-02-30', staff.token)).status).toBe(400);
    expect((await api(hub, 'GET', '/dossiers?status=done', staff.token)).status).toBe(400);
  });

  it('flags overdue dossiers and counts early / on time / late for reports', async () => {
    const base = (await api<DossierStats>(hub, 'GET', `/dossiers/stats?from=${hallDay}&to=${hallDay}`, managerToken)).body;
    const mk = async (name: string) => (await receive({ procedure: procedureId(CORRECTION), applicantName: name })).body.code;
    const [early, onTime, late, overdue, pending] = [await mk('Sớm Hạn'), await mk('Đúng Hạn'), await mk('Trễ Hạn'), await mk('Quá Hạn'), await mk('Đang Chờ')];
    for (const code of [early, onTime, late]) await move(code, 'result_ready');
    const set = (code: string, sql: string) => dbh.db.query(`UPDATE dossiers SET ${sql} WHERE code = $1`, [code]);
    await set(early, `result_at = due_at - interval '2 days'`);
    await set(onTime, `result_at = due_at - interval '1 hour'`);
    await set(late, `result_at = due_at + interval '1 day'`);
    await set(overdue, `due_at = now() - interval '1 hour', due_day = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`);

    expect((await api<PublicDossier>(hub, 'GET', `/dossiers/${overdue}`)).body.overdue).toBe(true);
    expect((await api<PublicDossier>(hub, 'GET', `/dossiers/${late}`)).body.overdue).toBe(true);
    expect((await api<PublicDossier>(hub, 'GET', `/dossiers/${pending}`)).body.overdue).toBe(false);
    expect((await api<PublicDossier>(hub, 'GET', `/dossiers/${onTime}`)).body.overdue).toBe(false);

    const stats = await api<DossierStats>(hub, 'GET', `/dossiers/stats?from=${hallDay}&to=${hallDay}`, managerToken);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      from: hallDay,
      to: hallDay,
      early: base.early + 1,
      onTime: base.onTime + 1,
      late: base.late + 1,
      pending: base.pending + 1,
      pendingOverdue: base.pendingOverdue + 1,
      received: base.received + 5,
    });
    const all = await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossiers WHERE hall_id = $1', [demo.hallId]);
    expect(stats.body.received).toBe(all.rows[0]!.n);
    expect(Object.values(stats.body.byStatus).reduce((a, b) => a + b, 0)).toBe(stats.body.received);
    expect(stats.body.byStatus.result_ready).toBe(3);

    expect((await api(hub, 'GET', `/dossiers/stats?from=${hallDay}&to=${hallDay}`, staff.token)).status).toBe(403);
    expect((await api(hub, 'GET', '/dossiers/stats?from=2026-12-01&to=2026-11-01', managerToken)).status).toBe(400);
    expect((await api(hub, 'GET', '/dossiers/stats?from=2026-11-01', managerToken)).status).toBe(400);
    expect((await api(hub, 'GET', '/dossiers/stats?from=2026-13-01&to=2026-12-01', managerToken)).status).toBe(400);
  });

  it('manages the holiday calendar and counts due dates with it', async () => {
    const y2026 = await api<Holiday[]>(hub, 'GET', '/holidays?year=2026', staff.token);
    expect(y2026.body.map((h) => h.day)).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-17', '2026-04-27', '2026-09-02']));
    expect(y2026.body.find((h) => h.day === '2026-08-22')).toMatchObject({ kind: 'workday' });
    expect((await api<Holiday[]>(hub, 'GET', '/holidays?year=2027', staff.token)).body.length).toBeGreaterThan(10);

    // A day off on what would be the due day moves the due day on.
    const dueBefore = (await receive({ procedure: procedureId(CORRECTION), applicantName: 'Trước Ngày Nghỉ' })).body.dueAt.slice(0, 10);
    const added = await api<Holiday & Err>(hub, 'POST', '/holidays', adminToken, { day: dueBefore, name: 'Ngày nghỉ thử nghiệm' });
    expect(added.status).toBe(201);
    const dueAfter = (await receive({ procedure: procedureId(CORRECTION), applicantName: 'Sau Ngày Nghỉ' })).body.dueAt.slice(0, 10);
    expect(dueAfter > dueBefore).toBe(true);

    expect((await api<Err>(hub, 'POST', '/holidays', adminToken, { day: dueBefore, name: 'Trùng ngày' })).body.error.code).toBe('holiday_exists');
    expect((await api(hub, 'POST', '/holidays', adminToken, { day: '2027-02-30', name: 'Không có ngày này' })).status).toBe(400);
    expect((await api(hub, 'POST', '/holidays', adminToken, { day: '2027-03-01', name: '' })).status).toBe(400);
    expect((await api(hub, 'POST', '/holidays', staff.token, { day: '2027-03-01', name: 'Cán bộ không được thêm' })).status).toBe(403);
    expect((await api(hub, 'DELETE', `/holidays/${added.body.id}`, adminToken)).status).toBe(204);
    expect((await api(hub, 'DELETE', `/holidays/${added.body.id}`, adminToken)).status).toBe(404);
    expect((await api<{ added: number }>(hub, 'POST', '/holidays/defaults', adminToken, { years: [2026, 2027] })).body.added).toBe(0);
    expect((await api<Err>(hub, 'POST', '/holidays/defaults', adminToken, { years: [2035] })).status).toBe(400);
  });

  it('keeps the procedure catalogue', async () => {
    const body = { name: 'Cấp bản sao trích lục hộ tịch', nameEn: 'Copy of a civil status extract', processingDays: 0, fee: 8000, departmentId: 1 };
    const created = await api<Procedure>(hub, 'POST', '/procedures', adminToken, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: body.name, processingDays: 0, fee: 8000, active: true, departmentName: 'Phòng Tư pháp' });
    expect((await api<Err>(hub, 'POST', '/procedures', adminToken, { ...body, name: body.name.toUpperCase() })).body.error.code).toBe('procedure_exists');
    expect((await api(hub, 'POST', '/procedures', adminToken, { ...body, name: 'Khác', processingDays: -1 })).status).toBe(400);
    expect((await api(hub, 'POST', '/procedures', adminToken, { ...body, name: 'Khác', departmentId: 999 })).status).toBe(404);
    expect((await api(hub, 'POST', '/procedures', staff.token, { ...body, name: 'Khác' })).status).toBe(403);
    const list = await api<Procedure[]>(hub, 'GET', '/procedures', lookupToken);
    expect(list.body.map((p) => p.name)).toContain(body.name);
    // Receiving by name is case-insensitive.
    expect((await receive({ procedure: body.name.toLowerCase(), applicantName: 'Bùi Thị Ngân' })).body.procedure).toBe(body.name);
  });

  it('describes the dossier routes in the OpenAPI document', async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>(hub, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    for (const [path, method] of [
      ['/api/v1/dossiers', 'post'],
      ['/api/v1/dossiers', 'get'],
      ['/api/v1/dossiers/{code}', 'get'],
      ['/api/v1/dossiers/{code}/events', 'post'],
      ['/api/v1/dossiers/stats', 'get'],
      ['/api/v1/procedures', 'post'],
      ['/api/v1/holidays', 'post'],
      ['/api/v1/integrations', 'post'],
    ] as const) {
      expect(doc.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
