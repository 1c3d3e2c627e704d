import { rooms } from '../../protocol/index.js';
import type { Feature, FeatureContext } from '../features.js';
import { RatingsService } from './ratings.service.js';
import { ratingsRoutes } from './ratings.routes.js';

/**
 * Ratings from the counter tablets: `POST /api/v1/ratings`, `GET /api/v1/ratings/tablet`, and a
 * `rating:request` to a counter's room whenever a ticket is served there (done, or finished by call-next).
 */
export function ratingsFeature({ hub, io }: FeatureContext): Feature {
  const ratings = new RatingsService(hub.db, hub.bus);
  return {
    name: 'ratings',
    routes: (api) => ratingsRoutes(api, ratings),
    handles: {
      'ticket.changed': async ({ hallId, update }) => {
        if (update.status !== 'done' || update.counterId === null) return;
        const request = await ratings.requestFor(hallId, update.id);
        if (request) io.to(rooms.counter(request.counterId)).emit('rating:request', request);
      },
    },
  };
}
