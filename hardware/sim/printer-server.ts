import { EventEmitter } from 'node:events';
import { mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { EscPosEmulator, type DecodedPage, type PrinterConditions } from './printer-emulator.js';

// The PNG renderer (and with it @napi-rs/canvas and bwip-js) loads when the first fake printer starts.
let renderer: typeof import('./printer-render.js') | null = null;

export type { PrinterConditions, DecodedPage } from './printer-emulator.js';

export interface FakePrinterOptions extends Partial<PrinterConditions> {
  type?: 'epson' | 'star';
  /** Paper width in dots (576 = 80 mm). */
  widthDots?: number;
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Save every print as `<stamp>-<n>.png` and `.txt` here (the `sim` printer: `<DATA_DIR>/prints`). */
  saveDir?: string | null;
  /** Keep at most this many prints in `saveDir` (oldest removed). */
  keepPrints?: number;
  /** Code page number meaning Windows-1258. */
  cp1258Page?: number;
  /** Keep at most this many prints and connections in memory (the hub's `sim` keeps few). */
  keepInMemory?: number;
}

/** One print the fake produced. */
export interface FakePrint {
  seq: number;
  at: Date;
  page: DecodedPage;
  /** The PNG of the paper (rendered on first use). */
  png(): Buffer;
  /** Where it was saved, when `saveDir` is set. */
  files: { png: string; txt: string } | null;
}

/** Everything one TCP connection carried. */
export interface CapturedConnection {
  bytes: Buffer;
  openedAt: Date;
  closedAt: Date | null;
}

const stamp = (d: Date) => {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}_${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}-${p(d.getMilliseconds(), 3)}`;
};

/**
 * A network receipt printer on a TCP port: answers EPSON/STAR status queries from `conditions` (change them
 * with `set`), captures every byte of every connection, decodes each print (text, raster, QR, barcode) and,
 * with `saveDir`, writes it as PNG + text. Used by the `sim` printer, the agent's `--printer sim`, and tests.
 */
export class FakeEscPosPrinter extends EventEmitter<{ print: [FakePrint]; connection: [CapturedConnection] }> {
  readonly conditions: PrinterConditions;
  readonly type: 'epson' | 'star';
  readonly widthDots: number;
  readonly connections: CapturedConnection[] = [];
  readonly prints: FakePrint[] = [];
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private stallAfter: number | null = null;
  private dropAfterCut = false;
  /** Why the last print could not be saved in `saveDir` (disk full, read-only); null when saving works. */
  storageError: string | null = null;
  private seq = 0;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly opts: FakePrinterOptions = {}) {
    super();
    this.type = opts.type ?? 'epson';
    this.widthDots = opts.widthDots ?? 576;
    this.conditions = { paper: opts.paper ?? 'ok', coverOpen: opts.coverOpen ?? false, answerStatus: opts.answerStatus ?? true };
  }

  /** Starts listening; resolves once the port is open. */
  async start(): Promise<this> {
    renderer ??= await import('./printer-render.js');
    if (this.opts.saveDir) await mkdir(this.opts.saveDir, { recursive: true });
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return this;
  }

  get port(): number {
    const addr = this.server?.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** The printer target string for this fake (`tcp://127.0.0.1:<port>`, plus `?type=star` for a STAR fake). */
  get url(): string {
    const opts = [this.type === 'star' ? 'type=star' : '', this.widthDots !== 576 ? `dots=${this.widthDots}` : ''].filter(Boolean).join('&');
    return `tcp://127.0.0.1:${this.port}${opts ? `?${opts}` : ''}`;
  }

  set(conditions: Partial<PrinterConditions>): void {
    Object.assign(this.conditions, conditions);
  }

  /**
   * From now on every connection stops reading after `afterBytes` bytes and never answers again (a printer
   * that hangs mid-job). `unstall()` restores normal behaviour and drops the stalled connections.
   */
  stall(afterBytes: number): void {
    this.stallAfter = afterBytes;
  }

  /**
   * From now on every connection is closed right after a cut, before the printer answers anything after it
   * (a printer that loses its link once the ticket is on paper): the job is printed but never confirmed.
   */
  closeAfterCut(on = true): void {
    this.dropAfterCut = on;
  }

  unstall(): void {
    this.stallAfter = null;
    for (const s of this.sockets) if (s.isPaused()) s.destroy();
  }

  /** Resolves once `count` prints exist in total (rejects after `ms`). */
  waitForPrints(count: number, ms = 15_000): Promise<FakePrint[]> {
    const done = () => this.prints.filter((p) => p.seq <= count);
    if (this.seq >= count) return Promise.resolve(done());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('print', onPrint);
        reject(new Error(`fake printer: ${this.seq} of ${count} prints after ${ms} ms`));
      }, ms);
      const onPrint = () => {
        if (this.seq < count) return;
        clearTimeout(timer);
        this.off('print', onPrint);
        resolve(done());
      };
      this.on('print', onPrint);
    });
  }

  /** Stops listening and drops every connection; waits for pending file writes. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.writes;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    const captured: CapturedConnection = { bytes: Buffer.alloc(0), openedAt: new Date(), closedAt: null };
    this.connections.push(captured);
    this.trim(this.connections);
    this.emit('connection', captured);
    const emulator = new EscPosEmulator(this.type, this.conditions, this.opts.cp1258Page ?? 52);
    if (this.storageError) void this.probeStorage();
    emulator.on('reply', (bytes, processed) => {
      // With a prints folder, a job is confirmed once its files are saved, and never when they could not be.
      if (!processed || !this.opts.saveDir) {
        if (!socket.destroyed) socket.write(bytes);
        return;
      }
      void this.writes.then(() => {
        if (!socket.destroyed && !this.storageError) socket.write(bytes);
      });
    });
    emulator.on('page', (page) => {
      this.printed(page);
      if (this.dropAfterCut && page.cut) socket.destroy();
    });
    const stallAfter = this.stallAfter;
    let stalled = false;
    socket.on('data', (chunk: Buffer) => {
      if (stalled) return;
      let data = chunk;
      if (stallAfter !== null && captured.bytes.length + data.length > stallAfter) {
        data = data.subarray(0, Math.max(0, stallAfter - captured.bytes.length));
        stalled = true;
        emulator.removeAllListeners('reply');
        socket.pause();
      }
      captured.bytes = Buffer.concat([captured.bytes, data]);
      emulator.feed(data);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      captured.closedAt = new Date();
      if (!stalled) emulator.end();
    });
  }

  private printed(page: DecodedPage): void {
    const seq = ++this.seq;
    const at = new Date();
    let png: Buffer | null = null;
    const print: FakePrint = {
      seq,
      at,
      page,
      png: () => (png ??= renderer!.renderPagePng(page, this.widthDots)),
      files: null,
    };
    const dir = this.opts.saveDir;
    if (dir) {
      const base = path.join(dir, `${stamp(at)}-${String(seq).padStart(4, '0')}`);
      print.files = { png: `${base}.png`, txt: `${base}.txt` };
      this.writes = this.writes
        .then(async () => {
          // Written aside and renamed, so a reader never sees half a file.
          await writeFile(`${base}.txt.part`, `${page.text}\n`);
          await rename(`${base}.txt.part`, `${base}.txt`);
          await writeFile(`${base}.png.part`, print.png());
          await rename(`${base}.png.part`, `${base}.png`);
          if (seq % 50 === 0) await this.prune(dir);
        })
        .catch(async (err: unknown) => {
          // A full or read-only disk: the print is not stored, nothing half-written stays, and the printer
          // reports an error (offline) until a later connection finds the folder writable again.
          for (const f of [`${base}.txt.part`, `${base}.png.part`, `${base}.txt`, `${base}.png`]) await rm(f, { force: true }).catch(() => undefined);
          print.files = null;
          this.storageError = `cannot save prints in ${dir}: ${(err as Error).message}`;
          this.conditions.error = true;
          process.stderr.write(`sim printer: ${this.storageError}\n`);
        });
    }
    this.prints.push(print);
    this.trim(this.prints);
    this.emit('print', print);
  }

  /** Tries the prints folder again after a storage error; clears the error when a file can be written. */
  private async probeStorage(): Promise<void> {
    const dir = this.opts.saveDir;
    if (!dir) return;
    const probe = path.join(dir, `.probe-${process.pid}`);
    try {
      await writeFile(probe, 'ok\n');
      await unlink(probe);
      this.storageError = null;
      this.conditions.error = false;
    } catch {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }

  /** How many prints this fake has produced since it started. */
  get printCount(): number {
    return this.seq;
  }

  private trim(list: unknown[]): void {
    const max = this.opts.keepInMemory ?? 10_000;
    if (list.length > max) list.splice(0, list.length - max);
  }

  private async prune(dir: string): Promise<void> {
    const keep = this.opts.keepPrints ?? 1000;
    const pngs = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    for (const f of pngs.slice(0, Math.max(0, pngs.length - keep))) {
      await unlink(path.join(dir, f)).catch(() => undefined);
      await unlink(path.join(dir, f.replace(/\.png$/, '.txt'))).catch(() => undefined);
    }
  }
}
