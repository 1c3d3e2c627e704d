import type { Feature, FeatureContext } from '../features.js';
import { FiguresService } from './figures.service.js';
import { figuresRoutes } from './figures.routes.js';

/** The official figures (Biểu 06, the indicators of QĐ 766) and the citizens' catalogue search and import. */
export function figuresFeature({ hub }: FeatureContext): Feature {
  const figures = new FiguresService(hub.db);
  return { name: 'figures', routes: (api) => figuresRoutes(api, figures) };
}
