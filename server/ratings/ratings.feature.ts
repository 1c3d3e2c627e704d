import { rooms } from '../../protocol/index.js';
import type { Feature } from '../features.js';
import type { Hub } from '../context.js';
import { RatingsService } from './ratings.service.js';
import { ratingsRoutes } from './ratings.routes.js';

/**
 * Ratings from the counter tablets: `POST /api/v1/ratings`, `GET /api/v1/ratings/tablet`, and a
 * `rating:request` to a counter's room whenever a ticket is served there (done, or finished by call-next).
 */
export function ratingsFeature(): Feature {
  let service: RatingsService | null = null;
  let off: (() => void) | null = null;
  const serviceOf = (hub: Hub) => (service ??= new RatingsService(hub.db, hub.bus));
  return {
    name: 'ratings',
    async routes(api, hub) {
      await ratingsRoutes(api, serviceOf(hub));
    },
    start(hub, io) {
      const ratings = serviceOf(hub);
      off = hub.bus.on('ticket.changed', async ({ hallId, update }) => {
        if (update.status !== 'done' || update.counterId === null) return;
        const request = await ratings.requestFor(hallId, update.id);
        if (request) io.to(rooms.counter(request.counterId)).emit('rating:request', request);
      });
    },
    stop() {
      off?.();
      off = null;
    },
  };
}
