/**
 * A simulated serial barcode scanner on a socat pty pair.
 *
 *     node_modules/.bin/tsx hardware/sim/serial-scanner.ts [--dir /tmp/hallhub-scanner] [--terminator crlf|cr|lf]
 *
 * prints the port to give the driver (e.g. the agent's scanner path), then sends every line typed on stdin
 * as one scan. In tests, `SimScanner` does the same from code.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { SerialBinding } from '../serial/binding.js';
import { SerialLink } from '../serial/link.js';
import { PtyPair } from './serial-pty.js';

const TERMINATORS = { crlf: '\r\n', cr: '\r', lf: '\n' } as const;

/** The device end of a scanner: writes codes (and any raw bytes) the way a scanner sends them. */
export class SimScanner {
  readonly link: SerialLink;

  constructor(opts: { path: string; binding?: SerialBinding; terminator?: string; retryMs?: number }) {
    this.link = new SerialLink({ path: opts.path, binding: opts.binding, retryMs: opts.retryMs ?? 200 });
    this.terminator = opts.terminator ?? '\r\n';
  }

  private readonly terminator: string;

  /** Opens the device end and waits until it is connected. */
  async open(): Promise<void> {
    await this.link.open();
    await this.connected();
  }

  /** Resolves once the device end is (again) connected. */
  connected(): Promise<void> {
    return this.until(true);
  }

  /** Resolves once the device end has noticed it is gone (after an unplug). */
  disconnected(): Promise<void> {
    return this.until(false);
  }

  private until(connected: boolean): Promise<void> {
    if (this.link.connected === connected) return Promise.resolve();
    return new Promise((resolve) => {
      const on = (s: { connected: boolean }) => {
        if (s.connected !== connected) return;
        this.link.off('status', on);
        resolve();
      };
      this.link.on('status', on);
    });
  }

  /** One scan: the code and the terminator. */
  scan(code: string): Promise<void> {
    return this.link.write(Buffer.from(code + this.terminator, 'utf8'));
  }

  /** Raw bytes, e.g. line noise (a string is sent as UTF-8). */
  raw(bytes: Buffer | string): Promise<void> {
    return this.link.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'));
  }

  close(): Promise<void> {
    return this.link.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = opt('dir') ?? '/tmp/hallhub-scanner';
  const term = TERMINATORS[(opt('terminator') ?? 'crlf') as keyof typeof TERMINATORS] ?? '\r\n';
  mkdirSync(dir, { recursive: true });
  const pair = new PtyPair(path.join(dir, 'device'), path.join(dir, 'scanner'));
  await pair.start();
  const sim = new SimScanner({ path: pair.device, terminator: term });
  await sim.open();
  process.stdout.write(`Simulated scanner ready. Point the driver at: ${pair.host}\nType a code and Enter to scan it; Ctrl-D to stop.\n`);
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    const code = line.trim();
    if (!code) continue;
    await sim.scan(code).catch((err: unknown) => process.stdout.write(`not sent: ${String(err)}\n`));
    process.stdout.write(`scanned ${code}\n`);
  }
  await sim.close();
  await pair.stop();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
