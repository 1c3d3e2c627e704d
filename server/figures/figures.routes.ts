import { Type } from '@sinclair/typebox';
import { errorResponses } from '../../protocol/index.js';
import { CatalogueImportResult, CatalogueQuery, CatalogueResult, DossierReport, FiguresQuery, Indicators, IndicatorsQuery } from '../../protocol/figures.js';
import type { App } from '../context.js';
import { access } from '../auth/access.js';
import { guard } from '../auth/auth.plugin.js';
import type { FiguresService } from './figures.service.js';
import { reportCsv, reportXlsx } from './form06.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const filename = (r: { hall: { code: string }; period: string }, ext: string) => `bieu06-${r.hall.code}-${r.period}.${ext}`.replace(/[^A-Za-z0-9._-]/g, '_');

export const ImportCatalogueBody = Type.Object({ csv: Type.String({ minLength: 1, maxLength: 8_000_000 }) }, { additionalProperties: false });

export async function figuresRoutes(app: App, figures: FiguresService) {
  const managers = guard(access.managers);
  const tags = ['figures'];
  const hallOf = (req: { principal?: { hallId: number } | null }) => req.principal?.hallId ?? null;

  app.get(
    '/reports/dossiers',
    { schema: { tags, summary: 'The periodic report on dossiers (Biểu 06/VPCP/KSTT), as the dossiers stood at the end of the period', querystring: FiguresQuery, response: { 200: DossierReport, ...errorResponses } }, preHandler: managers },
    async (req) => figures.report(hallOf(req), req.query),
  );
  app.get(
    '/reports/dossiers.csv',
    { schema: { tags, summary: 'The report as CSV in the form’s column layout (UTF-8 with BOM)', querystring: FiguresQuery, produces: ['text/csv'], response: { 200: Type.String(), ...errorResponses } }, preHandler: managers },
    async (req, reply) => {
      const r = await figures.report(hallOf(req), req.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename(r, 'csv')}"`).send(reportCsv(r));
    },
  );
  app.get(
    '/reports/dossiers.xlsx',
    { schema: { tags, summary: 'The report as an Excel workbook in the form’s layout', querystring: FiguresQuery, produces: [XLSX], response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses } }, preHandler: managers },
    async (req, reply) => {
      const r = await figures.report(hallOf(req), req.query);
      return reply.type(XLSX).header('content-disposition', `attachment; filename="${filename(r, 'xlsx')}"`).send(await reportXlsx(r));
    },
  );
  app.get(
    '/indicators',
    { schema: { tags, summary: 'Service-quality indicators of Quyết định 766/QĐ-TTg (public)', security: [], querystring: IndicatorsQuery, response: { 200: Indicators, ...errorResponses } } },
    async (req) => figures.indicators(hallOf(req), req.query),
  );
  app.get(
    '/procedures/search',
    { schema: { tags, summary: 'Search the procedure catalogue as people type, with or without diacritics (public)', security: [], querystring: CatalogueQuery, response: { 200: CatalogueResult, ...errorResponses } } },
    async (req) => figures.search(hallOf(req), req.query),
  );
  app.post(
    '/procedures/import',
    {
      bodyLimit: 10 * 1024 * 1024,
      schema: { tags, summary: 'Import a province catalogue CSV: every row or none (admin)', body: ImportCatalogueBody, response: { 200: CatalogueImportResult, ...errorResponses } },
      preHandler: guard(access.admin),
    },
    async (req) => figures.importCatalogue(req.principal!.hallId, req.body.csv),
  );
}
