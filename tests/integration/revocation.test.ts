import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { DemoHall } from '../../server/demo/seed.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

/**
 * Revoking on one hub process ends access on every process at once: cached token answers are dropped and open
 * sockets cut. Each hub here caches a token's answer for 10 minutes, so only the revocation can end it within the test.
 */
describe('revocation across two hub processes', () => {
  let dbh: Dbh;
  let demo: DemoHall;
  let a: TestHub;
  let b: TestHub;
  let admin: string;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    a = await startTestHub({ url: dbh.url, config: { tokenCacheMs: 600_000 } });
    b = await startTestHub({ url: dbh.url, config: { tokenCacheMs: 600_000 } });
    admin = await login(a, 'admin', 'admin-pass-123');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dbh?.drop();
  });

  const me = (hub: TestHub, token: string) => api(hub, 'GET', '/auth/me', token).then((r) => r.status);

  it("ends a staff member's sessions and a device's token on the other process too, HTTP and sockets", async () => {
    const staff = await login(b, 'canbo3');
    const device = await api<{ id: number; token: string }>(a, 'POST', '/devices', admin, { kind: 'display', name: 'Màn hình khu B' });
    expect(device.status).toBe(201);
    expect(await me(b, staff)).toBe(200);
    expect(await me(b, device.body.token)).toBe(200);
    const staffSocket = await connectSocket(b, staff);
    const deviceSocket = await connectSocket(b, device.body.token);
    const cut = (s: typeof staffSocket) => new Promise<string>((resolve) => s.once('disconnect', resolve));
    const staffCut = cut(staffSocket);
    const deviceCut = cut(deviceSocket);

    const { rows } = await dbh.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'canbo3'`);
    expect((await api(a, 'DELETE', `/users/${rows[0]!.id}/sessions`, admin)).status).toBe(200);
    await expect.poll(() => me(b, staff), { timeout: 10_000 }).toBe(401);
    expect(await staffCut).toBe('io server disconnect');
    expect(await me(b, device.body.token)).toBe(200);
    expect(deviceSocket.connected).toBe(true);

    expect((await api(a, 'DELETE', `/devices/${device.body.id}`, admin)).status).toBe(204);
    await expect.poll(() => me(b, device.body.token), { timeout: 10_000 }).toBe(401);
    expect(await deviceCut).toBe('io server disconnect');
    staffSocket.close();
    deviceSocket.close();
  });
});
