/**
 * Biểu 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP): "Tình hình, kết quả giải quyết thủ tục hành chính", as CSV and XLSX.
 * Columns as on the form: STT, Lĩnh vực, then the numbered columns (1)–(11).
 */
import ExcelJS from 'exceljs';
import { reportCellsOf, type DossierReport } from '../../protocol/figures.js';
import { toCsv } from './csv.js';

export const FORM_TITLE = 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH';
export const FORM_NUMBER = 'Biểu số 06/VPCP/KSTT';

/** Group headings over the numbered columns: [text, first column (0-based in the numbered part), how many]. */
const GROUPS: [string, number, number][] = [
  ['Số hồ sơ nhận giải quyết', 0, 4],
  ['Số hồ sơ đã giải quyết', 4, 4],
  ['Số hồ sơ đang giải quyết', 8, 3],
];

export const COLUMNS = [
  'Tổng số',
  'Trực tuyến',
  'Trực tiếp, dịch vụ bưu chính',
  'Từ kỳ trước',
  'Tổng số',
  'Trước hạn',
  'Đúng hạn',
  'Quá hạn',
  'Tổng số',
  'Trong hạn',
  'Quá hạn',
] as const;

const periodText = (r: DossierReport) => `Kỳ báo cáo: ${r.period} (từ ngày ${vnDate(r.from)} đến ngày ${vnDate(r.to)})`;
const vnDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export function reportCsv(r: DossierReport): string {
  const group = ['', '', ...GROUPS.flatMap(([t, , n]) => [t, ...Array<string>(n - 1).fill('')])];
  return toCsv([
    [FORM_NUMBER],
    [FORM_TITLE],
    [`Đơn vị: ${r.hall.name} (${r.hall.code})`],
    [periodText(r)],
    group,
    ['STT', 'Lĩnh vực', ...COLUMNS],
    ['', '', ...COLUMNS.map((_, i) => `(${i + 1})`)],
    ...r.rows.map((row, i) => [i + 1, row.field, ...reportCellsOf(row)]),
    ['', 'Tổng cộng', ...reportCellsOf(r.total)],
  ]);
}

export async function reportXlsx(r: DossierReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Hall Hub';
  const ws = wb.addWorksheet('Biểu 06', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  const last = 2 + COLUMNS.length; // columns A..M
  const lastCol = ws.getColumn(last).letter;
  ws.getColumn(1).width = 6;
  ws.getColumn(2).width = 42;
  for (let c = 3; c <= last; c++) ws.getColumn(c).width = 12;
  const line = (row: number, text: string, bold = false, size = 11) => {
    ws.mergeCells(`A${row}:${lastCol}${row}`);
    const cell = ws.getCell(`A${row}`);
    cell.value = text;
    cell.font = { bold, size, name: 'Times New Roman' };
    cell.alignment = { horizontal: 'center' };
  };
  ws.getCell('A1').value = FORM_NUMBER;
  ws.getCell('A1').font = { italic: true, name: 'Times New Roman' };
  line(2, FORM_TITLE, true, 13);
  line(3, `Đơn vị: ${r.hall.name} (${r.hall.code})`);
  line(4, periodText(r), false);
  const h1 = 6;
  ws.mergeCells(h1, 1, h1 + 1, 1);
  ws.mergeCells(h1, 2, h1 + 1, 2);
  ws.getCell(h1, 1).value = 'STT';
  ws.getCell(h1, 2).value = 'Lĩnh vực';
  for (const [text, first, n] of GROUPS) {
    ws.mergeCells(h1, 3 + first, h1, 2 + first + n);
    ws.getCell(h1, 3 + first).value = text;
  }
  COLUMNS.forEach((t, i) => {
    ws.getCell(h1 + 1, 3 + i).value = t;
    ws.getCell(h1 + 2, 3 + i).value = `(${i + 1})`;
  });
  const body = [...r.rows.map((row, i) => [i + 1, row.field, ...reportCellsOf(row)]), ['', 'Tổng cộng', ...reportCellsOf(r.total)]];
  body.forEach((values, i) => {
    const row = ws.getRow(h1 + 3 + i);
    row.values = values;
    if (i === body.length - 1) row.font = { bold: true, name: 'Times New Roman' };
  });
  const border = { style: 'thin' as const };
  for (let row = h1; row <= h1 + 2 + body.length; row++) {
    for (let c = 1; c <= last; c++) {
      const cell = ws.getCell(row, c);
      cell.border = { top: border, left: border, bottom: border, right: border };
      if (row <= h1 + 2) {
        cell.font = { bold: row < h1 + 2, italic: row === h1 + 2, name: 'Times New Roman' };
        cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      }
    }
  }
  ws.views = [{ state: 'frozen', ySplit: h1 + 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
