import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { Hall, IssuedTicket, Ticket } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

/** The demo hall: service 1 (A, Hộ tịch, 6 min) and 2 (B, Chứng thực, 3 min) are served by counters 1 and 2, both closed at first. */
describe('waiting-time estimate', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  let staff1: string;
  let staff2: string;
  let counter1: number;
  let counter2: number;

  const issue = (serviceId: number, priority = false) => api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId, priority });

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startTestHub({ url: dbh.url });
    admin = await login(hub, 'admin', 'admin-pass-123');
    staff1 = await login(hub, 'canbo1');
    staff2 = await login(hub, 'canbo2');
    const ids = (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters ORDER BY number')).rows;
    counter1 = ids[0]!.id;
    counter2 = ids[1]!.id;
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('is null when no counter that serves the service is open, and says when the hall opens', async () => {
    const first = await issue(1);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ahead: 0, estimatedWaitMinutes: null, estimatedWaitRange: null, hallOpensAt: null });
    expect(first.body.followUrl).toMatch(new RegExp(`^https?://[^/]+/kiosk/t/${first.body.id}$`));

    const patched = await api(hub, 'PATCH', '/hall', admin, { settings: { openingTime: '07:30' } });
    expect(patched.status).toBe(200);
    const second = await issue(1);
    expect(second.body).toMatchObject({ ahead: 1, estimatedWaitMinutes: null, estimatedWaitRange: null, hallOpensAt: '07:30' });
    const followed = await api<Ticket>(hub, 'GET', `/tickets/${second.body.id}`);
    expect(followed.body).toMatchObject({ estimatedWaitMinutes: null, hallOpensAt: '07:30', hallName: 'Trung tâm Phục vụ hành chính công xã Minh Hòa', nowServing: null });
    const hall = await api<Hall>(hub, 'GET', '/hall', demo.kioskToken);
    expect(hall.body.screens).toEqual({ openingTime: '07:30', unprintedTicketMinutes: 10, displayLanguages: ['vi'] });

    // a counter open for another service only does not help
    const staff3 = await login(hub, 'canbo3');
    const c3 = (await dbh.db.query<{ id: number }>('SELECT id FROM counters WHERE number = 3')).rows[0]!.id;
    expect((await api(hub, 'POST', `/counters/${c3}/open`, staff3)).status).toBe(200);
    expect((await issue(1)).body.estimatedWaitMinutes).toBeNull();
    expect((await issue(3)).body.estimatedWaitMinutes).not.toBeNull();
    expect((await api(hub, 'PATCH', '/hall', admin, { settings: { openingTime: '25:00' } })).status).toBe(400);
  });

  it('gives a range from the configured time, shared counters and the queue order once a counter opens', async () => {
    expect((await api(hub, 'POST', `/counters/${counter1}/open`, staff1)).status).toBe(200);
    // three A tickets wait (6 min each) with one counter: the next one waits about 18 minutes
    const t4 = await issue(1);
    expect(t4.body.ahead).toBe(3);
    const one = t4.body.estimatedWaitRange!;
    expect(t4.body.estimatedWaitMinutes).toBe(18);
    expect(one.low).toBeLessThan(18);
    expect(one.high).toBeGreaterThan(18);
    const followed = await api<Ticket>(hub, 'GET', `/tickets/${t4.body.id}`);
    expect(followed.body.estimatedWaitMinutes).toBe(18);

    // a B ticket taken now queues behind the four A tickets at the counters that serve both
    const b1 = await issue(2);
    expect(b1.body.ahead).toBe(0);
    expect(b1.body.estimatedWaitMinutes).toBe(24);

    // a second counter that serves both services halves the wait
    expect((await api(hub, 'POST', `/counters/${counter2}/open`, staff2)).status).toBe(200);
    const again = await api<Ticket>(hub, 'GET', `/tickets/${b1.body.id}`);
    expect(again.body.estimatedWaitMinutes).toBe(12);

    // a priority ticket goes before the normal queue
    const p = await issue(1, true);
    expect(p.body.estimatedWaitMinutes).toBe(0);
    expect(p.body.estimatedWaitRange!.low).toBe(0);
  });

  it('keeps the configured time as a floor when the day\'s service times are seconds long', async () => {
    // serve six tickets in a few seconds each at counter 1
    for (let i = 0; i < 6; i++) {
      const r = await api<{ ticket: { number: string } | null }>(hub, 'POST', `/counters/${counter1}/next`, staff1);
      expect(r.status).toBe(200);
    }
    await api(hub, 'POST', `/counters/${counter1}/done`, staff1);
    const done = (await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE status = 'done'`)).rows[0]!.n;
    expect(done).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < 4; i++) await issue(1);
    const t = await issue(1);
    expect(t.body.ahead).toBeGreaterThanOrEqual(4);
    // half of 6 minutes per person at least, shared by two counters (each counter also has B tickets to serve)
    expect(t.body.estimatedWaitMinutes).toBeGreaterThanOrEqual(Math.floor((t.body.ahead * 3) / 2));
    const served = await api<Ticket>(hub, 'GET', `/tickets/${t.body.id}`);
    expect(served.body.nowServing).toMatch(/^A\d{3}$/);
  });
});
