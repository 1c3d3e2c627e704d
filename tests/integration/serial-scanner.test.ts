/**
 * The serial scanner contract: one suite, run against serialport's mock binding (through FakeSerialBinding)
 * and against a real pty pair made by socat (the real OS binding, unplug = socat killed, replug = socat restarted
 * on the same link paths).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SerialScanner, type SerialScannerOptions, type SerialStatus } from '../../hardware/serial/scanner.js';
import type { SerialBinding } from '../../hardware/serial/binding.js';
import { FakeSerialBinding } from '../../hardware/serial/fake-binding.js';
import { PtyPair } from '../../hardware/sim/serial-pty.js';
import { SimScanner } from '../../hardware/sim/serial-scanner.js';

/** A scanner device a driver can be pointed at. */
interface Rig {
  /** What the driver opens. */
  path: string;
  binding?: SerialBinding;
  /** Bytes the device sends (waits until the device end is up). */
  send(bytes: Buffer | string): Promise<void>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

interface Harness {
  name: string;
  start(): Promise<Rig>;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'scanner-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
const mockHarness: Harness = {
  name: 'mock binding',
  async start() {
    const binding = new FakeSerialBinding();
    const p = `/dev/ttyFAKE${++n}`;
    binding.create(p);
    return {
      path: p,
      binding,
      send: async (bytes) => {
        await binding.whenOpen(p);
        binding.send(p, bytes);
      },
      unplug: async () => binding.unplug(p),
      replug: async () => binding.replug(p),
      stop: async () => undefined,
    };
  },
};

const ptyHarness: Harness = {
  name: 'socat pty pair',
  async start() {
    const i = ++n;
    const pair = new PtyPair(path.join(tmp, `device${i}`), path.join(tmp, `scanner${i}`));
    await pair.start();
    const sim = new SimScanner({ path: pair.device, retryMs: 50 });
    await sim.open();
    return {
      path: pair.host,
      send: async (bytes) => {
        await sim.connected();
        await sim.raw(bytes);
      },
      unplug: async () => {
        await pair.stop();
        await sim.disconnected();
      },
      replug: () => pair.start(),
      stop: async () => {
        await sim.close();
        await pair.stop();
      },
    };
  },
};

/** Records a scanner's events and waits for them. */
function watch(scanner: SerialScanner) {
  const codes: string[] = [];
  const statuses: SerialStatus[] = [];
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  scanner.on('code', (c) => {
    codes.push(c);
    poke();
  });
  scanner.on('status', (s) => {
    statuses.push(s);
    poke();
  });
  const until = (cond: () => boolean, what: string, ms = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: not seen within ${ms} ms (codes ${JSON.stringify(codes)}, statuses ${JSON.stringify(statuses)})`)), ms);
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return {
    codes,
    statuses,
    codesCount: (k: number) => until(() => codes.length >= k, `${k} codes`),
    status: (pred: (s: SerialStatus) => boolean, after = 0) => until(() => statuses.slice(after).some(pred), 'status'),
  };
}

describe.each([mockHarness, ptyHarness])('SerialScanner contract: $name', (harness) => {
  let rig: Rig;
  let scanner: SerialScanner | null = null;

  beforeAll(async () => {
    rig = await harness.start();
  });
  afterEach(async () => {
    await scanner?.close();
    scanner = null;
  });
  afterAll(async () => {
    await rig?.stop();
  });

  async function open(opts: Partial<SerialScannerOptions> = {}) {
    scanner = new SerialScanner({ path: rig.path, binding: rig.binding, debounceMs: 60_000, retryMs: 50, ...opts });
    const w = watch(scanner);
    await scanner.open();
    expect(scanner.connected).toBe(true);
    expect(w.statuses[0]).toEqual({ connected: true });
    return w;
  }

  it('emits each line-terminated code (CR, LF or CRLF), also when split across reads', async () => {
    const w = await open();
    await rig.send('000.00.12.H40-221012-0001\r\n');
    await rig.send('A023\n');
    await rig.send('https://hub.example/t/5?x=1\r');
    await w.codesCount(3);
    await rig.send('Mã hồ');
    await rig.send(' sơ 7\r');
    await rig.send('\nLAST\r\n');
    await w.codesCount(5);
    expect(w.codes).toEqual(['000.00.12.H40-221012-0001', 'A023', 'https://hub.example/t/5?x=1', 'Mã hồ sơ 7', 'LAST']);
    expect(w.statuses).toEqual([{ connected: true }]);
  });

  it('takes a configured terminator and baud rate', async () => {
    const w = await open({ terminator: '\t', baudRate: 115200 });
    await rig.send('X1\tX2\tX3');
    await w.codesCount(2);
    await rig.send('\t');
    await w.codesCount(3);
    expect(w.codes).toEqual(['X1', 'X2', 'X3']);
  });

  it('ignores a repeated scan within the debounce window, and not when the window is 0', async () => {
    const w = await open();
    await rig.send('D1\r\nD1\r\nD1\r\nD2\r\nD2\r\n');
    await w.codesCount(2);
    await rig.send('END\r\n');
    await w.codesCount(3);
    expect(w.codes).toEqual(['D1', 'D2', 'END']);
    await scanner!.close();

    const w0 = await open({ debounceMs: 0 });
    await rig.send('E1\r\nE1\r\n');
    await w0.codesCount(2);
    expect(w0.codes).toEqual(['E1', 'E1']);
  });

  it('rejects garbage with a status, never a crash, and carries on', async () => {
    const w = await open({ maxLength: 64 });
    await rig.send(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0d, 0x0a]));
    await rig.send('AB\x07C\r\n');
    await rig.send('Z'.repeat(200));
    await rig.send('Z'.repeat(50) + '\r\n');
    await rig.send('OK1\r\n');
    await w.codesCount(1);
    expect(w.codes).toEqual(['OK1']);
    const errors = w.statuses.filter((s) => s.error).map((s) => s.error!);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/not UTF-8/);
    expect(errors[1]).toMatch(/non-printable bytes \(41 42 07 43\)/);
    expect(errors[2]).toMatch(/longer than 64 bytes/);
    expect(w.statuses.every((s) => s.connected)).toBe(true);
  });

  it('reports an unplug, reopens by itself when the device is back, and reads again', async () => {
    const w = await open();
    await rig.send('BEFORE\r\n');
    await w.codesCount(1);
    await rig.unplug();
    await w.status((s) => !s.connected);
    expect(scanner!.connected).toBe(false);
    const down = w.statuses.find((s) => !s.connected)!;
    expect(down.error).toMatch(/disconnected|cannot open/);
    const mark = w.statuses.length;
    await rig.replug();
    await w.status((s) => s.connected, mark);
    await rig.send('AFTER\r\n');
    await w.codesCount(2);
    expect(w.codes).toEqual(['BEFORE', 'AFTER']);
  });

  it('keeps retrying when the device is missing at open, and stops on close', async () => {
    await rig.unplug();
    scanner = new SerialScanner({ path: rig.path, binding: rig.binding, retryMs: 50 });
    const w = watch(scanner);
    await scanner.open();
    expect(scanner.connected).toBe(false);
    expect(w.statuses[0]).toMatchObject({ connected: false, error: expect.stringMatching(/cannot open/) });
    await rig.replug();
    await w.status((s) => s.connected);
    await rig.send('LATE\r\n');
    await w.codesCount(1);
    expect(w.codes).toEqual(['LATE']);
    await scanner.close();
    expect(scanner.connected).toBe(false);
    expect(w.statuses.at(-1)).toEqual({ connected: false });
  });
});
