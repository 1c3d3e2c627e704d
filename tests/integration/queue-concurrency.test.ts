import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, seedHall, startTestHub, type ClientSocket, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { CallEvent, CounterActionReply, IssuedTicket } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

describe('many kiosks and counters on two hub instances sharing one database', () => {
  let dbh: Dbh;
  let hubs: TestHub[];
  let demo: DemoHall;
  let display: ClientSocket;
  const calls: CallEvent[] = [];

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hubs = [await startTestHub({ url: dbh.url }), await startTestHub({ url: dbh.url })];
    display = await connectSocket(hubs[0]!, demo.displayToken);
    display.on('call', (c) => calls.push(c));
  });
  afterAll(async () => {
    display?.close();
    for (const h of hubs ?? []) await h.close();
    await dbh?.drop();
  });

  it('numbers gap-free, calls every ticket exactly once, and fans calls out across processes', async () => {
    const staff = demo.staff.map((s, i) => ({ ...s, hub: hubs[i % 2]!, counterId: i + 1, token: '' }));
    for (const s of staff) {
      s.token = await login(s.hub, s.username);
      expect((await api(s.hub, 'POST', `/counters/${s.counterId}/open`, s.token)).status).toBe(200);
    }

    const kiosks = 12;
    const perKiosk = 25;
    const issued: IssuedTicket[] = [];
    let issuing = true;
    const kioskRuns = Array.from({ length: kiosks }, async (_, k) => {
      for (let i = 0; i < perKiosk; i++) {
        const hub = hubs[(k + i) % 2]!;
        const serviceId = 1 + ((k * 7 + i) % 8);
        const r = await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId, priority: (k + i) % 5 === 0 });
        expect(r.status).toBe(201);
        issued.push(r.body);
      }
    });
    const calledBy = new Map<number, number[]>();
    const counterRuns = staff.map(async (s) => {
      let idle = 0;
      for (let round = 0; round < 2000; round++) {
        const hub = hubs[round % 2]!;
        const r = await api<CounterActionReply>(hub, 'POST', `/counters/${s.counterId}/next`, s.token);
        if (r.status === 204) {
          if (!issuing && ++idle > 2) break;
          await new Promise((res) => setTimeout(res, 20));
          continue;
        }
        expect(r.status).toBe(200);
        idle = 0;
        const id = r.body.ticket!.id;
        calledBy.set(id, [...(calledBy.get(id) ?? []), s.counterId]);
      }
      await api(s.hub, 'POST', `/counters/${s.counterId}/done`, s.token);
    });
    await Promise.all(kioskRuns);
    issuing = false;
    await Promise.all(counterRuns);

    expect(issued).toHaveLength(kiosks * perKiosk);
    const { rows: perService } = await dbh.db.query<{ service_id: number; seqs: number[]; numbers: string[] }>(
      `SELECT service_id, array_agg(seq ORDER BY seq) AS seqs, array_agg(number ORDER BY seq) AS numbers FROM tickets GROUP BY service_id`,
    );
    for (const s of perService) {
      expect(s.seqs).toEqual(Array.from({ length: s.seqs.length }, (_, i) => i + 1));
      expect(new Set(s.numbers).size).toBe(s.numbers.length);
    }
    expect(new Set(issued.map((t) => t.id)).size).toBe(issued.length);

    // every ticket called once, by one counter, and served
    expect(calledBy.size).toBe(issued.length);
    for (const counters of calledBy.values()) expect(counters).toHaveLength(1);
    const { rows: status } = await dbh.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM tickets GROUP BY status`);
    expect(status).toEqual([{ status: 'done', n: issued.length }]);
    const { rows: dupCalls } = await dbh.db.query(`SELECT ticket_id FROM calls WHERE NOT recall GROUP BY ticket_id HAVING count(*) > 1`);
    expect(dupCalls).toEqual([]);

    // a ticket served through one process is rated once from the counter's tablet through the other
    const { rows: served } = await dbh.db.query<{ id: number; counter_number: number }>(
      `SELECT t.id, c.number AS counter_number FROM tickets t JOIN counters c ON c.id = t.counter_id WHERE t.status = 'done' ORDER BY t.id LIMIT 1`,
    );
    const tablet = demo.tabletTokens[served[0]!.counter_number]!;
    const first = await api(hubs[1]!, 'POST', '/ratings', tablet, { ticketId: served[0]!.id, level: 4 });
    expect(first.status).toBe(201);
    expect((await api(hubs[0]!, 'POST', '/ratings', tablet, { ticketId: served[0]!.id, level: 1 })).status).toBe(409);
    const { rows: ratings } = await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ratings WHERE ticket_id = $1', [served[0]!.id]);
    expect(ratings[0]!.n).toBe(1);

    // the display on hub A saw every call, including those made through hub B
    await expect.poll(() => calls.length, { timeout: 15_000 }).toBe(issued.length);
    expect(new Set(calls.map((c) => c.ticketId)).size).toBe(issued.length);
  });
});
