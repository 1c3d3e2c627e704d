import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { DayEndService } from '../../server/queue/day-end.service.js';
import type { BoardSnapshot, Counter, CounterActionReply, CounterQueue, IssuedTicket, Report, Ticket } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

describe('the day ends', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let staff1: string;
  let staff2: string;
  let manager: string;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    staff1 = await login(hub, 'canbo1');
    staff2 = await login(hub, 'canbo2');
    manager = await login(hub, 'quanly');
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  /** An instant relative to the end of the hall's today (its midnight in Asia/Ho_Chi_Minh), seconds. */
  const aroundMidnight = async (seconds: number) =>
    (
      await dbh.db.query<{ at: Date }>(
        `SELECT (((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') + make_interval(secs => $1) AS at`,
        [seconds],
      )
    ).rows[0]!.at;
  const status = async (id: number) => (await api<Ticket>(hub, 'GET', `/tickets/${id}`)).body.status;

  it('closes the tickets still waiting or called as not served at the hall day change, and no queue or screen shows them', async () => {
    const issued: IssuedTicket[] = [];
    for (let i = 0; i < 3; i++) issued.push((await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 })).body);
    await api(hub, 'POST', '/counters/1/open', staff1);
    const called = (await api<CounterActionReply>(hub, 'POST', '/counters/1/next', staff1)).body.ticket!;
    expect(called.id).toBe(issued[0]!.id);
    await api(hub, 'POST', '/counters/2/open', staff2);
    const serving = (await api<CounterActionReply>(hub, 'POST', '/counters/2/next', staff2)).body.ticket!;
    await api(hub, 'POST', '/counters/2/serve', staff2);

    const service = (at: Date) => new DayEndService(hub.hub.db, hub.hub.bus, hub.hub.queue, hub.hub.log, () => at);
    // one minute before the hall's midnight: the day is not over
    expect(await service(await aroundMidnight(-60)).run()).toBe(0);
    expect(await status(issued[2]!.id)).toBe('waiting');

    const console1 = await connectSocket(hub, staff1);
    const cleared = nextEvent(console1, 'counter:update', (c) => c.id === 1 && c.currentTicket === null);
    // 30 s after it: the next morning
    expect(await service(await aroundMidnight(30)).run()).toBe(3);
    expect(await status(called.id)).toBe('not_served');
    expect(await status(issued[2]!.id)).toBe('not_served');
    expect(await status(serving.id)).toBe('done');
    const { rows } = await dbh.db.query<{ finished_at: Date }>('SELECT finished_at FROM tickets WHERE id = $1', [issued[2]!.id]);
    expect(rows[0]!.finished_at.toISOString()).toBe((await aroundMidnight(0)).toISOString());
    // the console hears its counter is free
    await cleared;
    console1.close();

    // nothing of it is shown any more: counters, their queues, the board
    const counter1 = await api<Counter>(hub, 'GET', '/counters', staff1);
    expect((counter1.body as unknown as Counter[]).find((c) => c.id === 1)?.currentTicket).toBeNull();
    expect((await api<CounterQueue>(hub, 'GET', '/counters/1/queue', staff1)).body).toMatchObject({ total: 0, waiting: [] });
    const board = await api<BoardSnapshot>(hub, 'GET', '/board', manager);
    expect(board.body.totals).toMatchObject({ waiting: 0, inProgress: 0 });
    // the next "next" calls nobody rather than finishing yesterday's citizen
    expect((await api(hub, 'POST', '/counters/1/next', staff1)).status).toBe(204);
    expect(await status(called.id)).toBe('not_served');

    // counted in the reports of that day
    const day = (await dbh.db.query<{ day: string }>('SELECT day FROM tickets WHERE id = $1', [called.id])).rows[0]!.day;
    const report = await api<Report>(hub, 'GET', `/reports?by=service&from=${day}&to=${day}`, manager);
    expect(report.body.total).toMatchObject({ notServed: 2, served: 1 });
    expect(report.body.items.find((i) => i.id === 1)).toMatchObject({ notServed: 2 });

    // running again changes nothing
    expect(await service(await aroundMidnight(120)).run()).toBe(0);
  });

  it('forgets the idempotency keys of days that are over', async () => {
    await dbh.db.query(`INSERT INTO idempotency_keys (hall_id, day, key, request_hash) VALUES ($1, current_date - 2, gen_random_uuid(), 'x')`, [demo.hallId]);
    await new DayEndService(hub.hub.db, hub.hub.bus, hub.hub.queue, hub.hub.log).run();
    expect((await dbh.db.query(`SELECT 1 FROM idempotency_keys WHERE day < current_date - 1`)).rowCount).toBe(0);
  });
});
