/**
 * The TicketPrinterPort contract, run against every driver/transport pairing with a simulated printer —
 * EPSON and STAR over TCP, EPSON over an injected in-memory transport, EPSON on a device path (a socat pty) —
 * and, when HALLHUB_TEST_PRINTER names one (e.g. tcp://192.168.1.50:9100), against a real printer
 * (only the cases that need no control over the paper).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscPosPrinter, openPrinter, parsePrinterTarget, PrinterError, type TicketPrinterPort } from '../../hardware/printer/index.js';
import { FakeEscPosPrinter, type DecodedPage, type PrinterConditions } from '../../hardware/sim/printer-server.js';
import { MemoryTransport } from '../../hardware/sim/printer-memory.js';
import { TtyFakePrinter } from '../../hardware/sim/printer-tty.js';
import type { PrintDocument } from '../../protocol/index.js';

/** What a test may do to the simulated printer behind a port. */
interface Control {
  set(c: Partial<PrinterConditions>): void;
  pages(): DecodedPage[];
  waitForPages(n: number): Promise<DecodedPage[]>;
  /** Stop reading and answering after n more bytes (TCP fakes only). */
  stall?(afterBytes: number): void;
  unstall?(): void;
}

interface Rig {
  port: TicketPrinterPort;
  control: Control | null;
  close(): Promise<void>;
}

const ticket = (n: number): PrintDocument => ({
  kind: 'ticket',
  ticket: {
    ticketId: n,
    hallName: 'Trung tâm Phục vụ hành chính công xã Minh Hòa',
    serviceName: 'Tư pháp – Hộ tịch',
    number: `A${String(n).padStart(3, '0')}`,
    priority: n % 2 === 0,
    issuedAt: '2024-10-12T01:15:00.000Z',
    timezone: 'Asia/Ho_Chi_Minh',
    ahead: n,
    estimatedWaitMinutes: 3 * n,
    url: `https://motcua.example.vn/kiosk/t/${n}`,
    footer: 'Vui lòng giữ phiếu và chờ gọi số. Xin cảm ơn!',
  },
});

function fakeControl(fake: FakeEscPosPrinter): Control {
  return {
    set: (c) => fake.set(c),
    pages: () => fake.prints.map((p) => p.page),
    waitForPages: async (n) => (await fake.waitForPrints(n)).map((p) => p.page),
    stall: (b) => fake.stall(b),
    unstall: () => fake.unstall(),
  };
}

async function tcpRig(type: 'epson' | 'star'): Promise<Rig> {
  const fake = await new FakeEscPosPrinter({ type }).start();
  const port = await openPrinter(`${fake.url}${type === 'star' ? '&' : '?'}timeout=2000`);
  return {
    port,
    control: fakeControl(fake),
    async close() {
      await port.close();
      await fake.close();
    },
  };
}

async function memoryRig(): Promise<Rig> {
  const transport = new MemoryTransport('epson');
  const target = parsePrinterTarget('sim?timeout=1000');
  if (target.kind !== 'sim') throw new Error('unexpected target');
  const port = new EscPosPrinter('memory', transport, target.profile);
  return {
    port,
    control: {
      set: (c) => Object.assign(transport.conditions, c),
      pages: () => transport.pages,
      waitForPages: async (n) => transport.pages.slice(0, n),
    },
    close: () => port.close(),
  };
}

