/**
 * The hub's own serial hardware end to end, through real ptys (socat): two LED counter displays sharing one
 * RS-485 line, and a calling keypad on counter 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, startTestHub, type ClientSocket } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { DeviceHealthEvent, HardwareHealthReply } from '../../protocol/index.js';
import type { Config } from '../../server/config.js';
import { PtyPair } from '../../hardware/sim/serial-pty.js';
import { SimLedDisplay } from '../../hardware/sim/led-display.js';
import { SerialLink } from '../../hardware/serial/link.js';

const logs: { msg?: string; [k: string]: unknown }[] = [];

const startHub = (url: string, overrides: Partial<Config>) =>
  startTestHub({ url, config: { logLevel: 'info', ...overrides }, logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { msg?: string }) }) });

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('LED displays and a calling keypad on the hub', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'serial-hub-'));
  const ledLine = new PtyPair(path.join(dir, 'led-device'), path.join(dir, 'led'));
  const keyLine = new PtyPair(path.join(dir, 'key-device'), path.join(dir, 'keypad'));
  let sim: SimLedDisplay;
  let keys: SerialLink;
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: Awaited<ReturnType<typeof startHub>>;
  let demo: DemoHall;
  let display: ClientSocket;
  let board: ClientSocket;
  const health: DeviceHealthEvent[] = [];
  const counter = new Map<number, number>();
  let staff1: string;
  let manager: string;

  // Tickets are issued by staff here, not the kiosk: a kiosk ticket is printed, and while its print job row is being
  // inserted (FK lock on the ticket) a simultaneous `next` skips it (see the report on claimHead's FOR UPDATE SKIP LOCKED).
  const issue = (serviceId: number) => api<{ id: number; number: string }>(hub, 'POST', '/tickets', manager, { serviceId });
  const press = (key: string) => keys.write(Buffer.from(key, 'ascii'));
  const logged = (msg: string, after = 0) => waitFor(() => logs.slice(after).find((l) => l.msg === msg), `log "${msg}"`);

  beforeAll(async () => {
    await ledLine.start();
    await keyLine.start();
    sim = new SimLedDisplay({ path: ledLine.device, retryMs: 50 });
    await sim.open();
    keys = new SerialLink({ path: keyLine.device, retryMs: 50 });
    await keys.open();
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    for (const c of (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters')).rows) counter.set(c.number, c.id);
    hub = await startHub(dbh.url, {
      ledDisplays: [
        { counterNumber: 1, path: ledLine.host, address: 1 },
        { counterNumber: 2, path: ledLine.host, address: 2 },
      ],
      keypads: [{ counterNumber: 1, path: keyLine.host }],
      serialRetryMs: 100,
      keypadDebounceMs: 0,
      hardwareHall: 'DEMO',
    });
    display = await connectSocket(hub, demo.displayToken);
    staff1 = await login(hub, 'canbo1');
    manager = await login(hub, 'quanly');
    board = await connectSocket(hub, manager);
    board.on('device:health', (e) => health.push(e));
  });
  afterAll(async () => {
    display?.disconnect();
    board?.disconnect();
    await hub?.close();
    await sim?.close();
    await keys?.close();
    await ledLine.stop();
    await keyLine.stop();
    await dbh?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('blanks the displays of closed counters at start and reports the drivers healthy', async () => {
    await sim.waitFor((f) => f.address === 1 && f.action === 'clear');
    await sim.waitFor((f) => f.address === 2 && f.action === 'clear');
    const drivers = await waitFor(async () => {
      const r = await api<HardwareHealthReply>(hub, 'GET', '/hardware/health', manager);
      const online = r.body.drivers.filter((d) => d.kind !== 'voice' && d.online);
      return online.length === 3 ? r.body.drivers : undefined;
    }, 'three serial drivers online');
    expect(drivers.map((d) => d.driver).sort()).toEqual(['keypad:1', 'led:1', 'led:2', 'voice']);
    expect(drivers.find((d) => d.driver === 'led:2')).toMatchObject({ kind: 'led', path: ledLine.host, counterNumber: 2, faults: [] });
  });

  it('ignores a keypad press while nobody has the counter open', async () => {
    const mark = logs.length;
    await press('1');
    await logged('keypad: nobody has this counter open, press ignored', mark);
  });

  it('calls the next citizen from the keypad as the staff member at that counter; the LED shows it, blinks on recall', async () => {
    expect((await api(hub, 'POST', `/counters/${counter.get(1)}/open`, staff1)).status).toBe(200);
    const issued = await issue(1);
    expect(issued.status).toBe(201);
    const call = nextEvent(display, 'call', (c) => c.ticketId === issued.body.id);
    const mark = sim.frames.length;
    await press('1');
    const event = await call;
    expect(event).toMatchObject({ number: issued.body.number, counterNumber: 1, recall: false });
    expect(await sim.waitFor((f) => f.address === 1, { after: mark })).toEqual({ address: 1, action: 'show', text: issued.body.number });
    const { rows } = await dbh.db.query<{ username: string; status: string }>('SELECT u.username, t.status FROM tickets t JOIN users u ON u.id = t.staff_id WHERE t.id = $1', [issued.body.id]);
    expect(rows[0]).toEqual({ username: 'canbo1', status: 'called' });

    const recalled = nextEvent(display, 'call', (c) => c.ticketId === issued.body.id && c.recall);
    const mark2 = sim.frames.length;
    await press('2');
    await recalled;
    expect(await sim.waitFor((f) => f.address === 1, { after: mark2 })).toEqual({ address: 1, action: 'blink', text: issued.body.number });

    const markLog = logs.length;
    await press('4');
    await waitFor(async () => (await dbh.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [issued.body.id])).rows[0]?.status === 'done', 'ticket done');
    await logged('keypad: counter action done', markLog);
    // keypad presses are state changes too: the audit log has them, as the staff member at the counter
    const audit = await waitFor(async () => {
      const r = await api<{ action: string; actorId: number | null; actorName: string | null }[]>(hub, 'GET', '/audit', manager);
      const actions = r.body.filter((e) => e.action.startsWith('KEYPAD '));
      return actions.length >= 3 ? actions : undefined;
    }, 'keypad actions in the audit log');
    expect(audit.map((e) => e.action).slice(0, 3).sort()).toEqual(['KEYPAD done', 'KEYPAD next', 'KEYPAD recall']);
    expect(audit[0]).toMatchObject({ actorName: 'keypad quầy 1' });
    const refused = logs.length;
    await press('2');
    await logged('keypad: counter action refused', refused);
  });

  it('drives a second display on the same line, and blanks a display when its counter closes', async () => {
    const staff2 = await login(hub, 'canbo2');
    expect((await api(hub, 'POST', `/counters/${counter.get(2)}/open`, staff2)).status).toBe(200);
    const issued = await issue(2);
    const mark = sim.frames.length;
    expect((await api(hub, 'POST', `/counters/${counter.get(2)}/next`, staff2)).status).toBe(200);
    expect(await sim.waitFor((f) => f.address === 2, { after: mark })).toEqual({ address: 2, action: 'show', text: issued.body.number });

    const mark2 = sim.frames.length;
    expect((await api(hub, 'POST', `/counters/${counter.get(1)}/close`, staff1)).status).toBe(200);
    expect(await sim.waitFor((f) => f.address === 1, { after: mark2 })).toEqual({ address: 1, action: 'clear', text: '' });
    expect(sim.showing.get(2)).toEqual({ text: issued.body.number, blinking: false });
  });

  it('reports an unplugged LED line to the board and restores the displays when it is back', async () => {
    const mark = health.length;
    await ledLine.stop();
    const down = await waitFor(() => health.slice(mark).find((e) => e.driver === 'led:2' && !e.online), 'led:2 offline event');
    // The display lost its line too: its end is closed with it, so it cannot hold on to the old pty (under load the
    // read error that tells it so can come late) and reopens the new one when the line comes back.
    await sim.link.close();
    expect(down).toMatchObject({ hallId: demo.hallId, deviceId: null, faults: [{ code: 'serial_port' }] });
    const r = await api<HardwareHealthReply>(hub, 'GET', '/hardware/health', manager);
    expect(r.body.drivers.find((d) => d.driver === 'led:1')).toMatchObject({ online: false, faults: [{ code: 'serial_port' }] });
    expect(r.body.drivers.find((d) => d.driver === 'keypad:1')).toMatchObject({ online: true });
    // Calls go on while the line is down.
    const staff2 = await login(hub, 'canbo2');
    const issued = await issue(2);
    expect((await api(hub, 'POST', `/counters/${counter.get(2)}/next`, staff2)).status).toBe(200);

    const mark2 = health.length;
    const frames = sim.frames.length;
    // The display end comes up first (as a powered display would), then the hub sees its line again.
    await ledLine.start({
      beforeHost: async () => {
        await sim.open();
        await sim.connected();
      },
    });
    await waitFor(() => health.slice(mark2).find((e) => e.driver === 'led:2' && e.online), 'led:2 online event');
    // Back on line, each display is sent what it should show now.
    expect(await sim.waitFor((f) => f.address === 2, { after: frames })).toEqual({ address: 2, action: 'show', text: issued.body.number });
    expect(await sim.waitFor((f) => f.address === 1, { after: frames })).toEqual({ address: 1, action: 'clear', text: '' });
  });
});
