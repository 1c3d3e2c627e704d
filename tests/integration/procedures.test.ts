/**
 * Editing the procedure catalogue (PATCH /api/v1/procedures/:id): a new legal processing time or fee, a procedure
 * switched off (no new dossiers, existing ones untouched) and on again, refusals that change nothing, who may do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService } from '../../server/auth/auth.service.js';
import { insertHall } from '../../server/admin/setup.repo.js';
import { insertProcedure } from '../../server/dossiers/dossiers.repo.js';
import type { DossierDetail, Procedure, PublicDossier } from '../../protocol/index.js';
import { openCounter, startDossierHub } from './dossier-support.js';

type Err = { error: { code: string; message: string } };

describe('procedure catalogue editing', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let staff: { token: string; counterId: number };
  let adminToken: string;
  let managerToken: string;
  let catalogue: Procedure[];

  const CORRECTION = 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch'; // 3 working days, 15,000 VND
  const MARITAL = 'Cấp Giấy xác nhận tình trạng hôn nhân'; // 3 working days
  const BUSINESS = 'Đăng ký thành lập hộ kinh doanh';
  const byName = (name: string) => catalogue.find((p) => p.name === name)!;

  const patch = (id: number | string, body: unknown, token: string | null = adminToken) => api<Procedure & Err>(hub, 'PATCH', `/procedures/${id}`, token, body);
  const receive = (procedure: number | string, applicantName: string) => api<DossierDetail & Err>(hub, 'POST', '/dossiers', staff.token, { procedure, applicantName });
  const list = async (query = '', token = adminToken) => (await api<Procedure[]>(hub, 'GET', `/procedures${query}`, token)).body;

  /** The whole catalogue and every dossier's fixed terms, as stored: what a refused request must leave alone. */
  const snapshot = async () => {
    const { rows } = await dbh.db.query<{ p: string; d: string }>(
      `SELECT (SELECT string_agg(p::text, '|' ORDER BY id) FROM procedures p) AS p,
              (SELECT coalesce(string_agg(code || ':' || procedure_id || ':' || processing_days || ':' || due_day || ':' || due_at, '|' ORDER BY id), '') FROM dossiers) AS d`,
    );
    return rows[0]!;
  };

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-secret-1');
    hub = await startDossierHub({ url: dbh.url });
    staff = await openCounter(hub, 'canbo1', 1);
    adminToken = await login(hub, 'admin', 'admin-secret-1');
    managerToken = await login(hub, 'quanly');
    catalogue = await list();
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('changes the processing time and fee for new dossiers; dossiers already received keep their due date', async () => {
    const p = byName(CORRECTION);
    expect(p).toMatchObject({ processingDays: 3, fee: 15_000, active: true });
    const before = await receive(p.id, 'Nguyễn Văn Bình');
    expect(before.status).toBe(201);
    const stored = async (code: string) =>
      (await dbh.db.query<{ processing_days: number; due_day: string; due_at: Date }>("SELECT processing_days, to_char(due_day, 'YYYY-MM-DD') AS due_day, due_at FROM dossiers WHERE code = $1", [code])).rows[0]!;
    const fixed = await stored(before.body.code);

    const edited = await patch(p.id, { processingDays: 10, fee: 20_000 });
    expect(edited.status).toBe(200);
    expect(edited.body).toEqual({ ...p, processingDays: 10, fee: 20_000 });
    expect((await list()).find((x) => x.id === p.id)).toEqual(edited.body);

    // The dossier received under the old law keeps its terms, as staff, outside systems and the public see them.
    expect(await stored(before.body.code)).toEqual(fixed);
    expect(fixed.processing_days).toBe(3);
    expect((await api<DossierDetail>(hub, 'GET', `/dossiers/${before.body.code}/detail`, staff.token)).body.dueAt).toBe(before.body.dueAt);
    expect((await api<PublicDossier>(hub, 'GET', `/dossiers/${before.body.code}`)).body.dueAt).toBe(before.body.dueAt);

    // A dossier received now gets the new processing time.
    const after = await receive(p.id, 'Trần Thị Cúc');
    expect(after.status).toBe(201);
    expect((await stored(after.body.code)).processing_days).toBe(10);
    expect(after.body.dueAt > before.body.dueAt).toBe(true);

    // Shortening it again changes neither of them.
    expect((await patch(p.id, { processingDays: 0 })).body.processingDays).toBe(0);
    expect((await api<DossierDetail>(hub, 'GET', `/dossiers/${before.body.code}/detail`, staff.token)).body.dueAt).toBe(before.body.dueAt);
    expect((await api<DossierDetail>(hub, 'GET', `/dossiers/${after.body.code}/detail`, staff.token)).body.dueAt).toBe(after.body.dueAt);
  });

  it('renames a procedure, moves it to another department or service and clears optional fields', async () => {
    const p = byName(BUSINESS);
    const r = await patch(p.id, { name: '  Đăng ký   thành lập hộ kinh doanh (sửa đổi) ', nameEn: null, departmentId: null, serviceId: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Đăng ký thành lập hộ kinh doanh (sửa đổi)', nameEn: null, departmentId: null, departmentName: null, serviceId: null });
    const dept = (await api<{ id: number; name: string }[]>(hub, 'GET', '/departments', adminToken)).body[0]!;
    const moved = await patch(p.id, { name: BUSINESS, nameEn: 'Household business registration', departmentId: dept.id, serviceId: p.serviceId });
    expect(moved.body).toEqual({ ...p, departmentId: dept.id, departmentName: dept.name });
    // Its own name in another case is not a clash; an empty English name removes it.
    expect((await patch(p.id, { name: BUSINESS.toUpperCase(), nameEn: '' })).body).toMatchObject({ name: BUSINESS.toUpperCase(), nameEn: null });
    expect((await patch(p.id, { name: BUSINESS })).status).toBe(200);
  });

  it('switches a procedure off: not offered nor received for new dossiers, existing dossiers go on; and on again', async () => {
    const p = byName(MARITAL);
    const existing = await receive(p.id, 'Lê Văn Dũng');
    expect(existing.status).toBe(201);

    const off = await patch(p.id, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ ...p, active: false });

    // The counter's list leaves it out; the admin page still sees it, and can list the switched-off ones.
    expect((await list('?active=true', staff.token)).map((x) => x.id)).not.toContain(p.id);
    expect((await list()).find((x) => x.id === p.id)?.active).toBe(false);
    expect((await list('?active=false')).map((x) => x.id)).toEqual([p.id]);
    expect((await api(hub, 'GET', '/procedures?active=maybe', adminToken)).status).toBe(400);

    const before = await snapshot();
    for (const ref of [p.id, p.name, p.name.toLowerCase()]) {
      const refused = await receive(ref, 'Phạm Thị Hạnh');
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({ code: 'procedure_inactive', message: `Thủ tục "${MARITAL}" đã ngừng tiếp nhận hồ sơ mới` });
    }
    expect(await snapshot()).toEqual(before);

    // The dossier received before keeps its procedure and moves on as usual.
    const moved = await api<DossierDetail>(hub, 'POST', `/dossiers/${existing.body.code}/events`, staff.token, { status: 'processing' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ procedure: MARITAL, procedureId: p.id, dueAt: existing.body.dueAt, status: 'processing' });

    expect((await patch(p.id, { active: true })).body.active).toBe(true);
    expect((await receive(p.id, 'Phạm Thị Hạnh')).status).toBe(201);
    expect((await list('?active=true', staff.token)).map((x) => x.id)).toContain(p.id);
  });

  it('tells the consoles to re-read the catalogue after a change', async () => {
    const socket = await connectSocket(hub, staff.token);
    try {
      const update = nextEvent(socket, 'setup:update');
      expect((await patch(byName(CORRECTION).id, { fee: 25_000 })).status).toBe(200);
      await update;
    } finally {
      socket.close();
    }
  });

  it('refuses bad changes with a 4xx and changes nothing', async () => {
    const p = byName(CORRECTION);
    const other = byName(MARITAL);
    const hall2 = await insertHall(dbh.db, { code: 'TANLAP', name: 'Bộ phận Một cửa UBND xã Tân Lập' });
    const theirs = await insertProcedure(dbh.db, { hallId: hall2, departmentId: null, serviceId: null, name: 'Chứng thực bản sao', nameEn: null, processingDays: 0, fee: 0, active: true });

    const before = await snapshot();
    const cases: [number | string, unknown, number, string?][] = [
      [p.id, {}, 400],
      [p.id, { processingDays: -1 }, 400],
      [p.id, { processingDays: 366 }, 400],
      [p.id, { processingDays: 2.5 }, 400],
      [p.id, { fee: -1 }, 400],
      [p.id, { fee: 10_000_000_001 }, 400],
      [p.id, { active: 'no' }, 400],
      [p.id, { name: ' ' }, 400],
      [p.id, { name: 'x ' }, 400],
      [p.id, { name: 'Tên\u0000lạ' }, 400],
      [p.id, { name: 'y'.repeat(301) }, 400],
      [p.id, { nameEn: 'z'.repeat(301) }, 400],
      [p.id, { processingDays: 5, hallId: hall2 }, 400],
      [p.id, { departmentId: -1 }, 400],
      [p.id, { serviceId: 1.5 }, 400],
      [p.id, { processingDays: 7, departmentId: 99_999 }, 404],
      [p.id, { fee: 1, serviceId: 99_999 }, 404],
      [p.id, { active: false, name: other.name.toUpperCase() }, 409, 'procedure_exists'],
      [99_999, { processingDays: 5 }, 404],
      [theirs, { processingDays: 5 }, 404],
      [0, { processingDays: 5 }, 400],
      ['abc', { processingDays: 5 }, 400],
    ];
    for (const [id, body, status, code] of cases) {
      const r = await patch(id, body);
      expect(r.status, `${id} ${JSON.stringify(body).slice(0, 60)}`).toBe(status);
      expect(r.body.error.message).toBeTruthy();
      if (code) expect(r.body.error.code).toBe(code);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets only admins edit the catalogue', async () => {
    const p = byName(CORRECTION);
    const before = await snapshot();
    expect((await patch(p.id, { fee: 1 }, null)).status).toBe(401);
    for (const token of [staff.token, managerToken, demo.kioskToken, demo.displayToken]) {
      const r = await patch(p.id, { fee: 1 }, token);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    // Roles are checked before anything else: an unknown id or a bad body is still 403 for them.
    expect((await patch(99_999, { fee: 1 }, staff.token)).status).toBe(403);
    expect((await patch(p.id, { nope: 1 }, managerToken)).status).toBe(403);
    expect(await snapshot()).toEqual(before);
    // Reading stays open to staff and devices.
    expect((await api(hub, 'GET', '/procedures', demo.kioskToken)).status).toBe(200);
  });

  it('describes the route in the OpenAPI document', async () => {
    const doc = await api<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>(hub, 'GET', '/openapi.json');
    expect(doc.body.paths['/api/v1/procedures/{id}']?.patch?.requestBody).toBeDefined();
  });
});
