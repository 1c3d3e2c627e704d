import type { PrintDocument, PrinterState, PrinterStatus } from '../../protocol/hardware.js';

export type { PrinterState, PrinterStatus } from '../../protocol/hardware.js';

/** The command set a printer speaks. */
export type PrinterType = 'epson' | 'star';

/**
 * How Vietnamese text reaches the paper.
 * - `raster`: every line with a non-ASCII character is drawn with DejaVu fonts and sent as a raster image
 *   (works on every printer; the default).
 * - `cp1258`: text is sent in Windows-1258, base letter + combining tone mark, after selecting the printer's
 *   code page `codePage` (for printers that have a Vietnamese code page).
 */
export type VietnameseMode = 'raster' | 'cp1258';

/** What a layout needs to know about a printer. */
export interface PrinterProfile {
  type: PrinterType;
  text: VietnameseMode;
  /** Printable width in dots: 576 for 80 mm paper, 384 for 58 mm (203 dpi). */
  widthDots: number;
  /** Characters per line in the printer's font A (12 dots wide). */
  columns: number;
  /** Code page number selected for `cp1258` (EPSON `ESC t n`, STAR `ESC GS t n`). */
  codePage: number;
  /** Connect and status-query timeout, ms. The end-of-job confirmation waits `3 × timeoutMs`. */
  timeoutMs: number;
}

/** One job: ready bytes, plain text lines, or a document the port lays out for its own profile. */
export type PrintInput = { bytes: Uint8Array } | { lines: string[] } | { document: PrintDocument };

/**
 * A receipt printer as the hub and the agent use it: the one port every printer driver implements.
 *
 * Implementations: `EscPosPrinter` (EPSON and STAR over an injected `PrinterTransport`: TCP, a device path,
 * an in-memory fake) and the `sim` target (an in-process fake printer that saves each print as PNG + text).
 * A port serialises its own jobs: `print` and `status` may be called concurrently and run one at a time,
 * in call order, so two tickets never interleave on paper.
 */
export interface TicketPrinterPort {
  /** Where this port prints, as configured (`tcp://10.0.0.5:9100?type=star`, `/dev/usb/lp0`, `sim`). */
  readonly target: string;
  readonly profile: PrinterProfile;
  /**
   * Asks the printer for its state: reachable, paper out, paper near end, cover open (null when the printer
   * does not report it). Never rejects: a printer that refuses the connection or does not answer within
   * `profile.timeoutMs` gives state `unreachable`.
   */
  status(): Promise<PrinterStatus>;
  /**
   * Prints one job and cuts. Checks the status first and sends nothing when the printer cannot print; after
   * the bytes, waits for the printer to confirm it processed them. Resolves with the status after the job
   * (it may say `paper_near_end`). Rejects with a `PrinterError` whose `state` says why, and `partial` when
   * some of the job may have reached the paper.
   */
  print(job: PrintInput): Promise<PrinterStatus>;
  /** Releases what the port holds (an in-process simulator, open files). Further calls reject. */
  close(): Promise<void>;
}

/** A print that failed, with the printer state that explains it. */
export class PrinterError extends Error {
  constructor(
    readonly state: Exclude<PrinterState, 'ok' | 'paper_near_end'>,
    message: string,
    /** True when bytes were sent: part of the job may be on paper. */
    readonly partial = false,
    /**
     * True when the whole job reached the printer and only its confirmation is missing (the printer closed the
     * connection after taking every byte): the ticket may well be on paper; ask before printing it again.
     */
    readonly allSent = false,
  ) {
    super(message);
    this.name = 'PrinterError';
  }
}

/** The words shown on kiosks and the board for each state. */
export const stateMessages: Record<PrinterState, string> = {
  ok: 'Máy in sẵn sàng',
  paper_near_end: 'Máy in sắp hết giấy',
  paper_out: 'Máy in hết giấy',
  cover_open: 'Nắp máy in đang mở',
  unreachable: 'Không kết nối được máy in',
  timeout: 'Máy in ngừng phản hồi khi đang in',
  error: 'Máy in báo lỗi',
};

/** Builds a status record. */
export function makeStatus(
  state: PrinterState,
  fields: { paperOut?: boolean; paperNearEnd?: boolean; coverOpen?: boolean | null; message?: string } = {},
): PrinterStatus {
  return {
    state,
    ok: state === 'ok' || state === 'paper_near_end',
    reachable: state !== 'unreachable',
    paperOut: fields.paperOut ?? state === 'paper_out',
    paperNearEnd: fields.paperNearEnd ?? state === 'paper_near_end',
    coverOpen: fields.coverOpen === undefined ? (state === 'cover_open' ? true : null) : fields.coverOpen,
    message: fields.message ?? stateMessages[state],
    checkedAt: new Date().toISOString(),
  };
}

/** The fault code a device carries for a printer state; null for states that print. */
export function faultCodeOf(state: PrinterState): string | null {
  return state === 'ok' ? null : `printer_${state}`;
}
