/**
 * The official figures and the citizens' procedure catalogue.
 *
 * - The periodic report on dossiers (Biểu 06/VPCP/KSTT of Thông tư 01/2020/TT-VPCP): per field (lĩnh vực) and in total,
 *   dossiers received (new online, new in person or by post, carried over), resolved (before the due day, on it,
 *   late) and in progress at the end of the period (within time, overdue) — as the dossiers stood at the period's end.
 * - The service-quality indicators of Quyết định 766/QĐ-TTg the hall's own data computes: 2.1, 2.2, 3.3, 5.4.
 * - The catalogue search (tra cứu thủ tục) and the CSV import of a province's catalogue.
 *
 * Definitions (also on the manager page and the public rankings page):
 * - received: accepted at reception; a dossier refused at reception (không được tiếp nhận) is in no figure.
 * - resolved: the day its result was first ready (result_ready, a refusal after processing included, as that is a
 *   result); early: an earlier working day than due; on time: on the due day; late: after it.
 * - the due day moves on by the working days spent waiting for the applicant's supplement (a wait ends at the next
 *   status event); an extension (apology with a new date) does not move it: a dossier past its first due day is late.
 * - withdrawn (rút) and stopped (dừng xử lý) dossiers leave the figures on that day: counted in `received`, then in
 *   `stopped`, neither resolved nor in progress (received.total = resolved.total + inProgress.total + stopped).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable } from './common.js';
import { Paper } from './dossiers.js';

/** `2026` (year), `2026-H2` (six months), `2026-Q4` (quarter), `2026-11` (month). */
export const PERIOD_PATTERN = '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$';

export const FiguresQuery = Type.Object(
  {
    period: Type.Optional(Type.String({ maxLength: 10, description: '2026 | 2026-H2 | 2026-Q4 | 2026-11 (default: this month)' })),
    from: Type.Optional(Type.String({ maxLength: 10, description: 'instead of period: first day YYYY-MM-DD' })),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'instead of period: last day YYYY-MM-DD' })),
    hall: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'hall code (a hall user: only their own hall)' })),
    field: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'only this field (lĩnh vực)' })),
  },
  { additionalProperties: false },
);
export type FiguresQuery = Static<typeof FiguresQuery>;

export const ReportCells = Type.Object({
  received: Type.Object({
    total: Type.Integer(),
    online: Type.Integer({ description: 'new in the period, submitted online' }),
    inPerson: Type.Integer({ description: 'new in the period, in person or by post' }),
    carriedOver: Type.Integer({ description: 'received before the period and still in progress at its start' }),
  }),
  resolved: Type.Object({ total: Type.Integer(), early: Type.Integer(), onTime: Type.Integer(), late: Type.Integer() }),
  inProgress: Type.Object({ total: Type.Integer(), withinTime: Type.Integer(), overdue: Type.Integer() }),
  stopped: Type.Integer({ description: 'withdrawn or stopped in the period (not in the official form)' }),
});
export type ReportCells = Static<typeof ReportCells>;

/** A row's eleven figures in the column order of Biểu 06 (received ×4, resolved ×4, in progress ×3): the CSV, the XLSX and the managers' table. */
export const reportCellsOf = (c: ReportCells): number[] => [
  c.received.total,
  c.received.online,
  c.received.inPerson,
  c.received.carriedOver,
  c.resolved.total,
  c.resolved.early,
  c.resolved.onTime,
  c.resolved.late,
  c.inProgress.total,
  c.inProgress.withinTime,
  c.inProgress.overdue,
];

export const DossierReportRow = Type.Intersect([Type.Object({ field: Type.String() }), ReportCells]);
export type DossierReportRow = Static<typeof DossierReportRow>;

export const DossierReport = Type.Object({
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  hall: Type.Object({ code: Type.String(), name: Type.String() }),
  rows: Type.Array(DossierReportRow),
  total: ReportCells,
});
export type DossierReport = Static<typeof DossierReport>;

export const INDICATOR_CODES = ['2.1', '2.2', '3.3', '5.4'] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export const Indicator = Type.Object({
  code: Type.Union(INDICATOR_CODES.map((c) => Type.Literal(c))),
  name: Type.String(),
  value: Nullable(Type.Number({ description: 'null when there is nothing to compute it from' })),
  unit: Type.String(),
  numerator: Type.Optional(Type.Number()),
  denominator: Type.Optional(Type.Number()),
  method: Type.String({ description: 'how it was computed, in words' }),
  /** 2.2: per procedure; 3.3: per channel. */
  parts: Type.Optional(Type.Array(Type.Object({ name: Type.String(), value: Type.Number(), unit: Type.String(), count: Type.Integer() }))),
});
export type Indicator = Static<typeof Indicator>;

export const IndicatorsQuery = Type.Omit(FiguresQuery, ['field']);
export type IndicatorsQuery = Static<typeof IndicatorsQuery>;

export const Indicators = Type.Object({
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  hall: Type.Object({ code: Type.String(), name: Type.String() }),
  items: Type.Array(Indicator),
});
export type Indicators = Static<typeof Indicators>;

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

/** The catalogue's papers are the dossiers' papers (one definition): `Paper` from ./dossiers.js. */

export const CatalogueQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'words of the name or code, with or without diacritics' })),
    field: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    hall: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type CatalogueQuery = Static<typeof CatalogueQuery>;

export const CatalogueItem = Type.Object({
  id: Id,
  code: Nullable(Type.String()),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  field: Type.String(),
  processingDays: Type.Integer(),
  fee: Type.Integer(),
  papers: Type.Array(Paper),
  serviceId: Nullable(Id),
  serviceName: Nullable(Type.String()),
  /** Where to submit: the hall's own words, else the counters that serve its service. */
  submitAt: Nullable(Type.String()),
  counters: Type.Array(Type.Integer()),
});
export type CatalogueItem = Static<typeof CatalogueItem>;

export const CatalogueResult = Type.Object({
  hall: Type.Object({ code: Type.String(), name: Type.String() }),
  items: Type.Array(CatalogueItem),
  fields: Type.Array(Type.String(), { description: 'every field of the hall, to pick from' }),
});
export type CatalogueResult = Static<typeof CatalogueResult>;

export const CatalogueImportResult = Type.Object({ created: Type.Integer(), updated: Type.Integer() });
export type CatalogueImportResult = Static<typeof CatalogueImportResult>;

/** The columns a catalogue CSV must have (a province system's export; Vietnamese or English headings). */
export const CATALOGUE_CSV_COLUMNS = {
  code: ['Mã thủ tục', 'code'],
  name: ['Tên thủ tục', 'name'],
  field: ['Lĩnh vực', 'field'],
  processingDays: ['Thời hạn giải quyết (ngày làm việc)', 'processingDays'],
  fee: ['Phí, lệ phí (đồng)', 'fee'],
  papers: ['Thành phần hồ sơ', 'papers'],
  submitAt: ['Nơi nộp', 'submitAt'],
  service: ['Dịch vụ lấy số', 'service'],
} as const;
