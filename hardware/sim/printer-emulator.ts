import { EventEmitter } from 'node:events';
import { decodeCp1258 } from '../printer/cp1258.js';

export type Align = 'left' | 'center' | 'right';
export type PaperState = 'ok' | 'near_end' | 'out';

/** What the simulated printer reports; change it at any time (tests: paper out, cover open, silence). */
export interface PrinterConditions {
  paper: PaperState;
  coverOpen: boolean;
  /** False: the printer never answers a status query (a hung firmware). */
  answerStatus: boolean;
  /** True: the printer is offline with an error (the simulator could not store a print: disk full or read-only). */
  error?: boolean;
}

export interface TextRun {
  text: string;
  bold: boolean;
  /** Character magnification, 1–8. */
  w: number;
  h: number;
}

/** One thing on the paper, top to bottom. */
export type PageElement =
  | { kind: 'text'; runs: TextRun[]; align: Align }
  | { kind: 'image'; width: number; height: number; bytesPerRow: number; bits: Buffer; align: Align; band: boolean }
  | { kind: 'feed'; dots: number }
  | { kind: 'qr'; data: string; module: number; align: Align }
  | { kind: 'barcode'; data: string; module: number; height: number; align: Align };

/** One print: everything between two cuts (or up to the end of a connection). */
export interface DecodedPage {
  elements: PageElement[];
  /** Ended by a cut command (false: the connection ended first). */
  cut: boolean;
  /** The bytes received for this page, status queries included. */
  bytes: Buffer;
  /** The text lines (NFC), for .txt files and assertions. */
  text: string;
  /** Raster images (GS v 0 on EPSON, ESC k bands on STAR). */
  images: number;
}

interface Style {
  align: Align;
  bold: boolean;
  w: number;
  h: number;
  codePage: number;
}

const initialStyle = (): Style => ({ align: 'left', bold: false, w: 1, h: 1, codePage: 0 });
const ALIGN: Align[] = ['left', 'center', 'right'];
const alignOf = (n: number): Align => ALIGN[n % 48] ?? 'left';
const LINE_DOTS = 30;

/**
 * The command interpreter of a simulated EPSON (ESC/POS) or STAR (Star Line Mode) receipt printer.
 * Feed it the bytes a host sends; it answers status queries ('reply' events) and emits a 'page' for every
 * print it would produce. It understands what node-thermal-printer and this project send (text, alignment,
 * bold, sizes, code pages, GS v 0 and STAR raster, QR and CODE128 commands, feeds, cuts) and skips the rest.
 */
export class EscPosEmulator extends EventEmitter<{ reply: [Buffer, boolean]; page: [DecodedPage] }> {
  private pending: Buffer = Buffer.alloc(0);
  private pageBytes: Buffer[] = [];
  private elements: PageElement[] = [];
  private runs: TextRun[] = [];
  private style = initialStyle();
  private qrData = '';
  private qrModule = 3;
  private barcodeModule = 3;
  private barcodeHeight = 162;
  private cutPending = false;
  /** The last thing printed was a STAR raster band: the LF after it only moves past the band. */
  private lastWasBand = false;

  constructor(
    readonly type: 'epson' | 'star',
    readonly conditions: PrinterConditions,
    /** The code page number that means Windows-1258 on this printer. */
    readonly cp1258Page = 52,
  ) {
    super();
  }

  feed(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let i = 0;
    while (i < this.pending.length) {
      const used = this.step(this.pending, i);
      if (used === 0) break;
      this.pageBytes.push(this.pending.subarray(i, i + used));
      i += used;
      if (this.cutPending) {
        this.cutPending = false;
        this.finishPage(true);
      }
    }
    this.pending = Buffer.from(this.pending.subarray(i));
  }

  /** The connection ended: what was received and not cut is printed anyway. */
  end(): void {
    this.flushLine(false);
    if (this.elements.some((e) => e.kind !== 'feed')) this.finishPage(false);
    this.elements = [];
    this.pageBytes = [];
  }

  private get offline(): boolean {
    return this.conditions.paper === 'out' || this.conditions.coverOpen || this.conditions.error === true;
  }

  /** `processed`: the answer to `GS r`, which confirms everything sent before it was printed. */
  private reply(bytes: number[], processed = false): void {
    if (this.conditions.answerStatus) this.emit('reply', Buffer.from(bytes), processed);
  }

