import { looksLikeCccd, parseCccdQr } from '../../protocol/cccd.js';
import { counterStaffOfDevice } from '../dossiers/dossiers.repo.js';
import path from 'node:path';
import {
  AgentPrinterReport,
  AgentPrintResult,
  AgentScan,
  rooms,
  type AgentPrintJob,
  type PrintDocument,
  type PrinterState,
  type PrinterStatus,
  type PrinterStatusReply,
  type PrintJob,
  type PrintJobsQuery,
  type PrintState,
  type PrintStatusEvent,
} from '../../protocol/index.js';
import { faultCodeOf, makeStatus, parsePrinterTarget, PrinterError, stateMessages, type PrinterTarget, type PrinterTransport } from '../../hardware/printer/index.js';
import { DEFAULT_TICKET_FOOTER } from '../../hardware/printer/layout.js';
import { transaction } from '../db/pool.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { HubEvents } from '../events.js';
import type { Hub } from '../context.js';
import type { HubServer } from '../realtime/realtime.js';
import type { Principal } from '../auth/principal.js';
import { MAX_BACKLOG, PrinterPool } from './printers.js';
import * as repo from './printing.repo.js';
import { setPrintingFaults } from '../devices/faults.repo.js';


/** Where a device's prints go. */
type Route =
  | { kind: 'direct'; target: string; device: repo.PrintDeviceRow }
  | { kind: 'agent'; agent: repo.PrintDeviceRow; device: repo.PrintDeviceRow }
  | { kind: 'none'; device: repo.PrintDeviceRow | null; reason: string };

interface PrintRequest {
  hallId: number;
  kind: 'ticket' | 'receipt';
  ref: string;
  ticketId: number | null;
  counterId: number | null;
  /** Gets `print:status` (the issuing kiosk). */
  sourceDeviceId: number | null;
  /** The device whose printer prints. */
  device: repo.PrintDeviceRow | null;
  document: PrintDocument;
  reprintOf?: number | null;
  requestedBy?: number | null;
}

/** How long a device's print routing (its `printer` field) is trusted without reading it again. */
const DEVICE_CACHE_MS = 3000;

const isPrinterState = (s: PrintState): s is PrinterState => s !== 'no_printer' && s !== 'expired' && s !== 'maybe_printed';
/** The words for a job that may be on paper (sent whole, never confirmed). */
export const MAYBE_PRINTED = 'Phiếu có thể đã được in: máy in mất kết nối sau khi nhận hết lệnh in nhưng chưa xác nhận';
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function jobView(j: repo.PrintJobRow): PrintJob {
  return {
    id: j.id,
    kind: j.kind,
    ref: j.ref,
    ticketId: j.ticket_id,
    deviceId: j.device_id,
    agentId: j.agent_id,
    printer: j.printer,
    status: j.status,
    state: j.state,
    attempts: j.attempts,
    error: j.error,
    reprintOf: j.reprint_of,
    createdAt: j.created_at.toISOString(),
    printedAt: j.printed_at?.toISOString() ?? null,
  };
}

export function agentJobOf(j: repo.PrintJobRow): AgentPrintJob {
  return { id: j.id, uid: j.uid, document: j.document, createdAt: j.created_at.toISOString() };
}

/**
 * The printing feature: prints tickets on the issuing kiosk's printer and receipts on the counter's printer,
 * after the ticket or dossier is committed; records every job in `print_jobs`; drives the printers the hub
 * reaches itself and hands the others to hardware agents; keeps `printer_*` faults on devices up to date.
 */
export class PrintingService {
  private readonly printers: PrinterPool;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Devices that issued tickets recently: their row, read at most every DEVICE_CACHE_MS. */
  private readonly devices = new Map<number, { at: number; row: Promise<repo.PrintDeviceRow | null> }>();

  constructor(
    private readonly hub: Hub,
    private readonly io: HubServer,
    drivers: { transport?: (printer: string) => PrinterTransport } = {},
  ) {
    this.printers = new PrinterPool({ timeoutMs: hub.config.printerTimeoutMs, simDir: path.join(hub.config.dataDir, 'prints'), ...drivers });
  }

  private get ttlSeconds(): number {
    return this.hub.config.printJobTtlSeconds;
  }

  /** How long a sent agent job may stay unanswered before the kiosk is told it may not have printed. */
  private get ackWarnMs(): number {
    return Math.max(10_000, this.hub.config.printerTimeoutMs * 4);
  }

