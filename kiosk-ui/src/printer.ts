import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { PrinterStatusReply } from '../../protocol/index.js';
import { ApiError, useHubEvent, type ApiClient } from '../../ui-kit/index.js';

/**
 * The kiosk printer's problem, shown on the home and ticket screens (null: the printer is fine).
 *
 * Fed by `usePrinterWatch` (the hub's `print:status` events and `GET /printers/status`); anything else that
 * learns about the printer can call `reportPrinterProblem(detail?)` / `clearPrinterProblem()`. The screens
 * then show "Máy in đang gặp sự cố – vui lòng ghi nhớ số của bạn hoặc chụp ảnh màn hình" (plus `detail` in
 * smaller type) in the slot kept for it.
 */
export const printerProblem = signal<{ detail: string | null; mayBeOnPaper?: boolean } | null>(null);

/** `mayBeOnPaper`: the printer took the whole ticket but never confirmed it (it may be in the tray). */
export function reportPrinterProblem(detail?: string | null, mayBeOnPaper = false): void {
  printerProblem.value = { detail: detail?.trim() || null, ...(mayBeOnPaper ? { mayBeOnPaper } : {}) };
}

export function clearPrinterProblem(): void {
  printerProblem.value = null;
}


/** How often the kiosk asks the hub about its printer (besides every print's own outcome). */
export const PRINTER_CHECK_MS = 60_000;

/**
 * Keeps `printerProblem` true to the kiosk's printer: each ticket's `print:status` outcome, and the
 * printer's status (`GET /printers/status`) at start, after every reconnect and every minute.
 */
export function usePrinterWatch(api: ApiClient, reloadKey: number): void {
  useHubEvent('print:status', (ev) => {
    if (ev.kind !== 'ticket') return;
    if (ev.ok) clearPrinterProblem();
    else reportPrinterProblem(ev.message, ev.state === 'maybe_printed');
  });

  useEffect(() => {
    let live = true;
    const check = async () => {
      try {
        const reply = await api.get<PrinterStatusReply>('/printers/status');
        if (!live) return;
        if (reply.status && !reply.status.ok) reportPrinterProblem(reply.status.message);
        else clearPrinterProblem();
      } catch (err) {
        // A hub without printing answers 404: nothing to watch. A hub that is away: the offline banner says so.
        if (!(err instanceof ApiError)) console.warn('printer status check failed', err);
      }
    };
    void check();
    const timer = setInterval(() => void check(), PRINTER_CHECK_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [reloadKey]);
}
