/**
 * The citizen's chip identity card (căn cước công dân / căn cước, CCCD) as the counter reads it, shared by the hub,
 * the staff console and the agent.
 *
 * The number: 12 digits — 3 for the province of birth registration (the codes of Thông tư 07/2016/TT-BCA, kept on
 * cards issued after the 2025 mergers), 1 for gender and century (0/1: 1900s, 2/3: 2000s, 4/5: 2100s; even male,
 * odd female), 2 for the last two digits of the birth year, 6 random.
 *
 * The QR code on the card: `ID|old ID|full name|DDMMYYYY birth|gender|address|DDMMYYYY issue date` (UTF-8, the old
 * 9-digit ID may be empty; some readers add further fields after the seventh, which are ignored).
 */
import { Type, type Static } from '@sinclair/typebox';

/** Province codes of the first three digits. */
const PROVINCES = new Set([
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024', '025', '026', '027', '030', '031',
  '033', '034', '035', '036', '037', '038', '040', '042', '044', '045', '046', '048', '049', '051', '052', '054', '056', '058', '060', '062',
  '064', '066', '067', '068', '070', '072', '074', '075', '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093',
  '094', '095', '096',
]);

const CENTURY: Record<string, number> = { '0': 1900, '1': 1900, '2': 2000, '3': 2000, '4': 2100, '5': 2100, '6': 2200, '7': 2200, '8': 1800, '9': 1800 };

/**
 * Why an identity number is not valid, or null when it is. With `birthDate` (YYYY-MM-DD) the number's century and
 * year digits must match it.
 */
export function idNumberProblem(id: string, birthDate?: string | null): string | null {
  if (!/^[0-9]{12}$/.test(id)) return 'Số định danh (CCCD) phải gồm đúng 12 chữ số / the identity number must be 12 digits';
  if (!PROVINCES.has(id.slice(0, 3))) return `Mã tỉnh ${id.slice(0, 3)} trong số CCCD không tồn tại / unknown province code`;
  if (birthDate) {
    const year = Number(birthDate.slice(0, 4));
    const expected = CENTURY[id[3]!]! + Number(id.slice(4, 6));
    if (year !== expected) return `Số CCCD không khớp năm sinh ${year} / the identity number does not match the birth year`;
  }
  return null;
}

export interface CccdCard {
  idNumber: string;
  oldIdNumber: string | null;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: string;
  address: string;
  /** YYYY-MM-DD */
  issueDate: string;
}

export type CccdScan = { ok: true; card: CccdCard } | { ok: false; reason: string };

function ddmmyyyy(s: string): string | null {
  const m = /^([0-9]{2})([0-9]{2})([0-9]{4})$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** Whether a scanned text looks like a CCCD QR (12 digits then `|`), so a scanner's line can be routed to it. */
export const looksLikeCccd = (text: string): boolean => /^\s*[0-9]{12}\|/.test(text);

/** Parses the text of a CCCD QR code; a malformed or partial scan says why and gives nothing. */
export function parseCccdQr(raw: string): CccdScan {
  const text = raw.normalize('NFC').replace(/[\r\n]+$/, '').trim();
  const f = text.split('|');
  if (f.length < 7) return { ok: false, reason: 'Mã QR trên CCCD không đầy đủ (thiếu trường), hãy quét lại / incomplete CCCD QR, scan again' };
  const [id, oldId, name, birth, gender, address, issue] = f.map((x) => x.trim()) as [string, string, string, string, string, string, string];
  const birthDate = ddmmyyyy(birth);
  const issueDate = ddmmyyyy(issue);
  const idProblem = idNumberProblem(id, birthDate);
  if (idProblem) return { ok: false, reason: idProblem };
  if (oldId && !/^[0-9]{9}$/.test(oldId)) return { ok: false, reason: 'Số CMND cũ trong mã QR không hợp lệ / malformed old ID number' };
  if (!name || /[\x00-\x1F\x7F<>]/.test(name) || !/\p{L}/u.test(name)) return { ok: false, reason: 'Họ tên trong mã QR không hợp lệ / malformed name' };
  if (!birthDate) return { ok: false, reason: 'Ngày sinh trong mã QR không hợp lệ (DDMMYYYY) / malformed birth date' };
  if (!issueDate) return { ok: false, reason: 'Ngày cấp trong mã QR không hợp lệ (DDMMYYYY) / malformed issue date' };
  if (!gender) return { ok: false, reason: 'Thiếu giới tính trong mã QR / gender missing' };
  if (!address || /[\x00-\x1F\x7F<>]/.test(address)) return { ok: false, reason: 'Địa chỉ trong mã QR không hợp lệ / malformed address' };
  return {
    ok: true,
    card: { idNumber: id, oldIdNumber: oldId || null, fullName: name.replace(/\s+/g, ' '), birthDate, gender, address: address.replace(/\s+/g, ' '), issueDate },
  };
}

export const CccdCardSchema = Type.Object({
  idNumber: Type.String(),
  oldIdNumber: Type.Union([Type.String(), Type.Null()]),
  fullName: Type.String(),
  birthDate: Type.String(),
  gender: Type.String(),
  address: Type.String(),
  issueDate: Type.String(),
});

/**
 * `cccd:scan` (hub → the staff member at the counter): an identity card read by the counter's serial scanner
 * (through its agent), parsed by the hub; `reason` instead of `card` when the scan was malformed or partial.
 * Sent only to that staff member's sockets, never logged.
 */
export const CccdScanEvent = Type.Object({
  at: Type.String({ format: 'date-time' }),
  counterId: Type.Integer(),
  card: Type.Optional(CccdCardSchema),
  reason: Type.Optional(Type.String()),
});
export type CccdScanEvent = Static<typeof CccdScanEvent>;
