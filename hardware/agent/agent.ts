import { looksLikeCccd } from '../../protocol/cccd.js';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  AgentPrintJob,
  type AgentPrinterReport,
  type AgentPrintResult,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../protocol/index.js';
import { validator } from '../../protocol/validate.js';
import { faultCodeOf, openPrinter, PrinterError, type PrinterStatus, type TicketPrinterPort } from '../printer/index.js';
import { SerialScanner } from '../serial/scanner.js';
import { PrintLedger, type LedgerEntry } from './ledger.js';

type AgentSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface AgentOptions {
  /** The hub, e.g. http://hub.local:8080. */
  hubUrl: string;
  /** The token of an `agent` device (POST /api/v1/devices {kind: 'agent', printer: 'agent'}). */
  token: string;
  /** This PC's printer: `tcp://…`, `/dev/…`, `sim` (options as a query string), or a ready port. */
  printer: string | TicketPrinterPort;
  /** The file of printed job ids (default `<dataDir>/agent-printed.jsonl`). */
  ledgerPath?: string;
  /** Where `sim` saves prints (`<dataDir>/prints`) and the default ledger lives. Default ./data. */
  dataDir?: string;
  /** A serial barcode scanner whose codes go to the hub as `agent:scan`. */
  scanner?: { path: string; baudRate?: number } | null;
  /** Heartbeat (and printer check) period; default 10 s. */
  heartbeatMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

const ANSWER_TIMEOUT_MS = 5000;
const checkJob = validator(AgentPrintJob);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The hardware agent of a kiosk PC: keeps a socket.io connection to the hub (reconnecting forever), prints
 * the jobs the hub sends on the local printer, answers each by id, reports its printer's state and forwards
 * barcode scans. A job id it has handled is never printed again: the outcome is answered from its ledger.
 */
export class PrintAgent extends EventEmitter<{
  connected: [];
  disconnected: [reason: string];
  /** A job reached the printer (or failed); `fromLedger` when it was answered without printing. */
  handled: [job: AgentPrintJob, entry: LedgerEntry, fromLedger: boolean];
  scan: [code: string];
}> {
  private socket: AgentSocket | null = null;
  private port: TicketPrinterPort | null = null;
  private ledger: PrintLedger | null = null;
  private scanner: SerialScanner | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = 500;
  private lastReport: AgentPrinterReport | null = null;
  private reported: string | null = null;
  private scannerFault: { code: string; message: string } | null = null;
  private stopping = false;

  constructor(private readonly opts: AgentOptions) {
    super();
  }

  private log(level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>): void {
    this.opts.log?.(level, message, extra);
  }

  private get dataDir(): string {
    return path.resolve(this.opts.dataDir ?? './data');
  }

  async start(): Promise<void> {
    this.ledger = await PrintLedger.open(this.opts.ledgerPath ?? path.join(this.dataDir, 'agent-printed.jsonl'));
    this.port = typeof this.opts.printer === 'string' ? await openPrinter(this.opts.printer, { simDir: path.join(this.dataDir, 'prints') }) : this.opts.printer;
    if (this.opts.scanner) await this.openScanner(this.opts.scanner);

    const socket: AgentSocket = io(this.opts.hubUrl, {
      auth: { token: this.opts.token },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.reconnectDelay = 500;
      this.log('info', 'connected to the hub', { hub: this.opts.hubUrl });
      this.emit('connected');
      this.afterConnect().catch((err: unknown) => this.log('warn', 'after-connect work failed', { err: errorText(err) }));
    });
    socket.on('disconnect', (reason) => {
      this.log('warn', 'disconnected from the hub', { reason });
      this.emit('disconnected', reason);
      // The hub dropping us on purpose stops socket.io's own reconnection: keep trying anyway.
      if (reason === 'io server disconnect') this.reconnectLater();
    });
    socket.on('connect_error', (err) => {
      this.log('warn', 'cannot connect to the hub', { err: err.message });
      // A refusal by the hub's middleware (unknown token, database down) is not retried by socket.io.
      if (!socket.active) this.reconnectLater();
    });
    socket.on('print:job', (job) => this.receive(job));

    const every = this.opts.heartbeatMs ?? 10_000;
    const beat = () => {
      this.heartbeat = setTimeout(() => {
        this.beat()
          .catch((err: unknown) => this.log('warn', 'heartbeat failed', { err: errorText(err) }))
          .finally(() => {
            if (!this.stopping) beat();
          });
      }, every);
      this.heartbeat.unref();
    };
    beat();
  }

  /** Disconnects, lets the job in progress finish (its answer waits in the ledger), closes the printer. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.heartbeat) clearTimeout(this.heartbeat);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    await this.chain;
    await this.scanner?.close().catch(() => undefined);
    if (typeof this.opts.printer === 'string') await this.port?.close().catch(() => undefined);
    await this.ledger?.close();
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  private reconnectLater(): void {
    if (this.stopping || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(30_000, this.reconnectDelay * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopping && this.socket && !this.socket.connected) this.socket.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private async openScanner(opts: { path: string; baudRate?: number }): Promise<void> {
    const scanner = new SerialScanner({ path: opts.path, baudRate: opts.baudRate });
    this.scanner = scanner;
    scanner.on('code', (code) => {
      this.emit('scan', code);
      const socket = this.socket;
      if (!socket?.connected) return this.log('warn', 'scan dropped: not connected to the hub', { code: redact(code) });
      socket
        .timeout(ANSWER_TIMEOUT_MS)
        .emitWithAck('agent:scan', { code })
        .then((reply) => {
          if (!reply.ok) this.log('warn', 'the hub refused a scan', { code: redact(code), error: reply.error });
        })
        .catch((err: unknown) => this.log('warn', 'scan not confirmed', { code: redact(code), err: errorText(err) }));
    });
    scanner.on('status', (status) => {
      this.scannerFault = status.connected ? null : { code: 'scanner_disconnected', message: `Máy quét mã ${opts.path} không kết nối${status.error ? `: ${status.error}` : ''}` };
    });
    await scanner.open().catch((err: unknown) => {
      this.scannerFault = { code: 'scanner_disconnected', message: `Không mở được máy quét ${opts.path}: ${errorText(err)}` };
    });
  }

  private async afterConnect(): Promise<void> {
    await this.beat();
    for (const entry of this.ledger?.unacked() ?? []) await this.answer(entry);
  }

  /** Checks the printer, sends the heartbeat with its faults, and the printer report when it changed. */
  private async beat(): Promise<void> {
    const status = await this.port!.status();
    this.noteStatus(status.state, status);
    const socket = this.socket;
    if (!socket?.connected) return;
    const code = faultCodeOf(status.state);
    const faults = [...(code ? [{ code, message: status.message }] : []), ...(this.scannerFault ? [this.scannerFault] : [])].map((f) => ({ code: f.code, message: f.message.slice(0, 500) }));
    socket.emit('device:heartbeat', { faults });
    await this.report(true);
  }

  private noteStatus(state: PrinterStatus['state'], status: Partial<PrinterStatus> & { message: string }): void {
    this.lastReport = { state, paperOut: status.paperOut ?? state === 'paper_out', paperNearEnd: status.paperNearEnd ?? state === 'paper_near_end', coverOpen: status.coverOpen ?? null, message: status.message.slice(0, 500) };
  }

  /** Sends `agent:printer` when the state changed since the last one the hub confirmed (or `force`d on connect). */
  private async report(onlyIfChanged: boolean): Promise<void> {
    const socket = this.socket;
    const report = this.lastReport;
    if (!socket?.connected || !report) return;
    const key = `${report.state}|${report.message}`;
    if (onlyIfChanged && key === this.reported) return;
    const reply = await socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck('agent:printer', report);
    if (reply.ok) this.reported = key;
  }

  private receive(payload: unknown): void {
    if (!checkJob.check(payload)) {
      let error = 'invalid';
      try {
        checkJob.parse(payload);
      } catch (err) {
        error = errorText(err);
      }
      this.log('warn', 'ignored an invalid print job', { error });
      return;
    }
    const job = payload;
    if (this.inFlight.has(job.uid)) return; // the same job sent again while it prints: one answer will do
    this.inFlight.add(job.uid);
    const run = this.chain.then(() => this.handle(job));
    this.chain = run
      .catch((err: unknown) => this.log('error', 'print job handling failed', { id: job.id, err: errorText(err) }))
      .finally(() => this.inFlight.delete(job.uid));
  }

  private async handle(job: AgentPrintJob): Promise<void> {
    const ledger = this.ledger!;
    const known = ledger.get(job.uid);
    if (known && known.state !== 'started') {
      this.log('info', 'job already handled: answering from the ledger', { id: job.id, state: known.state });
      this.emit('handled', job, known, true);
      return this.answer(known);
    }
    const now = () => new Date().toISOString();
    let entry: LedgerEntry;
    if (known) {
      // Started before a crash or restart: it may be on paper, so it is not printed again.
      entry = { ...known, state: 'failed', printState: 'error', message: 'Lệnh in bị gián đoạn (ki-ốt khởi động lại giữa chừng): có thể đã in hoặc chưa', acked: false, at: now() };
      await ledger.record(entry);
      this.emit('handled', job, entry, true);
      return this.answer(entry);
    }
    await ledger.record({ uid: job.uid, id: job.id, state: 'started', printState: null, message: '', acked: false, at: now() });
    try {
      const status = await this.port!.print({ document: job.document });
      this.noteStatus(status.state, status);
      entry = { uid: job.uid, id: job.id, state: 'printed', printState: status.state, message: status.message, acked: false, at: now() };
    } catch (err) {
      const state = err instanceof PrinterError ? err.state : 'error';
      const message = err instanceof PrinterError ? err.message : `Lỗi khi in: ${errorText(err)}`;
      this.noteStatus(state, { message });
      // Taken whole, never confirmed: the hub asks staff before a reprint.
      const printState = err instanceof PrinterError && err.allSent ? 'maybe_printed' : state;
      entry = { uid: job.uid, id: job.id, state: 'failed', printState, message, acked: false, at: now() };
    }
    await ledger.record(entry);
    this.emit('handled', job, entry, false);
    await this.answer(entry);
    await this.report(true).catch(() => undefined);
  }

  /** Sends a job's outcome; marks it acknowledged once the hub confirms (or says it does not know the job). */
  private async answer(entry: LedgerEntry): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected || this.stopping) return; // sent again after the next connect
    const result: AgentPrintResult = { id: entry.id, uid: entry.uid, ok: entry.state === 'printed', state: entry.printState ?? 'error', message: entry.message.slice(0, 500) };
    try {
      const reply = await socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck('agent:print-result', result);
      if (reply.ok || reply.error.code === 'not_found' || reply.error.code === 'bad_request') {
        if (!reply.ok) this.log('warn', 'the hub refused a print result', { id: entry.id, error: reply.error });
        await this.ledger!.record({ ...entry, acked: true, at: new Date().toISOString() });
      }
    } catch (err) {
      this.log('warn', 'print result not confirmed: sent again on reconnect', { id: entry.id, err: errorText(err) });
    }
  }
}

/** Identity cards never reach a log line. */
const redact = (code: string): string => (looksLikeCccd(code) ? '[CCCD]' : code);
