/**
 * The serialport binding the serial drivers talk to, injected as a constructor argument.
 *
 * This is the part of serialport's `BindingInterface` (@serialport/bindings-interface) the drivers use, so the
 * real binding (`SerialPort.binding` from 'serialport', bindings-cpp), serialport's mock binding
 * (`SerialPortMock.binding`) and `FakeSerialBinding` all fit. Drivers read and write through the binding's port
 * object directly, not through a stream, and follow its contract:
 * - `read` resolves with at least one byte; when the port is closed by us it rejects with `err.canceled === true`;
 *   any other rejection means the device is gone (unplugged, pty closed).
 * - `write` is only called when no other write is pending (drivers queue their writes).
 */
export interface SerialBinding {
  /** Opens the port at `options.path`; rejects when it does not exist or is locked by another process. */
  open(options: SerialOpenOptions): Promise<SerialBindingPort>;
}

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 1.5 | 2;
  parity?: string;
  /** Exclusive access (default true in the real binding). */
  lock?: boolean;
}

/** An open port. */
export interface SerialBindingPort {
  readonly isOpen: boolean;
  /** Reads up to `length` bytes into `buffer` at `offset`; waits until at least one byte is there. */
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  /** Writes all of `buffer`; resolves once the OS has it. */
  write(buffer: Buffer): Promise<void>;
  /** Waits until written data has left the port. */
  drain(): Promise<void>;
  /** Closes the port; a pending read rejects with `canceled`. */
  close(): Promise<void>;
}

/** An error of a read that ended because we closed the port (not a disconnection). */
export function isCanceled(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { canceled?: unknown }).canceled === true;
}

let real: Promise<SerialBinding> | null = null;

/** The OS binding (bindings-cpp), loaded on first use so a hub without serial devices never loads the native module. */
export function realBinding(): Promise<SerialBinding> {
  real ??= import('serialport').then((m) => m.SerialPort.binding as SerialBinding);
  return real;
}
