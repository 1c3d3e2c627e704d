import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService } from '../../server/auth/auth.service.js';
import { insertCounter, insertHall } from '../../server/admin/setup.repo.js';
import type { Device } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

describe('devices can be edited without revoking and pairing again', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  let otherHallCounter: number;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    const hall2 = await insertHall(dbh.db, { code: 'TANLAP', name: 'Trung tâm Phục vụ hành chính công xã Tân Lập' });
    otherHallCounter = await insertCounter(dbh.db, hall2, 1, 'Quầy 1', []);
    hub = await startTestHub({ url: dbh.url, config: { tokenCacheMs: 60_000 } });
    admin = await login(hub, 'admin', 'admin-pass-123');
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  const devices = async () => (await api<Device[]>(hub, 'GET', '/devices', admin)).body;
  const counterId = async (number: number) => (await api<{ id: number; number: number }[]>(hub, 'GET', '/counters', admin)).body.find((c) => c.number === number)!.id;

  it('renames a device, pairs a tablet with another counter (its socket reconnects into that counter) and sets a printer', async () => {
    const from = await counterId(1);
    const to = await counterId(3);
    const socket = await connectSocket(hub, demo.tabletTokens[1]!);
    const mine = (await devices()).find((d) => d.kind === 'tablet' && d.counterId === from)!;
    const cut = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    const r = await api(hub, 'PATCH', `/devices/${mine.id}`, admin, { name: 'Máy tính bảng quầy 3', counterId: to });
    expect(r.status).toBe(204);
    expect(await cut).toBe('io server disconnect');
    const after = (await devices()).find((d) => d.id === mine.id)!;
    expect(after).toMatchObject({ name: 'Máy tính bảng quầy 3', counterId: to, revoked: false });

    // The same token works at once (a cached answer with the old counter was dropped) and now hears counter 3.
    const again = await connectSocket(hub, demo.tabletTokens[1]!);
    const staff = await login(hub, 'canbo3');
    const heard = nextEvent(again, 'counter:update', (c) => c.id === to && c.status === 'open');
    expect((await api(hub, 'POST', `/counters/${to}/open`, staff)).status).toBe(200);
    await heard;
    again.close();
    socket.close();

    const kiosk = (await devices()).find((d) => d.kind === 'kiosk')!;
    expect((await api(hub, 'PATCH', `/devices/${kiosk.id}`, admin, { printer: 'tcp://127.0.0.1:9100' })).status).toBe(204);
    expect((await devices()).find((d) => d.id === kiosk.id)!.printer).toBe('tcp://127.0.0.1:9100');
    expect((await api(hub, 'PATCH', `/devices/${kiosk.id}`, admin, { printer: null })).status).toBe(204);
    expect((await devices()).find((d) => d.id === kiosk.id)!.printer).toBeNull();
  });

  it('refuses bad changes with a clear 4xx and changes nothing', async () => {
    const list = await devices();
    const tablet = list.find((d) => d.kind === 'tablet')!;
    const display = list.find((d) => d.kind === 'display')!;
    const revoked = (await api<{ id: number }>(hub, 'POST', '/devices', admin, { kind: 'display', name: 'Màn hình cũ' })).body.id;
    expect((await api(hub, 'DELETE', `/devices/${revoked}`, admin)).status).toBe(204);
    const before = JSON.stringify((await devices()).map(({ health: _h, ...d }) => d));
    const manager = await login(hub, 'quanly');
    const cases: [string, string | null, unknown, number][] = [
      [`/devices/${display.id}`, admin, {}, 400],
      [`/devices/${display.id}`, admin, { name: '' }, 400],
      [`/devices/${display.id}`, admin, { name: 'Màn hình\u001b' }, 400],
      [`/devices/${display.id}`, admin, { hallId: 2 }, 400],
      [`/devices/${display.id}`, admin, { printer: 'file:///etc/passwd' }, 400],
      [`/devices/${display.id}`, admin, { counterId: otherHallCounter }, 404],
      [`/devices/${display.id}`, admin, { counterId: 99_999 }, 404],
      [`/devices/${tablet.id}`, admin, { counterId: null }, 400],
      [`/devices/${revoked}`, admin, { name: 'Sống lại' }, 404],
      [`/devices/99999`, admin, { name: 'Không có' }, 404],
      [`/devices/${display.id}`, manager, { name: 'Quản lý đổi tên' }, 403],
      [`/devices/${display.id}`, demo.kioskToken, { name: 'Ki-ốt đổi tên' }, 403],
      [`/devices/${display.id}`, null, { name: 'Ẩn danh' }, 401],
    ];
    for (const [path, token, body, status] of cases) {
      const r = await api<{ error?: { message: string } }>(hub, 'PATCH', path, token, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.body.error?.message, `${path} ${JSON.stringify(body)}`).toBeTruthy();
    }
    expect(JSON.stringify((await devices()).map(({ health: _h, ...d }) => d))).toBe(before);
  });
});
