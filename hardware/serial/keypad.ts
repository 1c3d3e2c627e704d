import { EventEmitter } from 'node:events';
import type { SerialBinding } from './binding.js';
import { SerialLink, type SerialStatus } from './link.js';

/** What a counter's calling keypad can ask for: the staff console's four buttons. */
export type KeypadCommand = 'next' | 'recall' | 'no-show' | 'done';

export const KEYPAD_COMMANDS: readonly KeypadCommand[] = ['next', 'recall', 'no-show', 'done'];

/** Default byte protocol: one key, one byte. */
export const DEFAULT_KEYPAD_KEYS: Readonly<Record<string, KeypadCommand>> = { '1': 'next', '2': 'recall', '3': 'no-show', '4': 'done' };

/** Default line protocol: one word per line (case-insensitive). */
export const DEFAULT_KEYPAD_WORDS: Readonly<Record<string, KeypadCommand>> = {
  NEXT: 'next',
  CALL: 'next',
  RECALL: 'recall',
  NOSHOW: 'no-show',
  'NO-SHOW': 'no-show',
  SKIP: 'no-show',
  DONE: 'done',
  FINISH: 'done',
};

export interface CallingKeypadOptions {
  path: string;
  baudRate?: number;
  binding?: SerialBinding;
  /** 'byte': each byte is a key (`keys`); 'line': each CR/LF-terminated line is a word (`words`). Default 'byte'. */
  protocol?: 'byte' | 'line';
  keys?: Record<string, KeypadCommand>;
  words?: Record<string, KeypadCommand>;
  /** The same command again within this many ms is a key bounce and ignored (default 800): two "next" never skip a citizen. */
  debounceMs?: number;
  retryMs?: number;
}

/**
 * A counter's calling keypad (the port interface of every keypad driver).
 *
 * Events: `'command' (command: KeypadCommand)` for each press, `'status' ({connected, error?})` when the
 * device comes or goes or sends something unknown (`connected: true` with `error`). Unplug → retries like
 * the scanner. Which counter it belongs to is the hub's configuration, not the keypad's.
 */
export interface CallingKeypad {
  on(event: 'command', listener: (command: KeypadCommand) => void): this;
  on(event: 'status', listener: (status: SerialStatus) => void): this;
  off(event: 'command', listener: (command: KeypadCommand) => void): this;
  off(event: 'status', listener: (status: SerialStatus) => void): this;
  emit(event: 'command', command: KeypadCommand): boolean;
  emit(event: 'status', status: SerialStatus): boolean;
}

export class CallingKeypad extends EventEmitter {
  private readonly link: SerialLink;
  private readonly protocol: 'byte' | 'line';
  private readonly keys: Map<string, KeypadCommand>;
  private readonly words: Map<string, KeypadCommand>;
  private readonly debounceMs: number;
  private line = '';
  private last: { command: KeypadCommand; at: number } | null = null;

  constructor(opts: CallingKeypadOptions) {
    super();
    this.protocol = opts.protocol ?? 'byte';
    this.keys = new Map(Object.entries(opts.keys ?? DEFAULT_KEYPAD_KEYS));
    this.words = new Map(Object.entries(opts.words ?? DEFAULT_KEYPAD_WORDS).map(([w, c]) => [w.toUpperCase(), c]));
    for (const key of this.keys.keys()) if (Buffer.byteLength(key) !== 1) throw new Error(`keypad key "${key}" must be one byte`);
    this.debounceMs = opts.debounceMs ?? 800;
    this.link = new SerialLink({ path: opts.path, baudRate: opts.baudRate, binding: opts.binding, retryMs: opts.retryMs });
    this.link.on('status', (status) => this.emit('status', status));
    this.link.on('data', (chunk) => (this.protocol === 'byte' ? this.onBytes(chunk) : this.onText(chunk)));
  }

  get path(): string {
    return this.link.path;
  }

  get connected(): boolean {
    return this.link.connected;
  }

  open(): Promise<void> {
    return this.link.open();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private onBytes(chunk: Buffer): void {
    for (const byte of chunk) {
      if (byte === 0x0d || byte === 0x0a || byte === 0x00) continue;
      const command = this.keys.get(String.fromCharCode(byte));
      if (command) this.press(command);
      else this.unknown(`unknown key 0x${byte.toString(16).padStart(2, '0')}`);
    }
  }

  private onText(chunk: Buffer): void {
    this.line += chunk.toString('latin1');
    const parts = this.line.split(/\r\n|\r|\n/);
    this.line = parts.pop() ?? '';
    if (this.line.length > 64) {
      this.unknown('line too long: dropped');
      this.line = '';
    }
    for (const part of parts) {
      const word = part.trim().toUpperCase();
      if (!word) continue;
      const command = this.words.get(word);
      if (command) this.press(command);
      else this.unknown(`unknown command "${word.replace(/[^\x20-\x7e]/g, '?').slice(0, 32)}"`);
    }
  }

  private press(command: KeypadCommand): void {
    const now = Date.now();
    if (this.last && this.last.command === command && now - this.last.at < this.debounceMs) return;
    this.last = { command, at: now };
    this.emit('command', command);
  }

  private unknown(error: string): void {
    this.emit('status', { connected: this.link.connected, error });
  }
}
