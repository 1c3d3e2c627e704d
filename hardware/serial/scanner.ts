import { EventEmitter } from 'node:events';
import type { SerialBinding } from './binding.js';
import { SerialLink, type SerialStatus } from './link.js';

export type { SerialBinding } from './binding.js';
export type { SerialStatus } from './link.js';

export interface SerialScannerOptions {
  /** The scanner's serial device, e.g. /dev/ttyACM0 or /dev/serial/by-id/… */
  path: string;
  /** Default 9600. */
  baudRate?: number;
  /** What ends a code. Default: CR, LF or CRLF (scanners are set to one of those). */
  terminator?: string;
  /** The same code again within this many ms is ignored (default 1500). */
  debounceMs?: number;
  /** The serialport binding (default: the OS binding); tests pass the mock binding or FakeSerialBinding. */
  binding?: SerialBinding;
  /** Longest accepted code in bytes (default 512); longer lines are dropped. */
  maxLength?: number;
  /** Retry period after an unplug or a failed open (default 3000 ms). */
  retryMs?: number;
}

/**
 * A barcode/QR scanner on a serial port (USB-CDC or RS-232), the port interface of every scanner driver.
 *
 * Events:
 * - `'code' (code: string)`: one scanned code, trimmed, printable, not a repeat within `debounceMs`.
 * - `'status' ({connected, error?})`: the device came or went (`connected`), or input was rejected
 *   (`connected: true` with `error`: non-printable bytes, invalid UTF-8, a line over `maxLength`).
 *
 * Unplugging gives `{connected:false}` and the scanner reopens the path every `retryMs` until the device is back.
 * Never emits 'error' and never throws from events.
 */
export interface SerialScanner {
  on(event: 'code', listener: (code: string) => void): this;
  on(event: 'status', listener: (status: SerialStatus) => void): this;
  once(event: 'code', listener: (code: string) => void): this;
  once(event: 'status', listener: (status: SerialStatus) => void): this;
  off(event: 'code', listener: (code: string) => void): this;
  off(event: 'status', listener: (status: SerialStatus) => void): this;
  emit(event: 'code', code: string): boolean;
  emit(event: 'status', status: SerialStatus): boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

export class SerialScanner extends EventEmitter {
  private readonly link: SerialLink;
  private readonly terminator: Buffer | null;
  private readonly debounceMs: number;
  private readonly maxLength: number;
  private pending: Buffer = Buffer.alloc(0);
  private discarding = false;
  private last: { code: string; at: number } | null = null;

  constructor(opts: SerialScannerOptions) {
    super();
    if (opts.terminator === '') throw new Error('SerialScanner: terminator must not be empty');
    this.terminator = opts.terminator === undefined ? null : Buffer.from(opts.terminator, 'utf8');
    this.debounceMs = opts.debounceMs ?? 1500;
    this.maxLength = opts.maxLength ?? 512;
    this.link = new SerialLink({ path: opts.path, baudRate: opts.baudRate, binding: opts.binding, retryMs: opts.retryMs });
    this.link.on('data', (chunk) => this.onData(chunk));
    this.link.on('status', (status) => {
      if (!status.connected) {
        this.pending = Buffer.alloc(0);
        this.discarding = false;
      }
      this.emit('status', status);
    });
  }

  get path(): string {
    return this.link.path;
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /** Opens the port; resolves after the first attempt (a failure is a status, and it keeps retrying). */
  open(): Promise<void> {
    return this.link.open();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const cut = this.nextLine();
      if (!cut) break;
      const [line, rest] = cut;
      this.pending = rest;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      this.onLine(line);
    }
    if (this.pending.length > this.maxLength) {
      if (!this.discarding) this.reject(`line longer than ${this.maxLength} bytes without a terminator: dropped`);
      this.discarding = true;
      this.pending = Buffer.alloc(0);
    }
  }

  /** Splits off the first complete line: [line, rest], or null when no terminator has arrived yet. */
  private nextLine(): [Buffer, Buffer] | null {
    if (this.terminator) {
      const i = this.pending.indexOf(this.terminator);
      return i < 0 ? null : [this.pending.subarray(0, i), this.pending.subarray(i + this.terminator.length)];
    }
    for (let i = 0; i < this.pending.length; i++) {
      const b = this.pending[i];
      if (b === 0x0d || b === 0x0a) {
        const skip = b === 0x0d && this.pending[i + 1] === 0x0a ? 2 : 1;
        return [this.pending.subarray(0, i), this.pending.subarray(i + skip)];
      }
    }
    return null;
  }

  private onLine(raw: Buffer): void {
    if (raw.length === 0) return;
    if (raw.length > this.maxLength) return this.reject(`code longer than ${this.maxLength} bytes: dropped`);
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      return this.reject(`${raw.length} bytes that are not UTF-8 text: dropped`);
    }
    if (CONTROL.test(text)) return this.reject(`code with non-printable bytes (${hexPreview(raw)}): dropped`);
    const code = text.trim();
    if (!code) return;
    const now = Date.now();
    if (this.last && this.last.code === code && now - this.last.at < this.debounceMs) {
      this.last.at = now;
      return;
    }
    this.last = { code, at: now };
    this.emit('code', code);
  }

  private reject(error: string): void {
    this.emit('status', { connected: this.link.connected, error });
  }
}

function hexPreview(buf: Buffer): string {
  const hex = buf.subarray(0, 16).toString('hex').replace(/(..)/g, '$1 ').trim();
  return buf.length > 16 ? `${hex} …` : hex;
}
