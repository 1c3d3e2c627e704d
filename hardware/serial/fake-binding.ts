import { SerialPortMock } from 'serialport';
import type { SerialBinding, SerialBindingPort, SerialOpenOptions } from './binding.js';

type MockPort = Awaited<ReturnType<typeof SerialPortMock.binding.open>>;

/** The error a read gets when its device is unplugged (not `canceled`: the driver must treat it as a disconnect). */
export class UnpluggedError extends Error {
  readonly disconnected = true;
  constructor(path: string) {
    super(`${path}: device unplugged (EIO)`);
  }
}

class FakePort implements SerialBindingPort {
  private unplug!: (err: Error) => void;
  private readonly unplugged: Promise<never>;

  constructor(
    readonly inner: MockPort,
    private readonly record: (data: Buffer) => void,
  ) {
    this.unplugged = new Promise<never>((_resolve, reject) => (this.unplug = reject));
    this.unplugged.catch(() => undefined);
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  read(buffer: Buffer, offset: number, length: number) {
    return Promise.race([this.inner.read(buffer, offset, length), this.unplugged]);
  }

  async write(buffer: Buffer): Promise<void> {
    await Promise.race([this.inner.write(buffer), this.unplugged]);
    this.record(Buffer.from(buffer));
  }

  drain(): Promise<void> {
    return Promise.race([this.inner.drain(), this.unplugged]);
  }

  close(): Promise<void> {
    return this.inner.isOpen ? this.inner.close() : Promise.resolve();
  }

  pull(path: string): void {
    this.unplug(new UnpluggedError(path));
    if (this.inner.isOpen) void this.inner.close().catch(() => undefined);
  }
}

/**
 * A serialport binding for tests, around serialport's own mock binding (`SerialPortMock.binding`, the copy that
 * 'serialport' loads): it records what drivers write, lets a test feed bytes as if the device sent them, and
 * unplugs and replugs devices (reads fail with a non-canceled error, opens fail until replugged).
 */
export class FakeSerialBinding implements SerialBinding {
  private readonly open_ = new Map<string, FakePort>();
  private readonly writes = new Map<string, Buffer[]>();
  private readonly pulled = new Set<string>();
  private readonly openWaiters = new Map<string, (() => void)[]>();
  opens = 0;

  /** Creates the device at `path` (call before a driver opens it). */
  create(path: string): this {
    SerialPortMock.binding.createPort(path, { record: true });
    return this;
  }

  async open(options: SerialOpenOptions): Promise<SerialBindingPort> {
    if (this.pulled.has(options.path)) {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error(`Error: ENOENT: no such file or directory, cannot open ${options.path}`);
    }
    const inner = await SerialPortMock.binding.open({ ...options, path: options.path, baudRate: options.baudRate });
    const port = new FakePort(inner, (data) => {
      const list = this.writes.get(options.path) ?? [];
      list.push(data);
      this.writes.set(options.path, list);
    });
    this.opens++;
    this.open_.set(options.path, port);
    for (const wake of this.openWaiters.get(options.path)?.splice(0) ?? []) wake();
    return port;
  }

  /** True while a driver has the device open. */
  isOpen(path: string): boolean {
    return this.open_.get(path)?.isOpen === true;
  }

  /** Resolves when a driver has the device open (now or later). */
  whenOpen(path: string): Promise<void> {
    if (this.isOpen(path)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.openWaiters.get(path) ?? [];
      list.push(resolve);
      this.openWaiters.set(path, list);
    });
  }

  /** Bytes the device sends to the driver. Throws when no driver has it open. */
  send(path: string, data: Buffer | string): void {
    const port = this.open_.get(path);
    if (!port?.isOpen) throw new Error(`${path} is not open`);
    port.inner.emitData(Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));
  }

  /** Every chunk drivers wrote to the device, in order, across reconnections. */
  written(path: string): Buffer[] {
    return [...(this.writes.get(path) ?? [])];
  }

  /** Unplugs the device: the open port's reads fail, and opening fails until `replug`. */
  unplug(path: string): void {
    this.pulled.add(path);
    this.open_.get(path)?.pull(path);
    this.open_.delete(path);
  }

  replug(path: string): void {
    this.pulled.delete(path);
  }
}
