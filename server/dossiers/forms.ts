/**
 * The forms of Thông tư 03/2025/TT-VPCP as PDF documents (pdfkit, DejaVu Serif embedded): 01 receipt and appointment
 * (A5, code as CODE128 and QR), 02 supplement request, 03 refusal, 04 apology and extension, 05 stop notice,
 * 06 processing control sheet (A4), 07 register (A4 landscape, a period).
 *
 * Templates are versioned: a dossier keeps the `form_version` in force when it was received, and its receipt's
 * snapshot (procedure name, hall, place, staff) so a form printed again later says what it said then.
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import {
  CHANNEL_LABELS,
  DOSSIER_STATUS_LABELS,
  FORM_TITLES,
  RETURN_LABELS,
  type FormNumber,
} from '../../protocol/index.js';
import type { DossierRow, EventRow, HallInfo, HandoverRow, RegisterRow } from './dossiers.repo.js';
import { loadBwip } from '../../hardware/printer/raster.js';
import { placeOf } from './format.js';

/** The template version new dossiers get. */
export const FORM_VERSION = 'TT03-2025.1';
/** Versions this hub can render (older dossiers keep theirs). */
export const FORM_VERSIONS = [FORM_VERSION] as const;

const FONT_DIR = process.env.FORM_FONT_DIR ?? '/usr/share/fonts/truetype/dejavu';
let fonts: { regular: Buffer; bold: Buffer; italic: Buffer; condensed: Buffer; condensedBold: Buffer } | null = null;
const fontFiles = () =>
  (fonts ??= {
    regular: readFileSync(`${FONT_DIR}/DejaVuSerif.ttf`),
    bold: readFileSync(`${FONT_DIR}/DejaVuSerif-Bold.ttf`),
    italic: readFileSync(`${FONT_DIR}/DejaVuSerif-Italic.ttf`),
    condensed: readFileSync(`${FONT_DIR}/DejaVuSerifCondensed.ttf`),
    condensedBold: readFileSync(`${FONT_DIR}/DejaVuSerifCondensed-Bold.ttf`),
  });

type Doc = PDFKit.PDFDocument;

export interface FormData {
  dossier: DossierRow;
  events: EventRow[];
  /** The event the form is about (02: the supplement request, 03: the refusal, 04: the extension, 05: the stop). */
  event: EventRow | null;
  handovers: HandoverRow[];
  hall: HallInfo;
  lookupUrl: string;
}

// ---- dates ----

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(at: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value])) as Record<string, string>;
  return { day: p.day!, month: p.month!, year: p.year!, hour: p.hour!, minute: p.minute! };
}
/** "ngày 03 tháng 12 năm 2026" */
export const longDate = (at: Date, tz: string) => {
  const p = parts(at, tz);
  return `ngày ${p.day} tháng ${p.month} năm ${p.year}`;
};
/** "09 giờ 15 phút, ngày 03/12/2026" */
export const timeAndDate = (at: Date, tz: string) => {
  const p = parts(at, tz);
  return `${p.hour} giờ ${p.minute} phút, ngày ${p.day}/${p.month}/${p.year}`;
};
export const shortDate = (at: Date, tz: string) => {
  const p = parts(at, tz);
  return `${p.day}/${p.month}/${p.year}`;
};
const money = (vnd: number) => (vnd > 0 ? `${new Intl.NumberFormat('vi-VN').format(vnd)} đồng` : 'Không thu');

// ---- the document and its legal frame ----

/**
 * pdfkit parses a TrueType file anew for every document (~20 ms each for DejaVu) and lays every string out again.
 * The parsed font (fontkit) and its layout cache do not depend on the document, so they are kept per process: each
 * new document gets its own embedded-font object (its own subset and ids) around the shared parsed font.
 * pdfkit exposes neither its EmbeddedFont class nor a way to pass a parsed font, hence the internal fields below.
 */
