import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, type ClientSocket, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Ack, BoardSnapshot } from '../../protocol/index.js';
import { BoardService } from '../../server/board/board.service.js';

/** A past day in the hall's time zone (UTC+7): the scripted day never collides with the real today. */
const DAY = '2024-03-12';
/** `HH:MM` of DAY in Asia/Ho_Chi_Minh as an instant. */
const at = (hhmm: string, plusSeconds = 0) => new Date(Date.parse(`${DAY}T${hhmm}:00+07:00`) + plusSeconds * 1000);
const NOW = at('10:30');

describe('managers’ live board', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let manager: string;
  const sockets: ClientSocket[] = [];
  const ids = { service: new Map<string, number>(), counter: new Map<number, number>(), user: new Map<string, number>() };
  let seq = 100;

  async function ticket(t: {
    service: string;
    status: string;
    issued: Date;
    called?: Date;
    serving?: Date;
    finished?: Date;
    counter?: number;
    staff?: string;
  }): Promise<number> {
    seq += 1;
    const { rows } = await dbh.db.query<{ id: number }>(
      `INSERT INTO tickets (hall_id, service_id, day, seq, number, status, issued_at, queued_at, called_at, serving_at, finished_at, counter_id, staff_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        demo.hallId,
        ids.service.get(t.service),
        DAY,
        seq,
        `S${seq}`,
        t.status,
        t.issued,
        t.called ?? null,
        t.serving ?? null,
        t.finished ?? null,
        t.counter ? ids.counter.get(t.counter) : null,
        t.staff ? ids.user.get(t.staff) : null,
      ],
    );
    return rows[0]!.id;
  }

  const seeded = useSeededHub();
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    manager = await login(hub, 'quanly');
    for (const s of (await dbh.db.query<{ id: number; prefix: string }>('SELECT id, prefix FROM services')).rows) ids.service.set(s.prefix, s.id);
    for (const c of (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters')).rows) ids.counter.set(c.number, c.id);
    for (const u of (await dbh.db.query<{ id: number; username: string }>('SELECT id, username FROM users')).rows) ids.user.set(u.username, u.id);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
  });

  describe('figures of a scripted day', () => {
    let board: BoardSnapshot;
    beforeAll(async () => {
      // Tư pháp – Hộ tịch (A, SLA 20 min), served at counter 1: five done with waits 1, 2, 3, 4, 10 min
      // and service times 5, 6, 7, 8, 9 min; a no-show that waited 2 min; two waiting since 10:25 and 10:05.
      const waits = [60, 120, 180, 240, 600];
      const starts = ['08:00', '08:10', '08:20', '08:30', '08:40'];
      const done: number[] = [];
      for (let i = 0; i < 5; i++) {
        const called = at(starts[i]!, waits[i]!);
        done.push(
          await ticket({ service: 'A', status: 'done', issued: at(starts[i]!), called, serving: called, finished: new Date(called.getTime() + (300 + 60 * i) * 1000), counter: 1, staff: 'canbo1' }),
        );
      }
      await ticket({ service: 'A', status: 'no_show', issued: at('09:00'), called: at('09:02'), finished: at('09:05'), counter: 1, staff: 'canbo1' });
      await ticket({ service: 'A', status: 'waiting', issued: at('10:25') });
      await ticket({ service: 'A', status: 'waiting', issued: at('10:05') });
      // Đất đai (C): one at counter 3 since 10:10 (waited 10 min), one waiting since 10:20.
      await ticket({ service: 'C', status: 'serving', issued: at('10:00'), called: at('10:10'), serving: at('10:12'), counter: 3, staff: 'canbo3' });
      await ticket({ service: 'C', status: 'waiting', issued: at('10:20') });
      // Xây dựng (E): someone waits and counter 4 is closed.
      await ticket({ service: 'E', status: 'waiting', issued: at('10:28') });
      // Counter 1 open since 07:55 and idle since its last finish (09:05); counter 3 busy; the rest closed.
      await dbh.db.query(`UPDATE counters SET status = 'open', staff_id = $2, opened_at = $3 WHERE id = $1`, [ids.counter.get(1), ids.user.get('canbo1'), at('07:55')]);
      await dbh.db.query(`UPDATE counters SET status = 'open', staff_id = $2, opened_at = $3 WHERE id = $1`, [ids.counter.get(3), ids.user.get('canbo3'), at('08:00')]);
      // Two ratings of the day: 4 and 2.
      for (const [i, level] of [
        [0, 4],
        [1, 2],
      ] as const) {
        await dbh.db.query(
          `INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, level) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [demo.hallId, done[i], DAY, ids.counter.get(1), ids.user.get('canbo1'), ids.service.get('A'), level],
        );
      }
      // The kiosk is online with its printer out of paper.
      await dbh.db.query(
        `UPDATE devices SET online_until = now() + interval '1 hour', last_seen_at = now(),
            faults = '[{"code": "paper_out", "message": "Máy in hết giấy", "since": "2024-03-12T03:00:00.000Z"}]' WHERE kind = 'kiosk'`,
      );
      board = await new BoardService(dbh.db, (hallId) => hub.hub.devices.list(hallId)).snapshot(demo.hallId, NOW);
    });

    it('counts the day and computes waits: longest, mean, median and 90th percentile', () => {
      // waits of the called tickets: 60, 120, 120 (no-show), 180, 240, 600, 600 (Đất đai)
      expect(board.hall).toMatchObject({ day: DAY, name: 'Trung tâm Phục vụ hành chính công xã Minh Hòa' });
      expect(board.totals).toEqual({
        issued: 11,
        served: 5,
        noShow: 1,
        waiting: 4,
        inProgress: 1,
        longestWaitSeconds: 1500,
        avgWaitSeconds: Math.round((1920 / 7) * 10) / 10,
        medianWaitSeconds: 180,
        p90WaitSeconds: 600,
        avgServiceSeconds: 420,
      });
    });

    it('agrees with PostgreSQL’s percentile_cont over the same tickets', async () => {
      const { rows } = await dbh.db.query<{ median: number; p90: number; avg: number }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM called_at - issued_at)) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM called_at - issued_at)) AS p90,
                avg(extract(epoch FROM called_at - issued_at))::float8 AS avg
           FROM tickets WHERE hall_id = $1 AND day = $2 AND called_at IS NOT NULL`,
        [demo.hallId, DAY],
      );
      expect(board.totals.medianWaitSeconds).toBe(Math.round(rows[0]!.median * 10) / 10);
      expect(board.totals.p90WaitSeconds).toBe(Math.round(rows[0]!.p90 * 10) / 10);
      expect(board.totals.avgWaitSeconds).toBe(Math.round(rows[0]!.avg * 10) / 10);
    });

    it('gives each service its waiting, longest, average, median, p90 and service time', () => {
      const a = board.services.find((s) => s.prefix === 'A')!;
      // waits 60, 120, 120, 180, 240, 600: mean 220, median (120 + 180) / 2, p90 at 0.9 × 5 = 4.5 → 240 + 0.5 × 360
      expect(a).toMatchObject({
        name: 'Tư pháp – Hộ tịch',
        waiting: 2,
        oldestWaitingSince: at('10:05').toISOString(),
        longestWaitSeconds: 1500,
        avgWaitSeconds: 220,
        medianWaitSeconds: 150,
        p90WaitSeconds: 420,
        avgServiceSeconds: 420,
        issued: 8,
        served: 5,
        noShow: 1,
        openCounters: 1,
        maxWaitMinutes: 20,
        breached: true,
      });
      const c = board.services.find((s) => s.prefix === 'C')!;
      expect(c).toMatchObject({ waiting: 1, longestWaitSeconds: 600, avgWaitSeconds: 600, medianWaitSeconds: 600, p90WaitSeconds: 600, avgServiceSeconds: null, breached: false, openCounters: 1 });
      const quiet = board.services.find((s) => s.prefix === 'K')!;
      expect(quiet).toMatchObject({ waiting: 0, issued: 0, longestWaitSeconds: null, avgWaitSeconds: null, medianWaitSeconds: null });
    });

    it('shows each counter: status, staff, current ticket and how long it has been served', () => {
      const c1 = board.counters.find((c) => c.number === 1)!;
      expect(c1).toMatchObject({ status: 'open', staff: { name: 'Nguyễn Thị Lan' }, currentTicket: null, served: 5, idleSince: at('09:05').toISOString(), waitingForIt: 2 });
      const c3 = board.counters.find((c) => c.number === 3)!;
      expect(c3).toMatchObject({ status: 'open', staff: { name: 'Lê Thị Hồng' }, currentTicket: { status: 'serving', calledAt: at('10:10').toISOString() }, currentSeconds: 1200 });
      expect(board.counters.find((c) => c.number === 4)).toMatchObject({ status: 'closed', staff: null, currentTicket: null, waitingForIt: 1 });
    });

    it('raises the SLA, idle-counter, no-open-counter and device alerts', () => {
      const kinds = board.alerts.map((a) => [a.kind, a.serviceId ?? a.counterId ?? a.deviceId]);
      expect(kinds).toContainEqual(['sla_breach', ids.service.get('A')]);
      expect(kinds).toContainEqual(['no_open_counter', ids.service.get('E')]);
      expect(kinds).toContainEqual(['idle_counter', ids.counter.get(1)]);
      expect(board.alerts.find((a) => a.kind === 'sla_breach')!.message).toBe('Tư pháp – Hộ tịch: có người đã chờ 25 phút, vượt mục tiêu 20 phút');
      expect(board.alerts.find((a) => a.kind === 'idle_counter')!.message).toBe('Quầy 1 rảnh 85 phút trong khi 2 người đang chờ');
      expect(board.alerts.find((a) => a.kind === 'device_fault')).toMatchObject({ severity: 'critical', message: 'Máy lấy số "Máy lấy số sảnh chính": Máy in hết giấy' });
      // the demo's six tablets, its display and its lookup kiosk never connected in this test
      expect(board.alerts.filter((a) => a.kind === 'device_offline')).toHaveLength(8);
      expect(board.alerts.map((a) => a.severity).indexOf('warning')).toBeGreaterThan(board.alerts.map((a) => a.severity).lastIndexOf('critical'));
      // no SLA alert for a service within its target
      expect(kinds).not.toContainEqual(['sla_breach', ids.service.get('C')]);
    });

    it("has today's satisfaction and the waits across the day", () => {
      expect(board.satisfaction).toEqual({ ratings: 2, mean: 3, satisfiedShare: 0.5, ratedShare: 0.4, levels: { 1: 0, 2: 1, 3: 0, 4: 1 } });
      // 15-minute buckets from 08:00 to 10:30
      expect(board.chart.bucketMinutes).toBe(15);
      expect(board.chart.t.map((t) => new Date(t * 1000).toISOString())).toEqual(
        Array.from({ length: 11 }, (_, i) => at('08:00', i * 900).toISOString()),
      );
      // 08:00–08:15: calls after 1 and 2 minutes; nobody left waiting at 08:15
      expect(board.chart.avgWaitMinutes[0]).toBe(1.5);
      expect(board.chart.maxWaitMinutes[0]).toBe(2);
      expect(board.chart.waiting[0]).toBe(0);
      // 10:30 bucket end: the four waiting now
      expect(board.chart.waiting.at(-1)).toBe(4);
      expect(board.chart.avgWaitMinutes[8]).toBe(10); // 10:00–10:15: the Đất đai ticket called at 10:10
    });
  });

  it('GET /board: managers, admins and display devices; not staff, tablets or strangers', async () => {
    const r = await api<BoardSnapshot>(hub, 'GET', '/board', manager);
    expect(r.status).toBe(200);
    expect(r.body.counters).toHaveLength(6);
    expect(r.body.services).toHaveLength(8);
    expect((await api(hub, 'GET', '/board', demo.displayToken)).status).toBe(200);
    expect((await api(hub, 'GET', '/board', await login(hub, 'canbo2'))).status).toBe(403);
    expect((await api(hub, 'GET', '/board', demo.tabletTokens[1])).status).toBe(403);
    expect((await api(hub, 'GET', '/board', demo.kioskToken)).status).toBe(403);
    expect((await api(hub, 'GET', '/board')).status).toBe(401);
  });

  it('pushes board:update to managers after changes, and to display devices that subscribe', async () => {
    const managerSocket = await connectSocket(hub, manager);
    const display = await connectSocket(hub, demo.displayToken);
    const staff = await connectSocket(hub, await login(hub, 'canbo5'));
    sockets.push(managerSocket, display, staff);
    const staffGot: unknown[] = [];
    staff.on('board:update', (b) => staffGot.push(b));

    const subscribed = await new Promise<Parameters<Ack<BoardSnapshot>>[0]>((resolve) => display.emit('board:subscribe', resolve));
    expect(subscribed.ok).toBe(true);
    const before = subscribed.ok ? subscribed.data!.totals.issued : -1;
    const refused = await new Promise<Parameters<Ack<BoardSnapshot>>[0]>((resolve) => staff.emit('board:subscribe', resolve));
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const serviceId = ids.service.get('K')!;
    const toManager = nextEvent(managerSocket, 'board:update', (b) => b.totals.issued >= before + 5);
    const toDisplay = nextEvent(display, 'board:update', (b) => b.totals.issued >= before + 5);
    for (let i = 0; i < 5; i++) expect((await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId })).status).toBe(201);
    const m = await toManager;
    const d = await toDisplay;
    expect(m.services.find((s) => s.id === serviceId)!.waiting).toBe(5);
    expect(d.totals.issued).toBe(before + 5);

    // a rating shows up in today's satisfaction
    const staff5 = await login(hub, 'canbo5');
    const c5 = ids.counter.get(5)!;
    expect((await api(hub, 'POST', `/counters/${c5}/open`, staff5)).status).toBe(200);
    expect((await api(hub, 'POST', `/counters/${c5}/next`, staff5)).status).toBe(200);
    const done = await api<{ ticket: { id: number } }>(hub, 'POST', `/counters/${c5}/done`, staff5);
    const rated = nextEvent(managerSocket, 'board:update', (b) => b.satisfaction.ratings === 1);
    expect((await api(hub, 'POST', '/ratings', demo.tabletTokens[5], { ticketId: done.body.ticket.id, level: 4 })).status).toBe(201);
    expect((await rated).satisfaction).toMatchObject({ ratings: 1, mean: 4, satisfiedShare: 1 });
    expect(staffGot).toEqual([]);
  });

  it('raises a device fault on the live board when a device reports it', async () => {
    const managerSocket = await connectSocket(hub, manager);
    const kiosk = await connectSocket(hub, demo.kioskToken);
    sockets.push(managerSocket, kiosk);
    const alerted = nextEvent(managerSocket, 'board:update', (b) => b.alerts.some((a) => a.kind === 'device_fault' && a.message.includes('Máy in hết giấy')), 25_000);
    const ack = await new Promise<unknown>((resolve) => kiosk.emit('device:heartbeat', { faults: [{ code: 'printer_paper_out', message: 'Máy in hết giấy' }] }, resolve));
    expect(ack).toMatchObject({ ok: true });
    const b = await alerted;
    const kioskId = b.devices.find((d) => d.kind === 'kiosk')!.id;
    expect(b.devices.find((d) => d.id === kioskId)).toMatchObject({ online: true, faults: [expect.objectContaining({ code: 'printer_paper_out' })] });
    expect(b.alerts.find((a) => a.kind === 'device_fault')).toMatchObject({ severity: 'critical', deviceId: kioskId });
  });

  it('sets SLA targets (admin only) and validates them', async () => {
    const serviceId = ids.service.get('B')!;
    expect((await api(hub, 'PUT', `/board/sla/${serviceId}`, manager, { maxWaitMinutes: 12 })).status).toBe(403);
    await hub.hub.auth.createUser(demo.hallId, { username: 'quantri', password: 'quantri-123', name: 'Quản trị', role: 'admin' });
    const adminToken = await login(hub, 'quantri', 'quantri-123');
    expect((await api(hub, 'PUT', `/board/sla/${serviceId}`, adminToken, { maxWaitMinutes: 12 })).status).toBe(204);
    expect((await api<BoardSnapshot>(hub, 'GET', '/board', adminToken)).body.services.find((s) => s.id === serviceId)!.maxWaitMinutes).toBe(12);
    for (const body of [{ maxWaitMinutes: -1 }, { maxWaitMinutes: 2000 }, { maxWaitMinutes: 'ten' }, { maxWaitMinutes: 2.5 }, {}, { maxWaitMinutes: 5, extra: 1 }]) {
      expect((await api(hub, 'PUT', `/board/sla/${serviceId}`, adminToken, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(hub, 'PUT', '/board/sla/999999', adminToken, { maxWaitMinutes: 5 })).status).toBe(404);
    expect((await api<BoardSnapshot>(hub, 'GET', '/board', adminToken)).body.services.find((s) => s.id === serviceId)!.maxWaitMinutes).toBe(12);
    expect((await api(hub, 'PUT', `/board/sla/${serviceId}`, adminToken, { maxWaitMinutes: 0 })).status).toBe(204);
    expect((await api<BoardSnapshot>(hub, 'GET', '/board', adminToken)).body.services.find((s) => s.id === serviceId)!.maxWaitMinutes).toBeNull();
    expect((await api(hub, 'PUT', `/board/sla/${serviceId}`, adminToken, { maxWaitMinutes: 15 })).status).toBe(204);
    expect((await api(hub, 'DELETE', `/board/sla/${serviceId}`, manager)).status).toBe(403);
    expect((await api(hub, 'DELETE', '/board/sla/999999', adminToken)).status).toBe(404);
    expect((await api<BoardSnapshot>(hub, 'GET', '/board', adminToken)).body.services.find((s) => s.id === serviceId)!.maxWaitMinutes).toBe(15);
    expect((await api(hub, 'DELETE', `/board/sla/${serviceId}`, adminToken)).status).toBe(204);
    expect((await api<BoardSnapshot>(hub, 'GET', '/board', adminToken)).body.services.find((s) => s.id === serviceId)!.maxWaitMinutes).toBeNull();
  });
});
