import { HALL_SETTING_DEFAULTS } from '../../protocol/setup.js';
import type { PrintDocument, ReceiptPrintData, TicketPrintData } from '../../protocol/hardware.js';
import type { Align } from './raster.js';

export type TextSize = 'small' | 'normal' | 'large';

/** A layout element, independent of the printer: `render` turns blocks into bytes for one profile. */
export type Block =
  | { kind: 'text'; text: string; size?: TextSize; bold?: boolean; align?: Align; invert?: boolean }
  /** The ticket number: ASCII, in the printer's largest type. */
  | { kind: 'number'; text: string }
  | { kind: 'qr'; data: string }
  | { kind: 'barcode'; data: string }
  | { kind: 'rule' }
  | { kind: 'gap' };

const dateTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false })
    .formatToParts(new Date(iso))
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});

/** "08:15 12/10/2024" in the hall's time zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  const p = dateTime(iso, timeZone);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** "12/10/2024" in the hall's time zone. */
export function formatDate(iso: string, timeZone: string): string {
  const p = dateTime(iso, timeZone);
  return `${p.day}/${p.month}/${p.year}`;
}

export const DEFAULT_TICKET_FOOTER = HALL_SETTING_DEFAULTS.ticketFooter;

/** The queue ticket: hall, service, the number in huge type, priority mark, time, people ahead, wait, QR, footer. */
export function ticketLayout(t: TicketPrintData): Block[] {
  const range = t.estimatedWaitRange;
  const wait =
    t.estimatedWaitMinutes === null
      ? 'chưa có quầy phục vụ lúc này'
      : range && range.high > 0 && !(t.ahead === 0 && range.low === 0)
        ? `khoảng ${range.low}–${range.high} phút`
        : t.estimatedWaitMinutes > 0
          ? `khoảng ${t.estimatedWaitMinutes} phút`
          : 'sắp đến lượt';
  return [
    { kind: 'text', text: t.hallName, bold: true, align: 'center' },
    { kind: 'rule' },
    { kind: 'text', text: t.serviceName, size: 'large', bold: true, align: 'center' },
    { kind: 'text', text: 'SỐ THỨ TỰ CỦA BẠN', size: 'small', align: 'center' },
    { kind: 'number', text: t.number },
    ...(t.priority ? [{ kind: 'text', text: 'ƯU TIÊN', size: 'large', bold: true, align: 'center', invert: true } as const] : []),
    { kind: 'gap' },
    { kind: 'text', text: `Giờ lấy số: ${formatDateTime(t.issuedAt, t.timezone)}` },
    { kind: 'text', text: `Số người đang chờ trước bạn: ${t.ahead}` },
    { kind: 'text', text: `Thời gian chờ dự kiến: ${wait}` },
    { kind: 'qr', data: t.url },
    { kind: 'text', text: 'Quét mã QR để theo dõi lượt gọi số', size: 'small', align: 'center' },
    { kind: 'rule' },
    { kind: 'text', text: t.footer || DEFAULT_TICKET_FOOTER, size: 'small', align: 'center' },
  ];
}

/** The dossier receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả): code as CODE128 and QR, procedure, applicant, dates, staff. */
export function receiptLayout(r: ReceiptPrintData): Block[] {
  return [
    { kind: 'text', text: r.hallName, bold: true, align: 'center' },
    { kind: 'text', text: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', size: 'large', bold: true, align: 'center' },
    { kind: 'rule' },
    { kind: 'text', text: 'Mã hồ sơ', size: 'small', align: 'center' },
    { kind: 'text', text: r.code, bold: true, align: 'center' },
    { kind: 'barcode', data: r.lookupKey ? `${r.code}/${r.lookupKey}` : r.code },
    ...(r.lookupKey ? [{ kind: 'text', text: `Mã tra cứu: ${r.lookupKey}`, bold: true, align: 'center' } as const] : []),
    { kind: 'gap' },
    { kind: 'text', text: `Thủ tục: ${r.procedure}` },
    { kind: 'text', text: `Người nộp: ${r.applicantName}` },
    { kind: 'text', text: `Ngày tiếp nhận: ${formatDateTime(r.receivedAt, r.timezone)}` },
    { kind: 'text', text: `Ngày hẹn trả kết quả: ${formatDate(r.dueAt, r.timezone)}`, bold: true },
    { kind: 'text', text: `Cán bộ tiếp nhận: ${r.staffName}` },
    { kind: 'qr', data: r.lookupUrl },
    { kind: 'text', text: 'Quét mã QR để tra cứu tình trạng hồ sơ', size: 'small', align: 'center' },
  ];
}

export function documentLayout(doc: PrintDocument): Block[] {
  switch (doc.kind) {
    case 'ticket':
      return ticketLayout(doc.ticket);
    case 'receipt':
      return receiptLayout(doc.receipt);
  }
}

/** Plain lines (a test page, a message): one text block each. */
export const linesLayout = (lines: string[]): Block[] => lines.map((text) => ({ kind: 'text', text }));
