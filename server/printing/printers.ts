import { makeStatus, openPrinter, type PrinterStatus, type PrinterTransport, type TicketPrinterPort } from '../../hardware/printer/index.js';

/** Jobs waiting for one printer beyond which new jobs fail at once (a kiosk prints a few tickets a minute). */
export const MAX_BACKLOG = 20;
const STATUS_CACHE_MS = 1500;

/**
 * The printers this hub process drives itself (`tcp://`, `/dev/…`, `sim`), one port per printer string,
 * opened on first use. Work for one printer runs one job at a time, in submission order.
 */
export class PrinterPool {
  private readonly ports = new Map<string, Promise<TicketPrinterPort>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly backlog = new Map<string, number>();
  private readonly statuses = new Map<string, { at: number; status: Promise<PrinterStatus> }>();
  private closed = false;

  constructor(private readonly opts: { timeoutMs: number; simDir: string; transport?: (printer: string) => PrinterTransport }) {}

  private port(target: string): Promise<TicketPrinterPort> {
    let port = this.ports.get(target);
    if (!port) {
      const transport = this.opts.transport?.(target);
      port = openPrinter(target, { timeoutMs: this.opts.timeoutMs, simDir: this.opts.simDir, ...(transport ? { transport } : {}) });
      this.ports.set(target, port);
      port.catch(() => this.ports.delete(target));
    }
    return port;
  }

  /** Jobs submitted to a printer and not finished. */
  pending(target: string): number {
    return this.backlog.get(target) ?? 0;
  }

  /**
   * Takes a place in the printer's backlog now, with no await between the check and the count (concurrent
   * submissions could otherwise all pass the check), or answers false when MAX_BACKLOG jobs already wait.
   * The place is used by `run(target, work, true)` or given back with `release`.
   */
  reserve(target: string): boolean {
    if (this.closed || this.pending(target) >= MAX_BACKLOG) return false;
    this.backlog.set(target, this.pending(target) + 1);
    return true;
  }

  /** Gives back a place taken with `reserve` that will not run. */
  release(target: string): void {
    const left = this.pending(target) - 1;
    if (left > 0) this.backlog.set(target, left);
    else this.backlog.delete(target);
  }

  /** Runs `work` with the printer's port after the work submitted before it (in the place `reserve` took, when `reserved`). */
  run<T>(target: string, work: (port: TicketPrinterPort) => Promise<T>, reserved = false): Promise<T> {
    if (this.closed) {
      if (reserved) this.release(target);
      return Promise.reject(new Error('printing is stopping'));
    }
    if (!reserved) this.backlog.set(target, this.pending(target) + 1);
    const task = async () => work(await this.port(target));
    const result = (this.chains.get(target) ?? Promise.resolve()).then(task, task);
    const settled = result
      .catch(() => undefined)
      .finally(() => {
        this.release(target);
        if (this.chains.get(target) === settled) this.chains.delete(target);
      });
    this.chains.set(target, settled);
    return result;
  }

  /** The printer's status; answers within 1.5 s of each other share one query. Never rejects. */
  status(target: string): Promise<PrinterStatus> {
    const cached = this.statuses.get(target);
    if (cached && Date.now() - cached.at < STATUS_CACHE_MS) return cached.status;
    const status = this.port(target)
      .then((port) => port.status())
      .catch((err: unknown) => makeStatus('error', { message: `Cấu hình máy in không dùng được: ${err instanceof Error ? err.message : String(err)}`, coverOpen: null }));
    this.statuses.set(target, { at: Date.now(), status });
    return status;
  }

  /** Forgets a cached status (after a print changed what we know). */
  forgetStatus(target: string): void {
    this.statuses.delete(target);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.chains.values()].map((c) => c.catch(() => undefined)));
    const ports = await Promise.allSettled([...this.ports.values()]);
    await Promise.all(ports.map((p) => (p.status === 'fulfilled' ? p.value.close().catch(() => undefined) : undefined)));
    this.ports.clear();
  }
}
