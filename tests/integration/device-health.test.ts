import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, seedHall, startTestHub, type ClientSocket } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Device, DeviceHealthEvent } from '../../protocol/index.js';
import type { Config } from '../../server/config.js';

const startHub = (url: string, overrides: Partial<Config>) => startTestHub({ url, config: overrides });

describe('device health for the live board', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hubA: Awaited<ReturnType<typeof startHub>>;
  let hubB: Awaited<ReturnType<typeof startHub>>;
  let demo: DemoHall;
  let manager: string;
  let board: ClientSocket;
  const events: DeviceHealthEvent[] = [];
  let displayId: number;
  let kioskId: number;

  const seen = (pred: (e: DeviceHealthEvent) => boolean, after: number, what: string, ms = 15_000) =>
    new Promise<DeviceHealthEvent>((resolve, reject) => {
      const end = Date.now() + ms;
      const check = () => {
        const hit = events.slice(after).find(pred);
        if (hit) return resolve(hit);
        if (Date.now() > end) return reject(new Error(`${what}: not seen; events ${JSON.stringify(events)}`));
        setTimeout(check, 20);
      };
      check();
    });

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    // Two hub processes on one database: each change is reported once, whichever process sweeps first.
    hubA = await startHub(dbh.url, { healthSweepMs: 100, hubNode: 'hub-a' });
    hubB = await startHub(dbh.url, { healthSweepMs: 100, hubNode: 'hub-b' });
    manager = await login(hubA, 'quanly');
    board = await connectSocket(hubA, manager);
    board.on('device:health', (e) => events.push(e));
    const devices = (await api<Device[]>(hubA, 'GET', '/devices', manager)).body;
    displayId = devices.find((d) => d.kind === 'display')!.id;
    kioskId = devices.find((d) => d.kind === 'kiosk')!.id;
  });
  afterAll(async () => {
    board?.disconnect();
    await hubB?.close();
    await hubA?.close();
    await dbh?.drop();
  });

  it('reports a device coming online, its faults, and its going offline — once each', async () => {
    const mark = events.length;
    const display = await connectSocket(hubB, demo.displayToken);
    const online = await seen((e) => e.deviceId === displayId && e.online, mark, 'display online');
    expect(online).toMatchObject({ hallId: demo.hallId, faults: [] });

    const mark2 = events.length;
    const ack = await new Promise<unknown>((resolve) =>
      display.emit('device:heartbeat', { faults: [{ code: 'audio_blocked', message: 'Trình duyệt chặn phát âm thanh' }] }, resolve),
    );
    expect(ack).toEqual({ ok: true });
    const faulty = await seen((e) => e.deviceId === displayId && e.faults.length > 0, mark2, 'display fault');
    expect(faulty.faults).toEqual([{ code: 'audio_blocked', message: 'Trình duyệt chặn phát âm thanh', since: expect.any(String) }]);

    const mark3 = events.length;
    display.disconnect();
    const offline = await seen((e) => e.deviceId === displayId && !e.online, mark3, 'display offline');
    expect(offline.faults).toHaveLength(1);
    const devices = (await api<Device[]>(hubA, 'GET', '/devices', manager)).body;
    expect(devices.find((d) => d.id === displayId)?.health.online).toBe(false);
    // Each change was reported once although two hub processes sweep.
    const forDisplay = events.slice(mark).filter((e) => e.deviceId === displayId);
    expect(forDisplay.map((e) => [e.online, e.faults.length])).toEqual([
      [true, 0],
      [true, 1],
      [false, 1],
    ]);
  });

  it('reports a device whose heartbeats stopped (no heartbeat within its online window)', async () => {
    const mark = events.length;
    const kiosk = await connectSocket(hubA, demo.kioskToken);
    await seen((e) => e.deviceId === kioskId && e.online, mark, 'kiosk online');
    // The kiosk's PC froze: its socket is still open, but no heartbeat arrives; its window runs out.
    await dbh.db.query("UPDATE devices SET online_until = now() - interval '1 second' WHERE id = $1", [kioskId]);
    const mark2 = events.length;
    const offline = await seen((e) => e.deviceId === kioskId && !e.online, mark2, 'kiosk offline');
    expect(offline).toMatchObject({ hallId: demo.hallId, deviceId: kioskId, online: false });
    const back = events.length;
    await new Promise((resolve) => kiosk.emit('device:heartbeat', {}, resolve));
    await seen((e) => e.deviceId === kioskId && e.online, back, 'kiosk back online');
    kiosk.disconnect();
  });

  it('sends device health to managers only', async () => {
    const staffSocket = await connectSocket(hubA, await login(hubA, 'canbo3'));
    const staffEvents: DeviceHealthEvent[] = [];
    staffSocket.on('device:health', (e) => staffEvents.push(e));
    const mark = events.length;
    const display = await connectSocket(hubA, demo.displayToken);
    await seen((e) => e.deviceId === displayId && e.online, mark, 'display online');
    display.disconnect();
    await seen((e) => e.deviceId === displayId && !e.online, mark, 'display offline');
    expect(staffEvents).toEqual([]);
    staffSocket.disconnect();
  });
});
