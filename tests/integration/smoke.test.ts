import { beforeAll, describe, expect, it } from 'vitest';
import { api, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';

describe('hub smoke', () => {
  let hub: TestHub;
  let demo: DemoHall;
  const seeded = useSeededHub();
  beforeAll(async () => {
    ({ hub, demo } = seeded);
  });

  it('answers /health and issues a ticket from the kiosk', async () => {
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    const r = await api<{ number: string }>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
    expect(r.status).toBe(201);
    expect(r.body.number).toBe('A001');
  });
});