  /** Starts the expiry of unanswered jobs and the polling of printers. */
  start(): void {
    this.every(Math.min(30, Math.max(1, Math.floor(this.ttlSeconds / 2))) * 1000, () => this.expire());
    if (this.hub.config.printerPollSeconds > 0) this.every(this.hub.config.printerPollSeconds * 1000, () => this.poll());
  }

  /** A device's health or set-up changed: its row (printer, kind) is read again on its next ticket. */
  deviceChanged(e: { deviceId: number | null }): void {
    if (e.deviceId !== null) this.forgetDevice(e.deviceId);
  }

  /** An agent connected: the jobs it has not answered are sent again. */
  agentConnected(agentId: number, emit: (job: AgentPrintJob) => void): void {
    this.resend(agentId, emit).catch((err: unknown) => this.hub.log.warn({ err, agentId }, 'resending print jobs failed'));
  }

  /** `agent:print-result`: the outcome of a job the agent was sent. */
  async agentPrintResult(hallId: number, agentId: number, result: AgentPrintResult): Promise<void> {
    await this.agentResult(hallId, agentId, result);
  }

  /** `agent:printer`: the agent's printer status. */
  async agentPrinter(hallId: number, agentId: number, report: AgentPrinterReport): Promise<void> {
    await this.observe(hallId, agentId, 'agent', report.state, report.message, null);
  }

  /** `agent:scan`: forwarded as `scan` to the paired lookup kiosk(s); returns how many. */
  agentScan(hallId: number, agentId: number, scan: AgentScan): Promise<number> {
    return this.forwardScan(hallId, agentId, scan.code);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.printers.close();
  }

