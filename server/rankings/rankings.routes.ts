import { Type } from '@sinclair/typebox';
import { Rankings, RankingsQuery, errorResponses } from '../../protocol/index.js';
import type { App } from '../context.js';
import type { RankingsService } from './rankings.service.js';

/** Public: the published rankings, as JSON and as CSV. */
export async function rankingsRoutes(app: App, rankings: RankingsService) {
  app.get(
    '/rankings',
    {
      schema: {
        tags: ['rankings'],
        summary: 'Published satisfaction rankings (public)',
        security: [],
        querystring: RankingsQuery,
        response: { 200: Rankings, ...errorResponses },
      },
    },
    async (req) => rankings.rankings(req.query, req.principal?.hallId ?? null),
  );

  app.get(
    '/rankings.csv',
    {
      schema: {
        tags: ['rankings'],
        summary: 'The rankings as CSV (UTF-8 with BOM, for Excel)',
        security: [],
        querystring: RankingsQuery,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { filename, csv } = await rankings.rankingsCsv(req.query, req.principal?.hallId ?? null);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(csv);
    },
  );

  app.get(
    '/rankings.xlsx',
    {
      schema: {
        tags: ['rankings'],
        summary: 'The rankings as an Excel workbook (public)',
        security: [],
        querystring: RankingsQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { filename, xlsx } = await rankings.rankingsXlsx(req.query, req.principal?.hallId ?? null);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(xlsx);
    },
  );
}
