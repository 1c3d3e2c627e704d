import type { SerialLink, SerialStatus } from './link.js';

/** What an LED counter display is told to do. */
export interface LedCommand {
  /** Bus address of the display (RS-485 displays share one line), 1…99. */
  address: number;
  action: 'show' | 'blink' | 'clear';
  /** Printable ASCII, already cut to the display's width; empty for `clear`. */
  text: string;
}

/** How commands become bytes on the wire for one model of display. */
export interface LedFraming {
  readonly name: string;
  /** Whether the display can blink; without it `blink` shows the text steadily. */
  readonly supportsBlink: boolean;
  encode(command: LedCommand): Buffer;
}

export const STX = 0x02;
export const ETX = 0x03;

/**
 * The default frame, for RS-485 displays on one shared line:
 *
 *     STX | address (2 ASCII digits, "01"…"99") | action ('S' show, 'B' blink, 'C' clear) | text (ASCII) | ETX | BCC
 *
 * BCC is the XOR of every byte from the first address digit through ETX. Example: show "A023" on display 1 is
 * `02 30 31 53 41 30 32 33 03 <bcc>`. A display only acts on frames with its own address and a good BCC.
 */
export const stxFraming: LedFraming = {
  name: 'stx',
  supportsBlink: true,
  encode({ address, action, text }) {
    if (!Number.isInteger(address) || address < 1 || address > 99) throw new RangeError(`LED address must be 1…99, got ${address}`);
    const body = Buffer.concat([Buffer.from(String(address).padStart(2, '0') + actionByte(action), 'ascii'), Buffer.from(action === 'clear' ? '' : text, 'ascii'), Buffer.from([ETX])]);
    return Buffer.concat([Buffer.from([STX]), body, Buffer.from([bcc(body)])]);
  },
};

/**
 * Plain ASCII for simple point-to-point displays that show each line they receive: the text and a terminator
 * (default CRLF); clear sends an empty line; no addressing, no blinking.
 */
export function asciiFraming(terminator = '\r\n'): LedFraming {
  return {
    name: 'ascii',
    supportsBlink: false,
    encode({ action, text }) {
      return Buffer.from(`${action === 'clear' ? '' : text}${terminator}`, 'ascii');
    },
  };
}

function actionByte(action: LedCommand['action']): string {
  switch (action) {
    case 'show':
      return 'S';
    case 'blink':
      return 'B';
    case 'clear':
      return 'C';
  }
}

function bcc(bytes: Buffer): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

/**
 * Reads STX frames out of a byte stream (for simulators and tests): complete frames, bytes that were not a
 * valid frame, and what is left for the next chunk.
 */
export function decodeStxFrames(buf: Buffer): { frames: LedCommand[]; rest: Buffer; garbage: number } {
  const frames: LedCommand[] = [];
  let garbage = 0;
  let i = 0;
  while (i < buf.length) {
    if (buf[i] !== STX) {
      garbage++;
      i++;
      continue;
    }
    const end = buf.indexOf(ETX, i + 1);
    if (end < 0 || end + 1 >= buf.length) break;
    const body = buf.subarray(i + 1, end + 1);
    const ok = body.length >= 4 && bcc(body) === buf[end + 1];
    const address = Number(body.toString('ascii', 0, 2));
    const action = ({ S: 'show', B: 'blink', C: 'clear' } as const)[body.toString('ascii', 2, 3) as 'S' | 'B' | 'C'];
    if (ok && action && Number.isInteger(address)) frames.push({ address, action, text: body.toString('ascii', 3, body.length - 1) });
    else garbage += end + 2 - i;
    i = end + 2;
  }
  return { frames, rest: buf.subarray(i), garbage };
}

/**
 * An LED counter display (the port interface of every LED display driver): shows the number its counter
 * called, blinks it on a recall when the display can, goes blank when the counter closes.
 */
export interface LedDisplayPort {
  /** Shows `text` (made printable ASCII and cut to the display's width); `blink` on a recall. Rejects when the line is down. */
  show(text: string, opts?: { blink?: boolean }): Promise<void>;
  /** Blanks the display. */
  clear(): Promise<void>;
  /** Blanks the display and stops (the serial line itself belongs to whoever opened it). */
  close(): Promise<void>;
  /** Whether the serial line is up. */
  readonly connected: boolean;
  /** What the display should be showing now ('' when blank): sent again when the line comes back. */
  readonly current: string;
}

export interface SerialLedDisplayOptions {
  /** The serial line (one RS-485 line may carry several displays with different addresses). */
  link: SerialLink;
  address?: number;
  framing?: LedFraming;
  /** Characters the display has (default 8). */
  width?: number;
}

/** Vietnamese letters and symbols down to what a 7-segment or dot-matrix counter display shows. */
export function ledText(text: string, width: number): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toUpperCase()
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, width);
}

/** An LED display on a serial line, driven with a `LedFraming`. Re-sends what it shows when the line comes back. */
export class SerialLedDisplay implements LedDisplayPort {
  readonly address: number;
  readonly framing: LedFraming;
  private readonly width: number;
  private readonly link: SerialLink;
  private state: { text: string; blink: boolean } = { text: '', blink: false };
  private readonly onStatus = (status: SerialStatus) => {
    if (status.connected) void this.send().catch(() => undefined);
  };

  constructor(opts: SerialLedDisplayOptions) {
    this.link = opts.link;
    this.address = opts.address ?? 1;
    this.framing = opts.framing ?? stxFraming;
    this.width = opts.width ?? 8;
    if (!Number.isInteger(this.address) || this.address < 1 || this.address > 99) throw new RangeError(`LED address must be 1…99, got ${this.address}`);
    this.link.on('status', this.onStatus);
  }

  get connected(): boolean {
    return this.link.connected;
  }

  get current(): string {
    return this.state.text;
  }

  show(text: string, opts: { blink?: boolean } = {}): Promise<void> {
    this.state = { text: ledText(text, this.width), blink: opts.blink === true };
    return this.send();
  }

  clear(): Promise<void> {
    this.state = { text: '', blink: false };
    return this.send();
  }

  async close(): Promise<void> {
    this.link.off('status', this.onStatus);
    if (this.link.connected) await this.clear().catch(() => undefined);
  }

  private send(): Promise<void> {
    const { text, blink } = this.state;
    const action = !text ? 'clear' : blink && this.framing.supportsBlink ? 'blink' : 'show';
    return this.link.write(this.framing.encode({ address: this.address, action, text }));
  }
}
