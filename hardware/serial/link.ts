import { EventEmitter } from 'node:events';
import { isCanceled, realBinding, type SerialBinding, type SerialBindingPort } from './binding.js';

/** Connection state of a serial device, as drivers report it. */
export interface SerialStatus {
  connected: boolean;
  /** Why it is not connected, or what was wrong with the last input (bytes rejected). */
  error?: string;
}

export interface SerialLinkOptions {
  path: string;
  baudRate?: number;
  /** The serialport binding (default: the OS binding). */
  binding?: SerialBinding;
  /** How often to try again after the device went away or could not be opened (default 3000 ms). */
  retryMs?: number;
}

export interface SerialLink {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'status', listener: (status: SerialStatus) => void): this;
  once(event: 'status', listener: (status: SerialStatus) => void): this;
  off(event: 'data', listener: (chunk: Buffer) => void): this;
  off(event: 'status', listener: (status: SerialStatus) => void): this;
  emit(event: 'data', chunk: Buffer): boolean;
  emit(event: 'status', status: SerialStatus): boolean;
}

/**
 * One serial port kept open: reads everything that arrives ('data'), queues writes, and when the device goes
 * away (unplugged, read error) reports `status {connected:false}` and tries to open it again every `retryMs`
 * until it is back. Never emits 'error': every failure is a status.
 */
export class SerialLink extends EventEmitter {
  readonly path: string;
  readonly baudRate: number;
  private readonly retryMs: number;
  private binding: SerialBinding | null;
  private port: SerialBindingPort | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = true;
  private writes: Promise<void> = Promise.resolve();
  private lastStatus: SerialStatus = { connected: false };

  constructor(opts: SerialLinkOptions) {
    super();
    this.path = opts.path;
    this.baudRate = opts.baudRate ?? 9600;
    this.retryMs = opts.retryMs ?? 3000;
    this.binding = opts.binding ?? null;
  }

  get connected(): boolean {
    return this.port !== null;
  }

  get status(): SerialStatus {
    return this.lastStatus;
  }

  /** Opens the port. Resolves after the first attempt whatever its result; on failure it keeps retrying. */
  async open(): Promise<void> {
    if (!this.closed) return;
    this.closed = false;
    await this.attempt();
  }

  /** Stops retrying and closes the port. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const port = this.port;
    this.port = null;
    await this.writes;
    if (port) await port.close().catch(() => undefined);
    this.setStatus({ connected: false });
  }

  /** Writes `data` after the writes before it. Rejects when the port is not connected or the write fails. */
  write(data: Buffer): Promise<void> {
    const run = this.writes.then(async () => {
      const port = this.port;
      if (!port) throw new Error(`${this.path} is not connected`);
      try {
        await port.write(data);
        await port.drain();
      } catch (err) {
        if (this.port === port) this.lost(port, err);
        throw err;
      }
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async attempt(): Promise<void> {
    this.timer = null;
    if (this.closed || this.port) return;
    try {
      this.binding ??= await realBinding();
      const port = await this.binding.open({ path: this.path, baudRate: this.baudRate });
      if (this.closed) {
        await port.close().catch(() => undefined);
        return;
      }
      this.port = port;
      this.setStatus({ connected: true });
      void this.readLoop(port);
    } catch (err) {
      this.setStatus({ connected: false, error: `cannot open ${this.path}: ${messageOf(err)}` });
      this.retry();
    }
  }

  private async readLoop(port: SerialBindingPort): Promise<void> {
    const buf = Buffer.alloc(1024);
    while (this.port === port) {
      try {
        const { bytesRead } = await port.read(buf, 0, buf.length);
        if (this.port !== port) return;
        if (bytesRead > 0) this.emit('data', Buffer.from(buf.subarray(0, bytesRead)));
      } catch (err) {
        if (this.port === port && !isCanceled(err)) this.lost(port, err);
        return;
      }
    }
  }

  private lost(port: SerialBindingPort, err: unknown): void {
    this.port = null;
    port.close().catch(() => undefined);
    this.setStatus({ connected: false, error: `${this.path} disconnected: ${messageOf(err)}` });
    this.retry();
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => void this.attempt(), this.retryMs);
    this.timer.unref();
  }

  private setStatus(status: SerialStatus): void {
    const same = status.connected === this.lastStatus.connected && status.error === this.lastStatus.error;
    this.lastStatus = status;
    if (!same) this.emit('status', status);
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
