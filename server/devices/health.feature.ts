import type { Feature, FeatureContext } from '../features.js';
import { rooms } from '../../protocol/index.js';
import { HealthService } from './health.service.js';
import { healthRoutes } from './health.routes.js';

/**
 * Device health: stores the hub-local drivers' reports (`driver.health`), sweeps device heartbeats for changes,
 * and sends every `device.health` to the hall's managers (socket `device:health`). Started before the drivers.
 */
export function healthFeature({ hub, io }: FeatureContext): Feature {
  const health = new HealthService(hub.db, hub.bus, hub.config.hubNode, hub.log);
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> | null = null;

  return {
    name: 'device-health',
    routes: (api) => healthRoutes(api, health),
    handles: {
      'driver.health': (report) => health.driver(report),
      'device.health': (event) => {
        io.to(rooms.managers(event.hallId)).emit('device:health', event);
      },
    },
    async start() {
      await health.reset().catch((err: unknown) => hub.log.warn({ err }, 'hardware health reset failed'));
      const tick = () => {
        if (sweeping) return;
        sweeping = health
          .sweep()
          .catch((err: unknown) => hub.log.warn({ err }, 'device health sweep failed'))
          .finally(() => (sweeping = null));
      };
      timer = setInterval(tick, hub.config.healthSweepMs);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await sweeping;
      await health.reset().catch(() => undefined);
    },
  };
}
