import { EscPosEmulator, type DecodedPage, type PrinterConditions } from './printer-emulator.js';
import { InputBuffer, type PrinterConnection, type PrinterTransport } from '../printer/transport.js';

/**
 * A printer transport with no I/O: what the driver writes goes to an in-process emulator and is recorded;
 * the emulator's status answers come back as reads. Tests inject it to run the driver without sockets.
 */
export class MemoryTransport implements PrinterTransport {
  readonly description = 'memory';
  /** Every write, in order, across connections. */
  readonly writes: Buffer[] = [];
  readonly pages: DecodedPage[] = [];
  readonly conditions: PrinterConditions = { paper: 'ok', coverOpen: false, answerStatus: true };
  /** When set, `open` rejects with it (a printer that cannot be reached). */
  openError: Error | null = null;
  opened = 0;

  constructor(readonly type: 'epson' | 'star' = 'epson') {}

  async open(): Promise<PrinterConnection> {
    if (this.openError) throw this.openError;
    this.opened++;
    const emulator = new EscPosEmulator(this.type, this.conditions);
    const input = new InputBuffer();
    emulator.on('reply', (bytes) => input.push(bytes));
    emulator.on('page', (page) => this.pages.push(page));
    let closed = false;
    return {
      write: async (bytes) => {
        if (closed) throw new Error('connection closed');
        const copy = Buffer.from(bytes);
        this.writes.push(copy);
        emulator.feed(copy);
      },
      read: (n, timeoutMs) => input.read(n, timeoutMs),
      discardInput: () => input.clear(),
      close: async () => {
        if (closed) return;
        closed = true;
        emulator.end();
      },
    };
  }

  /** All bytes written so far. */
  get bytes(): Buffer {
    return Buffer.concat(this.writes);
  }
}
