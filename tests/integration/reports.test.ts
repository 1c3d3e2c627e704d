import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Report } from '../../protocol/index.js';

const D1 = '2024-05-06';
const D2 = '2024-05-07';
const at = (day: string, hhmm: string, plusSeconds = 0) => new Date(Date.parse(`${day}T${hhmm}:00+07:00`) + plusSeconds * 1000);

describe('reports per service, counter and staff member', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let manager: string;
  const svc = new Map<string, number>();
  const ctr = new Map<number, number>();
  const usr = new Map<string, number>();
  let seq = 100;

  async function ticket(t: { day: string; service: string; status: string; wait: number; serviceTime?: number; counter: number | null; staff: string | null; from?: number }) {
    seq += 1;
    const issued = at(t.day, '08:00', seq * 60);
    const called = t.counter ? new Date(issued.getTime() + t.wait * 1000) : null;
    const finished = called && t.serviceTime !== undefined ? new Date(called.getTime() + t.serviceTime * 1000) : called && t.status !== 'waiting' ? called : null;
    const { rows } = await dbh.db.query<{ id: number }>(
      `INSERT INTO tickets (hall_id, service_id, day, seq, number, status, issued_at, queued_at, called_at, serving_at, finished_at, counter_id, staff_id, transferred_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $8, $9, $10, $11, $12) RETURNING id`,
      [demo.hallId, svc.get(t.service), t.day, seq, `N${seq}`, t.status, issued, called, finished, t.counter ? ctr.get(t.counter) : null, t.staff ? usr.get(t.staff) : null, t.from ?? null],
    );
    return rows[0]!.id;
  }
  async function rate(ticketId: number, level: number) {
    await dbh.db.query(
      `INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, level)
       SELECT hall_id, id, day, counter_id, staff_id, service_id, $2 FROM tickets WHERE id = $1`,
      [ticketId, level],
    );
  }

  const seeded = useSeededHub();
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    manager = await login(hub, 'quanly');
    for (const r of (await dbh.db.query<{ id: number; prefix: string }>('SELECT id, prefix FROM services')).rows) svc.set(r.prefix, r.id);
    for (const r of (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters')).rows) ctr.set(r.number, r.id);
    for (const r of (await dbh.db.query<{ id: number; username: string }>('SELECT id, username FROM users')).rows) usr.set(r.username, r.id);

    // Hộ tịch (A) at counter 1 by canbo1: waits 60, 120, 300 s served in 200, 400, 600 s on D1; a no-show after 600 s on D2.
    const a1 = await ticket({ day: D1, service: 'A', status: 'done', wait: 60, serviceTime: 200, counter: 1, staff: 'canbo1' });
    const a2 = await ticket({ day: D1, service: 'A', status: 'done', wait: 120, serviceTime: 400, counter: 1, staff: 'canbo1' });
    await ticket({ day: D1, service: 'A', status: 'done', wait: 300, serviceTime: 600, counter: 1, staff: 'canbo1' });
    await ticket({ day: D2, service: 'A', status: 'no_show', wait: 600, counter: 1, staff: 'canbo1' });
    // Chứng thực (B) at counter 2 by canbo2: waits 30 and 90 s served in 100 and 300 s; one waited 45 s and was transferred to Đất đai (C).
    const b1 = await ticket({ day: D1, service: 'B', status: 'done', wait: 30, serviceTime: 100, counter: 2, staff: 'canbo2' });
    await ticket({ day: D1, service: 'B', status: 'done', wait: 90, serviceTime: 300, counter: 2, staff: 'canbo2' });
    const moved = await ticket({ day: D1, service: 'B', status: 'transferred', wait: 45, counter: 2, staff: 'canbo2' });
    await ticket({ day: D1, service: 'C', status: 'waiting', wait: 0, counter: null, staff: null, from: moved });
    await rate(a1, 4);
    await rate(a2, 3);
    await rate(b1, 1);
  });

  const report = (q: string, token: string | null = manager) => api<Report>(hub, 'GET', `/reports?${q}`, token);

  it('by service: issued, served, no-show, wait and service time (mean, median, p90), satisfaction', async () => {
    const r = await report(`by=service&from=${D1}&to=${D2}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ by: 'service', from: D1, to: D2 });
    expect(r.body.items).toHaveLength(8);
    const a = r.body.items.find((i) => i.id === svc.get('A'))!;
    // waits 60, 120, 300, 600: median 210, p90 at 0.9 × 3 = 2.7 → 300 + 0.7 × 300; service 200, 400, 600: p90 at 1.8 → 400 + 0.8 × 200
    expect(a).toEqual({
      id: svc.get('A'),
      name: 'Tư pháp – Hộ tịch',
      issued: 4,
      called: 4,
      served: 3,
      noShow: 1,
      notServed: 0,
      transferred: 0,
      waitAvgSeconds: 270,
      waitMedianSeconds: 210,
      waitP90Seconds: 510,
      serviceAvgSeconds: 400,
      serviceMedianSeconds: 400,
      serviceP90Seconds: 560,
      ratings: 2,
      satisfactionMean: 3.5,
      satisfiedShare: 1,
      levels: { 1: 0, 2: 0, 3: 1, 4: 1 },
    });
    const b = r.body.items.find((i) => i.id === svc.get('B'))!;
    expect(b).toMatchObject({ issued: 3, called: 3, served: 2, transferred: 1, waitAvgSeconds: 55, waitMedianSeconds: 45, waitP90Seconds: 81, serviceAvgSeconds: 200, serviceP90Seconds: 280, ratings: 1, satisfactionMean: 1, satisfiedShare: 0 });
    // a transferred ticket keeps its number: it is not a new issue of Đất đai
    expect(r.body.items.find((i) => i.id === svc.get('C'))).toMatchObject({ issued: 0, called: 0, waitMedianSeconds: null, ratings: 0, satisfactionMean: null });
    // the whole hall: waits 30, 45, 60, 90, 120, 300, 600
    expect(r.body.total).toMatchObject({ issued: 7, called: 7, served: 5, noShow: 1, transferred: 1, waitAvgSeconds: 177.9, waitMedianSeconds: 90, waitP90Seconds: 420, ratings: 3 });
  });

  it('by counter and by staff member, over any range', async () => {
    const counters = await report(`by=counter&from=${D1}&to=${D1}`);
    const c1 = counters.body.items.find((i) => i.id === ctr.get(1))!;
    expect(c1).toMatchObject({ name: 'Quầy 1 – Hộ tịch', issued: null, called: 3, served: 3, noShow: 0, waitMedianSeconds: 120, waitP90Seconds: 264, ratings: 2 });
    expect(counters.body.items).toHaveLength(6);
    const staff = await report(`by=staff&from=${D1}&to=${D2}`);
    expect(staff.body.items.map((i) => [i.name, i.called, i.served, i.noShow, i.ratings])).toEqual([
      ['Nguyễn Thị Lan', 4, 3, 1, 2],
      ['Trần Văn Minh', 3, 2, 0, 1],
    ]);
    const day2 = await report(`by=staff&period=day&date=${D2}`);
    expect(day2.body.items).toEqual([expect.objectContaining({ name: 'Nguyễn Thị Lan', called: 1, served: 0, noShow: 1, waitMedianSeconds: 600, serviceMedianSeconds: null })]);
  });

  it('exports CSV with a BOM, Vietnamese headers and minutes', async () => {
    const res = await fetch(`${hub.url}/api/v1/reports.csv?by=service&from=${D1}&to=${D2}`, { headers: { authorization: `Bearer ${manager}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe(
      'Lĩnh vực / dịch vụ,Số phát ra,Số đã gọi,Đã phục vụ,Vắng mặt,Chưa phục vụ (hết ngày),Chuyển tiếp,Chờ TB (phút),Chờ trung vị (phút),Chờ P90 (phút),Phục vụ TB (phút),Phục vụ trung vị (phút),Phục vụ P90 (phút),Lượt đánh giá,Điểm hài lòng TB (1–4),Tỷ lệ hài lòng (%),Rất hài lòng,Hài lòng,Bình thường,Không hài lòng',
    );
    expect(lines[1]).toBe('Tư pháp – Hộ tịch,4,4,3,1,0,0,4.5,3.5,8.5,6.7,6.7,9.3,2,3.5,100,1,1,0,0');
    expect(lines.at(-2)).toMatch(/^Toàn trung tâm,7,7,5,1,0,1,/);
  });

  it('is for managers only, and answers bad queries with 400', async () => {
    expect((await report(`by=service&from=${D1}&to=${D2}`, await login(hub, 'canbo1'))).status).toBe(403);
    expect((await report(`by=service&from=${D1}&to=${D2}`, demo.tabletTokens[1])).status).toBe(403);
    expect((await report(`by=service&from=${D1}&to=${D2}`, demo.displayToken)).status).toBe(403);
    expect((await report(`by=service&from=${D1}&to=${D2}`, null)).status).toBe(401);
    expect((await fetch(`${hub.url}/api/v1/reports.csv?by=service`)).status).toBe(401);
    for (const q of ['by=department', `from=${D2}&to=${D1}`, `from=${D1}`, 'period=fortnight', 'from=2024-13-01&to=2024-13-02', `period=day&to=${D1}&from=${D1}`]) {
      expect((await report(q)).status, q).toBe(400);
    }
    expect((await report('')).body.by).toBe('service');
  });
});
