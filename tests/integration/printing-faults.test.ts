import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, type ClientSocket } from '../helpers/hub.js';
import { FakeEscPosPrinter } from '../../hardware/sim/printer-server.js';
import type { Device, IssuedTicket, PrintJob } from '../../protocol/index.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { addDevice, eventually, startPrintingHub, type PrintingHub } from './printing-helpers.js';

describe('printer faults: a ticket that may be on paper, a prints folder that cannot be written', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: PrintingHub;
  let demo: DemoHall;
  let manager: string;
  let staff: string;
  let dataDir: string;
  let mounted = false;
  const fakes: FakeEscPosPrinter[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    // The hub's data folder is a 192 kB tmpfs: its `sim` printer saves prints in <DATA_DIR>/prints.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-prints-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=192k,mode=0755', 'tmpfs', dataDir]);
    mounted = true;
    await mkdir(path.join(dataDir, 'prints'));
    await chmod(dataDir, 0o755);
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startPrintingHub({ url: dbh.url, config: { dataDir } });
    manager = await login(hub, 'quanly');
    staff = await login(hub, 'canbo1');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await hub?.close();
    for (const f of fakes) await f.close();
    await dbh?.drop();
    if (mounted) execFileSync('umount', ['-l', dataDir]);
    await rm(dataDir, { recursive: true, force: true });
  });

  async function kiosk(printer: string) {
    const device = await addDevice(dbh.db, demo.hallId, { kind: 'kiosk', name: `Ki-ốt ${sockets.length + 1}`, printer });
    const socket = await connectSocket(hub, device.token);
    sockets.push(socket);
    return { device, socket };
  }
  const issue = async (token: string) => {
    const res = await api<IssuedTicket>(hub, 'POST', '/tickets', token, { serviceId: 1 });
    expect(res.status).toBe(201);
    return res.body;
  };
  const jobsOf = async (ticketId: number) => {
    const res = await api<PrintJob[]>(hub, 'GET', '/print-jobs?limit=500', manager);
    return res.body.filter((j) => j.ticketId === ticketId).sort((a, b) => a.id - b.id);
  };
  const faultsOf = async (deviceId: number) => (await api<Device[]>(hub, 'GET', '/devices', manager)).body.find((d) => d.id === deviceId)!.health.faults;

  it('records a ticket sent whole but never confirmed as "may be on paper", and asks staff before a reprint', async () => {
    const fake = await new FakeEscPosPrinter().start();
    fakes.push(fake);
    fake.closeAfterCut();
    const { device, socket } = await kiosk(`${fake.url}?timeout=1000`);
    const status = nextEvent(socket, 'print:status', () => true, 20_000);
    const ticket = await issue(device.token);
    const event = await status;
    expect(event).toMatchObject({ ticketId: ticket.id, ok: false, state: 'maybe_printed' });
    expect(event.message).toMatch(/^Phiếu có thể đã được in/);
    expect(fake.printCount).toBe(1);
    expect((await jobsOf(ticket.id))[0]).toMatchObject({ status: 'failed', state: 'maybe_printed' });
    // the board's printer alarm
    expect((await faultsOf(device.id)).map((f) => f.code)).toEqual(['printer_error']);

    // a reprint is refused until staff say they checked
    fake.closeAfterCut(false);
    const asked = await api<{ error: { code: string; message: string } }>(hub, 'POST', `/tickets/${ticket.id}/reprint`, staff);
    expect(asked.status).toBe(409);
    expect(asked.body.error.code).toBe('may_be_on_paper');
    expect(asked.body.error.message).toMatch(/kiểm tra khay giấy/);
    expect(fake.printCount).toBe(1);
    const confirmed = await api<PrintJob>(hub, 'POST', `/tickets/${ticket.id}/reprint`, staff, { confirm: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'printed' });
    expect(fake.printCount).toBe(2);
    expect(await faultsOf(device.id)).toEqual([]);
  });

  it('fails the prints the sim printer cannot store (full disk, then read-only): device fault, no .part files left', async () => {
    const { device, socket } = await kiosk('sim?timeout=500');
    const prints = path.join(dataDir, 'prints');
    const outcomes: { ticket: IssuedTicket; ok: boolean; state: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const status = nextEvent(socket, 'print:status', () => true, 20_000);
      const ticket = await issue(device.token);
      const ev = await status;
      outcomes.push({ ticket, ok: ev.ok, state: ev.state });
      if (!ev.ok) break;
    }
    const failed = outcomes.at(-1)!;
    expect(failed.ok, 'the 192 kB folder filled up').toBe(false);
    expect(failed.state).toBe('error');
    expect((await jobsOf(failed.ticket.id))[0]).toMatchObject({ status: 'failed', state: 'error' });
    expect((await faultsOf(device.id)).map((f) => f.code)).toEqual(['printer_error']);
    const files = await readdir(prints);
    expect(files.filter((f) => f.endsWith('.part'))).toEqual([]);
    // every print reported printed is stored whole, and only those
    const printed = outcomes.filter((o) => o.ok).length;
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(printed);
    expect(files.filter((f) => f.endsWith('.txt'))).toHaveLength(printed);
    // later jobs fail at once too (the printer reports its error), they are never "printed"
    const next = nextEvent(socket, 'print:status', () => true, 20_000);
    const more = await issue(device.token);
    expect(await next).toMatchObject({ ticketId: more.id, ok: false });

    // room again: the printer recovers by itself
    for (const f of files) await rm(path.join(prints, f));
    const storedOk = () =>
      eventually(async () => {
        const ok = nextEvent(socket, 'print:status', () => true, 20_000);
        await issue(device.token);
        return (await ok).ok;
      }, 30_000, 'a stored print');
    await storedOk();
    expect(await faultsOf(device.id)).toEqual([]);

    // a read-only folder: an error too, nothing half-written, and the printer recovers once it is writable
    execFileSync('mount', ['-o', 'remount,ro', dataDir]);
    try {
      const ro = nextEvent(socket, 'print:status', () => true, 20_000);
      await issue(device.token);
      expect(await ro).toMatchObject({ ok: false, state: 'error' });
      expect((await readdir(prints)).filter((f) => f.endsWith('.part'))).toEqual([]);
      expect((await faultsOf(device.id)).map((f) => f.code)).toEqual(['printer_error']);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', dataDir]);
    }
    await storedOk();
    expect(await faultsOf(device.id)).toEqual([]);
  });
});
