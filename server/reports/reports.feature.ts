import type { Feature, FeatureContext } from '../features.js';
import { ReportsService } from './reports.service.js';
import { reportsRoutes } from './reports.routes.js';

/** Managers' reports: `GET /api/v1/reports` and `/reports.csv`. */
export function reportsFeature({ hub }: FeatureContext): Feature {
  const reports = new ReportsService(hub.db);
  return { name: 'reports', routes: (api) => reportsRoutes(api, reports) };
}
