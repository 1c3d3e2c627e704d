/**
 * Dossiers under Nghị định 118/2025 and Thông tư 03/2025: the applicant's record, due dates (cut-off time, working
 * hours, the clock stopped during a supplement), supplement rounds, extensions, refusals and stops with their
 * reasons, the lookup key, the misses limit counted atomically, device limits for lookup kiosks only, hand-overs,
 * the holiday calendar (24/11, provisional days).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, seedHall, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService } from '../../server/auth/auth.service.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import {
  addWorkingDays,
  addWorkingMinutes,
  nextWorkingDay,
  parseLocal,
  workingHours,
  workingMinutesBetween,
  type Calendar,
} from '../../server/dossiers/workdays.js';
import type { DossierDetail, Holiday, Procedure, PublicDossier } from '../../protocol/index.js';
import { openCounter, startDossierHub } from './dossier-support.js';

type Err = { error: { code: string; message: string } };

const ID = '079085001234'; // HCM, male, born 1985
const BIRTH = '1985-03-15';

describe('dossiers under the rules in force', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let staff: { token: string; counterId: number };
  let adminToken: string;
  let lookupToken: string;
  let procedures: Procedure[];
  const pid = (name: string) => procedures.find((p) => p.name === name)!.id;
  const CORRECTION = 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch'; // 3 working days, papers
  const COPY = 'Chứng thực bản sao từ bản chính'; // same day

  const receive = (body: Record<string, unknown>, token = staff.token) => api<DossierDetail & Err>(hub, 'POST', '/dossiers', token, body);
  const event = (code: string, body: Record<string, unknown>) => api<DossierDetail & Err>(hub, 'POST', `/dossiers/${code}/events`, staff.token, body);
  const counts = async () =>
    (
      await dbh.db.query<{ d: number; e: number; h: number; dues: string }>(
        `SELECT (SELECT count(*)::int FROM dossiers) AS d, (SELECT count(*)::int FROM dossier_events) AS e,
                (SELECT count(*)::int FROM dossier_handovers) AS h,
                (SELECT coalesce(string_agg(code || '=' || status || '@' || due_at || '/' || supplement_rounds, ',' ORDER BY code), '') FROM dossiers) AS dues`,
      )
    ).rows[0]!;
  const calendar = async (): Promise<Calendar> => {
    const { rows } = await dbh.db.query<{ day: string; kind: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays WHERE hall_id = $1`, [demo.hallId]);
    return { holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)), workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)) };
  };
  const local = async (at: string) =>
    parseLocal((await dbh.db.query<{ t: string }>(`SELECT to_char($1::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI') AS t`, [at])).rows[0]!.t);
  const instant = async (day: string, minute: number) =>
    (
      await dbh.db.query<{ t: Date }>(`SELECT ($1::date + make_interval(mins => $2)) AT TIME ZONE 'Asia/Ho_Chi_Minh' AS t`, [day, minute])
    ).rows[0]!.t.toISOString();

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-secret-1');
    lookupToken = newToken('d');
    await insertDevice(dbh.db, { hallId: demo.hallId, kind: 'lookup', name: 'Ki-ốt tra cứu', counterId: null, printer: null, tokenHash: hashToken(lookupToken) });
    hub = await startDossierHub({ url: dbh.url, config: { lookupPerMinute: 10_000, lookupMissesPerHour: 20, lookupDevicePerMinute: 10_000, lookupDeviceMissesPerHour: 1000 } });
    staff = await openCounter(hub, 'canbo1', 1);
    adminToken = await login(hub, 'admin', 'admin-secret-1');
    procedures = (await api<Procedure[]>(hub, 'GET', '/procedures', staff.token)).body;
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('records the applicant, channel, return method and papers; the public view never shows personal fields', async () => {
    const r = await receive({
      procedure: pid(CORRECTION),
      applicantName: 'Nguyễn Văn An',
      applicantPhone: '0912 345 678',
      applicantEmail: 'an@example.vn',
      applicantIdNumber: ID,
      applicantBirthDate: BIRTH,
      applicantAddress: 'Số 12 đường Lê Lợi, phường Bến Thành, TP Hồ Chí Minh',
      channel: 'postal',
      returnMethod: 'postal',
      papers: [
        { name: 'tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', originals: 1, copies: 0 },
        { name: 'Giấy khai sinh', originals: 1, copies: 1, certifiedCopies: 1 },
      ],
      sets: 2,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      applicantIdNumber: ID,
      applicantBirthDate: BIRTH,
      applicantAddress: 'Số 12 đường Lê Lợi, phường Bến Thành, TP Hồ Chí Minh',
      channel: 'postal',
      returnMethod: 'postal',
      returnAddress: 'Số 12 đường Lê Lợi, phường Bến Thành, TP Hồ Chí Minh',
      sets: 2,
      fee: 15_000,
      supplementRounds: 0,
      formVersion: 'TT03-2025.1',
      papers: [
        // The procedure's own spelling is kept.
        { name: 'Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', originals: 1, copies: 0 },
        { name: 'Giấy khai sinh', originals: 1, copies: 1, certifiedCopies: 1 },
      ],
    });
    const channel = await dbh.db.query<{ channel: string }>('SELECT channel FROM dossiers WHERE code = $1', [r.body.code]);
    expect(channel.rows[0]!.channel).toBe('postal');
    for (const path of [`/dossiers/${r.body.code}`, `/dossiers/${r.body.code}?key=${r.body.lookupKey}`]) {
      const pub = await api<PublicDossier>(hub, 'GET', path, lookupToken);
      expect(pub.status).toBe(200);
      const text = JSON.stringify(pub.body);
      for (const secret of [ID, '1985', 'Lê Lợi', '0912', 'example.vn', 'Văn An']) expect(text, `${path} ${secret}`).not.toContain(secret);
    }
    // An outside system's dossier defaults to the online channel.
    const detail = await api<DossierDetail>(hub, 'GET', `/dossiers/${r.body.code}/detail`, staff.token);
    expect(detail.body.applicantIdNumber).toBe(ID);
  });

  it('refuses a bad identity number, papers that are not the procedure’s and a postal return without address, changing nothing', async () => {
    const before = await counts();
    for (const [body, code] of [
      [{ applicantIdNumber: '07908500123' }, 400],
      [{ applicantIdNumber: '0790850012345' }, 400],
      [{ applicantIdNumber: '07908500123a' }, 400],
      [{ applicantIdNumber: '003085001234' }, 'invalid_id_number'], // no province 003
      [{ applicantIdNumber: ID, applicantBirthDate: '1986-03-15' }, 'invalid_id_number'], // year digits 85
      [{ applicantIdNumber: '079285001234', applicantBirthDate: BIRTH }, 'invalid_id_number'], // century digit 2: 2085
      [{ applicantBirthDate: '1985-02-30' }, 'invalid_birth_date'],
      [{ papers: [{ name: 'Sổ hộ khẩu', originals: 1, copies: 0 }] }, 'paper_not_in_procedure'],
      [{ papers: [{ name: 'Giấy khai sinh', originals: 1, copies: 0 }, { name: 'giấy  khai sinh', originals: 0, copies: 1 }] }, 'paper_repeated'],
      [{ returnMethod: 'postal' }, 'return_address_required'],
      [{ channel: 'fax' }, 400],
      [{ sets: 0 }, 400],
    ] as const) {
      const res = await receive({ procedure: pid(CORRECTION), applicantName: 'Trần Thị Bình', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message.length).toBeGreaterThan(10);
      if (typeof code === 'string') expect(res.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await counts()).toEqual(before);
  });

  it('counts from the next working day after the cut-off time, and in working hours when the procedure says so', async () => {
    const cal = await calendar();
    const late = await api<Procedure>(hub, 'POST', '/procedures', adminToken, { name: 'Thủ tục nhận sau giờ chốt', processingDays: 2, cutoffTime: '00:00' });
    expect(late.status).toBe(201);
    expect(late.body.cutoffTime).toBe('00:00');
    const a = await receive({ procedure: late.body.id, applicantName: 'Lê Văn Cường' });
    const received = await local(a.body.receivedAt);
    const expectedDay = addWorkingDays(nextWorkingDay(received.day, cal), 2, cal);
    expect(a.body.dueAt).toBe(await instant(expectedDay, 17 * 60));
    // Before the cut-off: from the day of receipt.
    const early = await api<Procedure>(hub, 'POST', '/procedures', adminToken, { name: 'Thủ tục nhận trước giờ chốt', processingDays: 2, cutoffTime: '23:59' });
    const b = await receive({ procedure: early.body.id, applicantName: 'Lê Văn Cường' });
    expect(b.body.dueAt).toBe(await instant(addWorkingDays((await local(b.body.receivedAt)).day, 2, cal), 17 * 60));

    const hours = await api<Procedure>(hub, 'POST', '/procedures', adminToken, { name: 'Thủ tục tính theo giờ', processingDays: 0, processingHours: 6 });
    expect(hours.body.processingHours).toBe(6);
    const c = await receive({ procedure: hours.body.id, applicantName: 'Lê Văn Cường' });
    const from = await local(c.body.receivedAt);
    const due = addWorkingMinutes(from, 6 * 60, cal, workingHours('17:00'));
    expect(c.body.dueAt).toBe(await instant(due.day, due.minute));
    expect(workingMinutesBetween(from, due, cal, workingHours('17:00'))).toBe(360);
  });

  it('stops the clock while a supplement is awaited, lists each missing paper, and counts a second round', async () => {
    const r = await receive({ procedure: pid(CORRECTION), applicantName: 'Phạm Thị Dung' });
    const code = r.body.code;
    const before = await counts();
    // A supplement request must list each paper with its reason.
    for (const body of [{ status: 'supplement_required' }, { status: 'supplement_required', missingPapers: [] }, { status: 'supplement_required', missingPapers: [{ name: 'Giấy khai sinh' }] }]) {
      const res = await event(code, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await counts()).toEqual(before);

    const missing = [
      { name: 'Giấy khai sinh', reason: 'Bản sao không có chứng thực' },
      { name: 'Giấy tờ làm căn cứ cải chính', reason: 'Chưa nộp' },
    ];
    const sup = await event(code, { status: 'supplement_required', missingPapers: missing, note: 'Gọi điện báo công dân' });
    expect(sup.status).toBe(200);
    expect(sup.body.supplementRounds).toBe(1);
    expect(sup.body.timeline.at(-1)).toMatchObject({ status: 'supplement_required', missingPapers: missing, forCitizen: false });

    // Three days of waiting (the request moved back in time), then the papers arrive.
    await dbh.db.query(`UPDATE dossiers SET paused_at = paused_at - interval '3 days' WHERE code = $1`, [code]);
    const paused = (await dbh.db.query<{ p: Date }>('SELECT paused_at AS p FROM dossiers WHERE code = $1', [code])).rows[0]!.p.toISOString();
    const resumed = await event(code, { status: 'processing', note: 'Đã nhận đủ giấy tờ bổ sung' });
    expect(resumed.status).toBe(200);
    const cal = await calendar();
    const waited = workingMinutesBetween(await local(paused), await local(resumed.body.timeline.at(-1)!.at), cal, workingHours('17:00'));
    const moved = addWorkingMinutes(await local(r.body.dueAt), waited, cal, workingHours('17:00'));
    expect(resumed.body.dueAt).toBe(await instant(moved.day, moved.minute));
    expect(resumed.body.originalDueAt).toBe(r.body.dueAt);
    if (waited > 0) expect(resumed.body.dueAt > r.body.dueAt).toBe(true);

    const again = await event(code, { status: 'supplement_required', missingPapers: [{ name: 'Giấy khai sinh', reason: 'Bản sao bị mờ' }] });
    expect(again.body.supplementRounds).toBe(2);
    const paused2 = (await dbh.db.query<{ p: Date | null }>('SELECT paused_at AS p FROM dossiers WHERE code = $1', [code])).rows[0]!.p;
    expect(paused2).not.toBeNull();
  });

  it('extends only a late dossier, with a reason and a later due date; the original due date stays', async () => {
    const notLate = await receive({ procedure: pid(CORRECTION), applicantName: 'Đỗ Văn Em' });
    const future = new Date(Date.parse(notLate.body.dueAt) + 5 * 86_400_000).toISOString();
    const before = await counts();
    const refused = await event(notLate.body.code, { status: 'extended', newDueAt: future, reason: 'Chờ xác minh' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('not_late');

    const late = await receive({ procedure: pid(CORRECTION), applicantName: 'Đỗ Văn Em', applicantEmail: 'em@example.vn' });
    await dbh.db.query(`UPDATE dossiers SET due_at = now() - interval '1 hour', original_due_at = now() - interval '1 hour', due_day = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date WHERE code = $1`, [late.body.code]);
    const oldDue = (await api<DossierDetail>(hub, 'GET', `/dossiers/${late.body.code}/detail`, staff.token)).body.dueAt;
    const lateBefore = await counts();
    for (const [body, status, code] of [
      [{ status: 'extended', newDueAt: future }, 400, 'reason_required'],
      [{ status: 'extended', reason: 'Chờ xác minh' }, 400, 'new_due_required'],
      [{ status: 'extended', newDueAt: new Date(Date.parse(oldDue) - 60_000).toISOString(), reason: 'Chờ xác minh' }, 400, 'due_not_later'],
      [{ status: 'extended', newDueAt: 'ngày mai', reason: 'Chờ xác minh' }, 400, null],
      [{ status: 'processing', newDueAt: future }, 400, 'unexpected_field'],
    ] as const) {
      const res = await event(late.body.code, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (code) expect(res.body.error.code).toBe(code);
    }
    expect(await counts()).toEqual(lateBefore);
    expect(before.d + 1).toBe(lateBefore.d);

    const ok = await event(late.body.code, { status: 'extended', newDueAt: future, reason: 'Cần xác minh thông tin tại địa phương khác', forCitizen: true, note: 'Đã gọi điện xin lỗi' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'received', dueAt: future, originalDueAt: oldDue, overdue: false });
    expect(ok.body.timeline.at(-1)).toMatchObject({ status: 'extended', reason: 'Cần xác minh thông tin tại địa phương khác', oldDueAt: oldDue, newDueAt: future });
    const pub = await api<PublicDossier>(hub, 'GET', `/dossiers/${late.body.code}?key=${late.body.lookupKey}`, lookupToken);
    expect(pub.body.dueAt).toBe(future);
    expect(pub.body.timeline.at(-1)).toMatchObject({ status: 'extended', note: 'Đã gọi điện xin lỗi', reason: 'Cần xác minh thông tin tại địa phương khác', newDueAt: future });
    // Reports compute from events: one 'extended' row with both dates.
    const { rows } = await dbh.db.query<{ status: string; old_due_at: Date; new_due_at: Date }>(
      `SELECT e.status, e.old_due_at, e.new_due_at FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = $1 AND e.status = 'extended'`,
      [late.body.code],
    );
    expect(rows.map((x) => [x.old_due_at.toISOString(), x.new_due_at.toISOString()])).toEqual([[oldDue, future]]);
  });

  it('requires a reason to refuse or to stop', async () => {
    const a = await receive({ procedure: pid(COPY), applicantName: 'Vũ Thị Giang' });
    const before = await counts();
    expect((await event(a.body.code, { status: 'rejected' })).body.error.code).toBe('reason_required');
    expect((await event(a.body.code, { status: 'suspended', reason: '   ' })).status).toBe(400);
    expect(await counts()).toEqual(before);
    const r = await event(a.body.code, { status: 'rejected', reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của xã' });
    expect(r.status).toBe(200);
    expect(r.body.timeline.at(-1)).toMatchObject({ status: 'rejected', reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của xã' });
  });

  it('shows the applicant only with the right key; a wrong key answers as no key and counts as a miss, atomically', async () => {
    const r = await receive({ procedure: pid(COPY), applicantName: 'Hoàng Văn Hải' });
    const code = r.body.code;
    const none = await api<PublicDossier>(hub, 'GET', `/dossiers/${code}`);
    const wrong = await api<PublicDossier>(hub, 'GET', `/dossiers/${code}?key=AAAAAAAA`);
    const lower = await api<PublicDossier>(hub, 'GET', `/dossiers/${code}?key=${r.body.lookupKey!.toLowerCase()}`);
    expect(wrong.body).toEqual(none.body);
    expect(none.body).toMatchObject({ applicantName: null, withKey: false, timeline: [] });
    expect(lower.body).toMatchObject({ applicantName: 'Hoàng V** H**', withKey: true });

    const misses = async (subject: string) =>
      (await dbh.db.query<{ m: number }>(`SELECT coalesce(sum(misses), 0)::int AS m FROM lookup_limits WHERE subject = $1`, [subject])).rows[0]!.m;
    expect(await misses('h:ip:127.0.0.1')).toBe(1);

    // A burst of 40 wrong keys from one address against a limit of 20 misses an hour.
    const burst = await Promise.all(Array.from({ length: 40 }, () => api<Err>(hub, 'GET', `/dossiers/${code}?key=BBBBBBBB`)));
    const ok = burst.filter((b) => b.status === 200).length;
    expect(ok).toBe(19);
    expect(burst.filter((b) => b.status === 429).length).toBe(21);
    expect(await misses('h:ip:127.0.0.1')).toBe(20);

    // A display token is limited by its address like the public; a lookup kiosk by its own (higher) limits.
    expect((await api(hub, 'GET', `/dossiers/${code}`, demo.displayToken)).status).toBe(429);
    expect((await api(hub, 'GET', `/dossiers/${code}`, lookupToken)).status).toBe(200);
    await dbh.db.query(`DELETE FROM lookup_limits`);

    // A receipt printed before keys existed still looks up, without the name.
    await dbh.db.query('UPDATE dossiers SET lookup_key = NULL WHERE code = $1', [code]);
    const old = await api<PublicDossier>(hub, 'GET', `/dossiers/${code}`);
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ code, applicantName: null, withKey: false });
  });

  it('records hand-overs between departments with their deadlines and outcomes', async () => {
    const r = await receive({ procedure: pid(CORRECTION), applicantName: 'Ngô Thị Lan' });
    const deadline = new Date(Date.now() + 86_400_000).toISOString();
    const h = await api<DossierDetail & Err>(hub, 'POST', `/dossiers/${r.body.code}/handovers`, staff.token, {
      fromUnit: 'Trung tâm Phục vụ hành chính công',
      toUnit: 'Công chức Tư pháp – Hộ tịch',
      deadlineAt: deadline,
    });
    expect(h.status).toBe(201);
    expect(h.body.handovers).toMatchObject([{ fromUnit: 'Trung tâm Phục vụ hành chính công', toUnit: 'Công chức Tư pháp – Hộ tịch', deadlineAt: deadline, by: 'Nguyễn Thị Lan', outcome: null }]);
    const done = await api<DossierDetail & Err>(hub, 'POST', `/dossiers/${r.body.code}/handovers/${h.body.handovers[0]!.id}/done`, staff.token, { outcome: 'Đã thẩm định, đủ điều kiện' });
    expect(done.status).toBe(200);
    expect(done.body.handovers[0]!.outcome).toBe('Đã thẩm định, đủ điều kiện');
    expect(done.body.handovers[0]!.doneAt).not.toBeNull();
    expect((await api(hub, 'POST', `/dossiers/${r.body.code}/handovers/${h.body.handovers[0]!.id}/done`, staff.token, { outcome: 'lần hai' })).status).toBe(404);
    expect((await api(hub, 'POST', `/dossiers/${r.body.code}/handovers`, staff.token, { fromUnit: '', toUnit: 'x' })).status).toBe(400);
  });

  it('seeds 24/11 from 2026 and shows provisional days', async () => {
    const y26 = await api<Holiday[]>(hub, 'GET', '/holidays?year=2026', staff.token);
    expect(y26.body.find((h) => h.day === '2026-11-24')).toMatchObject({ name: 'Ngày Văn hóa Việt Nam', kind: 'holiday', provisional: false });
    await api(hub, 'POST', '/holidays/defaults', adminToken, { years: [2027] });
    const y27 = await api<Holiday[]>(hub, 'GET', '/holidays?year=2027', staff.token);
    expect(y27.body.find((h) => h.day === '2027-11-24')).toMatchObject({ name: 'Ngày Văn hóa Việt Nam', provisional: false });
    expect(y27.body.filter((h) => h.provisional).map((h) => h.day)).toEqual(['2027-02-10', '2027-02-11', '2027-09-03']);
    const added = await api<Holiday & Err>(hub, 'POST', '/holidays', adminToken, { day: '2028-01-01', name: 'Tết Dương lịch', provisional: true });
    expect(added.body.provisional).toBe(true);
    // A due date across 24/11/2026 skips it.
    const cal = await calendar();
    expect(addWorkingDays('2026-11-23', 1, cal)).toBe('2026-11-25');
  });
});
