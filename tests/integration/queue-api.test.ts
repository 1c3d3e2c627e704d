import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { CounterActionReply, IssuedTicket, CounterQueue, Ticket, Counter } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

describe('queue API v1', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  let staff1: string;
  let staff2: string;
  let staff3: string;

  const issue = (serviceId: number, priority = false) => api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId, priority });
  const act = <T = CounterActionReply>(token: string, counterId: number, action: string, body?: unknown) =>
    api<T>(hub, 'POST', `/counters/${counterId}/${action}`, token, body);
  const count = async (sql: string) => (await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;

  const seeded = useSeededHub({ adminPassword: 'admin-pass-123' });
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    admin = await login(hub, 'admin', 'admin-pass-123');
    staff1 = await login(hub, 'canbo1');
    staff2 = await login(hub, 'canbo2');
    staff3 = await login(hub, 'canbo3');
  });

  it('logs in, refuses a wrong password, and says who is asking', async () => {
    const bad = await api(hub, 'POST', '/auth/login', null, { username: 'canbo1', password: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: { code: 'unauthorized' } });
    const me = await api<{ type: string; user: { username: string; role: string } }>(hub, 'GET', '/auth/me', staff1);
    expect(me.body).toMatchObject({ type: 'user', user: { username: 'canbo1', role: 'staff' } });
    const dev = await api<{ type: string; device: { kind: string } }>(hub, 'GET', '/auth/me', demo.kioskToken);
    expect(dev.body).toMatchObject({ type: 'device', device: { kind: 'kiosk' } });
    expect((await api(hub, 'GET', '/auth/me', 'u_not-a-token')).status).toBe(401);
  });

  it('numbers each service on its own, gap-free, with people ahead and an estimate', async () => {
    const a1 = await issue(1);
    const a2 = await issue(1);
    const b1 = await issue(2);
    expect(a1.status).toBe(201);
    expect([a1.body.number, a2.body.number, b1.body.number]).toEqual(['A001', 'A002', 'B001']);
    expect(a1.body).toMatchObject({ status: 'waiting', serviceId: 1, ahead: 0, priority: false });
    expect(a2.body.ahead).toBe(1);
    // every counter is still closed: no estimate (tests/integration/wait-estimate.test.ts covers the open case)
    expect(a2.body.estimatedWaitMinutes).toBeNull();
    const pub = await api<Ticket>(hub, 'GET', `/tickets/${a2.body.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ number: 'A002', status: 'waiting', ahead: 1, serviceName: 'Tư pháp – Hộ tịch' });
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const before = await count('tickets');
    const seqBefore = (await dbh.db.query('SELECT * FROM ticket_sequences ORDER BY service_id')).rows;
    const cases: [string, Promise<{ status: number; body: unknown }>, number][] = [
      ['unknown service', issue(999), 404],
      ['string id', api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 'abc' }), 400],
      ['missing field', api(hub, 'POST', '/tickets', demo.kioskToken, {}), 400],
      ['extra field', api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1, hack: true }), 400],
      ['negative id', api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: -1 }), 400],
      ['display token issues', api(hub, 'POST', '/tickets', demo.displayToken, { serviceId: 1 }), 403],
      ['no token', api(hub, 'POST', '/tickets', null, { serviceId: 1 }), 401],
      ['kiosk calls numbers', act(demo.kioskToken, 1, 'next'), 403],
      ['display calls numbers', act(demo.displayToken, 1, 'next'), 403],
      ['unknown counter', act(staff1, 9999, 'open'), 404],
      ['counter not opened', act(staff1, 1, 'next'), 403],
      ['staff creates devices', api(hub, 'POST', '/devices', staff1, { kind: 'kiosk', name: 'x' }), 403],
      ['unknown ticket', api(hub, 'GET', '/tickets/999999'), 404],
      ['ticket id not a number', api(hub, 'GET', '/tickets/abc'), 400],
    ];
    for (const [name, promise, status] of cases) {
      const r = await promise;
      expect(r.status, name).toBe(status);
      expect(r.body, name).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    const raw = await fetch(`${hub.url}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${demo.kioskToken}`, 'content-type': 'application/json' }, body: '{"serviceId":' });
    expect(raw.status).toBe(400);
    expect(await count('tickets')).toBe(before);
    expect((await dbh.db.query('SELECT * FROM ticket_sequences ORDER BY service_id')).rows).toEqual(seqBefore);
  });

  it('refuses a closed service with 409', async () => {
    const closed = await api(hub, 'PATCH', '/services/8', admin, { active: false });
    expect(closed.status).toBe(200);
    const r = await issue(8);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: { code: 'service_closed' } });
    await api(hub, 'PATCH', '/services/8', admin, { active: true });
    expect((await issue(8)).status).toBe(201);
  });

  it('opens a counter for one staff member only', async () => {
    const open = await act<Counter>(staff1, 1, 'open');
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ status: 'open', staff: { name: 'Nguyễn Thị Lan' } });
    const taken = await act(staff2, 1, 'open');
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: { code: 'counter_taken' } });
    expect((await act(staff2, 1, 'next')).status).toBe(403);
    const second = await act(staff1, 2, 'open');
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: { code: 'already_at_counter' } });
  });

  it('calls, recalls, serves and finishes, and finishing happens on the next call too', async () => {
    const first = await act(staff1, 1, 'next');
    expect(first.status).toBe(200);
    expect(first.body.ticket).toMatchObject({ number: 'A001', status: 'called', counterNumber: 1 });
    const recall = await act(staff1, 1, 'recall');
    expect(recall.body.ticket).toMatchObject({ number: 'A001', status: 'called' });
    const serve = await act(staff1, 1, 'serve');
    expect(serve.body.ticket).toMatchObject({ number: 'A001', status: 'serving' });
    const closeBusy = await act(staff1, 1, 'close');
    expect(closeBusy.status).toBe(409);
    const second = await act(staff1, 1, 'next');
    expect(second.body.ticket).toMatchObject({ number: 'A002' });
    expect((await api<Ticket>(hub, 'GET', `/tickets/${first.body.ticket!.id}`)).body.status).toBe('done');
    const done = await act(staff1, 1, 'done');
    expect(done.body.ticket).toMatchObject({ number: 'A002', status: 'done' });
    expect((await act(staff1, 1, 'recall')).status).toBe(409);
    const calls = await dbh.db.query('SELECT recall FROM calls ORDER BY id');
    expect(calls.rows.map((r) => r.recall)).toEqual([false, true, false]);
  });

  it('serves priority first but at most N in a row, then a normal ticket', async () => {
    // counter 1 serves services 1 and 2; B001 (normal) is still waiting from before
    const p = [await issue(1, true), await issue(1, true), await issue(1, true)];
    expect(p.every((r) => r.body.priority)).toBe(true);
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await act(staff1, 1, 'next');
      if (r.status === 204) break;
      order.push(r.body.ticket!.number);
    }
    expect(order).toEqual([p[0]!.body.number, p[1]!.body.number, 'B001', p[2]!.body.number]);
    expect((await act(staff1, 1, 'next')).status).toBe(204);
  });

  it('lists the waiting queue for a counter and calls a chosen ticket', async () => {
    const t1 = await issue(2);
    const t2 = await issue(1);
    const q = await api<CounterQueue>(hub, 'GET', '/counters/1/queue', staff1);
    expect(q.body.total).toBe(2);
    expect(q.body.waiting.map((w) => w.number)).toEqual([t1.body.number, t2.body.number]);
    const call = await act(staff1, 1, 'call', { ticketId: t2.body.id });
    expect(call.body.ticket).toMatchObject({ number: t2.body.number, status: 'called' });
    const again = await act(staff1, 1, 'call', { ticketId: t2.body.id });
    expect(again.status).toBe(409);
    const other = await issue(3);
    const wrong = await act(staff1, 1, 'call', { ticketId: other.body.id });
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({ error: { code: 'wrong_service' } });
  });

  it('marks no-show, optionally back at the end of the queue, with a requeue limit', async () => {
    const next = await act(staff1, 1, 'next');
    const number = next.body.ticket!.number;
    const requeued = await act(staff1, 1, 'no-show', { requeue: true });
    expect(requeued.body.ticket).toMatchObject({ number, status: 'waiting' });
    const back = await act(staff1, 1, 'next');
    expect(back.body.ticket!.number).toBe(number);
    const limit = await act(staff1, 1, 'no-show', { requeue: true });
    expect(limit.status).toBe(409);
    const gone = await act(staff1, 1, 'no-show');
    expect(gone.body.ticket).toMatchObject({ number, status: 'no_show' });
  });

  it('transfers a ticket to another service keeping its number, optionally to one counter', async () => {
    await act(staff3, 3, 'open');
    const t = await issue(1);
    const call = await act(staff1, 1, 'next');
    expect(call.body.ticket!.number).toBe(t.body.number);
    const sameService = await act(staff1, 1, 'transfer', { serviceId: 1 });
    expect(sameService.status).toBe(409);
    const unknown = await act(staff1, 1, 'transfer', { serviceId: 999 });
    expect(unknown.status).toBe(404);
    const moved = await act(staff1, 1, 'transfer', { serviceId: 3, counterId: 3 });
    expect(moved.status).toBe(200);
    expect(moved.body.ticket).toMatchObject({ number: t.body.number, serviceId: 3, status: 'waiting' });
    expect((await api<Ticket>(hub, 'GET', `/tickets/${t.body.id}`)).body.status).toBe('transferred');
    // C001 (issued before A-ticket's issue time) goes first; the transferred ticket keeps its place by issue time
    expect((await act(staff3, 3, 'next')).body.ticket).toMatchObject({ number: 'C001' });
    const at3 = await act(staff3, 3, 'next');
    expect(at3.body.ticket).toMatchObject({ number: t.body.number, counterNumber: 3 });
  });

  it('pauses and closes a counter', async () => {
    await act(staff1, 1, 'done');
    const paused = await act<Counter>(staff1, 1, 'pause');
    expect(paused.body.status).toBe('paused');
    await issue(1);
    const refused = await act(staff1, 1, 'next');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'counter_paused' } });
    expect((await act<Counter>(staff1, 1, 'resume')).body.status).toBe('open');
    const closed = await act<Counter>(staff1, 1, 'close');
    expect(closed.body).toMatchObject({ status: 'closed', staff: null });
    expect((await act(staff1, 1, 'next')).status).toBe(403);
    expect((await act<Counter>(staff2, 1, 'open')).status).toBe(200);
  });

  it('starts numbering again on a new hall day', async () => {
    await dbh.db.query(`UPDATE ticket_sequences SET day = day - 1`);
    await dbh.db.query(`UPDATE tickets SET day = day - 1`);
    const r = await issue(1);
    expect(r.body.number).toBe('A001');
    expect(r.body.ahead).toBe(0);
  });

  it('lets the admin set up services, counters, users and devices', async () => {
    const svc = await api<{ id: number; prefix: string }>(hub, 'POST', '/services', admin, { name: 'Nội vụ', prefix: 'N' });
    expect(svc.status).toBe(201);
    const range = await api<{ id: number }>(hub, 'POST', '/services', admin, { name: 'Trả kết quả', prefix: '', numberStart: 1000, numberEnd: 1999 });
    expect(range.status).toBe(201);
    expect((await issue(range.body.id)).body.number).toBe('1000');
    const counter = await api(hub, 'POST', '/counters', admin, { number: 7, name: 'Quầy 7', serviceIds: [svc.body.id] });
    expect(counter.status).toBe(201);
    expect((await api(hub, 'POST', '/counters', admin, { number: 7, name: 'Quầy 7', serviceIds: [svc.body.id] })).status).toBe(409);
    expect((await api(hub, 'POST', '/counters', admin, { number: 8, name: 'Quầy 8', serviceIds: [4242] })).status).toBe(404);
    const user = await api(hub, 'POST', '/users', admin, { username: 'canbo7', password: 'password-77', name: 'Ngô Văn Bảy', role: 'staff' });
    expect(user.status).toBe(201);
    expect((await api(hub, 'POST', '/users', admin, { username: 'canbo7', password: 'password-77', name: 'x', role: 'staff' })).status).toBe(409);
    const device = await api<{ id: number; token: string }>(hub, 'POST', '/devices', admin, { kind: 'kiosk', name: 'Kiosk 2', printer: 'tcp://127.0.0.1:9100' });
    expect(device.status).toBe(201);
    expect(device.body.token).toMatch(/^d_/);
    expect((await api(hub, 'POST', '/tickets', device.body.token, { serviceId: 1 })).status).toBe(201);
    const list = await api<{ id: number; health: { online: boolean } }[]>(hub, 'GET', '/devices', admin);
    expect(list.body.find((d) => d.id === device.body.id)).toMatchObject({ health: { online: false } });
    expect((await api(hub, 'DELETE', `/devices/${device.body.id}`, admin)).status).toBe(204);
    // the hub caches tokens for 3 s; a revoked token stops working after that
    await new Promise((r) => setTimeout(r, 3100));
    expect((await api(hub, 'POST', '/tickets', device.body.token, { serviceId: 1 })).status).toBe(401);
  });

  it('publishes the OpenAPI document and the docs page', async () => {
    const doc = await api<{ openapi: string; paths: Record<string, unknown> }>(hub, 'GET', '/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/tickets', '/api/v1/counters/{id}/next', '/api/v1/auth/login', '/api/v1/devices']) expect(doc.body.paths).toHaveProperty([p]);
    expect((await fetch(`${hub.url}/docs/`)).status).toBe(200);
  });

  it('redirects a screen path to its folder keeping the query (receipt QR codes carry ?code=)', async () => {
    const r = await fetch(`${hub.url}/lookup?code=000.00.12.H40-261121-0001`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/lookup/?code=000.00.12.H40-261121-0001');
    expect((await fetch(`${hub.url}/kiosk`, { redirect: 'manual' })).headers.get('location')).toBe('/kiosk/');
  });
});