  private realtimeEpson(n: number): void {
    const c = this.conditions;
    const out = c.paper === 'out';
    const near = c.paper !== 'ok';
    if (n === 1) this.reply([0x12 | (this.offline ? 0x08 : 0)]);
    else if (n === 2) this.reply([0x12 | (c.coverOpen ? 0x04 : 0) | (out ? 0x20 : 0) | (c.error ? 0x40 : 0)]);
    else if (n === 3) this.reply([0x12]);
    else if (n === 4) this.reply([0x12 | (near ? 0x0c : 0) | (out ? 0x60 : 0)]);
  }

  private starAsb(): void {
    const c = this.conditions;
    this.reply([0x23, 0x86, (c.coverOpen ? 0x20 : 0) | (this.offline ? 0x08 : 0), c.error ? 0x08 : 0x00, (c.paper === 'out' ? 0x08 : 0) | (c.paper !== 'ok' ? 0x04 : 0), 0, 0, 0, 0]);
  }

  /** Interprets the command at `i`; returns how many bytes it used, or 0 when it is incomplete. */
  private step(b: Buffer, i: number): number {
    const have = b.length - i;
    const at = (k: number) => b[i + k]!;
    const need = (n: number) => (have >= n ? n : 0);
    const c = at(0);
    if (c !== 0x0a && c !== 0x1b) this.lastWasBand = false;
    switch (c) {
      case 0x0a:
        if (this.lastWasBand && !this.runs.length) return 1;
        this.flushLine(true);
        return 1;
      case 0x0b:
        if (this.type === 'star') this.flushLine(true);
        return 1;
      case 0x04:
        if (this.type === 'star') this.reply([0x10 | (this.conditions.paper !== 'ok' ? 0x04 : 0) | (this.conditions.paper === 'out' ? 0x08 : 0)]);
        return 1;
      case 0x09:
        this.addText('    ');
        return 1;
      case 0x10: {
        if (have < 2) return 0;
        if (at(1) === 0x04) {
          if (!need(3)) return 0;
          if (this.type === 'epson') this.realtimeEpson(at(2));
          return 3;
        }
        if (at(1) === 0x14) return need(5);
        return need(3);
      }
      case 0x1b:
        return this.esc(b, i, have);
      case 0x1d:
        return this.gs(b, i, have);
      case 0x1c:
        if (have < 2) return 0;
        if (at(1) === 0x70) return need(4);
        if (at(1) === 0x43 || at(1) === 0x21 || at(1) === 0x2d) return need(3);
        return 2;
      default:
        if (c < 0x20) return 1;
        this.addByte(c);
        return 1;
    }
  }

