import { makeStatus, PrinterError, stateMessages, type PrinterProfile, type PrinterStatus, type PrintInput, type TicketPrinterPort } from './port.js';
import { renderJob } from './render.js';
import {
  decodeEpson,
  decodeEpsonProcessed,
  decodeStarAsb,
  EPSON_OFFLINE_QUERY,
  EPSON_PAPER_QUERY,
  EPSON_PROCESSED_QUERY,
  isRealtimeAnswer,
  STAR_ASB_QUERY,
  starAsbLength,
  stateOf,
  type DecodedStatus,
} from './status.js';
import { ReadTimeout, type PrinterConnection, type PrinterTransport } from './transport.js';

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/**
 * An EPSON or STAR receipt printer over any `PrinterTransport`. Layouts are rendered with
 * node-thermal-printer; status is read over the same connection (see status.ts). One connection per job.
 */
export class EscPosPrinter implements TicketPrinterPort {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly target: string,
    private readonly transport: PrinterTransport,
    readonly profile: PrinterProfile,
    private readonly onClose?: () => Promise<void>,
  ) {}

  status(): Promise<PrinterStatus> {
    return this.serial(() => this.statusNow());
  }

  print(job: PrintInput): Promise<PrinterStatus> {
    return this.serial(() => this.printNow(job));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain.catch(() => undefined);
    await this.onClose?.();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`printer ${this.target} is closed`));
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private get confirmMs(): number {
    return this.profile.timeoutMs * 3;
  }

  private async statusNow(): Promise<PrinterStatus> {
    let conn: PrinterConnection;
    try {
      conn = await this.transport.open(this.profile.timeoutMs);
    } catch (err) {
      return makeStatus('unreachable', { message: `${stateMessages.unreachable} (${this.transport.description}: ${reason(err)})`, coverOpen: null });
    }
    try {
      return await this.query(conn, this.profile.timeoutMs);
    } catch (err) {
      return makeStatus('unreachable', { message: `Máy in không trả lời truy vấn trạng thái (${reason(err)})`, coverOpen: null });
    } finally {
      await conn.close();
    }
  }

  /** Reads one byte that is a real-time (`DLE EOT`) answer, skipping a late `GS r` answer. */
  private async realtimeByte(conn: PrinterConnection, query: Buffer, timeoutMs: number): Promise<number> {
    await conn.write(query);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadTimeout(timeoutMs);
      const b = (await conn.read(1, left))[0]!;
      if (isRealtimeAnswer(b)) return b;
    }
  }

  private async decode(conn: PrinterConnection, timeoutMs: number): Promise<DecodedStatus> {
    if (this.profile.type === 'star') {
      await conn.write(STAR_ASB_QUERY);
      const header = (await conn.read(1, timeoutMs))[0]!;
      const rest = await conn.read(starAsbLength(header) - 1, timeoutMs);
      return decodeStarAsb(Buffer.concat([Buffer.from([header]), rest]));
    }
    const offline = await this.realtimeByte(conn, EPSON_OFFLINE_QUERY, timeoutMs);
    const paper = await this.realtimeByte(conn, EPSON_PAPER_QUERY, timeoutMs);
    return decodeEpson(offline, paper);
  }

  private async query(conn: PrinterConnection, timeoutMs: number): Promise<PrinterStatus> {
    conn.discardInput();
    const d = await this.decode(conn, timeoutMs);
    return makeStatus(stateOf(d), d);
  }

  private async printNow(job: PrintInput): Promise<PrinterStatus> {
    const bytes = await renderJob(job, this.profile);
    let conn: PrinterConnection;
    try {
      conn = await this.transport.open(this.profile.timeoutMs);
    } catch (err) {
      throw new PrinterError('unreachable', `${stateMessages.unreachable} (${this.transport.description}: ${reason(err)})`);
    }
    try {
      let before: PrinterStatus;
      try {
        before = await this.query(conn, this.profile.timeoutMs);
      } catch (err) {
        throw new PrinterError('unreachable', `Máy in không trả lời truy vấn trạng thái (${reason(err)})`);
      }
      if (!before.ok) throw new PrinterError(before.state as PrinterError['state'], before.message);

      const lost = (what: string) => new PrinterError('timeout', `${stateMessages.timeout}: ${what}`, true);
      try {
        await withDeadline(conn.write(bytes), this.confirmMs, () => lost(`không nhận hết ${bytes.length} byte trong ${this.confirmMs} ms`));
      } catch (err) {
        if (err instanceof PrinterError) throw err;
        throw new PrinterError('error', `Mất kết nối với máy in khi đang in (${reason(err)})`, true);
      }
      return await this.confirm(conn, before, lost);
    } finally {
      await conn.close();
    }
  }

  /** Waits until the printer has processed the job, and reads the paper state after it. */
  private async confirm(conn: PrinterConnection, before: PrinterStatus, lost: (what: string) => PrinterError): Promise<PrinterStatus> {
    let after: DecodedStatus;
    try {
      if (this.profile.type === 'star') {
        after = await this.decode(conn, this.confirmMs);
      } else {
        await conn.write(EPSON_PROCESSED_QUERY);
        after = await this.readProcessed(conn, this.confirmMs);
      }
    } catch (err) {
      // The printer took every byte, then closed the connection before confirming: it may well be on paper.
      if (!(err instanceof ReadTimeout)) throw new PrinterError('error', `Mất kết nối với máy in sau khi gửi hết lệnh in, chưa xác nhận đã in (${reason(err)})`, true, true);
      // A printer that ran out of paper mid-job goes offline and never answers GS r: ask in real time why.
      const why = await this.decode(conn, Math.min(1000, this.profile.timeoutMs)).catch(() => null);
      const state = why ? stateOf(why) : null;
      if (state && state !== 'ok' && state !== 'paper_near_end') throw new PrinterError(state, `${stateMessages[state]} khi đang in`, true);
      // Silent, not closed: it may have stopped mid-job (the bytes may sit in the network buffers), so part of it at most.
      throw lost(`không xác nhận đã in sau ${this.confirmMs} ms`);
    }
    const state = stateOf(after);
    if (state === 'paper_out' || state === 'cover_open' || state === 'error') throw new PrinterError(state, `${stateMessages[state]} khi đang in`, true);
    return makeStatus(state, { ...after, coverOpen: after.coverOpen ?? before.coverOpen });
  }

  /** Reads the `GS r 1` answer, skipping stray real-time answers. */
  private async readProcessed(conn: PrinterConnection, timeoutMs: number): Promise<DecodedStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadTimeout(timeoutMs);
      const b = (await conn.read(1, left))[0]!;
      if (!isRealtimeAnswer(b)) return decodeEpsonProcessed(b);
    }
  }
}
