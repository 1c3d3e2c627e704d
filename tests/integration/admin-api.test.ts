/**
 * The admin set-up API behind the admin pages: the hall and its settings, departments, services, counters,
 * staff accounts and devices. Every change: the happy path, refusals that change nothing, and who may do it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { AuditItem, Counter, CounterActionReply, CreateDeviceReply, Department, HallWithSettings, IssuedTicket, Service, User } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;
type Err = { error: { code: string; message: string } };

const PUBLIC_URL = 'https://motcua.example.gov.vn';

describe('admin set-up API', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  let manager: string;
  let staff: string;
  const ids = { service: new Map<string, number>(), counter: new Map<number, number>(), user: new Map<string, number>(), dept: new Map<string, number>() };

  /** Everything the set-up routes may touch, to prove a refusal changed nothing. */
  async function state(): Promise<string> {
    const parts: string[] = [];
    for (const table of ['halls', 'departments', 'services', 'counters', 'counter_services', 'users', 'devices']) {
      const { rows } = await dbh.db.query<{ h: string | null }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${table} x`);
      parts.push(`${table}:${rows[0]!.h}`);
    }
    const { rows } = await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE revoked_at IS NULL');
    return `${parts.join(',')},live-sessions:${rows[0]!.n}`;
  }

  /** Sends a request that must be refused with `status` (and `code`), and checks nothing changed. */
  async function refused(token: string | null, method: string, path: string, body: unknown, status: number, code?: string): Promise<Err> {
    const before = await state();
    const r = await api<Err>(hub, method, path, token, body);
    expect(r.status, `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`).toBe(status);
    if (code) expect(r.body.error.code).toBe(code);
    expect(r.body.error.message.length).toBeGreaterThan(3);
    expect(await state(), `${method} ${path} changed something on ${status}`).toBe(before);
    return r.body;
  }

  const seeded = useSeededHub({ config: { publicUrl: PUBLIC_URL }, adminPassword: 'admin-pass-123' });
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    admin = await login(hub, 'admin', 'admin-pass-123');
    manager = await login(hub, 'quanly');
    staff = await login(hub, 'canbo1');
    for (const s of (await dbh.db.query<{ id: number; prefix: string }>('SELECT id, prefix FROM services')).rows) ids.service.set(s.prefix, s.id);
    for (const c of (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters')).rows) ids.counter.set(c.number, c.id);
    for (const u of (await dbh.db.query<{ id: number; username: string }>('SELECT id, username FROM users')).rows) ids.user.set(u.username, u.id);
    for (const d of (await dbh.db.query<{ id: number; name: string }>('SELECT id, name FROM departments')).rows) ids.dept.set(d.name, d.id);
  });

  describe('hall', () => {
    it('shows the settings with their defaults to managers, not to staff or devices', async () => {
      const r = await api<HallWithSettings>(hub, 'GET', '/hall/settings', manager);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        name: 'Trung tâm Phục vụ hành chính công xã Minh Hòa',
        code: 'DEMO',
        settings: {
          priorityInterleave: 2,
          priorityAgeingMinutes: 30,
          maxRequeue: 1,
          agencyId: '000.00.12.H40',
          closingTime: '17:00',
          idleAlertMinutes: 2,
          ratingWindowMinutes: 30,
          ratingOfflineGraceHours: 24,
          ticketFooter: 'Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!',
          rankingMinRatings: 5,
        },
      });
      expect((await api<Err>(hub, 'GET', '/hall/settings', staff)).status).toBe(403);
      expect((await api<Err>(hub, 'GET', '/hall/settings', demo.displayToken)).status).toBe(403);
      // an invalid stored value reads as its default, as the queue and the board read it
      await dbh.db.query(`UPDATE halls SET settings = settings || '{"idleAlertMinutes": "abc"}'::jsonb WHERE id = $1`, [demo.hallId]);
      expect((await api<HallWithSettings>(hub, 'GET', '/hall/settings', admin)).body.settings.idleAlertMinutes).toBe(2);
    });

    it('renames the hall and changes settings, keeping the voice settings; reset goes back to the default', async () => {
      expect((await api(hub, 'PUT', '/voice/settings', admin, { voiceRate: 170 })).status).toBe(200);
      const r = await api<HallWithSettings>(hub, 'PATCH', '/hall', admin, {
        name: '  Trung tâm Phục vụ hành chính công phường Minh Hòa ',
        settings: { priorityInterleave: 3, closingTime: '16:30', ticketFooter: 'Xin cảm ơn quý khách!', ratingWindowMinutes: 45, agencyId: '000.00.12.H41', idleAlertMinutes: 5 },
      });
      expect(r.status).toBe(200);
      expect(r.body.name).toBe('Trung tâm Phục vụ hành chính công phường Minh Hòa');
      expect(r.body.settings).toMatchObject({ priorityInterleave: 3, closingTime: '16:30', ticketFooter: 'Xin cảm ơn quý khách!', ratingWindowMinutes: 45, agencyId: '000.00.12.H41', idleAlertMinutes: 5, maxRequeue: 1 });
      expect((await api<{ voiceRate: number }>(hub, 'GET', '/voice/settings', admin)).body.voiceRate).toBe(170);
      expect((await api<{ name: string }>(hub, 'GET', '/hall', demo.kioskToken)).body.name).toBe('Trung tâm Phục vụ hành chính công phường Minh Hòa');

      const reset = await api<HallWithSettings>(hub, 'PATCH', '/hall', admin, { reset: ['priorityInterleave', 'agencyId'] });
      expect(reset.body.settings).toMatchObject({ priorityInterleave: 2, agencyId: null, closingTime: '16:30' });
      const { rows } = await dbh.db.query<{ settings: Record<string, unknown> }>('SELECT settings FROM halls WHERE id = $1', [demo.hallId]);
      expect(rows[0]!.settings).not.toHaveProperty('priorityInterleave');
      expect(rows[0]!.settings).not.toHaveProperty('agencyId');
      expect(rows[0]!.settings).toMatchObject({ voiceRate: 170, ratingWindowMinutes: 45 });
      await api(hub, 'PATCH', '/hall', admin, { settings: { agencyId: '000.00.12.H40' } });
    });

    it('a changed setting is what the queue uses next (no requeue when maxRequeue is 0)', async () => {
      expect((await api(hub, 'PATCH', '/hall', admin, { settings: { maxRequeue: 0 } })).status).toBe(200);
      const staff6 = await login(hub, 'canbo6');
      const counter = ids.counter.get(6)!;
      expect((await api(hub, 'POST', `/counters/${counter}/open`, staff6)).status).toBe(200);
      expect((await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: ids.service.get('H') })).status).toBe(201);
      expect((await api<CounterActionReply>(hub, 'POST', `/counters/${counter}/next`, staff6)).status).toBe(200);
      const noShow = await api<Err>(hub, 'POST', `/counters/${counter}/no-show`, staff6, { requeue: true });
      expect(noShow.status).toBe(409);
      expect(noShow.body.error.code).toBe('requeue_limit');
      expect((await api(hub, 'POST', `/counters/${counter}/no-show`, staff6, {})).status).toBe(200);
      expect((await api(hub, 'POST', `/counters/${counter}/close`, staff6)).status).toBe(200);
      expect((await api<HallWithSettings>(hub, 'PATCH', '/hall', admin, { reset: ['maxRequeue'] })).body.settings.maxRequeue).toBe(1);
    });

    it('refuses bad settings and other roles, changing nothing', async () => {
      await refused(admin, 'PATCH', '/hall', {}, 400);
      await refused(admin, 'PATCH', '/hall', { name: '   ' }, 400);
      await refused(admin, 'PATCH', '/hall', { settings: {} }, 400);
      await refused(admin, 'PATCH', '/hall', { settings: { closingTime: '25:00' } }, 400);
      await refused(admin, 'PATCH', '/hall', { settings: { priorityInterleave: 0 } }, 400);
      await refused(admin, 'PATCH', '/hall', { settings: { priorityInterleave: null } }, 400);
      await refused(admin, 'PATCH', '/hall', { settings: { maxRequeue: 3 }, reset: ['maxRequeue'] }, 400);
      await refused(admin, 'PATCH', '/hall', { reset: ['voiceRate'] }, 400);
      await refused(admin, 'PATCH', '/hall', { reset: [] }, 400);
      await refused(admin, 'PATCH', '/hall', { settings: { agencyId: 'a b' } }, 400);
      await refused(admin, 'PATCH', '/hall', { settings: { voiceRate: 200 } }, 400);
      await refused(admin, 'PATCH', '/hall', { name: 'Hợp lệ', settings: { ticketFooter: 'x'.repeat(201) } }, 400);
      await refused(admin, 'PATCH', '/hall', { name: 'Hợp lệ', timezone: 'UTC' }, 400);
      await refused(manager, 'PATCH', '/hall', { name: 'Trung tâm khác' }, 403, 'forbidden');
      await refused(staff, 'PATCH', '/hall', { name: 'Trung tâm khác' }, 403, 'forbidden');
      await refused(demo.kioskToken, 'PATCH', '/hall', { name: 'Trung tâm khác' }, 403, 'forbidden');
      await refused(null, 'PATCH', '/hall', { name: 'Trung tâm khác' }, 401);
    });
  });

  describe('departments', () => {
    it('renames a department and its English name; null removes the English name', async () => {
      const id = ids.dept.get('Phòng Văn hóa và Thông tin')!;
      const r = await api<Department>(hub, 'PATCH', `/departments/${id}`, admin, { name: 'Phòng Văn hóa, Khoa học và Thông tin', nameEn: 'Culture, Science and Information Office' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id, name: 'Phòng Văn hóa, Khoa học và Thông tin', nameEn: 'Culture, Science and Information Office' });
      expect((await api<Department>(hub, 'PATCH', `/departments/${id}`, admin, { nameEn: null })).body).toEqual({ id, name: 'Phòng Văn hóa, Khoa học và Thông tin', nameEn: null });
      await api(hub, 'PATCH', `/departments/${id}`, admin, { nameEn: 'Culture' });
      expect((await api<Department>(hub, 'PATCH', `/departments/${id}`, admin, { nameEn: '  ' })).body.nameEn).toBeNull();
      const list = await api<Department[]>(hub, 'GET', '/departments', staff);
      expect(list.body.find((d) => d.id === id)).toEqual({ id, name: 'Phòng Văn hóa, Khoa học và Thông tin', nameEn: null });
    });

    it('refuses unknown departments, empty changes and other roles', async () => {
      const id = ids.dept.get('Phòng Tư pháp')!;
      await refused(admin, 'PATCH', '/departments/999999', { name: 'Không có' }, 404, 'not_found');
      await refused(admin, 'PATCH', `/departments/${id}`, {}, 400);
      await refused(admin, 'PATCH', `/departments/${id}`, { name: '' }, 400);
      await refused(admin, 'PATCH', `/departments/${id}`, { name: 'Phòng\u0000Tư pháp' }, 400);
      await refused(admin, 'PATCH', `/departments/${id}`, { name: 'x', extra: 1 }, 400);
      await refused(admin, 'PATCH', `/departments/${id}`, { nameEn: 'a\u0007b' }, 400);
      await refused(manager, 'PATCH', `/departments/${id}`, { name: 'Phòng khác' }, 403, 'forbidden');
      await refused(staff, 'PATCH', `/departments/${id}`, { name: 'Phòng khác' }, 403, 'forbidden');
    });
  });

  describe('services', () => {
    it('edits every field of a service; the next ticket uses the new prefix', async () => {
      const id = ids.service.get('K')!;
      const dept = ids.dept.get('Phòng Tư pháp')!;
      const r = await api<Service>(hub, 'PATCH', `/services/${id}`, admin, {
        name: 'Văn hóa – Thể thao',
        nameEn: 'Culture and sports',
        prefix: 'VH',
        numberStart: 10,
        numberEnd: 500,
        departmentId: dept,
        defaultServiceMinutes: 9,
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id, name: 'Văn hóa – Thể thao', nameEn: 'Culture and sports', prefix: 'VH', numberStart: 10, numberEnd: 500, departmentId: dept, defaultServiceMinutes: 9, active: true });
      const t = await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: id });
      expect(t.body.number).toBe('VH010');
      const cleared = await api<Service>(hub, 'PATCH', `/services/${id}`, admin, { departmentId: null, nameEn: null, active: false });
      expect(cleared.body).toMatchObject({ departmentId: null, nameEn: null, active: false });
      const listed = (await api<Service[]>(hub, 'GET', '/services', demo.kioskToken)).body.find((s) => s.id === id);
      expect(listed).toMatchObject({ name: 'Văn hóa – Thể thao', prefix: 'VH', defaultServiceMinutes: 9, active: false });
      await api(hub, 'PATCH', `/services/${id}`, admin, { active: true });
    });

    it('refuses a prefix or range that would print the same numbers as another service', async () => {
      const id = ids.service.get('G')!;
      const clash = await refused(admin, 'PATCH', `/services/${id}`, { prefix: 'A' }, 409, 'number_clash');
      expect(clash.error.message).toContain('Tư pháp – Hộ tịch');
      await refused(admin, 'POST', '/services', { name: 'Hộ tịch 2', prefix: 'B' }, 409, 'number_clash');
      // a different range with the same prefix does not clash
      const upper = await api<Service>(hub, 'POST', '/services', admin, { name: 'Hộ tịch (buổi chiều)', prefix: 'A', numberStart: 1000, numberEnd: 1999 });
      expect(upper.status).toBe(201);
      expect(upper.body.defaultServiceMinutes).toBe(5);
      await refused(admin, 'PATCH', `/services/${upper.body.id}`, { numberStart: 900 }, 409, 'number_clash');
    });

    it('refuses bad ranges, unknown departments and other roles, changing nothing', async () => {
      const id = ids.service.get('G')!;
      await refused(admin, 'PATCH', `/services/${id}`, { numberStart: 600, numberEnd: 500 }, 400);
      await refused(admin, 'PATCH', `/services/${id}`, { numberStart: 1000 }, 400);
      await refused(admin, 'PATCH', `/services/${id}`, { departmentId: 999999 }, 404);
      await refused(admin, 'PATCH', `/services/${id}`, { prefix: 'a' }, 400);
      await refused(admin, 'PATCH', `/services/${id}`, { name: ' ' }, 400);
      await refused(admin, 'PATCH', `/services/${id}`, { defaultServiceMinutes: 0 }, 400);
      await refused(admin, 'PATCH', '/services/999999', { name: 'Không có' }, 404);
      await refused(manager, 'PATCH', `/services/${id}`, { active: false }, 403, 'forbidden');
      await refused(staff, 'PATCH', `/services/${id}`, { active: false }, 403, 'forbidden');
    });
  });

  describe('counters', () => {
    it('renames and re-assigns an open counter: consoles, tablets and displays get it, the next call follows the new services', async () => {
      const counter = ids.counter.get(4)!;
      const staff4 = await login(hub, 'canbo4');
      expect((await api(hub, 'POST', `/counters/${counter}/open`, staff4)).status).toBe(200);
      const display = await connectSocket(hub, demo.displayToken);
      const console4 = await connectSocket(hub, staff4);
      try {
        const seenByDisplay = nextEvent(display, 'counter:update', (c) => c.id === counter && c.name === 'Quầy 4 – Xây dựng, Đất đai');
        const seenByConsole = nextEvent(console4, 'counter:update', (c) => c.id === counter && c.name === 'Quầy 4 – Xây dựng, Đất đai');
        const r = await api<Counter>(hub, 'PATCH', `/counters/${counter}`, admin, { name: 'Quầy 4 – Xây dựng, Đất đai', serviceIds: [ids.service.get('C')!, ids.service.get('E')!] });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ id: counter, number: 4, name: 'Quầy 4 – Xây dựng, Đất đai', status: 'open', serviceIds: [ids.service.get('C'), ids.service.get('E')].sort((a, b) => a! - b!) });
        expect((await seenByDisplay).serviceIds).toHaveLength(2);
        expect((await seenByConsole).staff?.name).toBe('Phạm Quốc Huy');
      } finally {
        display.close();
        console4.close();
      }
      const land = await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: ids.service.get('C') });
      const next = await api<CounterActionReply>(hub, 'POST', `/counters/${counter}/next`, staff4);
      expect(next.body.ticket?.number).toBe(land.body.number);
      expect((await api(hub, 'POST', `/counters/${counter}/done`, staff4)).status).toBe(200);
      expect((await api(hub, 'POST', `/counters/${counter}/close`, staff4)).status).toBe(200);

      const renumbered = await api<Counter>(hub, 'PATCH', `/counters/${counter}`, admin, { number: 14 });
      expect(renumbered.body).toMatchObject({ number: 14, name: 'Quầy 4 – Xây dựng, Đất đai' });
      expect((await api<Counter[]>(hub, 'GET', '/counters', staff)).body.map((c) => c.number)).toEqual([1, 2, 3, 5, 6, 14]);
    });

    it('refuses a number another counter has, unknown services or counters, and other roles', async () => {
      const counter = ids.counter.get(5)!;
      const taken = await refused(admin, 'PATCH', `/counters/${counter}`, { number: 1 }, 409, 'counter_number_taken');
      expect(taken.error.message).toBe('Quầy số 1 đã có: hãy chọn số khác');
      await refused(admin, 'PATCH', `/counters/${counter}`, { name: 'Quầy 5', serviceIds: [ids.service.get('G')!, 999999] }, 404);
      await refused(admin, 'PATCH', `/counters/${counter}`, { serviceIds: [] }, 400);
      await refused(admin, 'PATCH', `/counters/${counter}`, { serviceIds: [1, 1] }, 400);
      await refused(admin, 'PATCH', `/counters/${counter}`, {}, 400);
      await refused(admin, 'PATCH', '/counters/999999', { name: 'Quầy ma' }, 404);
      await refused(manager, 'PATCH', `/counters/${counter}`, { name: 'Quầy 5 mới' }, 403, 'forbidden');
      await refused(staff, 'PATCH', `/counters/${counter}`, { name: 'Quầy 5 mới' }, 403, 'forbidden');
      await refused(demo.displayToken, 'PATCH', `/counters/${counter}`, { name: 'Quầy 5 mới' }, 403, 'forbidden');
    });
  });

  describe('staff accounts', () => {
    it('lists accounts with their state to managers', async () => {
      const r = await api<User[]>(hub, 'GET', '/users', manager);
      expect(r.status).toBe(200);
      expect(r.body.find((u) => u.username === 'canbo2')).toMatchObject({ name: 'Trần Văn Minh', role: 'staff', title: 'Công chức Tư pháp', active: true });
      expect((await api(hub, 'GET', '/users', staff)).status).toBe(403);
    });

    it('changes name, title and role', async () => {
      const id = ids.user.get('canbo2')!;
      const r = await api<User>(hub, 'PATCH', `/users/${id}`, admin, { name: 'Trần Văn Minh Đức', title: '', role: 'manager' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id, username: 'canbo2', name: 'Trần Văn Minh Đức', role: 'manager', active: true });
      const token = await login(hub, 'canbo2');
      expect((await api(hub, 'GET', '/users', token)).status).toBe(200);
      expect((await api<User>(hub, 'PATCH', `/users/${id}`, admin, { role: 'staff', title: 'Công chức Tư pháp' })).body).toMatchObject({ role: 'staff', title: 'Công chức Tư pháp' });
      expect((await api<User>(hub, 'PATCH', `/users/${id}`, admin, { title: null })).body).not.toHaveProperty('title');
      await api(hub, 'PATCH', `/users/${id}`, admin, { title: 'Công chức Tư pháp' });
      expect((await api(hub, 'GET', '/users', token)).status).toBe(403);
    });

    it('sets a new password: the old one stops working and other sessions end', async () => {
      const id = ids.user.get('canbo3')!;
      const old = await login(hub, 'canbo3');
      expect((await api(hub, 'PATCH', `/users/${id}`, admin, { password: 'mat-khau-moi-2026' })).status).toBe(200);
      expect((await api(hub, 'GET', '/auth/me', old)).status).toBe(401);
      expect((await api(hub, 'POST', '/auth/login', null, { username: 'canbo3', password: 'demo12345' })).status).toBe(401);
      expect((await api(hub, 'POST', '/auth/login', null, { username: 'canbo3', password: 'mat-khau-moi-2026' })).status).toBe(200);
      // an admin changing their own password keeps the session they are using
      const adminId = ids.user.get('admin')!;
      expect((await api(hub, 'PATCH', `/users/${adminId}`, admin, { password: 'admin-pass-456' })).status).toBe(200);
      expect((await api(hub, 'GET', '/auth/me', admin)).status).toBe(200);
      expect((await api(hub, 'POST', '/auth/login', null, { username: 'admin', password: 'admin-pass-456' })).status).toBe(200);
    });

    it('refuses to disable someone at an open counter; once it is closed, disabling ends their sessions and login', async () => {
      const id = ids.user.get('canbo5')!;
      const token = await login(hub, 'canbo5');
      const counter = ids.counter.get(5)!;
      expect((await api(hub, 'POST', `/counters/${counter}/open`, token)).status).toBe(200);
      const busy = await refused(admin, 'PATCH', `/users/${id}`, { active: false }, 409, 'counter_open');
      expect(busy.error.message).toBe('Hoàng Thu Trang đang mở quầy 5: hãy đóng quầy trước khi khóa tài khoản');
      expect((await api(hub, 'GET', '/auth/me', token)).status).toBe(200);
      // a role or name change is fine while the counter is open
      expect((await api(hub, 'PATCH', `/users/${id}`, admin, { title: 'Chuyên viên' })).status).toBe(200);
      expect((await api(hub, 'POST', `/counters/${counter}/close`, token)).status).toBe(200);

      const off = await api<User>(hub, 'PATCH', `/users/${id}`, admin, { active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect((await api(hub, 'GET', '/auth/me', token)).status).toBe(401);
      const denied = await api<Err>(hub, 'POST', '/auth/login', null, { username: 'canbo5', password: 'demo12345' });
      expect(denied.status).toBe(401);
      expect(denied.body.error.message).toContain('Sai tên đăng nhập hoặc mật khẩu');
      expect((await api<User[]>(hub, 'GET', '/users', admin)).body.find((u) => u.id === id)?.active).toBe(false);

      expect((await api<User>(hub, 'PATCH', `/users/${id}`, admin, { active: true })).body.active).toBe(true);
      expect((await api(hub, 'POST', '/auth/login', null, { username: 'canbo5', password: 'demo12345' })).status).toBe(200);
    });

    it('never leaves the hall without an active admin and never lets an admin lock themselves out', async () => {
      const adminId = ids.user.get('admin')!;
      await refused(admin, 'PATCH', `/users/${adminId}`, { role: 'manager' }, 409, 'last_admin');
      await refused(admin, 'PATCH', `/users/${adminId}`, { active: false }, 409, 'own_account');
      await refused(admin, 'PATCH', `/users/${adminId}`, { active: false, name: 'Quản trị' }, 409, 'own_account');

      const created = await api<User>(hub, 'POST', '/users', admin, { username: 'quantri2', password: 'quantri-2026', name: 'Ngô Thị Quản Trị', role: 'admin' });
      expect(created.status).toBe(201);
      const second = await login(hub, 'quantri2', 'quantri-2026');
      // with a second admin, the first may step down; the second is then the last one
      expect((await api<User>(hub, 'PATCH', `/users/${adminId}`, admin, { role: 'manager' })).body.role).toBe('manager');
      await refused(second, 'PATCH', `/users/${created.body.id}`, { role: 'staff' }, 409, 'last_admin');
      expect((await api(hub, 'PATCH', `/users/${adminId}`, second, { role: 'admin' })).status).toBe(200);

      // two admins disabling each other at the same moment: one wins, the hall keeps an admin
      const [a, b] = await Promise.all([
        api<Err>(hub, 'PATCH', `/users/${created.body.id}`, admin, { active: false }),
        api<Err>(hub, 'PATCH', `/users/${adminId}`, second, { active: false }),
      ]);
      expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
      expect([a.status, b.status].every((s) => s === 200 || s === 409 || s === 401)).toBe(true);
      const { rows } = await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active`);
      expect(rows[0]!.n).toBe(1);
      // put the first admin back for the tests below
      const { rows: alive } = await dbh.db.query<{ username: string }>(`SELECT username FROM users WHERE role = 'admin' AND active`);
      if (alive[0]!.username !== 'admin') {
        const token = await login(hub, 'quantri2', 'quantri-2026');
        expect((await api(hub, 'PATCH', `/users/${adminId}`, token, { active: true })).status).toBe(200);
        admin = await login(hub, 'admin', 'admin-pass-456');
      }
    });

    it('refuses bad changes, unknown users and other roles, changing nothing', async () => {
      const id = ids.user.get('canbo6')!;
      await refused(admin, 'PATCH', `/users/${id}`, {}, 400);
      await refused(admin, 'PATCH', `/users/${id}`, { password: 'short' }, 400);
      await refused(admin, 'PATCH', `/users/${id}`, { role: 'root' }, 400);
      await refused(admin, 'PATCH', `/users/${id}`, { username: 'canbo66' }, 400);
      await refused(admin, 'PATCH', `/users/${id}`, { name: '\n' }, 400);
      await refused(admin, 'PATCH', '/users/999999', { name: 'Không có' }, 404);
      await refused(manager, 'PATCH', `/users/${id}`, { active: false }, 403, 'forbidden');
      await refused(staff, 'PATCH', `/users/${id}`, { role: 'admin' }, 403, 'forbidden');
      await refused(demo.kioskToken, 'PATCH', `/users/${id}`, { role: 'admin' }, 403, 'forbidden');
      await refused(null, 'PATCH', `/users/${id}`, { role: 'admin' }, 401);
    });
  });

  describe('devices', () => {
    it('gives each new device its address with the token, once; the token works until revoked', async () => {
      const counter = ids.counter.get(1)!;
      const cases = [
        { kind: 'kiosk', path: '/kiosk/?token=' },
        { kind: 'lookup', path: '/kiosk/lookup?token=' },
        { kind: 'display', path: '/display/?token=' },
        { kind: 'tablet', path: '/tablet/?token=', counterId: counter },
      ] as const;
      for (const c of cases) {
        const r = await api<CreateDeviceReply>(hub, 'POST', '/devices', admin, { kind: c.kind, name: `Thiết bị ${c.kind}`, ...('counterId' in c ? { counterId: c.counterId } : {}) });
        expect(r.status).toBe(201);
        expect(r.body.url).toBe(`${PUBLIC_URL}${c.path}${r.body.token}`);
      }
      const agent = await api<CreateDeviceReply>(hub, 'POST', '/devices', admin, { kind: 'agent', name: 'Máy tính ki-ốt 1', printer: 'tcp://192.168.1.50:9100' });
      expect(agent.body.url).toBeNull();

      const display = await api<CreateDeviceReply>(hub, 'POST', '/devices', admin, { kind: 'display', name: 'Màn hình tầng 2' });
      const token = new URL(display.body.url!).searchParams.get('token')!;
      expect((await api(hub, 'GET', '/display/snapshot', token)).status).toBe(200);
      const listed = (await api<{ id: number; name: string; revoked: boolean; health: { online: boolean } }[]>(hub, 'GET', '/devices', manager)).body;
      expect(listed.find((d) => d.id === display.body.id)).toMatchObject({ name: 'Màn hình tầng 2', revoked: false, health: { online: false } });
      expect(JSON.stringify(listed)).not.toContain(token);
      expect((await api(hub, 'DELETE', `/devices/${display.body.id}`, admin)).status).toBe(204);
      expect((await api(hub, 'GET', '/display/snapshot', token)).status).toBe(401);
      await refused(manager, 'POST', '/devices', { kind: 'display', name: 'Màn hình' }, 403, 'forbidden');
      await refused(admin, 'POST', '/devices', { kind: 'tablet', name: 'Máy tính bảng', counterId: 999999 }, 404);
    });
  });

  it('records every set-up change in the audit log', async () => {
    const wanted = ['PATCH /api/v1/hall', 'PATCH /api/v1/departments/:id', 'PATCH /api/v1/services/:id', 'PATCH /api/v1/counters/:id', 'PATCH /api/v1/users/:id', 'POST /api/v1/devices'];
    await expect
      .poll(async () => (await api<AuditItem[]>(hub, 'GET', '/audit?limit=1000', manager)).body.filter((e) => e.status < 300).map((e) => e.action), { timeout: 5000 })
      .toEqual(expect.arrayContaining(wanted));
    const log = (await api<AuditItem[]>(hub, 'GET', '/audit?limit=1000', manager)).body;
    expect(log.filter((e) => e.action === 'PATCH /api/v1/users/:id' && e.status === 409).map((e) => e.actorName)).toContain('admin');
    expect(log.filter((e) => e.action === 'PATCH /api/v1/hall' && e.status === 403).map((e) => e.actorName)).toContain('quanly');
  });
});