  private esc(b: Buffer, i: number, have: number): number {
    if (have < 2) return 0;
    const at = (k: number) => b[i + k]!;
    const need = (n: number) => (have >= n ? n : 0);
    const star = this.type === 'star';
    const cmd = at(1);
    switch (cmd) {
      case 0x40: // ESC @
        this.flushLine(false);
        this.style = initialStyle();
        return 2;
      case 0x61: // ESC a n
        if (!need(3)) return 0;
        this.setStyle({ align: alignOf(at(2)) });
        return 3;
      case 0x45: // EPSON ESC E n; STAR ESC E (bold on)
        if (star) {
          this.setStyle({ bold: true });
          return 2;
        }
        if (!need(3)) return 0;
        this.setStyle({ bold: (at(2) & 1) === 1 });
        return 3;
      case 0x46: // STAR ESC F (bold off)
        if (star) {
          this.setStyle({ bold: false });
          return 2;
        }
        return need(3);
      case 0x21: // ESC ! n
        if (!need(3)) return 0;
        this.setStyle({ bold: (at(2) & 0x08) !== 0, h: at(2) & 0x10 ? 2 : 1, w: at(2) & 0x20 ? 2 : 1 });
        return 3;
      case 0x74: // ESC t n
        if (!need(3)) return 0;
        this.setStyle({ codePage: at(2) });
        return 3;
      case 0x64: // EPSON: feed n lines. STAR: cut.
        if (!need(3)) return 0;
        if (star) this.cut();
        else {
          this.flushLine(false);
          this.elements.push({ kind: 'feed', dots: at(2) * LINE_DOTS });
        }
        return 3;
      case 0x4a: // ESC J n: feed n dots
        if (!need(3)) return 0;
        this.flushLine(false);
        this.elements.push({ kind: 'feed', dots: at(2) });
        return 3;
      case 0x69: // STAR ESC i n1 n2: size
        if (!star) return need(3);
        if (!need(4)) return 0;
        this.setStyle({ h: Math.min(6, at(2) + 1), w: Math.min(6, at(3) + 1) });
        return 4;
      case 0x6b: {
        // STAR ESC k n1 n2 d: one band of 24 raster rows, n1 bytes each
        if (!star) return need(3);
        if (have < 4) return 0;
        const bytesPerRow = at(2) + at(3) * 256;
        const total = 4 + bytesPerRow * 24;
        if (have < total) return 0;
        this.flushLine(false);
        this.addImage(bytesPerRow, 24, Buffer.from(b.subarray(i + 4, i + total)), true);
        return total;
      }
      case 0x06: // STAR ESC ACK SOH: ASB status
        if (!need(3)) return 0;
        if (star && at(2) === 0x01) this.starAsb();
        return 3;
      case 0x1d: {
        // STAR ESC GS …
        if (have < 3) return 0;
        const sub = at(2);
        if (sub === 0x61 || sub === 0x74) {
          if (!need(4)) return 0;
          if (sub === 0x61) this.setStyle({ align: alignOf(at(3)) });
          else this.setStyle({ codePage: at(3) });
          return 4;
        }
        if (sub === 0x79) return this.starQr(b, i, have);
        return need(4);
      }
      case 0x1e: // STAR ESC RS x n
        return need(4);
      case 0x62: {
        // STAR ESC b n1 n2 n3 n4 data RS
        if (!star) return need(3);
        const end = b.indexOf(0x1e, i + 6);
        if (end < 0) return 0;
        this.flushLine(false);
        this.elements.push({ kind: 'barcode', data: b.subarray(i + 6, end).toString('latin1'), module: 2, height: at(5), align: this.style.align });
        return end - i + 1;
      }
      case 0x32:
      case 0x30:
      case 0x34:
      case 0x35:
        return 2;
      case 0x70: // ESC p m t1 t2
        return need(5);
      case 0x42: // ESC B n t
        return need(4);
      case 0x24:
      case 0x5c:
      case 0x63:
        return need(4);
      case 0x44: {
        // ESC D tabs… NUL
        const end = b.indexOf(0x00, i + 2);
        return end < 0 ? 0 : end - i + 1;
      }
      default:
        return need(3);
    }
  }