  private every(ms: number, work: () => Promise<void>): void {
    const tick = () => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        work()
          .catch((err: unknown) => this.hub.log.warn({ err }, 'printing background task failed'))
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, ms);
      timer.unref();
      this.timers.add(timer);
    };
    tick();
  }

  // ---- what to print ----

  /** The ticket as printed: the ticket row (one query) and its place in the queue as the queue service told it. */
  private async ticketDocument(hallId: number, ticketId: number, queue: { ahead: number; estimatedWaitMinutes: number | null; estimatedWaitRange?: { low: number; high: number } | null }): Promise<{ row: repo.TicketPrintRow; document: PrintDocument }> {
    const row = await repo.ticketPrintRow(this.hub.db, hallId, ticketId);
    if (!row) throw notFound(`Không có phiếu số ${ticketId}`);
    return {
      row,
      document: {
        kind: 'ticket',
        ticket: {
          ticketId,
          hallName: row.hall_name,
          serviceName: row.service_name,
          number: row.number,
          priority: row.priority,
          issuedAt: row.issued_at.toISOString(),
          timezone: row.timezone,
          ahead: queue.ahead,
          estimatedWaitMinutes: queue.estimatedWaitMinutes,
          estimatedWaitRange: queue.estimatedWaitRange ?? null,
          url: `${this.hub.config.publicUrl}/kiosk/t/${ticketId}`,
          footer: row.footer?.trim() || DEFAULT_TICKET_FOOTER,
        },
      },
    };
  }

  /** The device row for routing a print, cached for a few seconds (invalidated when its health or printer faults change). */
  private cachedDevice(id: number): Promise<repo.PrintDeviceRow | null> {
    const now = Date.now();
    const hit = this.devices.get(id);
    if (hit && now - hit.at < DEVICE_CACHE_MS) return hit.row;
    const row = repo.findDevice(this.hub.db, id);
    this.devices.set(id, { at: now, row });
    row.catch(() => this.devices.delete(id));
    if (this.devices.size > 500) {
      for (const [k, v] of this.devices) if (now - v.at >= DEVICE_CACHE_MS) this.devices.delete(k);
    }
    return row;
  }

  private forgetDevice(id: number): void {
    this.devices.delete(id);
  }

  async onTicketIssued(e: HubEvents['ticket.issued']): Promise<void> {
    if (e.deviceId === null) return;
    const device = await this.cachedDevice(e.deviceId);
    if (!device?.printer) return;
    const { document } = await this.ticketDocument(e.hallId, e.ticketId, e);
    await this.submit({ hallId: e.hallId, kind: 'ticket', ref: String(e.ticketId), ticketId: e.ticketId, counterId: null, sourceDeviceId: device.id, device, document });
  }

  async onDossierReceived(e: HubEvents['dossier.received']): Promise<void> {
    const device = e.counterId === null ? null : await repo.counterPrinterDevice(this.hub.db, e.hallId, e.counterId);
    const timezone = await repo.hallTimezone(this.hub.db, e.hallId);
    const r = e.receipt;
    await this.submit({
      hallId: e.hallId,
      kind: 'receipt',
      ref: r.code,
      ticketId: e.ticketId,
      counterId: e.counterId,
      sourceDeviceId: null,
      device,
      document: {
        kind: 'receipt',
        receipt: {
          code: r.code,
          hallName: r.hallName,
          procedure: r.procedure,
          applicantName: r.applicantName,
          receivedAt: r.receivedAt,
          dueAt: r.dueAt,
          timezone,
          staffName: r.staffName,
          lookupUrl: r.lookupUrl,
          ...(r.lookupKey ? { lookupKey: r.lookupKey } : {}),
        },
      },
    });
  }

  /** Prints the ticket again on the kiosk that issued it; resolves with the job once it printed or failed (or after a wait). */
  /** `confirmed`: staff checked that a ticket which may be on paper is not, and still want it printed. */
  async reprint(hallId: number, userId: number, ticketId: number, confirmed = false): Promise<PrintJob> {
    const row = await repo.ticketPrintRow(this.hub.db, hallId, ticketId);
    if (!row) throw notFound(`Không có phiếu số ${ticketId}`);
    if (!confirmed) {
      const lastJob = await repo.lastJobOfTicket(this.hub.db, ticketId);
      if (lastJob?.state === 'maybe_printed') {
        throw conflict(`Phiếu ${row.number} có thể đã được in (máy in chưa xác nhận): hãy kiểm tra khay giấy trước; in lại sẽ ra thêm một bản`, 'may_be_on_paper');
      }
    }
    if (row.device_id === null) throw conflict(`Phiếu ${row.number} không lấy từ ki-ốt nên không có máy in để in lại`, 'not_from_kiosk');
    const device = await repo.findDevice(this.hub.db, row.device_id);
    if (!device) throw conflict(`Ki-ốt đã phát phiếu ${row.number} không còn hoạt động`, 'kiosk_removed');
    if (!device.printer) throw conflict(`Ki-ốt "${device.name}" không có máy in`, 'no_printer');
    const last = await repo.lastJobOfTicket(this.hub.db, ticketId);
    const { document } = await this.ticketDocument(hallId, ticketId, await this.hub.queue.getTicket(hallId, ticketId));
    const { job, done, settles } = await this.submit({
      hallId,
      kind: 'ticket',
      ref: String(ticketId),
      ticketId,
      counterId: null,
      sourceDeviceId: device.id,
      device,
      document,
      reprintOf: last?.id ?? null,
      requestedBy: userId,
    });
    await done;
    return jobView(settles ? await this.waitForOutcome(hallId, job.id, this.hub.config.printerTimeoutMs * 4 + 2000) : job);
  }

  // ---- routing and submission ----

  private async routeOf(device: repo.PrintDeviceRow | null): Promise<Route> {
    if (!device?.printer) return { kind: 'none', device, reason: 'Chưa cấu hình máy in cho quầy / thiết bị này' };
    let target: PrinterTarget;
    try {
      target = parsePrinterTarget(device.printer);
    } catch (err) {
      return { kind: 'none', device, reason: `Cấu hình máy in sai: ${errorText(err)}` };
    }
    if (target.kind !== 'agent') return { kind: 'direct', target: device.printer, device };
    const agentId = target.agentId ?? (device.kind === 'agent' ? device.id : null);
    if (agentId === null) return { kind: 'none', device, reason: `Thiết bị "${device.name}" ghi máy in "agent" nhưng không phải agent: dùng agent:<số agent>` };
    // Read fresh: whether the agent is online decides where the job goes (the device row may be cached).
    const agent = await repo.findDevice(this.hub.db, agentId);
    if (!agent || agent.kind !== 'agent' || agent.hall_id !== device.hall_id) return { kind: 'none', device, reason: `Không có agent số ${agentId} trong trung tâm này` };
    return { kind: 'agent', agent, device };
  }

  /**
   * Records the job (committed) and starts printing it. `done` settles when a direct print finished;
   * `settles` is false when the outcome will not come soon (the agent is offline).
   */
  private async submit(req: PrintRequest): Promise<{ job: repo.PrintJobRow; done: Promise<void>; settles: boolean }> {
    const route = await this.routeOf(req.device);
    const base = {
      hallId: req.hallId,
      deviceId: req.device?.id ?? null,
      sourceDeviceId: req.sourceDeviceId,
      kind: req.kind,
      ref: req.ref,
      ticketId: req.ticketId,
      counterId: req.counterId,
      printer: req.device?.printer ?? null,
      document: req.document,
      reprintOf: req.reprintOf ?? null,
      requestedBy: req.requestedBy ?? null,
    };
    const failNow = async (state: PrintState, error: string) => {
      const job = await repo.insertJob(this.hub.db, { ...base, agentId: null, failed: { state, error } });
      this.notify(job, false, state, error);
      return { job, done: Promise.resolve(), settles: true };
    };
    switch (route.kind) {
      case 'none':
        return failNow('no_printer', route.reason);
      case 'direct': {
        if (!this.printers.reserve(route.target)) return failNow('error', `Máy in đang bận: ${MAX_BACKLOG} lệnh in đang chờ`);
        let job: repo.PrintJobRow;
        try {
          job = await repo.insertJob(this.hub.db, { ...base, agentId: null });
        } catch (err) {
          this.printers.release(route.target);
          throw err;
        }
        const done = this.runDirect(job, route.target, route.device).catch((err: unknown) => this.hub.log.error({ err, jobId: job.id }, 'print job crashed'));
        return { job, done, settles: true };
      }
      case 'agent': {
        const job = await repo.insertJob(this.hub.db, { ...base, agentId: route.agent.id });
        if (route.agent.online) await this.sendToAgent(job);
        else this.notify(job, false, 'unreachable', `Ki-ốt "${route.agent.name}" (agent) đang mất kết nối: phiếu sẽ in khi ki-ốt kết nối lại trong ${this.ttlSeconds} giây`);
        return { job, done: Promise.resolve(), settles: route.agent.online };
      }
    }
  }

  /** Prints a job in the backlog place `submit` reserved for it. */
  private async runDirect(queued: repo.PrintJobRow, target: string, device: repo.PrintDeviceRow): Promise<void> {
    await this.printers.run(target, async (port) => {
      if (!(await repo.claimForPrinting(this.hub.db, queued.id, this.ttlSeconds))) return; // expired while waiting
      let job: repo.PrintJobRow;
      let state: PrinterState;
      let message: string;
      let outcome: PrintState;
      try {
        const status = await port.print({ document: queued.document });
        state = status.state;
        outcome = state;
        message = status.state === 'ok' ? (queued.kind === 'ticket' ? 'Đã in phiếu' : 'Đã in giấy tiếp nhận') : `Đã in. ${status.message}`;
        job = await repo.finishJob(this.hub.db, queued.id, { printed: true, state, error: null });
      } catch (err) {
        state = err instanceof PrinterError ? err.state : 'error';
        message = err instanceof PrinterError ? err.message : `Lỗi khi in: ${errorText(err)}`;
        // The whole job reached the printer, only its confirmation is missing: it may be on paper.
        const onPaper = err instanceof PrinterError && err.allSent;
        outcome = onPaper ? 'maybe_printed' : state;
        if (onPaper) message = `${MAYBE_PRINTED} (${message})`;
        job = await repo.finishJob(this.hub.db, queued.id, { printed: false, state: outcome, error: message });
      }
      this.printers.forgetStatus(target);
      await this.observe(device.hall_id, device.id, device.printer, state, message, job.status === 'failed' ? job.id : null).catch((err: unknown) =>
        this.hub.log.warn({ err, deviceId: device.id }, 'printer fault not recorded'),
      );
      this.notify(job, job.status === 'printed', outcome, message);
    }, true);
  }

  private async sendToAgent(job: repo.PrintJobRow): Promise<void> {
    await repo.markSent(this.hub.db, job.id);
    this.io.to(rooms.device(job.agent_id!)).emit('print:job', agentJobOf(job));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      repo
        .findJob(this.hub.db, job.hall_id, job.id)
        .then((now) => {
          if (now?.status === 'queued') this.notify(now, false, 'timeout', 'Ki-ốt chưa xác nhận đã in phiếu: hãy kiểm tra máy in của ki-ốt');
        })
        .catch((err: unknown) => this.hub.log.warn({ err, jobId: job.id }, 'print ack check failed'));
    }, this.ackWarnMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Sends an agent (just connected) every job it has not answered yet. */
  private async resend(agentId: number, emit: (job: AgentPrintJob) => void): Promise<void> {
    for (const job of await repo.queuedForAgent(this.hub.db, agentId, this.ttlSeconds)) {
      await repo.markSent(this.hub.db, job.id);
      emit(agentJobOf(job));
    }
  }

  private async agentResult(hallId: number, agentId: number, result: AgentPrintResult): Promise<void> {
    const updated = await transaction(this.hub.db, async (tx) => {
      const job = await repo.lockJob(tx, result.id);
      if (!job || job.agent_id !== agentId || job.uid !== result.uid || job.hall_id !== hallId) throw notFound(`no print job ${result.id} for this agent`);
      // The agent's word is final; a late "printed" also corrects a job that expired while it was offline.
      if (job.status === 'printed' || (job.status === 'failed' && !result.ok)) return null;
      return repo.finishJob(tx, job.id, { printed: result.ok, state: result.state, error: result.ok ? null : result.message });
    });
    if (!updated) return;
    const printerState = result.state === 'maybe_printed' ? 'error' : result.state;
    if (isPrinterState(printerState)) await this.observe(hallId, agentId, 'agent', printerState, result.message, result.ok ? null : updated.id);
    this.notify(updated, result.ok, result.state, result.ok ? (updated.kind === 'ticket' ? 'Đã in phiếu' : 'Đã in giấy tiếp nhận') : result.message);
  }

  private async forwardScan(hallId: number, agentId: number, code: string): Promise<number> {
    if (looksLikeCccd(code)) return this.forwardCccd(hallId, agentId, code);
    const lookups = await repo.pairedLookups(this.hub.db, hallId, agentId);
    const at = new Date().toISOString();
    for (const id of lookups) this.io.to(rooms.device(id)).emit('scan', { code, at, agentId });
    return lookups.length;
  }

  /** An identity card read at a counter: parsed here, sent only to the staff member who holds that counter. */
  private async forwardCccd(hallId: number, agentId: number, text: string): Promise<number> {
    const at = await counterStaffOfDevice(this.hub.db, hallId, agentId);
    if (!at) return 0;
    const parsed = parseCccdQr(text);
    this.io?.to(rooms.user(at.staffId)).emit('cccd:scan', { at: new Date().toISOString(), counterId: at.counterId, ...(parsed.ok ? { card: parsed.card } : { reason: parsed.reason }) });
    return 1;
  }

  // ---- outcomes ----

  /** Tells the device that asked (and staff consoles, for receipts and reprints) how a job ended. */
  private notify(job: repo.PrintJobRow, ok: boolean, state: PrintState, message: string): void {
    const io = this.io;
    const event: PrintStatusEvent = { jobId: job.id, kind: job.kind, ref: job.ref, ticketId: job.ticket_id, counterId: job.counter_id, ok, state, message, at: new Date().toISOString() };
    const to: string[] = [];
    if (job.source_device_id !== null) to.push(rooms.device(job.source_device_id));
    if (job.kind === 'receipt' || job.requested_by !== null) to.push(rooms.staff(job.hall_id));
    if (!to.length) return;
    // A kiosk's own ticket status goes straight to its socket when it is connected to this process
    // (the usual case: it just asked this process for the ticket); the adapter (a NOTIFY) only otherwise.
    const local = io.of('/').adapter.rooms;
    if (to.length === 1 && job.source_device_id !== null && (local.get(to[0]!)?.size ?? 0) > 0) io.local.to(to).emit('print:status', event);
    else io.to(to).emit('print:status', event);
  }

  /**
   * Records what a print or status check found on a device's printer: its `printer_*` fault (replacing the
   * previous one) or none, and announces `printer.fault` / `printer.ok` on the bus.
   */
  private async observe(hallId: number, deviceId: number, printer: string | null, state: PrinterState, message: string, jobId: number | null): Promise<void> {
    const code = faultCodeOf(state);
    this.forgetDevice(deviceId);
    // The usual case, a printer that works and had no fault: one read, no transaction.
    if (!code) {
      const now = await repo.findDevice(this.hub.db, deviceId);
      if (!now || !now.faults.some((f) => f.by === 'printing')) return;
    }
    const change = await transaction(this.hub.db, async (tx) => {
      const device = await repo.findDevice(tx, deviceId, true);
      if (!device) return null;
      const old = device.faults.filter((f) => f.by === 'printing');
      const same = old.length === (code ? 1 : 0) && (!code || (old[0]!.code === code && old[0]!.message === message));
      if (!same) {
        const since = old.find((f) => f.code === code)?.since ?? new Date().toISOString();
        await setPrintingFaults(tx, deviceId, code ? [{ code, message, since }] : []);
      }
      return { hadFault: old.length > 0, wasCode: old.some((f) => f.code === code) };
    });
    if (!change) return;
    if (code && (!change.wasCode || jobId !== null)) this.hub.bus.emit('printer.fault', { hallId, deviceId, printer, code, state, message, jobId });
    else if (!code && change.hadFault) this.hub.bus.emit('printer.ok', { hallId, deviceId, printer });
  }

  private async expire(): Promise<void> {
    for (const job of await repo.expireJobs(this.hub.db, this.ttlSeconds)) this.notify(job, false, 'expired', job.error ?? stateMessages.timeout);
  }

  /** Checks every printer this hub drives and updates the devices' faults. */
  private async poll(): Promise<void> {
    const devices = await repo.directPrinterDevices(this.hub.db);
    for (const device of devices) {
      const status = await this.printers.status(device.printer!);
      await this.observe(device.hall_id, device.id, device.printer, status.state, status.message, null);
    }
  }

  // ---- queries ----

  async printerStatus(principal: Principal, deviceId: number | undefined): Promise<PrinterStatusReply> {
    let id: number;
    if (principal.type === 'device') {
      if (deviceId !== undefined && deviceId !== principal.device.id) throw forbidden('Thiết bị chỉ xem được máy in của chính mình');
      id = principal.device.id;
    } else {
      if (deviceId === undefined) throw badRequest('deviceId is required');
      id = deviceId;
    }
    const device = await repo.findDevice(this.hub.db, id);
    if (!device || device.hall_id !== principal.hallId) throw notFound(`Không có thiết bị số ${id}`);
    const route = await this.routeOf(device);
    switch (route.kind) {
      case 'none':
        return { deviceId: id, printer: device.printer, via: 'none', status: device.printer ? makeStatus('error', { message: route.reason, coverOpen: null }) : null };
      case 'agent':
        return { deviceId: id, printer: device.printer, via: 'agent', status: this.agentStatus(route.agent) };
      case 'direct': {
        const status = await this.printers.status(route.target);
        await this.observe(device.hall_id, device.id, device.printer, status.state, status.message, null);
        return { deviceId: id, printer: device.printer, via: 'hub', status };
      }
    }
  }

  /** An agent's printer as the hub knows it: offline agent → unreachable; else its printer fault, if any. */
  private agentStatus(agent: repo.PrintDeviceRow): PrinterStatus {
    if (!agent.online) return makeStatus('unreachable', { message: `Ki-ốt "${agent.name}" (agent) đang mất kết nối`, coverOpen: null });
    const fault = agent.faults.find((f) => f.code.startsWith('printer_'));
    const state = fault ? (fault.code.slice('printer_'.length) as PrinterState) : 'ok';
    return makeStatus(state in stateMessages ? state : 'error', { message: fault?.message ?? stateMessages.ok, coverOpen: null });
  }

  async listJobs(hallId: number, q: PrintJobsQuery): Promise<PrintJob[]> {
    return (await repo.listJobs(this.hub.db, hallId, { status: q.status ?? null, deviceId: q.deviceId ?? null, limit: q.limit ?? 100 })).map(jobView);
  }

  async getJob(hallId: number, id: number): Promise<PrintJob> {
    const job = await repo.findJob(this.hub.db, hallId, id);
    if (!job) throw notFound(`Không có lệnh in số ${id}`);
    return jobView(job);
  }

  /** Polls a job until it is no longer queued (an agent may answer on another hub process), or `ms` passed. */
  private async waitForOutcome(hallId: number, id: number, ms: number): Promise<repo.PrintJobRow> {
    const deadline = Date.now() + ms;
    for (;;) {
      const job = await repo.findJob(this.hub.db, hallId, id);
      if (!job) throw notFound(`Không có lệnh in số ${id}`);
      if (job.status !== 'queued' || Date.now() >= deadline || this.stopped) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
