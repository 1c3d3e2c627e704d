import { Type } from '@sinclair/typebox';
import { Report, ReportsQuery, errorResponses } from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App } from '../context.js';
import { guard } from '../auth/auth.plugin.js';
import type { ReportsService } from './reports.service.js';

export async function reportsRoutes(app: App, reports: ReportsService) {
  const managers = guard(access.managers);
  app.get(
    '/reports',
    { schema: { tags: ['reports'], summary: 'Queue and satisfaction figures per service, counter or staff member', querystring: ReportsQuery, response: { 200: Report, ...errorResponses } }, preHandler: managers },
    async (req) => reports.report(req.principal!.hallId, req.query),
  );
  app.get(
    '/reports.csv',
    {
      schema: { tags: ['reports'], summary: 'The report as CSV (UTF-8 with BOM, for Excel)', querystring: ReportsQuery, produces: ['text/csv'], response: { 200: Type.String(), ...errorResponses } },
      preHandler: managers,
    },
    async (req, reply) => {
      const { filename, csv } = await reports.reportCsv(req.principal!.hallId, req.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
    },
  );
}