interface PdfkitInternals {
  _fontFamilies: Record<string, { font: unknown; layoutCache?: unknown; constructor: new (doc: Doc, font: unknown, id: string) => { layoutCache?: unknown } }>;
  _fontCount: number;
}
const sharedFonts = new Map<string, { cls: new (doc: Doc, font: unknown, id: string) => { layoutCache?: unknown }; font: unknown; layoutCache: unknown }>();
const FONT_NAMES = ['R', 'B', 'I', 'C', 'CB'] as const;

function newDoc(size: 'A4' | 'A5', layout: 'portrait' | 'landscape' = 'portrait', title: string): Doc {
  const margin = size === 'A5' ? { top: 34, bottom: 34, left: 40, right: 30 } : { top: 48, bottom: 48, left: 62, right: 42 };
  const doc = new PDFDocument({ size, layout, margins: margin, info: { Title: title, Creator: 'Hall Hub', Producer: 'Hall Hub' }, bufferPages: false });
  const f = fontFiles();
  const files: Record<(typeof FONT_NAMES)[number], Buffer> = { R: f.regular, B: f.bold, I: f.italic, C: f.condensed, CB: f.condensedBold };
  const internals = doc as unknown as PdfkitInternals;
  for (const name of FONT_NAMES) {
    doc.registerFont(name, files[name]);
    const shared = sharedFonts.get(name);
    if (shared) {
      const embedded = new shared.cls(doc, shared.font, `F${++internals._fontCount}`);
      embedded.layoutCache = shared.layoutCache;
      internals._fontFamilies[name] = embedded as PdfkitInternals['_fontFamilies'][string];
    }
  }
  doc.font('R');
  return doc;
}

/**
 * Code points whose glyphs are created up front in a shared font: fontkit caches one glyph object per id, and a glyph
 * first created while subsetting (a component of "Ồ", say) would carry no code point, so later documents would map
 * it to no text (pdftotext would read "H ÀN" for "HOÀN").
 */
const WARM_RANGES: readonly [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x300, 0x36f],
  [0x1e00, 0x1eff],
  [0x2000, 0x206f],
  [0x2190, 0x21ff],
];

/** Keeps the fonts a document parsed for the next documents (before its subsets are written). */
function keepFonts(doc: Doc): void {
  const families = (doc as unknown as PdfkitInternals)._fontFamilies;
  for (const name of FONT_NAMES) {
    const used = families[name];
    if (!used || sharedFonts.has(name)) continue;
    const font = used.font as { hasGlyphForCodePoint(cp: number): boolean; glyphForCodePoint(cp: number): unknown };
    for (const [from, to] of WARM_RANGES) for (let cp = from; cp <= to; cp++) if (font.hasGlyphForCodePoint(cp)) font.glyphForCodePoint(cp);
    sharedFonts.set(name, { cls: used.constructor, font: used.font, layoutCache: used.layoutCache ?? Object.create(null) });
  }
}

