import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, type ClientSocket } from '../helpers/hub.js';
import { FakeEscPosPrinter } from '../../hardware/sim/printer-server.js';
import type { Device, IssuedTicket, PrinterStatusReply, PrintJob } from '../../protocol/index.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { addDevice, collect, decodeSymbols, eventually, hasBytes, PUBLIC_URL, startPrintingHub, type PrintingHub } from './printing-helpers.js';

describe('printing tickets on a kiosk printer the hub drives', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: PrintingHub;
  let demo: DemoHall;
  let manager: string;
  let staff: string;
  const fakes: FakeEscPosPrinter[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startPrintingHub({ url: dbh.url });
    manager = await login(hub, 'quanly');
    staff = await login(hub, 'canbo1');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await hub?.close();
    for (const f of fakes) await f.close();
    await dbh?.drop();
  });

  /** A kiosk whose printer is a fresh fake TCP printer, with its socket connected. */
  async function kiosk(printerOptions: string = '') {
    const fake = await new FakeEscPosPrinter().start();
    fakes.push(fake);
    const device = await addDevice(dbh.db, demo.hallId, { kind: 'kiosk', name: `Ki-ốt ${fakes.length}`, printer: `${fake.url}${printerOptions}` });
    const socket = await connectSocket(hub, device.token);
    sockets.push(socket);
    return { fake, device, socket };
  }

  const issue = async (token: string, serviceId = 1) => {
    const res = await api<IssuedTicket>(hub, 'POST', '/tickets', token, { serviceId });
    expect(res.status).toBe(201);
    return res.body;
  };
  const faultsOf = async (deviceId: number) => {
    const res = await api<Device[]>(hub, 'GET', '/devices', manager);
    expect(res.status).toBe(200);
    return res.body.find((d) => d.id === deviceId)!.health.faults;
  };
  const jobsOf = async (ticketId: number) => {
    const res = await api<PrintJob[]>(hub, 'GET', '/print-jobs?limit=500', manager);
    expect(res.status).toBe(200);
    return res.body.filter((j) => j.ticketId === ticketId).sort((a, b) => a.id - b.id);
  };

  it('prints the ticket after the commit: ESC @, raster Vietnamese, the number, a QR to the follow page, a cut', async () => {
    const { fake, device, socket } = await kiosk();
    const status = nextEvent(socket, 'print:status');
    const ticket = await issue(device.token);
    const event = await status;
    expect(event).toMatchObject({ kind: 'ticket', ticketId: ticket.id, ref: String(ticket.id), ok: true, state: 'ok' });

    const [print] = await fake.waitForPrints(1);
    const bytes = print!.page.bytes;
    expect(hasBytes(bytes, [0x1b, 0x40])).toBe(true); // ESC @
    expect(hasBytes(bytes, [0x1d, 0x76, 0x30])).toBe(true); // GS v 0 raster
    expect(hasBytes(bytes, [0x1d, 0x56])).toBe(true); // GS V cut
    expect(print!.page.cut).toBe(true);
    expect(print!.page.images).toBeGreaterThanOrEqual(2);
    expect(print!.page.text).toContain(ticket.number);
    // Vietnamese is never sent as text through a code page in raster mode.
    expect(print!.page.text).not.toMatch(/[^\x00-\x7f]/);

    expect(await decodeSymbols(print!.png())).toEqual([`QR-Code:${PUBLIC_URL}/kiosk/t/${ticket.id}`]);

    const [job] = await jobsOf(ticket.id);
    expect(job).toMatchObject({ kind: 'ticket', status: 'printed', state: 'ok', deviceId: device.id, attempts: 1, error: null });
    expect(job!.printedAt).not.toBeNull();
  });

  it('prints Vietnamese through the printer’s Windows-1258 code page when the printer is set to text=cp1258', async () => {
    const { fake, device, socket } = await kiosk('?text=cp1258');
    const status = nextEvent(socket, 'print:status');
    const ticket = await issue(device.token, 3);
    expect((await status).ok).toBe(true);
    const [print] = await fake.waitForPrints(1);
    expect(hasBytes(print!.page.bytes, [0x1b, 0x74, 52])).toBe(true); // ESC t 52
    // "ƯU TIÊN" is not on this ticket; the service name and the labels are, decoded back to NFC text.
    expect(print!.page.text).toContain('Đất đai');
    expect(print!.page.text).toContain('Số người đang chờ trước bạn: 0');
    expect(print!.page.text).toContain(ticket.number);
    expect(print!.page.images).toBe(1); // only the QR code is raster
    expect(await decodeSymbols(print!.png())).toEqual([`QR-Code:${PUBLIC_URL}/kiosk/t/${ticket.id}`]);
  });

  it('lets the kiosk check its printer before issuing, and shows paper near end as a device fault', async () => {
    const { fake, device } = await kiosk();
    const ok = await api<PrinterStatusReply>(hub, 'GET', '/printers/status', device.token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ deviceId: device.id, via: 'hub', status: { state: 'ok', ok: true, reachable: true, paperOut: false, paperNearEnd: false, coverOpen: false } });

    fake.set({ paper: 'near_end' });
    await new Promise((r) => setTimeout(r, 1600)); // the hub shares one status answer within 1.5 s
    const near = await api<PrinterStatusReply>(hub, 'GET', '/printers/status', device.token);
    expect(near.body.status).toMatchObject({ state: 'paper_near_end', ok: true, paperNearEnd: true });
    expect((await faultsOf(device.id)).map((f) => f.code)).toEqual(['printer_paper_near_end']);

    // Staff can ask about any device of the hall; a kiosk only about itself.
    const byStaff = await api<PrinterStatusReply>(hub, 'GET', `/printers/status?deviceId=${device.id}`, staff);
    expect(byStaff.status).toBe(200);
    expect((await api(hub, 'GET', `/printers/status?deviceId=${device.id + 1000}`, device.token)).status).toBe(403);
    expect((await api(hub, 'GET', '/printers/status', null)).status).toBe(401);
  });

  it('fails clearly when the paper is out: nothing printed, job failed, device fault, printer.fault, print:status ok:false, the hub keeps serving', async () => {
    const { fake, device, socket } = await kiosk();
    const faultEvents = collect(hub, 'printer.fault');
    const okEvents = collect(hub, 'printer.ok');
    fake.set({ paper: 'out' });

    const status = nextEvent(socket, 'print:status');
    const ticket = await issue(device.token);
    const event = await status;
    expect(event).toMatchObject({ ticketId: ticket.id, ok: false, state: 'paper_out' });
    expect(event.message).toMatch(/hết giấy/);
    expect(fake.printCount).toBe(0);

    const [job] = await jobsOf(ticket.id);
    expect(job).toMatchObject({ status: 'failed', state: 'paper_out', printedAt: null });
    expect(job!.error).toMatch(/hết giấy/);
    const faults = await faultsOf(device.id);
    expect(faults.map((f) => f.code)).toEqual(['printer_paper_out']);
    expect(faultEvents).toContainEqual(expect.objectContaining({ deviceId: device.id, code: 'printer_paper_out', state: 'paper_out', jobId: job!.id }));

    // The kiosk's own heartbeat (no faults of its own) does not wipe the printer fault.
    const ack = await socket.timeout(5000).emitWithAck('device:heartbeat', { faults: [] });
    expect(ack.ok).toBe(true);
    expect((await faultsOf(device.id)).map((f) => f.code)).toEqual(['printer_paper_out']);

    // The hub keeps serving: health, and the next ticket is issued (its print fails too, on record).
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    const next = await issue(device.token);
    await eventually(async () => (await jobsOf(next.id))[0]?.status === 'failed', 15_000, 'second job failed');

    // Paper back: staff reprint prints it, and the fault clears.
    fake.set({ paper: 'ok' });
    const reprint = await api<PrintJob>(hub, 'POST', `/tickets/${ticket.id}/reprint`, staff);
    expect(reprint.status).toBe(200);
    expect(reprint.body).toMatchObject({ status: 'printed', state: 'ok', reprintOf: job!.id, ticketId: ticket.id });
    expect(fake.printCount).toBe(1);
    expect(await faultsOf(device.id)).toEqual([]);
    expect(okEvents).toContainEqual(expect.objectContaining({ deviceId: device.id }));
  });

  it('fails as unreachable when nothing listens at the printer address', async () => {
    const { fake, device, socket } = await kiosk();
    await fake.close();
    const status = nextEvent(socket, 'print:status');
    const ticket = await issue(device.token);
    expect(await status).toMatchObject({ ticketId: ticket.id, ok: false, state: 'unreachable' });
    expect((await jobsOf(ticket.id))[0]).toMatchObject({ status: 'failed', state: 'unreachable' });
    expect((await faultsOf(device.id)).map((f) => f.code)).toEqual(['printer_unreachable']);
    const st = await api<PrinterStatusReply>(hub, 'GET', '/printers/status', device.token);
    expect(st.body.status).toMatchObject({ state: 'unreachable', reachable: false, ok: false });
  });

  it('fails as timeout when the printer stops answering in the middle of a job, then recovers', async () => {
    const { fake, device, socket } = await kiosk('?timeout=1000');
    fake.stall(600); // the status queries pass, the job's bytes stop after 600 bytes
    const status = nextEvent(socket, 'print:status', () => true, 20_000);
    const ticket = await issue(device.token);
    const event = await status;
    expect(event).toMatchObject({ ticketId: ticket.id, ok: false, state: 'timeout' });
    expect((await jobsOf(ticket.id))[0]).toMatchObject({ status: 'failed', state: 'timeout' });
    expect((await faultsOf(device.id)).map((f) => f.code)).toEqual(['printer_timeout']);
    expect(fake.printCount).toBe(0);

    fake.unstall();
    const again = nextEvent(socket, 'print:status', (e) => e.ok);
    const next = await issue(device.token);
    expect((await again).ticketId).toBe(next.id);
    expect(await faultsOf(device.id)).toEqual([]);
    expect(fake.printCount).toBe(1);
  });

  it('reprints on the issuing kiosk for staff only, and refuses tickets that did not come from a kiosk', async () => {
    const { fake, device, socket } = await kiosk();
    const first = nextEvent(socket, 'print:status');
    const ticket = await issue(device.token);
    await first;
    const [original] = await jobsOf(ticket.id);

    const again = nextEvent(socket, 'print:status', (e) => e.jobId !== original!.id);
    const res = await api<PrintJob>(hub, 'POST', `/tickets/${ticket.id}/reprint`, staff);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'printed', reprintOf: original!.id, deviceId: device.id });
    expect((await again).ok).toBe(true);
    const prints = await fake.waitForPrints(2);
    for (const p of prints) expect(await decodeSymbols(p.png())).toEqual([`QR-Code:${PUBLIC_URL}/kiosk/t/${ticket.id}`]);

    expect((await api(hub, 'POST', `/tickets/${ticket.id}/reprint`, device.token)).status).toBe(403);
    expect((await api(hub, 'POST', `/tickets/${ticket.id}/reprint`, null)).status).toBe(401);
    expect((await api(hub, 'POST', '/tickets/99999999/reprint', staff)).status).toBe(404);
    const byStaff = await api<IssuedTicket>(hub, 'POST', '/tickets', staff, { serviceId: 1 });
    const refused = await api<{ error: { code: string } }>(hub, 'POST', `/tickets/${byStaff.body.id}/reprint`, staff);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('not_from_kiosk');
  });

  it('documents the printing API in the OpenAPI description', async () => {
    const res = await fetch(`${hub.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/printers/status'] ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/api/v1/tickets/{id}/reprint'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/v1/print-jobs'] ?? {})).toContain('get');
  });

  it('keeps at most 20 jobs waiting for one printer under a burst, refusing the rest at once as "printer busy"', async () => {
    const { fake, device } = await kiosk('?timeout=4000');
    fake.stall(0); // the first job never gets through while the burst arrives: nothing leaves the backlog
    // 32 tickets of this kiosk announced at the same moment (a burst no person makes): every print starts concurrently.
    const tickets = [];
    for (let i = 0; i < 32; i++) tickets.push(await hub.hub.queue.issue(demo.hallId, (i % 2) + 1, false, null));
    for (const t of tickets) {
      hub.hub.bus.emit('ticket.issued', { hallId: demo.hallId, ticketId: t.id, serviceId: t.serviceId, number: t.number, priority: false, deviceId: device.id, ahead: 0, estimatedWaitMinutes: 0 });
    }
    const ids = new Set(tickets.map((t) => t.id));
    const jobs = async () => (await api<PrintJob[]>(hub, 'GET', '/print-jobs?limit=500', manager)).body.filter((j) => j.ticketId !== null && ids.has(j.ticketId));
    const all = await eventually(async () => {
      const list = await jobs();
      return list.length === tickets.length ? list : null;
    }, 15_000, 'a print job for every ticket');
    const refused = all.filter((j) => j.status === 'failed' && /đang bận/.test(j.error ?? ''));
    expect(refused).toHaveLength(tickets.length - 20);
    fake.unstall();
    await eventually(async () => (await jobs()).every((j) => j.status !== 'queued'), 30_000, 'the backlog printed');
    expect((await jobs()).filter((j) => j.status === 'printed').length).toBeGreaterThanOrEqual(19);
  });

  it('prints every ticket of a burst, one whole ticket at a time', async () => {
    const { fake, device } = await kiosk();
    const tickets = await Promise.all([1, 2, 1, 2, 1].map((serviceId) => issue(device.token, serviceId)));
    const prints = await fake.waitForPrints(5, 30_000);
    const printedNumbers = prints.map((p) => tickets.find((t) => p.page.text.split('\n').includes(t.number))?.number);
    expect(new Set(printedNumbers).size).toBe(5);
    for (const t of tickets) await eventually(async () => (await jobsOf(t.id))[0]?.status === 'printed', 15_000, `ticket ${t.number} printed`);
  });
});
