import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { BoardSnapshot, CreateDeviceReply, HallWithSettings } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

describe('a kiosk cannot drain the day (kioskTicketsPerMinute)', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  let manager: string;
  let kiosk: CreateDeviceReply;
  let other: CreateDeviceReply;

  const issue = (token: string, serviceId = 1) => api<{ error?: { code: string; message: string } }>(hub, 'POST', '/tickets', token, { serviceId });
  const tickets = async (deviceId: number) => (await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE device_id = $1', [deviceId])).rows[0]!.n;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startTestHub({ url: dbh.url });
    admin = await login(hub, 'admin', 'admin-pass-123');
    manager = await login(hub, 'quanly');
    // Back to the default the product ships with (the test helper turns the pace off for bursts elsewhere).
    const reset = await api<HallWithSettings>(hub, 'PATCH', '/hall', admin, { reset: ['kioskTicketsPerMinute'] });
    expect(reset.body.settings.kioskTicketsPerMinute).toBe(20);
    kiosk = (await api<CreateDeviceReply>(hub, 'POST', '/devices', admin, { kind: 'kiosk', name: 'Máy lấy số cửa Đông' })).body;
    other = (await api<CreateDeviceReply>(hub, 'POST', '/devices', admin, { kind: 'kiosk', name: 'Máy lấy số cửa Tây' })).body;
    const staff = await login(hub, 'canbo1');
    expect((await api(hub, 'POST', '/counters/1/open', staff)).status).toBe(200);
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('allows a short burst, then answers 429 with a polite message, and names the kiosk on the board', async () => {
    const socket = await connectSocket(hub, manager);
    const health = nextEvent(socket, 'device:health', (e) => e.deviceId === kiosk.id && e.faults.some((f) => f.code === 'kiosk_over_pace'));
    const statuses: number[] = [];
    let refusal: { error?: { code: string; message: string } } | null = null;
    for (let i = 0; i < 12; i++) {
      const r = await issue(kiosk.token);
      statuses.push(r.status);
      if (r.status === 429) refusal = r.body;
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(refusal?.error?.code).toBe('kiosk_over_pace');
    expect(refusal?.error?.message).toMatch(/xin vui lòng chờ/);
    expect(await tickets(kiosk.id)).toBe(5);
    await health;
    socket.close();

    const board = (await api<BoardSnapshot>(hub, 'GET', '/board', manager)).body;
    const alarm = board.alerts.find((a) => a.deviceId === kiosk.id && a.kind === 'device_fault');
    expect(alarm?.message).toContain('Máy lấy số cửa Đông');
    expect(alarm?.message).toContain('quá nhanh');
    expect(board.alerts.filter((a) => a.message.includes('quá nhanh'))).toHaveLength(1);
  });

  it('paces each kiosk on its own; staff are not paced', async () => {
    expect((await issue(other.token)).status).toBe(201);
    const staff = await login(hub, 'canbo2');
    for (let i = 0; i < 8; i++) expect((await issue(staff)).status).toBe(201);
  });

  it("keeps the alarm through the kiosk's own heartbeats, and clears it once the kiosk issues calmly again", async () => {
    const socket = await connectSocket(hub, kiosk.token);
    expect(await socket.timeout(10_000).emitWithAck('device:heartbeat', { faults: [] })).toEqual({ ok: true });
    socket.close();
    const faults = async () => (await dbh.db.query<{ faults: { code: string }[] }>('SELECT faults FROM devices WHERE id = $1', [kiosk.id])).rows[0]!.faults.map((f) => f.code);
    expect(await faults()).toContain('kiosk_over_pace');
    // A minute and more later the bucket has refilled and the last refusal is old.
    await dbh.db.query(`UPDATE kiosk_pace SET updated_at = updated_at - interval '2 minutes', refused_at = refused_at - interval '2 minutes' WHERE device_id = $1`, [kiosk.id]);
    expect((await issue(kiosk.token)).status).toBe(201);
    expect(await faults()).not.toContain('kiosk_over_pace');
    const board = (await api<BoardSnapshot>(hub, 'GET', '/board', manager)).body;
    expect(board.alerts.some((a) => a.deviceId === kiosk.id && a.kind === 'device_fault')).toBe(false);
  });

  it('takes 0 as no limit, and refuses a pace that is not a whole number from 0 to 600', async () => {
    for (const bad of [-1, 601, 2.5, '20', null]) {
      expect((await api(hub, 'PATCH', '/hall', admin, { settings: { kioskTicketsPerMinute: bad } })).status, String(bad)).toBe(400);
    }
    expect((await api<HallWithSettings>(hub, 'GET', '/hall/settings', admin)).body.settings.kioskTicketsPerMinute).toBe(20);
    expect((await api(hub, 'PATCH', '/hall', admin, { settings: { kioskTicketsPerMinute: 0 } })).status).toBe(200);
    // The hub reuses a hall's pace setting for a few seconds.
    await new Promise((r) => setTimeout(r, 5_100));
    for (let i = 0; i < 30; i++) expect((await issue(other.token, 2)).status).toBe(201);
  });
});