  private gs(b: Buffer, i: number, have: number): number {
    if (have < 2) return 0;
    const at = (k: number) => b[i + k]!;
    const need = (n: number) => (have >= n ? n : 0);
    const cmd = at(1);
    switch (cmd) {
      case 0x21: // GS ! n: width in the high nibble, height in the low
        if (!need(3)) return 0;
        this.setStyle({ w: ((at(2) >> 4) & 7) + 1, h: (at(2) & 7) + 1 });
        return 3;
      case 0x56: // GS V m [n]: cut
        if (have < 3) return 0;
        if ([0, 1, 48, 49].includes(at(2))) {
          this.cut();
          return 3;
        }
        if (!need(4)) return 0;
        this.cut();
        return 4;
      case 0x76: {
        // GS v 0 m xL xH yL yH d
        if (have < 8) return 0;
        const bytesPerRow = at(4) + at(5) * 256;
        const rows = at(6) + at(7) * 256;
        const total = 8 + bytesPerRow * rows;
        if (have < total) return 0;
        this.flushLine(false);
        this.addImage(bytesPerRow, rows, Buffer.from(b.subarray(i + 8, i + total)));
        return total;
      }
      case 0x72: // GS r n: answered after everything before it (and never while offline)
        if (!need(3)) return 0;
        if (this.type === 'epson' && !this.offline) this.reply([(this.conditions.paper === 'near_end' ? 0x03 : 0) | (this.conditions.paper === 'out' ? 0x0c : 0)], true);
        return 3;
      case 0x77:
        if (!need(3)) return 0;
        this.barcodeModule = at(2);
        return 3;
      case 0x68:
        if (!need(3)) return 0;
        this.barcodeHeight = at(2);
        return 3;
      case 0x6b: {
        // GS k m …: barcode
        if (have < 3) return 0;
        const m = at(2);
        let data: string;
        let total: number;
        if (m <= 6) {
          const end = b.indexOf(0x00, i + 3);
          if (end < 0) return 0;
          data = b.subarray(i + 3, end).toString('latin1');
          total = end - i + 1;
        } else {
          if (have < 4) return 0;
          total = 4 + at(3);
          if (have < total) return 0;
          data = b.subarray(i + 4, i + total).toString('latin1');
        }
        this.flushLine(false);
        if (m === 73) data = data.replace(/\{[ABC]/g, '');
        this.elements.push({ kind: 'barcode', data, module: this.barcodeModule, height: this.barcodeHeight, align: this.style.align });
        return total;
      }
      case 0x28: {
        // GS ( fn pL pH …
        if (have < 5) return 0;
        const len = at(3) + at(4) * 256;
        const total = 5 + len;
        if (have < total) return 0;
        if (at(2) === 0x6b && len >= 3 && at(5) === 49) this.epsonQr(at(6), b.subarray(i + 7, i + total));
        return total;
      }
      case 0x4c:
      case 0x57:
      case 0x50:
        return need(4);
      default:
        return need(3);
    }
  }

  private epsonQr(fn: number, params: Buffer): void {
    if (fn === 67) this.qrModule = params[0] ?? 3;
    else if (fn === 80) this.qrData = params.subarray(1).toString('latin1');
    else if (fn === 81) {
      this.flushLine(false);
      this.elements.push({ kind: 'qr', data: this.qrData, module: this.qrModule, align: this.style.align });
    }
  }

  private starQr(b: Buffer, i: number, have: number): number {
    // ESC GS y S n m (6) · ESC GS y D 1 0 nL nH data (8 + n) · ESC GS y P (4)
    if (have < 4) return 0;
    const op = b[i + 3]!;
    if (op === 0x53) {
      if (have < 6) return 0;
      if (b[i + 4] === 0x32) this.qrModule = b[i + 5]!;
      return 6;
    }
    if (op === 0x44) {
      if (have < 8) return 0;
      const n = b[i + 6]! + b[i + 7]! * 256;
      if (have < 8 + n) return 0;
      this.qrData = b.subarray(i + 8, i + 8 + n).toString('latin1');
      return 8 + n;
    }
    if (op === 0x50) {
      this.flushLine(false);
      this.elements.push({ kind: 'qr', data: this.qrData, module: this.qrModule, align: this.style.align });
    }
    return 4;
  }

  private setStyle(change: Partial<Style>): void {
    this.style = { ...this.style, ...change };
  }

  private addByte(byte: number): void {
    const ch = byte < 0x80 ? String.fromCharCode(byte) : this.style.codePage === this.cp1258Page ? decodeCp1258(Buffer.from([byte])) : String.fromCharCode(byte);
    this.addText(ch);
  }

  private addText(text: string): void {
    if (this.offline) return;
    const { bold, w, h } = this.style;
    const last = this.runs.at(-1);
    if (last && last.bold === bold && last.w === w && last.h === h) last.text += text;
    else this.runs.push({ text, bold, w, h });
  }

  private addImage(bytesPerRow: number, rows: number, bits: Buffer, band = false): void {
    this.lastWasBand = band;
    if (this.offline) return;
    const last = this.elements.at(-1);
    // STAR raster comes in bands of 24 rows: consecutive bands are one picture.
    if (band && last?.kind === 'image' && last.band && last.bytesPerRow === bytesPerRow) {
      last.bits = Buffer.concat([last.bits, bits]);
      last.height += rows;
      return;
    }
    this.elements.push({ kind: 'image', width: bytesPerRow * 8, height: rows, bytesPerRow, bits, align: this.style.align, band });
  }

  /** Ends the current text line; `feed` prints an empty line when there is no text (a bare LF). */
  private flushLine(feed: boolean): void {
    if (this.offline) {
      this.runs = [];
      return;
    }
    if (this.runs.length) {
      this.elements.push({ kind: 'text', runs: this.runs.map((r) => ({ ...r, text: r.text.normalize('NFC') })), align: this.style.align });
      this.runs = [];
    } else if (feed) {
      this.elements.push({ kind: 'feed', dots: LINE_DOTS * this.style.h });
    }
  }

  private cut(): void {
    this.flushLine(false);
    if (!this.offline) this.cutPending = true;
  }

  private finishPage(cut: boolean): void {
    const elements = this.elements;
    const text = elements
      .map((e) => {
        switch (e.kind) {
          case 'text':
            return e.runs.map((r) => r.text).join('');
          case 'image':
            return `[raster ${e.width}x${e.height}]`;
          case 'qr':
            return `[QR ${e.data}]`;
          case 'barcode':
            return `[CODE128 ${e.data}]`;
          case 'feed':
            return null;
        }
      })
      .filter((l): l is string => l !== null)
      .join('\n');
    const page: DecodedPage = { elements, cut, bytes: Buffer.concat(this.pageBytes), text, images: elements.filter((e) => e.kind === 'image').length };
    this.elements = [];
    this.pageBytes = [];
    this.emit('page', page);
  }
}
