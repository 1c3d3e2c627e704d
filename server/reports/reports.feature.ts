import type { Feature } from '../features.js';
import { ReportsService } from './reports.service.js';
import { reportsRoutes } from './reports.routes.js';

/** Managers' reports: `GET /api/v1/reports` and `/reports.csv`. */
export function reportsFeature(): Feature {
  return {
    name: 'reports',
    async routes(api, hub) {
      await reportsRoutes(api, new ReportsService(hub.db));
    },
  };
}
