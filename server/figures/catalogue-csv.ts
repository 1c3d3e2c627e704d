/**
 * A province catalogue export as CSV (a heading row, one procedure a row; `,` `;` or tab separated, UTF-8 with or
 * without BOM). Headings in Vietnamese or English (CATALOGUE_CSV_COLUMNS): name, field and processing days are
 * required; code, fee, papers, where to submit and the kiosk service are optional. Papers: `;`- or newline-separated,
 * each `name (originals/copies)`, e.g. `Tờ khai đăng ký khai sinh (1/0); Giấy chứng sinh (1/0)`; without the
 * brackets one original. Any bad cell is a 400 naming its row (as the spreadsheet numbers it) and column.
 */
import { badRequest } from '../errors.js';
import { CATALOGUE_CSV_COLUMNS } from '../../protocol/figures.js';
import type { Paper } from '../../protocol/dossiers.js';
import { parseCsv } from './csv.js';
import { fold } from './fold.js';
import type { ImportRow } from './figures.repo.js';

type Column = keyof typeof CATALOGUE_CSV_COLUMNS;
const REQUIRED: Column[] = ['name', 'field', 'processingDays'];
const MAX_ROWS = 10_000;

const bad = (message: string) => badRequest(message, 'bad_csv');
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;

export function parseCatalogue(csv: string, services: readonly { id: number; name: string; department_id: number | null }[]): ImportRow[] {
  const rows = parseCsv(csv);
  if (rows.length < 2) throw bad('Tệp CSV không có dòng thủ tục nào (cần dòng tiêu đề và ít nhất một dòng) / the CSV has no procedure rows');
  if (rows.length - 1 > MAX_ROWS) throw bad(`Tệp CSV có quá ${MAX_ROWS} dòng / too many rows`);
  const heading = rows[0]!.map((h) => fold(h.trim()));
  const index = {} as Record<Column, number>;
  for (const [key, names] of Object.entries(CATALOGUE_CSV_COLUMNS) as [Column, readonly string[]][]) {
    index[key] = heading.findIndex((h) => names.some((n) => fold(n) === h));
  }
  const missing = REQUIRED.filter((k) => index[k] < 0);
  if (missing.length > 0) {
    throw bad(`Thiếu cột: ${missing.map((k) => `"${CATALOGUE_CSV_COLUMNS[k][0]}"`).join(', ')} / missing column(s): ${missing.join(', ')}`);
  }
  const serviceByName = new Map(services.map((s) => [fold(s.name.trim()), s]));
  const seen = new Map<string, number>();
  return rows.slice(1).map((cells, i) => {
    const line = i + 2;
    const at = (k: Column) => `dòng ${line}, cột "${CATALOGUE_CSV_COLUMNS[k][0]}" / row ${line}, column ${k}`;
    const get = (k: Column): string => {
      const v = index[k] >= 0 ? (cells[index[k]] ?? '').trim() : '';
      if (CONTROL.test(v)) throw bad(`${at(k)}: ký tự không hợp lệ / control characters`);
      return v;
    };
    const text = (k: Column, max: number, required: boolean): string | null => {
      const v = get(k);
      if (v === '') {
        if (required) throw bad(`${at(k)}: trống / empty`);
        return null;
      }
      if (v.length > max) throw bad(`${at(k)}: dài quá ${max} ký tự / longer than ${max}`);
      return v;
    };
    const integer = (k: Column, max: number, fallback: number | null): number => {
      const raw = k === 'fee' ? get(k).replace(/[.,\s]/g, '') : get(k);
      if (raw === '' && fallback !== null) return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) > max) throw bad(`${at(k)}: "${get(k)}" không phải số nguyên từ 0 đến ${max} / not a whole number 0–${max}`);
      return Number(raw);
    };
    const name = text('name', 300, true)!;
    if (name.length < 2) throw bad(`${at('name')}: ngắn quá / too short`);
    const dup = seen.get(fold(name));
    if (dup !== undefined) throw bad(`${at('name')}: "${name}" trùng với dòng ${dup} / same procedure as row ${dup}`);
    seen.set(fold(name), line);
    const serviceName = text('service', 200, false);
    const service = serviceName === null ? null : serviceByName.get(fold(serviceName));
    if (serviceName !== null && !service) throw bad(`${at('service')}: không có dịch vụ "${serviceName}" ở trung tâm / no such kiosk service`);
    return {
      code: text('code', 60, false),
      name,
      field: text('field', 300, true)!,
      processingDays: integer('processingDays', 365, null),
      fee: integer('fee', 10_000_000_000, 0),
      papers: papers(get('papers'), at('papers')),
      submitAt: text('submitAt', 300, false),
      serviceId: service?.id ?? null,
      departmentId: service?.department_id ?? null,
    };
  });
}

function papers(raw: string, at: string): Paper[] {
  if (raw === '') return [];
  return raw
    .split(/[;\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const m = /^(.*?)\s*\((\d{1,2})\s*\/\s*(\d{1,2})\)$/.exec(p);
      const name = (m ? m[1]! : p).trim();
      if (name === '' || name.length > 300) throw bad(`${at}: tên giấy tờ "${p}" không hợp lệ / bad paper name`);
      const originals = m ? Number(m[2]) : 1;
      const copies = m ? Number(m[3]) : 0;
      if (originals > 20 || copies > 20) throw bad(`${at}: số bản của giấy tờ "${name}" quá 20 / more than 20 sheets`);
      return { name, originals, copies };
    });
}
