import { beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { api, connectSocket, login, nextEvent, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Device, DisplaySnapshot, IssuedTicket } from '../../protocol/index.js';

describe('socket.io realtime', () => {
  let hub: TestHub;
  let demo: DemoHall;
  let staff: string;

  const seeded = useSeededHub({ adminPassword: 'admin-pass-123' });
  beforeAll(async () => {
    ({ hub, demo } = seeded);
    staff = await login(hub, 'canbo1');
  });

  it('refuses a socket without a valid token', async () => {
    for (const auth of [{}, { token: 'd_unknown' }, { token: 42 }]) {
      const s = ioClient(hub.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
      expect(err.message).toMatch(/unauthorized/);
      s.close();
    }
  });

  it('gives a display its snapshot on connect and every call and recall live', async () => {
    const display = await connectSocket(hub, demo.displayToken);
    try {
      const snap = await nextEvent(display, 'display:snapshot');
      expect(snap.hallName).toBe('Trung tâm Phục vụ hành chính công xã Minh Hòa');
      expect(snap.counters).toHaveLength(6);
      expect(snap.counters[0]).toMatchObject({ number: 1, currentNumber: null });

      const kiosk = await connectSocket(hub, demo.kioskToken);
      const queueUpdate = nextEvent(kiosk, 'queue:update', (u) => u.services.some((s) => s.serviceId === 1 && s.waiting === 1));
      const t = await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
      await queueUpdate;
      kiosk.close();

      const staffSocket = await connectSocket(hub, staff);
      const counterUpdate = nextEvent(staffSocket, 'counter:update', (c) => c.id === 1 && c.status === 'open');
      await api(hub, 'POST', '/counters/1/open', staff);
      expect((await counterUpdate).staff?.name).toBe('Nguyễn Thị Lan');

      const call = nextEvent(display, 'call');
      const ticketUpdate = nextEvent(staffSocket, 'ticket:update', (u) => u.id === t.body.id && u.status === 'called');
      await api(hub, 'POST', '/counters/1/next', staff);
      expect(await call).toMatchObject({
        ticketId: t.body.id,
        number: 'A001',
        counterNumber: 1,
        counterName: 'Quầy 1 – Hộ tịch',
        serviceName: 'Tư pháp – Hộ tịch',
        recall: false,
      });
      await ticketUpdate;
      const recall = nextEvent(display, 'call');
      await api(hub, 'POST', '/counters/1/recall', staff);
      expect(await recall).toMatchObject({ number: 'A001', recall: true });
      staffSocket.close();
    } finally {
      display.close();
    }
  });

  it('catches a display up with a snapshot after it was away', async () => {
    const display = await connectSocket(hub, demo.displayToken);
    await nextEvent(display, 'display:snapshot');
    display.close();
    await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 2 });
    await api(hub, 'POST', '/counters/1/next', staff);
    const again = await connectSocket(hub, demo.displayToken);
    try {
      const snap: DisplaySnapshot = await nextEvent(again, 'display:snapshot');
      expect(snap.counters.find((c) => c.number === 1)?.currentNumber).toBe('B001');
      expect(snap.recentCalls[0]).toMatchObject({ number: 'B001', counterNumber: 1 });
      expect(snap.recentCalls.map((c) => c.number)).toContain('A001');
      const viaHttp = await api<DisplaySnapshot>(hub, 'GET', '/display/snapshot', demo.displayToken);
      expect(viaHttp.body.recentCalls[0]?.number).toBe('B001');
      const ack = await again.emitWithAck('snapshot:get');
      expect(ack).toEqual({ ok: true });
    } finally {
      again.close();
    }
  });

  it('validates heartbeats and shows devices online with their faults', async () => {
    const admin = await login(hub, 'admin', 'admin-pass-123');
    const kiosk = await connectSocket(hub, demo.kioskToken);
    try {
      const bad = await kiosk.emitWithAck('device:heartbeat', { faults: 'paper' } as never);
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      const good = await kiosk.emitWithAck('device:heartbeat', { faults: [{ code: 'printer_paper_low', message: 'Máy in sắp hết giấy' }] });
      expect(good).toEqual({ ok: true });
      const devices = await api<Device[]>(hub, 'GET', '/devices', admin);
      const k = devices.body.find((d) => d.kind === 'kiosk')!;
      expect(k.health.online).toBe(true);
      expect(k.health.faults).toMatchObject([{ code: 'printer_paper_low', message: 'Máy in sắp hết giấy' }]);
      const staffSocket = await connectSocket(hub, staff);
      expect(await staffSocket.emitWithAck('device:heartbeat', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      staffSocket.close();
    } finally {
      kiosk.close();
    }
    await expect
      .poll(async () => (await api<Device[]>(hub, 'GET', '/devices', admin)).body.find((d) => d.kind === 'kiosk')!.health.online, { timeout: 10_000 })
      .toBe(false);
  });
});
