import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, type ClientSocket, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Counter, Rating, RatingRequest, TabletState } from '../../protocol/index.js';

describe('ratings from the counter tablets', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  const counterIds = new Map<number, number>();
  const staffTokens = new Map<number, string>();
  const sockets: ClientSocket[] = [];

  const seeded = useSeededHub();
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    const counters = await api<Counter[]>(hub, 'GET', '/counters', demo.kioskToken);
    for (const c of counters.body) counterIds.set(c.number, c.id);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
  });

  const counterId = (n: number) => counterIds.get(n)!;
  const tablet = (n: number) => demo.tabletTokens[n]!;

  async function staffOf(n: number): Promise<string> {
    let token = staffTokens.get(n);
    if (!token) {
      token = await login(hub, `canbo${n}`);
      staffTokens.set(n, token);
      expect((await api(hub, 'POST', `/counters/${counterId(n)}/open`, token)).status).toBe(200);
    }
    return token;
  }

  /** Issues a ticket for the counter's first service, calls it there and (unless told otherwise) finishes it. */
  async function serve(n: number, finish: 'done' | 'next' | 'none' = 'done'): Promise<{ id: number; number: string }> {
    const staff = await staffOf(n);
    const counter = await api<Counter>(hub, 'GET', `/counters`, staff).then((r) => (r.body as unknown as Counter[]).find((c) => c.number === n)!);
    const issued = await api<{ id: number; number: string }>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: counter.serviceIds[0] });
    expect(issued.status).toBe(201);
    const called = await api<{ ticket: { id: number } }>(hub, 'POST', `/counters/${counterId(n)}/call`, staff, { ticketId: issued.body.id });
    expect(called.status).toBe(200);
    if (finish === 'done') expect((await api(hub, 'POST', `/counters/${counterId(n)}/done`, staff)).status).toBe(200);
    if (finish === 'next') expect([200, 204]).toContain((await api(hub, 'POST', `/counters/${counterId(n)}/next`, staff)).status);
    return issued.body;
  }

  const ratingsOf = async (ticketId: number) =>
    (await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ratings WHERE ticket_id = $1', [ticketId])).rows[0]!.n;

  it('asks the tablet of the serving counter, and only it, to rate a ticket when it is done or finished by call-next', async () => {
    const tablet1 = await connectSocket(hub, tablet(1));
    const tablet2 = await connectSocket(hub, tablet(2));
    const staffSocket = await connectSocket(hub, await staffOf(1));
    sockets.push(tablet1, tablet2, staffSocket);
    const elsewhere: RatingRequest[] = [];
    tablet2.on('rating:request', (r) => elsewhere.push(r));
    staffSocket.on('rating:request', (r) => elsewhere.push(r));

    const waiting = nextEvent(tablet1, 'rating:request');
    const t = await serve(1);
    const request = await waiting;
    expect(request).toMatchObject({ ticketId: t.id, number: t.number, counterId: counterId(1), staffName: 'Nguyễn Thị Lan' });
    const finished = (await dbh.db.query<{ finished_at: Date }>('SELECT finished_at FROM tickets WHERE id = $1', [t.id])).rows[0]!.finished_at;
    expect(Date.parse(request.expiresAt) - finished.getTime()).toBe(30 * 60_000);

    // call-next finishes the ticket in progress as done: that one is asked for too
    const t2 = await serve(1, 'none');
    const second = nextEvent(tablet1, 'rating:request', (r) => r.ticketId === t2.id);
    await api(hub, 'POST', `/counters/${counterId(1)}/next`, await staffOf(1));
    expect((await second).number).toBe(t2.number);

    // the state a (re)connecting tablet reads carries the same pending request
    const state = await api<TabletState>(hub, 'GET', '/ratings/tablet', tablet(1));
    expect(state.status).toBe(200);
    expect(state.body.counter).toMatchObject({ id: counterId(1), number: 1, name: 'Quầy 1 – Hộ tịch' });
    expect(state.body.staff).toMatchObject({ name: 'Nguyễn Thị Lan', title: 'Công chức Tư pháp – Hộ tịch', photoUrl: null });
    expect(state.body.pending?.ticketId).toBe(t2.id);
    expect(elsewhere).toEqual([]);
    // the staff member's photo, when the hall has one (users.photo_url)
    await dbh.db.query(`UPDATE users SET photo_url = '/photos/canbo1.jpg' WHERE username = 'canbo1'`);
    expect((await api<TabletState>(hub, 'GET', '/ratings/tablet', tablet(1))).body.staff?.photoUrl).toBe('/photos/canbo1.jpg');
    await dbh.db.query(`UPDATE users SET photo_url = NULL WHERE username = 'canbo1'`);
  });

  it('records one rating per ticket: 201, then 409 for a second one', async () => {
    const t = await serve(1);
    const first = await api<Rating>(hub, 'POST', '/ratings', tablet(1), { ticketId: t.id, level: 4, reasons: ['attitude', 'clear_guidance'], comment: '  Cán bộ rất nhiệt tình  ' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ticketId: t.id, number: t.number, level: 4, reasons: ['attitude', 'clear_guidance'], comment: 'Cán bộ rất nhiệt tình' });
    const again = await api<{ error: { code: string } }>(hub, 'POST', '/ratings', tablet(1), { ticketId: t.id, level: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_rated');
    expect(await ratingsOf(t.id)).toBe(1);
    const stored = await dbh.db.query('SELECT level, staff_id, counter_id FROM ratings WHERE ticket_id = $1', [t.id]);
    expect(stored.rows[0]).toMatchObject({ level: 4, counter_id: counterId(1) });
  });

  it('delivers an offline rating exactly once: the same clientId twice gives one row and the same answer', async () => {
    const t = await serve(1);
    const body = { ticketId: t.id, level: 3, reasons: ['waiting_time'], clientId: 'tab1-0f1e2d3c4b5a', delaySeconds: 90 };
    // the first answer is lost on the way back; the tablet sends the same rating again, twice at once
    const [a, b] = await Promise.all([api<Rating>(hub, 'POST', '/ratings', tablet(1), body), api<Rating>(hub, 'POST', '/ratings', tablet(1), body)]);
    const c = await api<Rating>(hub, 'POST', '/ratings', tablet(1), body);
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    expect(await ratingsOf(t.id)).toBe(1);
    expect(a.body.clientId).toBe('tab1-0f1e2d3c4b5a');

    // the same id for another ticket is a client bug: 409, nothing stored
    const other = await serve(1);
    const reused = await api<{ error: { code: string } }>(hub, 'POST', '/ratings', tablet(1), { ...body, ticketId: other.id });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('client_id_reused');
    expect(await ratingsOf(other.id)).toBe(0);
  });

  it('refuses another counter’s tablet (403), staff and other devices (403), and no token (401)', async () => {
    const t = await serve(1);
    const wrongTablet = await api<{ error: { code: string } }>(hub, 'POST', '/ratings', tablet(2), { ticketId: t.id, level: 4 });
    expect(wrongTablet.status).toBe(403);
    expect((await api(hub, 'POST', '/ratings', await staffOf(1), { ticketId: t.id, level: 4 })).status).toBe(403);
    expect((await api(hub, 'POST', '/ratings', await login(hub, 'quanly'), { ticketId: t.id, level: 4 })).status).toBe(403);
    expect((await api(hub, 'POST', '/ratings', demo.kioskToken, { ticketId: t.id, level: 4 })).status).toBe(403);
    expect((await api(hub, 'POST', '/ratings', null, { ticketId: t.id, level: 4 })).status).toBe(401);
    expect((await api(hub, 'GET', '/ratings/tablet', await staffOf(1))).status).toBe(403);
    expect(await ratingsOf(t.id)).toBe(0);
    // the right tablet still can
    expect((await api(hub, 'POST', '/ratings', tablet(1), { ticketId: t.id, level: 2 })).status).toBe(201);
  });

  it('refuses a ticket not served yet (409) and an unknown one (404)', async () => {
    const t = await serve(1, 'none');
    const r = await api<{ error: { code: string } }>(hub, 'POST', '/ratings', tablet(1), { ticketId: t.id, level: 4 });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('not_served');
    await api(hub, 'POST', `/counters/${counterId(1)}/done`, await staffOf(1));
    expect((await api(hub, 'POST', '/ratings', tablet(1), { ticketId: 2_000_000, level: 4 })).status).toBe(404);
  });

  it('closes the rating window the hall sets (default 30 minutes), counted when the citizen rated', async () => {
    const late = await serve(1);
    await dbh.db.query(`UPDATE tickets SET finished_at = now() - interval '31 minutes' WHERE id = $1`, [late.id]);
    const r = await api<{ error: { code: string } }>(hub, 'POST', '/ratings', tablet(1), { ticketId: late.id, level: 4 });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('rating_window_closed');

    // rated on time while the tablet was offline, delivered 40 minutes after the ticket was served
    const held = await serve(1);
    await dbh.db.query(`UPDATE tickets SET finished_at = now() - interval '40 minutes' WHERE id = $1`, [held.id]);
    const delivered = await api<Rating>(hub, 'POST', '/ratings', tablet(1), { ticketId: held.id, level: 3, clientId: 'offline-held-0001', delaySeconds: 38 * 60 });
    expect(delivered.status).toBe(201);
    expect(Date.now() - Date.parse(delivered.body.ratedAt)).toBeGreaterThanOrEqual(38 * 60_000);

    // a hall with a 60-minute window accepts the late one
    await dbh.db.query(`UPDATE halls SET settings = settings || '{"ratingWindowMinutes": 60}' WHERE id = $1`, [demo.hallId]);
    try {
      expect((await api(hub, 'POST', '/ratings', tablet(1), { ticketId: late.id, level: 4 })).status).toBe(201);
    } finally {
      await dbh.db.query(`UPDATE halls SET settings = settings - 'ratingWindowMinutes' WHERE id = $1`, [demo.hallId]);
    }
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const t = await serve(1);
    const bad: unknown[] = [
      { ticketId: t.id, level: 5 },
      { ticketId: t.id, level: 0 },
      { ticketId: t.id, level: 3.5 },
      { ticketId: t.id, level: 4, reasons: ['bribe'] },
      { ticketId: t.id, level: 4, reasons: ['attitude', 'attitude'] },
      { ticketId: t.id, level: 4, comment: 'x'.repeat(1001) },
      { ticketId: t.id, level: 4, clientId: 'short' },
      { ticketId: t.id, level: 4, clientId: 'has spaces in it' },
      { ticketId: t.id, level: 4, staffId: 1 },
      { ticketId: 'abc', level: 4 },
      { level: 4 },
    ];
    for (const body of bad) {
      const r = await api<{ error: { code: string } }>(hub, 'POST', '/ratings', tablet(1), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('bad_request');
    }
    expect(await ratingsOf(t.id)).toBe(0);
  });

  it('keeps the daily rollup exact: served tickets and ratings of the day', async () => {
    const { rows } = await dbh.db.query<{ served: number; rated: number }>(
      `SELECT sum(served)::int AS served, sum(rated)::int AS rated FROM satisfaction_daily WHERE hall_id = $1`,
      [demo.hallId],
    );
    const truth = await dbh.db.query<{ served: number; rated: number }>(
      `SELECT (SELECT count(*)::int FROM tickets WHERE status = 'done') AS served, (SELECT count(*)::int FROM ratings) AS rated`,
    );
    expect(rows[0]).toEqual(truth.rows[0]);
    expect(truth.rows[0]!.rated).toBeGreaterThan(0);
    const monthly = await dbh.db.query<{ served: number; rated: number }>(
      `SELECT sum(served)::int AS served, sum(rated)::int AS rated FROM satisfaction_monthly WHERE hall_id = $1`,
      [demo.hallId],
    );
    expect(monthly.rows[0]).toEqual(truth.rows[0]);
  });
});
