import { openSync } from 'node:fs';
import tty from 'node:tty';
import { EscPosEmulator, type DecodedPage, type PrinterConditions } from './printer-emulator.js';

/**
 * A simulated printer behind a terminal device: the far end of a pty pair (`socat pty,raw,echo=0,link=A
 * pty,raw,echo=0,link=B`, the driver opens A, this opens B), so the device-path driver is tested end to end.
 * One command stream for its whole life; each cut is a page.
 */
export class TtyFakePrinter {
  readonly conditions: PrinterConditions = { paper: 'ok', coverOpen: false, answerStatus: true };
  readonly pages: DecodedPage[] = [];
  private input: tty.ReadStream | null = null;
  private output: tty.WriteStream | null = null;
  private readonly waiters: { count: number; resolve(p: DecodedPage[]): void }[] = [];

  constructor(
    readonly path: string,
    readonly type: 'epson' | 'star' = 'epson',
  ) {}

  start(): this {
    const readFd = openSync(this.path, 'r+');
    const writeFd = openSync(this.path, 'r+');
    const input = new tty.ReadStream(readFd);
    const output = new tty.WriteStream(writeFd);
    this.input = input;
    this.output = output;
    const emulator = new EscPosEmulator(this.type, this.conditions);
    emulator.on('reply', (bytes) => output.write(bytes));
    emulator.on('page', (page) => {
      this.pages.push(page);
      for (const w of [...this.waiters]) {
        if (this.pages.length >= w.count) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(this.pages.slice(0, w.count));
        }
      }
    });
    input.on('data', (chunk: Buffer | string) => emulator.feed(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'latin1')));
    input.on('error', () => undefined);
    output.on('error', () => undefined);
    return this;
  }

  set(conditions: Partial<PrinterConditions>): void {
    Object.assign(this.conditions, conditions);
  }

  /** Resolves once `count` pages were printed (rejects after `ms`). */
  waitForPages(count: number, ms = 15_000): Promise<DecodedPage[]> {
    if (this.pages.length >= count) return Promise.resolve(this.pages.slice(0, count));
    return new Promise((resolve, reject) => {
      const w = {
        count,
        resolve: (p: DecodedPage[]) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`tty fake printer: ${this.pages.length} of ${count} pages after ${ms} ms`));
      }, ms);
      this.waiters.push(w);
    });
  }

  /** Closes the device (the streams own their file descriptors). */
  close(): void {
    this.input?.destroy();
    this.output?.destroy();
    this.input = null;
    this.output = null;
  }
}
