import { Type } from '@sinclair/typebox';
import { IdParams, ReprintBody, PrinterStatusQuery, PrinterStatusReply, PrintJob, PrintJobsQuery, errorResponses } from '../../protocol/index.js';
import type { App, Hub } from '../context.js';
import { guard, userOf } from '../auth/auth.plugin.js';
import type { Access } from '../auth/principal.js';
import type { PrintingService } from './printing.service.js';

/** Who may ask about printers: a kiosk (its own), staff (any device of the hall). */
const printerStatusAccess: Access = { roles: ['admin', 'manager', 'staff'], devices: ['kiosk', 'lookup', 'agent'] };
const staffAccess: Access = { roles: ['admin', 'manager', 'staff'] };
const managersAccess: Access = { roles: ['admin', 'manager'] };

export async function printingRoutes(app: App, _hub: Hub, printing: PrintingService) {
  app.get(
    '/printers/status',
    { schema: { tags: ['printing'], querystring: PrinterStatusQuery, response: { 200: PrinterStatusReply, ...errorResponses } }, preHandler: guard(printerStatusAccess) },
    async (req) => printing.printerStatus(req.principal!, req.query.deviceId),
  );

  app.post(
    '/tickets/:id/reprint',
    {
      schema: { tags: ['printing'], params: IdParams, body: ReprintBody, response: { 200: PrintJob, ...errorResponses } },
      preValidation: async (req) => {
        req.body ??= {};
      },
      preHandler: guard(staffAccess),
    },
    async (req) => {
      const u = userOf(req);
      return printing.reprint(u.hallId, u.user.id, req.params.id, req.body.confirm ?? false);
    },
  );

  app.get(
    '/print-jobs',
    { schema: { tags: ['printing'], querystring: PrintJobsQuery, response: { 200: Type.Array(PrintJob), ...errorResponses } }, preHandler: guard(managersAccess) },
    async (req) => printing.listJobs(req.principal!.hallId, req.query),
  );

  app.get(
    '/print-jobs/:id',
    { schema: { tags: ['printing'], params: IdParams, response: { 200: PrintJob, ...errorResponses } }, preHandler: guard(staffAccess) },
    async (req) => printing.getJob(req.principal!.hallId, req.params.id),
  );
}
