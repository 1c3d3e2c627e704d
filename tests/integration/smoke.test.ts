import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';

describe('hub smoke', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('answers /health and issues a ticket from the kiosk', async () => {
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    const r = await api<{ number: string }>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
    expect(r.status).toBe(201);
    expect(r.body.number).toBe('A001');
  });
});