async function ptyRig(): Promise<Rig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-pty-'));
  const printerPath = path.join(dir, 'printer');
  const farPath = path.join(dir, 'far');
  const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${printerPath}`, `pty,raw,echo=0,link=${farPath}`], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(existsSync(printerPath) && existsSync(farPath))) {
    if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
    await new Promise((r) => setTimeout(r, 20));
  }
  // Keep one descriptor on the driver's end, so closing the driver's own does not end socat.
  const holder = openSync(printerPath, 'r+');
  const far = new TtyFakePrinter(farPath).start();
  // The link points at the pty's real device, /dev/pts/N: the driver gets a genuine device path.
  const port = await openPrinter(`${realpathSync(printerPath)}?timeout=2000`, { anyDevicePath: true });
  return {
    port,
    control: { set: (c) => far.set(c), pages: () => far.pages, waitForPages: (n) => far.waitForPages(n) },
    async close() {
      await port.close();
      far.close();
      closeSync(holder);
      socat.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function contract(name: string, make: () => Promise<Rig>, controlled = true) {
  describe(`TicketPrinterPort: ${name}`, () => {
    let rig: Rig;
    beforeAll(async () => {
      rig = await make();
    });
    afterAll(async () => {
      await rig?.close();
    });
    const control = () => rig.control!;
    const reset = () => rig.control?.set({ paper: 'ok', coverOpen: false, answerStatus: true });

    it('reports a ready printer', async () => {
      reset();
      const s = await rig.port.status();
      expect(s).toMatchObject({ state: 'ok', ok: true, reachable: true, paperOut: false, paperNearEnd: false });
    });

    it('prints a ticket and cuts, answering the state after the job', async () => {
      reset();
      const before = rig.control?.pages().length ?? 0;
      const s = await rig.port.print({ document: ticket(7) });
      expect(s.ok).toBe(true);
      if (!rig.control) return;
      const pages = await control().waitForPages(before + 1);
      const page = pages[before]!;
      expect(page.cut).toBe(true);
      expect(page.text).toContain('A007');
      expect(page.images).toBeGreaterThanOrEqual(2);
    });

    if (controlled) {
      it('prints jobs one at a time, in call order, even when called together', async () => {
        reset();
        const before = control().pages().length;
        await Promise.all([21, 22, 23].map((n) => rig.port.print({ document: ticket(n) })));
        const pages = (await control().waitForPages(before + 3)).slice(before);
        expect(pages.map((p) => p.text.split('\n').find((l) => /^A0\d\d$/.test(l)))).toEqual(['A021', 'A022', 'A023']);
      });

      it('prints plain Vietnamese lines as raster', async () => {
        reset();
        const before = control().pages().length;
        await rig.port.print({ lines: ['Máy in hoạt động bình thường', 'Trung tâm Phục vụ hành chính công'] });
        const [page] = (await control().waitForPages(before + 1)).slice(before);
        expect(page!.images).toBe(1);
        expect(page!.text).not.toMatch(/[^\x00-\x7f]/);
      });

      it('reports paper near end, and still prints', async () => {
        control().set({ paper: 'near_end' });
        expect(await rig.port.status()).toMatchObject({ state: 'paper_near_end', ok: true, paperNearEnd: true, paperOut: false });
        const s = await rig.port.print({ document: ticket(8) });
        expect(s).toMatchObject({ state: 'paper_near_end', ok: true });
      });

      it('reports paper out, and prints nothing', async () => {
        control().set({ paper: 'out' });
        const before = control().pages().length;
        expect(await rig.port.status()).toMatchObject({ state: 'paper_out', ok: false, paperOut: true, reachable: true });
        const err = await rig.port.print({ document: ticket(9) }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(PrinterError);
        expect(err).toMatchObject({ state: 'paper_out', partial: false });
        expect(control().pages().length).toBe(before);
      });

      it('reports an open cover', async () => {
        reset();
        control().set({ coverOpen: true });
        expect(await rig.port.status()).toMatchObject({ state: 'cover_open', ok: false, coverOpen: true });
        await expect(rig.port.print({ document: ticket(10) })).rejects.toMatchObject({ state: 'cover_open' });
      });

      it('treats a printer that never answers its status query as unreachable', async () => {
        reset();
        control().set({ answerStatus: false });
        const before = control().pages().length;
        expect(await rig.port.status()).toMatchObject({ state: 'unreachable', ok: false, reachable: false });
        await expect(rig.port.print({ document: ticket(11) })).rejects.toMatchObject({ state: 'unreachable', partial: false });
        expect(control().pages().length).toBe(before);
        reset();
        expect((await rig.port.status()).state).toBe('ok');
      });
    }
  });
}

const realPrinter = process.env.HALLHUB_TEST_PRINTER;
async function realRig(): Promise<Rig> {
  const port = await openPrinter(realPrinter!);
  return { port, control: null, close: () => port.close() };
}

contract('EPSON over TCP (fake printer)', () => tcpRig('epson'));
contract('STAR over TCP (fake printer)', () => tcpRig('star'));
contract('EPSON over an injected in-memory transport', memoryRig);
contract('EPSON on a device path (socat pty)', ptyRig);
if (realPrinter) contract(`a real printer at ${realPrinter}`, realRig, false);

describe('TicketPrinterPort over TCP: failures only a network printer has', () => {
  it('is unreachable when nothing listens, and a job fails without bytes sent', async () => {
    const fake = await new FakeEscPosPrinter().start();
    const url = `${fake.url}?timeout=800`;
    await fake.close();
    const port = await openPrinter(url);
    expect(await port.status()).toMatchObject({ state: 'unreachable', reachable: false });
    await expect(port.print({ document: ticket(1) })).rejects.toMatchObject({ state: 'unreachable', partial: false });
    await port.close();
  });

  it('fails as timeout, partial, when the printer stops answering in the middle of a job', async () => {
    const fake = await new FakeEscPosPrinter().start();
    const port = await openPrinter(`${fake.url}?timeout=1000`);
    fake.stall(1000);
    await expect(port.print({ document: ticket(2) })).rejects.toMatchObject({ name: 'PrinterError', state: 'timeout', partial: true });
    expect(fake.printCount).toBe(0);
    fake.unstall();
    expect((await port.print({ document: ticket(3) })).ok).toBe(true);
    expect(fake.printCount).toBe(1);
    await port.close();
    await fake.close();
  });

  it('rejects work after close', async () => {
    const fake = await new FakeEscPosPrinter().start();
    const port = await openPrinter(fake.url);
    await port.close();
    await expect(port.status()).rejects.toThrow(/closed/);
    await fake.close();
  });
});
