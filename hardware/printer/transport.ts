import { openPrinterDevice } from './device-path.js';
import { promises as fsp } from 'node:fs';
import net from 'node:net';

/**
 * A byte pipe to one printer: what `EscPosPrinter` is given, so the same driver runs over TCP, a device
 * file, or an in-memory fake in tests (the serialport bindings pattern).
 *
 * A transport opens one connection per job or status query; the printer's answers to status queries
 * arrive on the same connection.
 */
export interface PrinterTransport {
  /** For logs and errors: `tcp://10.0.0.5:9100`, `/dev/usb/lp0`, `memory`. */
  readonly description: string;
  /**
   * Opens a connection. Rejects (with the system error: ECONNREFUSED, ENOENT, EACCES…, or a timeout
   * after `timeoutMs`) when the printer cannot be reached.
   */
  open(timeoutMs: number): Promise<PrinterConnection>;
}

/** One open connection to a printer. */
export interface PrinterConnection {
  /**
   * Sends bytes. Resolves once they are handed to the operating system (or the fake); rejects when the
   * connection broke. May never resolve when the printer stops reading: callers bound it with a deadline.
   */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Resolves with exactly `n` bytes from the printer, taking bytes that arrived earlier first; rejects
   * with a `ReadTimeout` after `timeoutMs`, or when the connection broke. One read at a time.
   */
  read(n: number, timeoutMs: number): Promise<Buffer>;
  /** Drops bytes received and not read yet (stale status answers). */
  discardInput(): void;
  /** Closes the connection; never rejects. */
  close(): Promise<void>;
}

/** A printer that did not answer in time. */
export class ReadTimeout extends Error {
  constructor(ms: number) {
    super(`no answer from the printer within ${ms} ms`);
    this.name = 'ReadTimeout';
  }
}

/** Buffers received bytes and serves `read(n)`: shared by the transports. */
export class InputBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private waiter: { n: number; resolve(b: Buffer): void; reject(e: Error): void; timer: NodeJS.Timeout } | null = null;
  private failure: Error | null = null;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.serve();
  }

  fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }

  read(n: number, timeoutMs: number): Promise<Buffer> {
    if (this.waiter) return Promise.reject(new Error('a read is already pending'));
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new ReadTimeout(timeoutMs));
      }, timeoutMs);
      this.waiter = { n, resolve, reject, timer };
      if (this.failure && this.size < n) return this.fail(this.failure);
      this.serve();
    });
  }

  private serve(): void {
    const w = this.waiter;
    if (!w || this.size < w.n) return;
    const all = Buffer.concat(this.chunks);
    this.chunks = all.length > w.n ? [all.subarray(w.n)] : [];
    this.size = all.length - w.n;
    this.waiter = null;
    clearTimeout(w.timer);
    w.resolve(all.subarray(0, w.n));
  }
}

/** A network printer (raw TCP, port 9100 by convention). */
export class TcpTransport implements PrinterTransport {
  readonly description: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.description = `tcp://${host}:${port}`;
  }

  open(timeoutMs: number): Promise<PrinterConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`${this.description}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      const onError = (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new TcpConnection(socket));
      });
    });
  }
}

class TcpConnection implements PrinterConnection {
  private readonly input = new InputBuffer();
  private broken: Error | null = null;

  constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.input.push(chunk));
    socket.on('error', (err) => this.breakWith(err));
    socket.on('close', () => this.breakWith(new Error('the printer closed the connection')));
  }

  private breakWith(err: Error): void {
    this.broken ??= err;
    this.input.fail(this.broken);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  read(n: number, timeoutMs: number): Promise<Buffer> {
    return this.input.read(n, timeoutMs);
  }

  discardInput(): void {
    this.input.clear();
  }

  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    // FIN after what is written; a printer that stopped reading never takes it, so do not wait long.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }
}

/**
 * A printer device file: USB printer class (`/dev/usb/lp0`), a serial port already set up with `stty`,
 * or a pty in tests. Opened non-blocking, so a printer that never answers times out instead of holding a
 * thread of Node's pool; reads poll every 10 ms.
 */
export class DeviceTransport implements PrinterTransport {
  /** `anyDevice`: any character device (a pty in the driver's tests), not only the printer allow-list. */
  constructor(
    readonly path: string,
    private readonly anyDevice = false,
  ) {}

  get description(): string {
    return this.path;
  }

  async open(_timeoutMs: number): Promise<PrinterConnection> {
    const handle = await openPrinterDevice(this.path, this.anyDevice);
    const connection = new DeviceConnection(handle);
    await connection.drain();
    return connection;
  }
}

const isAgain = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class DeviceConnection implements PrinterConnection {
  private pending = Buffer.alloc(0);
  private closed = false;

  constructor(private readonly handle: fsp.FileHandle) {}

  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      if (this.closed) throw new Error('connection closed');
      try {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
        if (bytesWritten === 0) await sleep(10);
      } catch (err) {
        if (!isAgain(err)) throw err;
        await sleep(10);
      }
    }
  }

  async read(n: number, timeoutMs: number): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    const chunk = Buffer.alloc(256);
    while (this.pending.length < n) {
      if (this.closed) throw new Error('connection closed');
      let got = 0;
      try {
        got = (await this.handle.read(chunk, 0, chunk.length, null)).bytesRead;
      } catch (err) {
        if (!isAgain(err)) throw err;
      }
      if (got > 0) {
        this.pending = Buffer.concat([this.pending, chunk.subarray(0, got)]);
        continue;
      }
      if (Date.now() >= deadline) throw new ReadTimeout(timeoutMs);
      await sleep(10);
    }
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return Buffer.from(out);
  }

  discardInput(): void {
    this.pending = Buffer.alloc(0);
  }

  /** Drops whatever the device has buffered (answers to an earlier query that timed out). */
  async drain(): Promise<void> {
    const chunk = Buffer.alloc(256);
    for (let i = 0; i < 64; i++) {
      try {
        if ((await this.handle.read(chunk, 0, chunk.length, null)).bytesRead === 0) return;
      } catch (err) {
        if (isAgain(err)) return;
        throw err;
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }
}
