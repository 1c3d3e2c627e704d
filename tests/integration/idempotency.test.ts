import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { CounterActionReply, IssuedTicket } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

describe('Idempotency-Key on POST /tickets and the counter actions', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let staff1: string;
  let staff2: string;

  async function post<T>(path: string, token: string, body: unknown, key?: string) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const res = await fetch(`${hub.url}/api/v1${path}`, { method: 'POST', headers, body: body === undefined ? null : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, replay: res.headers.get('idempotent-replay'), body: (text ? JSON.parse(text) : null) as T };
  }
  const count = async (sql: string, params: unknown[] = []) => (await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    staff1 = await login(hub, 'canbo1');
    staff2 = await login(hub, 'canbo2');
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('gives the same ticket for the same key, and never a second one', async () => {
    const key = randomUUID();
    const first = await post<IssuedTicket>('/tickets', demo.kioskToken, { serviceId: 1 }, key);
    expect(first.status).toBe(201);
    expect(first.replay).toBeNull();
    const again = await post<IssuedTicket>('/tickets', demo.kioskToken, { serviceId: 1 }, key);
    expect(again.status).toBe(201);
    expect(again.replay).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count('tickets')).toBe(1);
    // without a key every request is its own
    expect((await post<IssuedTicket>('/tickets', demo.kioskToken, { serviceId: 1 })).body.number).toBe('A002');
  });

  it('gives one ticket to many concurrent retries of one key', async () => {
    const key = randomUUID();
    const before = await count('tickets');
    const replies = await Promise.all(Array.from({ length: 8 }, () => post<IssuedTicket>('/tickets', demo.kioskToken, { serviceId: 2 }, key)));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await count('tickets')).toBe(before + 1);
  });

  it('refuses a key reused with another body or by another caller (409), and a key that is not a UUID (400)', async () => {
    const key = randomUUID();
    expect((await post('/tickets', demo.kioskToken, { serviceId: 1 }, key)).status).toBe(201);
    const before = await count('tickets');
    const other = await post<{ error: { code: string; message: string } }>('/tickets', demo.kioskToken, { serviceId: 2 }, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(other.body.error.message).toMatch(/đã dùng cho một yêu cầu khác/);
    expect((await post('/tickets', staff1, { serviceId: 1 }, key)).status).toBe(409);
    const bad = await post<{ error: { code: string } }>('/tickets', demo.kioskToken, { serviceId: 1 }, 'not-a-uuid');
    expect(bad.status).toBe(400);
    expect(await count('tickets')).toBe(before);
  });

  it('answers a retried "next" with the citizen it called, instead of finishing them and calling another', async () => {
    await post('/counters/1/open', staff1, undefined, randomUUID());
    const key = randomUUID();
    const first = await post<CounterActionReply>('/counters/1/next', staff1, undefined, key);
    expect(first.status).toBe(200);
    const called = first.body.ticket!;
    const retry = await post<CounterActionReply>('/counters/1/next', staff1, undefined, key);
    expect(retry.status).toBe(200);
    expect(retry.body.ticket!.id).toBe(called.id);
    expect((await dbh.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [called.id])).rows[0]!.status).toBe('called');
    expect(await count('calls')).toBe(1);
    // another member of staff with the same key at their own counter: 409
    await post('/counters/2/open', staff2, undefined, randomUUID());
    expect((await post('/counters/2/next', staff2, undefined, key)).status).toBe(409);
  });

  it('rebuilds the reply of a change that committed but whose reply was never recorded', async () => {
    const key = randomUUID();
    const first = await post<IssuedTicket>('/tickets', demo.kioskToken, { serviceId: 3 }, key);
    await expect.poll(async () => count('idempotency_keys WHERE key = $1 AND reply IS NOT NULL', [key])).toBe(1);
    // as if the hub had committed, then lost the reply (timeout on COMMIT, crash before it answered)
    await dbh.db.query('UPDATE idempotency_keys SET reply = NULL, reply_status = NULL WHERE key = $1', [key]);
    const again = await post<IssuedTicket>('/tickets', demo.kioskToken, { serviceId: 3 }, key);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, number: first.body.number, status: 'waiting' });

    const nextKey = randomUUID();
    const done = await post<CounterActionReply>('/counters/1/done', staff1, undefined, nextKey);
    expect(done.status).toBe(200);
    await expect.poll(async () => count('idempotency_keys WHERE key = $1 AND reply IS NOT NULL', [nextKey])).toBe(1);
    await dbh.db.query('UPDATE idempotency_keys SET reply = NULL, reply_status = NULL WHERE key = $1', [nextKey]);
    const doneAgain = await post<CounterActionReply>('/counters/1/done', staff1, undefined, nextKey);
    expect(doneAgain.status).toBe(200);
    expect(doneAgain.body.ticket).toMatchObject({ id: done.body.ticket!.id, status: 'done' });
  });

  it('records no key for a refused action, so the same key may be tried again', async () => {
    const key = randomUUID();
    const refused = await post<{ error: { code: string } }>('/counters/3/next', staff1, undefined, key);
    expect(refused.status).toBe(403);
    expect(await count('idempotency_keys WHERE key = $1', [key])).toBe(0);
  });
});
