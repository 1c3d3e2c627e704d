import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Rankings } from '../../protocol/index.js';

/**
 * Rankings over a known set of served and rated tickets. Day D (the hall's day when the data is made)
 * and D-1 are explicit in every query, so the test does not depend on when it runs.
 */
describe('published rankings', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let day: string;
  let yesterday: string;
  const staff = new Map<string, { id: number; counterId: number; serviceId: number; departmentId: number }>();
  let seq = 500;

  /** Served tickets of a staff member at their counter on a day, the first `levels.length` of them rated. */
  async function history(username: string, d: string, served: number, levels: number[]) {
    const s = staff.get(username)!;
    for (let i = 0; i < served; i++) {
      seq += 1;
      const { rows } = await dbh.db.query<{ id: number }>(
        `INSERT INTO tickets (hall_id, service_id, day, seq, number, status, issued_at, called_at, serving_at, finished_at, counter_id, staff_id)
         VALUES ($1, $2, $3, $4, $5, 'done', now(), now(), now(), now(), $6, $7) RETURNING id`,
        [demo.hallId, s.serviceId, d, seq, `R${seq}`, s.counterId, s.id],
      );
      const level = levels[i];
      if (level !== undefined) {
        await dbh.db.query(
          `INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, level) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [demo.hallId, rows[0]!.id, d, s.counterId, s.id, s.serviceId, level],
        );
      }
    }
  }

  const repeat = (level: number, n: number) => Array.from({ length: n }, () => level);

  const seeded = useSeededHub();
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    const days = await dbh.db.query<{ d: string; y: string }>(
      `SELECT to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS d, to_char((now() AT TIME ZONE timezone)::date - 1, 'YYYY-MM-DD') AS y FROM halls WHERE id = $1`,
      [demo.hallId],
    );
    day = days.rows[0]!.d;
    yesterday = days.rows[0]!.y;
    const { rows } = await dbh.db.query<{ username: string; id: number; counter_id: number; service_id: number; department_id: number }>(
      `SELECT u.username, u.id, c.id AS counter_id, min(cs.service_id) AS service_id,
              (SELECT department_id FROM services WHERE id = min(cs.service_id)) AS department_id
         FROM users u JOIN counters c ON c.number = substring(u.username FROM 6)::int AND c.hall_id = u.hall_id
         JOIN counter_services cs ON cs.counter_id = c.id
        WHERE u.username LIKE 'canbo%' GROUP BY u.username, u.id, c.id`,
    );
    for (const r of rows) staff.set(r.username, { id: r.id, counterId: r.counter_id, serviceId: r.service_id, departmentId: r.department_id });

    await history('canbo1', day, 20, [...repeat(4, 8), ...repeat(3, 2)]); // 10 ratings, mean 3.8
    await history('canbo2', day, 6, repeat(4, 6)); // 6 ratings, all 4
    await history('canbo3', day, 12, [...repeat(3, 6), ...repeat(2, 6)]); // 12 ratings, mean 2.5
    await history('canbo4', day, 5, repeat(4, 2)); // 2 ratings: too few to rank
    await history('canbo5', day, 3, []); // served, never rated
    await history('canbo6', yesterday, 10, repeat(1, 10)); // yesterday only
  });

  const get = (q: string, token: string | null = null) => api<Rankings>(hub, 'GET', `/rankings?${q}`, token);

  it('ranks staff by Bayesian average (prior: the period mean, m = 10), minimum 5 ratings, public', async () => {
    const r = await get(`by=staff&period=day&date=${day}`);
    expect(r.status).toBe(200);
    const C = (8 * 4 + 2 * 3 + 6 * 4 + 6 * 3 + 6 * 2 + 2 * 4) / 30;
    expect(r.body.prior).toEqual({ mean: Math.round(C * 10_000) / 10_000, weight: 10, source: 'period_mean' });
    expect(r.body.minRatings).toBe(5);
    expect(r.body).toMatchObject({ by: 'staff', period: 'day', from: day, to: day, hall: { code: 'DEMO', name: 'Trung tâm Phục vụ hành chính công xã Minh Hòa' } });
    const score = (sum: number, n: number) => Math.round(((10 * C + sum) / (10 + n)) * 10_000) / 10_000;
    expect(r.body.items.map((i) => [i.name, i.rank, i.ratings, i.score, i.served])).toEqual([
      ['Trần Văn Minh', 1, 6, score(24, 6), 6], // 6 × 4 beats 10 ratings of mean 3.8 once both are pulled towards C
      ['Nguyễn Thị Lan', 2, 10, score(38, 10), 20],
      ['Lê Thị Hồng', 3, 12, score(30, 12), 12],
      ['Phạm Quốc Huy', null, 2, score(8, 2), 5],
      ['Hoàng Thu Trang', null, 0, null, 3],
    ]);
    const lan = r.body.items[1]!;
    expect(lan).toMatchObject({ mean: 3.8, satisfiedShare: 1, ratedShare: 0.5, levels: { 1: 0, 2: 0, 3: 2, 4: 8 }, title: 'Công chức Tư pháp – Hộ tịch' });
    expect(r.body.totals).toMatchObject({ ratings: 30, served: 46 });
  });

  it('honours the minimum count and any range; yesterday pulls the prior down', async () => {
    const r = await get(`by=staff&from=${yesterday}&to=${day}&minRatings=2`);
    expect(r.status).toBe(200);
    expect(r.body.period).toBeNull();
    expect(r.body.prior.mean).toBe(2.75); // (100 + 10) / 40
    // with a lower prior, ten ratings of mean 3.8 now beat six of 4: (27.5 + 38) / 20 = 3.275 > (27.5 + 24) / 16 = 3.21875
    expect(r.body.items.filter((i) => i.rank !== null).map((i) => [i.name, i.score])).toEqual([
      ['Nguyễn Thị Lan', 3.275],
      ['Trần Văn Minh', 3.2188],
      ['Phạm Quốc Huy', 2.9583],
      ['Lê Thị Hồng', 2.6136],
      ['Vũ Đức Anh', 1.875],
    ]);
    expect(r.body.items.at(-1)).toMatchObject({ name: 'Hoàng Thu Trang', rank: null });
  });

  it('ranks counters, departments and halls from the same figures', async () => {
    const counters = await get(`by=counter&period=day&date=${day}`);
    expect(counters.body.items.map((i) => [i.name, i.rank])).toEqual([
      ['Quầy 2 – Chứng thực', 1],
      ['Quầy 1 – Hộ tịch', 2],
      ['Quầy 3 – Đất đai', 3],
      ['Quầy 4 – Xây dựng', null],
      ['Quầy 5 – Kinh doanh, Văn hóa', null],
    ]);
    const departments = await get(`by=department&period=day&date=${day}`);
    expect(departments.body.items.map((i) => [i.name, i.rank, i.ratings])).toEqual([
      ['Phòng Tư pháp', 1, 16],
      ['Phòng Tài nguyên và Môi trường', 2, 12],
      ['Phòng Kinh tế – Hạ tầng', null, 2],
      ['Phòng Tài chính – Kế hoạch', null, 0],
    ]);
    const halls = await get(`by=hall&period=week&date=${day}`);
    expect(halls.body.items).toHaveLength(1);
    expect(halls.body.items[0]).toMatchObject({ name: 'Trung tâm Phục vụ hành chính công xã Minh Hòa', rank: 1 });
  });

  it('covers the week, month, quarter and year containing the day', async () => {
    for (const period of ['week', 'month', 'quarter', 'year']) {
      const r = await get(`by=staff&period=${period}&date=${day}`);
      expect(r.status).toBe(200);
      expect(r.body.from <= day && day <= r.body.to).toBe(true);
      expect(r.body.totals.ratings).toBeGreaterThanOrEqual(30);
    }
  });

  it('exports CSV with a UTF-8 BOM and Vietnamese headers', async () => {
    const res = await fetch(`${hub.url}/api/v1/rankings.csv?by=staff&period=day&date=${day}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain(`xep-hang-staff-${day}_${day}.csv`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes).split('\r\n');
    expect(lines[0]).toContain('Hạng,Cán bộ,Chức danh,Số lượt đánh giá');
    expect(lines[0]).toContain('Rất hài lòng,Hài lòng,Bình thường,Không hài lòng');
    expect(lines[1]).toMatch(/^1,Trần Văn Minh,Công chức Tư pháp,6,/);
    expect(lines[4]).toMatch(/^Chưa xếp hạng,Phạm Quốc Huy,/);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await api<{ paths: Record<string, unknown> }>(hub, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    for (const p of ['/api/v1/rankings', '/api/v1/rankings.csv', '/api/v1/ratings', '/api/v1/ratings/tablet', '/api/v1/board', '/api/v1/board/sla/{id}', '/api/v1/reports', '/api/v1/reports.csv']) {
      expect(Object.keys(doc.body.paths), p).toContain(p);
    }
  });

  it('answers bad queries with 400 and an unknown hall with 404', async () => {
    for (const q of ['by=nobody', 'period=decade', 'from=2025-01-01', `from=${day}&to=${yesterday}`, 'from=2025-02-30&to=2025-03-01', `period=day&from=${day}&to=${day}`, 'minRatings=0', 'extra=1']) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
    }
    expect((await get('hall=NOWHERE')).status).toBe(404);
    expect((await get(`hall=DEMO&period=day&date=${day}`)).body.totals.ratings).toBe(30);
  });
});