function finish(doc: Doc): Promise<Buffer> {
  keepFonts(doc);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

interface Frame {
  /** The governing body, e.g. "UBND XÃ MINH HÒA". */
  parent: string;
  /** The issuing body (the hall). */
  agency: string;
  number: string;
  place: string;
  date: Date;
  tz: string;
}

function frameOf(d: DossierRow, hall: HallInfo, number: string, date: Date): Frame {
  const hallName = d.snapshot.hallName ?? d.hall_name;
  const place = d.snapshot.placeName ?? hall.place_name ?? placeOf(hallName);
  const level = /\b(xã|phường|đặc khu|tỉnh|thành phố)\s/iu.exec(hallName)?.[1];
  return { parent: level ? `UBND ${level} ${place}`.toUpperCase() : '', agency: hallName.toUpperCase(), number, place, date, tz: hall.timezone };
}

/** Quốc hiệu and tiêu ngữ, the issuing body and Số …, then "…, ngày … tháng … năm …". */
function header(doc: Doc, f: Frame, size: number): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const leftW = width * 0.42;
  const rightX = left + leftW;
  const rightW = width - leftW;
  const top = doc.y;
  doc.font('R').fontSize(size);
  if (f.parent) doc.text(f.parent, left, top, { width: leftW, align: 'center' });
  doc.font('B').text(f.agency, left, doc.y, { width: leftW, align: 'center' });
  const lineY = doc.y + 3;
  doc.moveTo(left + leftW * 0.3, lineY).lineTo(left + leftW * 0.7, lineY).lineWidth(0.6).stroke();
  doc.font('R').text(`Số: ${f.number}`, left, lineY + 5, { width: leftW, align: 'center' });
  const leftBottom = doc.y;
  doc.font('B').fontSize(size).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: rightW, align: 'center' });
  doc.font('B').fontSize(size + 0.5).text('Độc lập - Tự do - Hạnh phúc', rightX, doc.y, { width: rightW, align: 'center' });
  const motto = doc.y + 2;
  const mw = doc.widthOfString('Độc lập - Tự do - Hạnh phúc');
  doc.moveTo(rightX + (rightW - mw) / 2, motto).lineTo(rightX + (rightW + mw) / 2, motto).lineWidth(0.6).stroke();
  doc.font('I').fontSize(size).text(`${f.place}, ${longDate(f.date, f.tz)}`, rightX, motto + 6, { width: rightW, align: 'center' });
  doc.x = left;
  doc.y = Math.max(leftBottom, doc.y) + size * 1.4;
}

function title(doc: Doc, text: string, size: number, sub?: string): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('B').fontSize(size + 3).text(text.toUpperCase(), left, doc.y, { width, align: 'center' });
  if (sub) doc.font('I').fontSize(size).text(sub, left, doc.y + 2, { width, align: 'center' });
  doc.moveDown(0.8);
  doc.x = left;
}

/** "Label: value" with the label in bold. */
function field(doc: Doc, label: string, value: string, size: number): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.fontSize(size).font('B').text(`${label}: `, left, doc.y, { width, continued: true }).font('R').text(value || '…………………');
  doc.moveDown(0.15);
}

function para(doc: Doc, text: string, size: number, font: 'R' | 'B' | 'I' = 'R'): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font(font).fontSize(size).text(text, left, doc.y, { width, align: 'justify' });
  doc.moveDown(0.3);
}

/** Signature blocks side by side: a title, "(Ký và ghi rõ họ tên)", room for the signature, the name if known. */
function signatures(doc: Doc, blocks: { title: string; hint?: string; name?: string | null }[], size: number): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const needed = size * 9;
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(0.6);
  const top = doc.y;
  const w = width / blocks.length;
  let bottom = top;
  blocks.forEach((b, i) => {
    const x = left + i * w;
    doc.font('B').fontSize(size).text(b.title.toUpperCase(), x, top, { width: w, align: 'center' });
    doc.font('I').fontSize(size - 1).text(b.hint ?? '(Ký và ghi rõ họ tên)', x, doc.y, { width: w, align: 'center' });
    if (b.name) doc.font('B').fontSize(size).text(b.name, x, doc.y + size * 4.2, { width: w, align: 'center' });
    bottom = Math.max(bottom, doc.y);
  });
  doc.x = left;
  doc.y = bottom + size;
}

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

/**
 * Breaks a cell's text into lines that fit `width` (words, then characters for a word wider than the cell), at most
 * `maxLines` (the last one ends with "…" when cut). Measured with the current font; memoised per font, size and width,
 * since a register repeats the same procedures, statuses and dates thousands of times.
 */
