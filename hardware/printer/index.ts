import { isPrinterDevicePath } from './device-path.js';
import { SimPrinterProcess } from '../sim/printer-process.js';
import { EscPosPrinter } from './escpos-printer.js';
import type { PrinterProfile, TicketPrinterPort } from './port.js';
import { parsePrinterTarget } from './target.js';
import { DeviceTransport, TcpTransport, type PrinterTransport } from './transport.js';

export * from './port.js';
export { parsePrinterTarget, type PrinterTarget } from './target.js';
export { isPrinterDevicePath } from './device-path.js';
export { EscPosPrinter } from './escpos-printer.js';
export { renderJob } from './render.js';
export type { PrinterTransport, PrinterConnection } from './transport.js';

export interface OpenPrinterOptions {
  /** Timeout when the target has no `?timeout=`. */
  timeoutMs?: number;
  /** Where the `sim` printer saves its prints as PNG + text; null keeps them in memory only. */
  simDir?: string | null;
  /** Print over this transport instead of the one the target names (an injected interface object). */
  transport?: PrinterTransport;
  /** Accept any character device as a device path, not only printers (/dev/usb/lp*, /dev/ttyUSB*…): a pty in tests. */
  anyDevicePath?: boolean;
}

/**
 * A `sim` printer: the fake TCP printer in a child process (it decodes each job and renders its PNG off the
 * hub's event loop and outside its memory), and the port that prints to it over TCP.
 */
export async function openSimPrinter(profile: PrinterProfile, simDir: string | null, target = 'sim'): Promise<{ port: EscPosPrinter; simulator: SimPrinterProcess }> {
  const simulator = await SimPrinterProcess.start({ type: profile.type, widthDots: profile.widthDots, saveDir: simDir, keepInMemory: 2, cp1258Page: profile.codePage });
  const port = new EscPosPrinter(target, new TcpTransport('127.0.0.1', simulator.port), profile, () => simulator.close());
  return { port, simulator };
}

/**
 * Opens the printer a `printer` field names: `tcp://host:port`, `/dev/…`, or `sim` (options as a query
 * string, see target.ts). `agent[:id]` targets are driven by the agent process, not opened here.
 */
export async function openPrinter(spec: string, opts: OpenPrinterOptions = {}): Promise<TicketPrinterPort> {
  const target = parsePrinterTarget(spec, { timeoutMs: opts.timeoutMs });
  switch (target.kind) {
    case 'agent':
      throw new Error(`printer "${spec}" is driven by a hardware agent`);
    case 'sim':
      if (opts.transport) return new EscPosPrinter(spec, opts.transport, target.profile);
      return (await openSimPrinter(target.profile, opts.simDir ?? null, spec)).port;
    case 'tcp':
      return new EscPosPrinter(spec, opts.transport ?? new TcpTransport(target.host, target.port), target.profile);
    case 'device':
      if (!opts.transport && !opts.anyDevicePath && !isPrinterDevicePath(target.path)) {
        throw new Error(`${target.path} không phải đường dẫn máy in (/dev/usb/lp*, /dev/lp*, /dev/ttyUSB*, /dev/ttyACM*, /dev/ttyS*, /dev/serial/by-id/*) / is not a printer device path`);
      }
      return new EscPosPrinter(spec, opts.transport ?? new DeviceTransport(target.path, opts.anyDevicePath), target.profile);
  }
}
