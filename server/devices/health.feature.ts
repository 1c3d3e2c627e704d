import type { Feature } from '../features.js';
import type { Hub } from '../context.js';
import { rooms } from '../../protocol/index.js';
import { HealthService } from './health.service.js';
import { healthRoutes } from './health.routes.js';

/**
 * Device health: stores the hub-local drivers' reports (`driver.health`), sweeps device heartbeats for changes,
 * and sends every `device.health` to the hall's managers (socket `device:health`). Started before the drivers.
 */
export function healthFeature(): Feature {
  let service: HealthService | null = null;
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> | null = null;
  const unsubscribe: (() => void)[] = [];
  const make = (hub: Hub) => (service ??= new HealthService(hub.db, hub.bus, hub.config.hubNode, hub.log));

  return {
    name: 'device-health',
    async routes(api, hub) {
      await healthRoutes(api, make(hub));
    },
    async start(hub, io) {
      const health = make(hub);
      await health.reset().catch((err: unknown) => hub.log.warn({ err }, 'hardware health reset failed'));
      unsubscribe.push(
        hub.bus.on('driver.health', (report) => health.driver(report)),
        hub.bus.on('device.health', (event) => {
          io.to(rooms.managers(event.hallId)).emit('device:health', event);
        }),
      );
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
      for (const off of unsubscribe.splice(0)) off();
      await service?.reset().catch(() => undefined);
    },
  };
}