function wrapLines(doc: Doc, text: string, width: number, maxLines: number, memo: Map<string, string[]>, face: string, size: number): string[] {
  const key = `${face}|${size}|${width}|${maxLines}|${text}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const fits = (s: string) => doc.widthOfString(s) <= width;
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (fits(next)) {
        line = next;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (!fits(rest)) {
        let n = rest.length - 1;
        while (n > 1 && !fits(rest.slice(0, n))) n--;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  let out = lines;
  if (lines.length > maxLines) {
    out = lines.slice(0, maxLines);
    let last = `${out[maxLines - 1]}…`;
    while (last.length > 1 && !fits(last)) last = `${last.slice(0, -2)}…`;
    out[maxLines - 1] = last;
  }
  memo.set(key, out);
  return out;
}

/** A table with a bold header; rows grow with their text (up to `maxLines` lines a cell), new pages repeat the header. */
function table(doc: Doc, columns: Column[], rows: string[][], size: number, maxLines = 6, face: { body: string; head: string } = { body: 'R', head: 'B' }): void {
  const left = doc.page.margins.left;
  const pad = 2.5;
  const memo = new Map<string, string[]>();
  const total = columns.reduce((a, c) => a + c.width, 0);
  const lineH = doc.font(face.body).fontSize(size).currentLineHeight(true);
  const layout = (cells: string[], font: string, cap: number) => {
    doc.font(font).fontSize(size);
    return cells.map((cell, i) => wrapLines(doc, cell, columns[i]!.width - 2 * pad, cap, memo, font, size));
  };
  /** Draws one row (its frame as one path, then its lines of text); false when it does not fit on this page. */
  const drawRow = (cells: string[][], font: string, center: boolean): boolean => {
    const lines = Math.max(1, ...cells.map((c) => c.length));
    const h = lines * lineH + 2 * pad + 1;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) return false;
    const y = doc.y;
    doc.rect(left, y, total, h);
    let x = left;
    for (const c of columns.slice(0, -1)) {
      x += c.width;
      doc.moveTo(x, y).lineTo(x, y + h);
    }
    doc.lineWidth(0.4).stroke();
    doc.font(font).fontSize(size);
    x = left;
    cells.forEach((cellLines, i) => {
      const c = columns[i]!;
      const inner = c.width - 2 * pad;
      const align = center ? 'center' : c.align ?? 'left';
      cellLines.forEach((line, n) => {
        if (!line) return;
        const dx = align === 'left' ? 0 : align === 'center' ? (inner - doc.widthOfString(line)) / 2 : inner - doc.widthOfString(line);
        doc.text(line, x + pad + dx, y + pad + n * lineH, { lineBreak: false });
      });
      x += c.width;
    });
    doc.x = left;
    doc.y = y + h;
    return true;
  };
  const head = layout(
    columns.map((c) => c.title),
    face.head,
    4,
  );
  drawRow(head, face.head, true);
  for (const row of rows) {
    const cells = layout(row, face.body, maxLines);
    if (!drawRow(cells, face.body, false)) {
      doc.addPage();
      drawRow(head, face.head, true);
      drawRow(cells, face.body, false);
    }
  }
  doc.moveDown(0.5);
}

const pageWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

/** The QR code as vector modules (runs of dark modules per row), with its 4-module quiet zone inside `size`. */
function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 8);
  const at = (r: number, c: number) => !!qr.modules.get(r, c);
  doc.save();
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!at(r, c)) continue;
      let end = c;
      while (end + 1 < n && at(r, end + 1)) end++;
      doc.rect(x + (c + 4) * cell, y + (r + 4) * cell, (end - c + 1) * cell + 0.01, cell + 0.01);
      c = end;
    }
  }
  doc.fill('#000').restore();
}

async function codes(doc: Doc, d: DossierRow, lookupUrl: string): Promise<void> {
  const bwip = await loadBwip();
  const barcodeText = d.lookup_key ? `${d.code}/${d.lookup_key}` : d.code;
  const bar = await bwip.toBuffer({ bcid: 'code128', text: barcodeText, scale: 2, height: 9, includetext: false });
  const left = doc.page.margins.left;
  const y = doc.y;
  const w = pageWidth(doc);
  const qrSize = 64;
  doc.image(bar, left, y + 4, { width: Math.min(w - qrSize - 12, 230), height: 36 });
  drawQr(doc, lookupUrl, left + w - qrSize, y, qrSize);
  doc.font('B').fontSize(9).text(`Mã hồ sơ: ${d.code}`, left, y + 44, { width: w - qrSize - 12 });
  if (d.lookup_key) doc.font('B').fontSize(9).text(`Mã tra cứu: ${d.lookup_key}`, left, doc.y, { width: w - qrSize - 12 });
  doc.x = left;
  doc.y = Math.max(doc.y, y + qrSize) + 6;
}

const applicantLines = (doc: Doc, d: DossierRow, size: number) => {
  field(doc, 'Ông/Bà', d.applicant_name, size);
  if (d.applicant_id_number) field(doc, 'Số định danh cá nhân (CCCD)', d.applicant_id_number, size);
  if (d.applicant_address) field(doc, 'Địa chỉ', d.applicant_address, size);
  if (d.applicant_phone) field(doc, 'Số điện thoại', d.applicant_phone, size);
  if (d.applicant_email) field(doc, 'Thư điện tử', d.applicant_email, size);
};

const procedureOf = (d: DossierRow) => d.snapshot.procedureName ?? d.procedure_name;
const numberOf = (d: DossierRow, suffix: string) => `${d.seq}/${d.day.slice(0, 4)}/${suffix}`;

// ---- 01 ----

async function form01(x: FormData): Promise<Buffer> {
  const { dossier: d, hall } = x;
  const tz = hall.timezone;
  const doc = newDoc('A5', 'portrait', `${FORM_TITLES['01']} ${d.code}`);
  const s = 8.5;
  header(doc, frameOf(d, hall, numberOf(d, 'TNHS'), d.received_at), s - 0.5);
  title(doc, FORM_TITLES['01'], s, 'Mẫu số 01');
  await codes(doc, d, x.lookupUrl);
  field(doc, 'Bộ phận tiếp nhận và trả kết quả', d.snapshot.hallName ?? d.hall_name, s);
  para(doc, 'Tiếp nhận hồ sơ của:', s, 'B');
  applicantLines(doc, d, s);
  field(doc, 'Nội dung yêu cầu giải quyết', procedureOf(d), s);
  field(doc, 'Hình thức nộp hồ sơ', CHANNEL_LABELS[d.channel], s);
  para(doc, 'Thành phần hồ sơ nộp gồm:', s, 'B');
  if (d.papers.length) {
    const w = pageWidth(doc);
    table(
      doc,
      [
        { title: 'TT', width: 20, align: 'center' },
        { title: 'Tên giấy tờ', width: w - 20 - 3 * 42 },
        { title: 'Bản chính', width: 42, align: 'center' },
        { title: 'Bản sao chứng thực', width: 42, align: 'center' },
        { title: 'Bản sao', width: 42, align: 'center' },
      ],
      d.papers.map((p, i) => [String(i + 1), p.name, String(p.originals), String(p.certifiedCopies ?? 0), String(p.copies - (p.certifiedCopies ?? 0))]),
      s - 1,
    );
  } else para(doc, '(Theo danh mục thành phần hồ sơ của thủ tục)', s, 'I');
  field(doc, 'Số lượng hồ sơ', `${String(d.sets).padStart(2, '0')} (bộ)`, s);
  field(doc, 'Thời gian giải quyết hồ sơ theo quy định', d.snapshot.processing ?? (d.processing_hours ? `${d.processing_hours} giờ làm việc` : `${d.processing_days} ngày làm việc`), s);
  field(doc, 'Thời gian nhận hồ sơ', timeAndDate(d.received_at, tz), s);
  field(doc, 'Thời gian trả kết quả giải quyết hồ sơ', timeAndDate(d.original_due_at, tz), s);
  field(doc, 'Phí, lệ phí', money(Number(d.fee)), s);
  field(doc, 'Nhận kết quả tại', d.return_method === 'postal' ? `${RETURN_LABELS.postal}: ${d.return_address ?? ''}` : `${RETURN_LABELS.at_hall} (${d.snapshot.hallName ?? d.hall_name})`, s);
  field(doc, 'Vào Sổ theo dõi hồ sơ', `Quyển số ${d.day.slice(0, 4)}, Số thứ tự ${d.seq}`, s);
  para(doc, 'Tra cứu tình trạng hồ sơ: quét mã QR, hoặc nhập mã hồ sơ và mã tra cứu tại ki-ốt tra cứu.', s - 1, 'I');
  signatures(doc, [{ title: 'Người nộp hồ sơ', name: d.applicant_name }, { title: 'Người tiếp nhận hồ sơ', name: d.snapshot.staffName ?? d.staff_name }], s);
  return finish(doc);
}

// ---- 02 to 05: letters to the applicant ----

function letterStart(doc: Doc, x: FormData, s: number): void {
  const { dossier: d, hall } = x;
  field(doc, 'Kính gửi', `Ông/Bà ${d.applicant_name}`, s + 1);
  if (d.applicant_address) field(doc, 'Địa chỉ', d.applicant_address, s);
  if (d.applicant_phone) field(doc, 'Số điện thoại', d.applicant_phone, s);
  doc.moveDown(0.3);
  para(
    doc,
    `Ngày ${shortDate(d.received_at, hall.timezone)}, ${d.snapshot.hallName ?? d.hall_name} tiếp nhận hồ sơ mã số ${d.code} của Ông/Bà đề nghị giải quyết thủ tục hành chính: ${procedureOf(d)}.`,
    s,
  );
}

async function letter(x: FormData, form: '02' | '03' | '04' | '05'): Promise<Buffer> {
  const { dossier: d, hall, event } = x;
  const e = event!;
  const tz = hall.timezone;
  const s = 11;
  const suffix = { '02': 'PYCBS', '03': 'PTC', '04': 'VBXL', '05': 'TBDGQ' }[form];
  const doc = newDoc('A4', 'portrait', `${FORM_TITLES[form]} ${d.code}`);
  header(doc, frameOf(d, hall, numberOf(d, suffix), e.at), s - 1);
  title(doc, FORM_TITLES[form], s, `Mẫu số ${form}`);
  letterStart(doc, x, s);
  const staffName = e.staff_name ?? null;
  switch (form) {
    case '02': {
      const round = x.events.filter((v) => v.status === 'supplement_required' && v.id <= e.id).length;
      para(doc, 'Sau khi xem xét, hồ sơ của Ông/Bà cần được bổ sung, hoàn thiện các nội dung sau:', s);
      const w = pageWidth(doc);
      table(
        doc,
        [
          { title: 'TT', width: 28, align: 'center' },
          { title: 'Giấy tờ cần bổ sung, hoàn thiện', width: (w - 28) * 0.45 },
          { title: 'Lý do', width: (w - 28) * 0.55 },
        ],
        (e.papers ?? []).map((p, i) => [String(i + 1), p.name, p.reason]),
        s - 1,
      );
      if (e.reason) field(doc, 'Ghi chú', e.reason, s);
      field(doc, 'Lần yêu cầu bổ sung', round > 1 ? `${round} (vượt quá một lần theo quy định)` : String(round), s);
      para(
        doc,
        `Thời gian giải quyết hồ sơ tạm dừng từ ${timeAndDate(e.at, tz)} đến khi Ông/Bà nộp đủ hồ sơ bổ sung. Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${d.counter_number !== null ? `quầy số ${d.counter_number}, ` : ''}${d.snapshot.hallName ?? d.hall_name} để được hướng dẫn.`,
        s,
      );
      signatures(doc, [{ title: 'Người hướng dẫn', name: staffName }], s);
      break;
    }
    case '03':
      para(doc, 'Sau khi xem xét, căn cứ quy định hiện hành, cơ quan không tiếp nhận, giải quyết hồ sơ này với lý do:', s);
      para(doc, e.reason ?? '', s, 'B');
      para(doc, 'Xin thông báo để Ông/Bà được biết và thực hiện.', s);
      signatures(doc, [{ title: 'Người tiếp nhận hồ sơ', name: staffName }], s);
      break;
    case '04':
      para(doc, `Thời hạn trả kết quả theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả: ${timeAndDate(d.original_due_at, tz)}.`, s);
      if (e.old_due_at && e.old_due_at.getTime() !== d.original_due_at.getTime()) para(doc, `Thời hạn trước lần gia hạn này: ${timeAndDate(e.old_due_at, tz)}.`, s);
      para(doc, 'Tuy nhiên, đến nay cơ quan chưa giải quyết xong hồ sơ của Ông/Bà với lý do:', s);
      para(doc, e.reason ?? '', s, 'B');
      para(doc, 'Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi thành thật xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả vào:', s);
      para(doc, timeAndDate(e.new_due_at ?? d.due_at, tz), s + 1, 'B');
      para(doc, 'Rất mong nhận được sự thông cảm của Ông/Bà.', s);
      signatures(doc, [{ title: 'Thủ trưởng cơ quan', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }], s);
      break;
    case '05':
      para(doc, `Cơ quan thông báo dừng giải quyết hồ sơ nêu trên kể từ ${timeAndDate(e.at, tz)}, với lý do:`, s);
      para(doc, e.reason ?? '', s, 'B');
      para(doc, 'Hồ sơ và các giấy tờ kèm theo được trả lại cho Ông/Bà theo quy định. Xin thông báo để Ông/Bà được biết.', s);
      signatures(doc, [{ title: 'Thủ trưởng cơ quan', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }], s);
      break;
  }
  return finish(doc);
}

// ---- 06 ----

async function form06(x: FormData): Promise<Buffer> {
  const { dossier: d, hall } = x;
  const tz = hall.timezone;
  const s = 10;
  const doc = newDoc('A4', 'portrait', `${FORM_TITLES['06']} ${d.code}`);
  header(doc, frameOf(d, hall, numberOf(d, 'PKS'), d.received_at), s - 0.5);
  title(doc, FORM_TITLES['06'], s, 'Mẫu số 06');
  field(doc, 'Kèm theo hồ sơ', `${d.code} — ${procedureOf(d)}`, s);
  field(doc, 'Người nộp hồ sơ', d.applicant_name, s);
  field(doc, 'Ngày nhận hồ sơ', timeAndDate(d.received_at, tz), s);
  field(doc, 'Ngày hẹn trả kết quả', timeAndDate(d.original_due_at, tz) + (d.due_at.getTime() !== d.original_due_at.getTime() ? ` (hiện tại: ${timeAndDate(d.due_at, tz)})` : ''), s);
  doc.moveDown(0.4);
  const w = pageWidth(doc);
  const verdict = (h: HandoverRow) =>
    !h.done_at ? 'Đang giải quyết' : !h.deadline_at ? 'Đã xong' : h.done_at.getTime() < h.deadline_at.getTime() - 86_400_000 ? 'Trước hạn' : h.done_at <= h.deadline_at ? 'Đúng hạn' : 'Quá hạn';
  const rows: string[][] = [
    [
      `1. Giao: Người nộp hồ sơ\nNhận: ${d.snapshot.hallName ?? d.hall_name}`,
      timeAndDate(d.received_at, tz),
      'Tiếp nhận',
      d.snapshot.staffName ?? d.staff_name ?? '',
    ],
    ...x.handovers.map((h, i) => [
      `${i + 2}. Giao: ${h.from_unit}\nNhận: ${h.to_unit}`,
      `${timeAndDate(h.at, tz)}${h.deadline_at ? `\nHạn: ${timeAndDate(h.deadline_at, tz)}` : ''}`,
      `${verdict(h)}${h.outcome ? `: ${h.outcome}` : ''}`,
      `${h.by ?? ''}${h.done_at ? `\nXong: ${timeAndDate(h.done_at, tz)}` : ''}`,
    ]),
  ];
  table(
    doc,
    [
      { title: 'Tên cơ quan, bộ phận giao, nhận', width: w * 0.32 },
      { title: 'Thời gian giao, nhận hồ sơ', width: w * 0.25 },
      { title: 'Kết quả giải quyết (trước hạn / đúng hạn / quá hạn)', width: w * 0.23 },
      { title: 'Người giao, nhận / Ghi chú', width: w * 0.2 },
    ],
    rows,
    s - 1.5,
  );
  return finish(doc);
}

/** Renders a form of a dossier, in the template version the dossier was received under. */
export async function renderForm(form: FormNumber, x: FormData): Promise<Buffer> {
  switch (form) {
    case '01':
      return form01(x);
    case '02':
    case '03':
    case '04':
    case '05':
      return letter(x, form);
    case '06':
      return form06(x);
  }
}

// ---- 07 ----

export async function renderRegister(x: { hall: HallInfo; from: string; to: string; rows: RegisterRow[] }): Promise<Buffer> {
  const tz = x.hall.timezone;
  const doc = newDoc('A4', 'landscape', `${FORM_TITLES['07']} ${x.from} – ${x.to}`);
  const s = 7.5;
  const place = x.hall.place_name ?? placeOf(x.hall.name);
  const fake = { snapshot: { hallName: x.hall.name, placeName: place }, hall_name: x.hall.name } as unknown as DossierRow;
  header(doc, frameOf(fake, x.hall, `${x.from.slice(0, 4)}/STD`, new Date()), s + 1);
  const day = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  title(doc, FORM_TITLES['07'], s + 2, `Mẫu số 07 — từ ngày ${day(x.from)} đến ngày ${day(x.to)} — ${x.rows.length} hồ sơ`);
  const w = pageWidth(doc);
  const cols: Column[] = [
    { title: 'STT', width: 24, align: 'center' },
    { title: 'Mã hồ sơ', width: 112 },
    { title: 'Tên thủ tục hành chính', width: 150 },
    { title: 'Tên cá nhân, tổ chức', width: 84 },
    { title: 'Địa chỉ, số điện thoại', width: 110 },
    { title: 'Hình thức nộp', width: 46, align: 'center' },
    { title: 'Nhận hồ sơ', width: 46, align: 'center' },
    { title: 'Hẹn trả kết quả', width: 50, align: 'center' },
    { title: 'Có kết quả', width: 46, align: 'center' },
  ];
  cols.push({ title: 'Ghi chú (tình trạng)', width: w - cols.reduce((a, c) => a + c.width, 0) });
  table(
    doc,
    cols,
    x.rows.map((r, i) => [
      String(i + 1),
      r.code,
      r.snapshot.procedureName ?? r.procedure_name,
      r.applicant_name,
      [r.applicant_address, r.applicant_phone].filter(Boolean).join(' — '),
      CHANNEL_LABELS[r.channel],
      shortDate(r.received_at, tz),
      shortDate(r.original_due_at, tz) + (r.due_at.getTime() !== r.original_due_at.getTime() ? `\n→ ${shortDate(r.due_at, tz)}` : ''),
      r.result_at ? shortDate(r.result_at, tz) : '',
      DOSSIER_STATUS_LABELS[r.status].vi,
    ]),
    s,
    3,
    { body: 'C', head: 'CB' },
  );
  signatures(doc, [{ title: 'Người lập sổ' }, { title: 'Thủ trưởng cơ quan', hint: '(Ký, ghi rõ họ tên và đóng dấu)' }], s + 1.5);
  return finish(doc);
}
