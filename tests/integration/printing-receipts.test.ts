import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, type ClientSocket } from '../helpers/hub.js';
import { FakeEscPosPrinter } from '../../hardware/sim/printer-server.js';
import type { IssuedTicket, PrintJob } from '../../protocol/index.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { addDevice, decodeSymbols, eventually, hasBytes, PUBLIC_URL, startPrintingHub, type PrintingHub } from './printing-helpers.js';

describe('dossier receipts on the counter printer, and the sim printer of the demo hall', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: PrintingHub;
  let demo: DemoHall;
  let dataDir: string;
  const fakes: FakeEscPosPrinter[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-prints-'));
    hub = await startPrintingHub({ url: dbh.url, config: { dataDir } });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await hub?.close();
    for (const f of fakes) await f.close();
    await dbh?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function openCounter(username: string, number: number) {
    const token = await login(hub, username);
    const counters = await api<{ id: number; number: number }[]>(hub, 'GET', '/counters', token);
    const counterId = counters.body.find((c) => c.number === number)!.id;
    expect((await api(hub, 'POST', `/counters/${counterId}/open`, token)).status).toBe(200);
    const socket = await connectSocket(hub, token);
    sockets.push(socket);
    return { token, counterId, socket };
  }

  const receive = async (token: string, applicantName: string) => {
    const res = await api<{ code: string }>(hub, 'POST', '/dossiers', token, { procedure: 'Đăng ký khai sinh', applicantName });
    expect(res.status).toBe(201);
    return res.body.code;
  };
  const jobOf = async (code: string) => {
    const manager = await login(hub, 'quanly');
    const res = await api<PrintJob[]>(hub, 'GET', '/print-jobs', manager);
    return res.body.find((j) => j.kind === 'receipt' && j.ref === code);
  };

  it('prints the receipt on the counter’s printer: the dossier code as CODE128 and a QR to its lookup', async () => {
    const { token, counterId, socket } = await openCounter('canbo1', 1);
    const fake = await new FakeEscPosPrinter().start();
    fakes.push(fake);
    const device = await addDevice(dbh.db, demo.hallId, { kind: 'kiosk', name: 'Máy in quầy 1', counterId, printer: fake.url });

    const status = nextEvent(socket, 'print:status', (e) => e.kind === 'receipt');
    const code = await receive(token, 'Nguyễn Văn An');
    expect(await status).toMatchObject({ kind: 'receipt', ref: code, counterId, ok: true, state: 'ok' });

    const [print] = await fake.waitForPrints(1);
    expect(hasBytes(print!.page.bytes, [0x1d, 0x76, 0x30])).toBe(true);
    expect(print!.page.cut).toBe(true);
    expect(print!.page.text).toContain(code);
    const symbols = await decodeSymbols(print!.png());
    const { rows } = await dbh.db.query<{ k: string }>('SELECT lookup_key AS k FROM dossiers WHERE code = $1', [code]);
    const key = rows[0]!.k;
    // The barcode carries the code and the lookup key, the QR the lookup with its key.
    expect(symbols).toContain(`CODE-128:${code}/${key}`);
    expect(symbols).toContain(`QR-Code:${PUBLIC_URL}/lookup/?code=${encodeURIComponent(code)}&key=${key}`);
    expect(await jobOf(code)).toMatchObject({ status: 'printed', deviceId: device.id, agentId: null });
  });

  it('records a failed receipt and tells the staff console when the counter has no printer', async () => {
    const { token, counterId, socket } = await openCounter('canbo2', 2);
    const status = nextEvent(socket, 'print:status', (e) => e.kind === 'receipt');
    const code = await receive(token, 'Trần Thị Bình');
    expect(await status).toMatchObject({ ref: code, counterId, ok: false, state: 'no_printer' });
    expect(await jobOf(code)).toMatchObject({ status: 'failed', state: 'no_printer', deviceId: null });
  });

  it('prefers the counter PC’s agent over another printer at that counter', async () => {
    const { token, counterId, socket } = await openCounter('canbo3', 3);
    await addDevice(dbh.db, demo.hallId, { kind: 'kiosk', name: 'Máy in cũ quầy 3', counterId, printer: 'tcp://127.0.0.1:9' });
    const agent = await addDevice(dbh.db, demo.hallId, { kind: 'agent', name: 'Agent quầy 3', counterId, printer: 'agent' });
    const status = nextEvent(socket, 'print:status', (e) => e.kind === 'receipt');
    const code = await receive(token, 'Lê Văn Cường');
    // The agent is not connected: the job waits for it, and the console is told now.
    expect(await status).toMatchObject({ ref: code, ok: false, state: 'unreachable' });
    expect(await jobOf(code)).toMatchObject({ status: 'queued', agentId: agent.id, deviceId: agent.id });
  });

  it('sim: the demo kiosk’s prints go through the in-process fake printer into <DATA_DIR>/prints as PNG and text', async () => {
    const kiosk = await connectSocket(hub, demo.kioskToken);
    sockets.push(kiosk);
    const status = nextEvent(kiosk, 'print:status');
    const res = await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 2, priority: true });
    expect(res.status).toBe(201);
    expect(await status).toMatchObject({ ticketId: res.body.id, ok: true });

    const dir = path.join(dataDir, 'prints');
    const files = await eventually(async () => {
      const names = (await readdir(dir).catch(() => [] as string[])).sort();
      return names.some((n) => n.endsWith('.png')) && names.some((n) => n.endsWith('.txt')) ? names : null;
    }, 15_000, 'a saved print');
    const png = await readFile(path.join(dir, files.find((n) => n.endsWith('.png'))!));
    const txt = await readFile(path.join(dir, files.find((n) => n.endsWith('.txt'))!), 'utf8');
    expect(txt).toContain(res.body.number);
    expect(await decodeSymbols(png)).toEqual([`QR-Code:${PUBLIC_URL}/kiosk/t/${res.body.id}`]);
  });
});
