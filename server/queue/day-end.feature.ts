import type { Feature, FeatureContext } from '../features.js';
import { DayEndService } from './day-end.service.js';

/** Closes the open tickets of hall days that are over: at start, then every `dayEndCheckMs`. */
export function dayEndFeature({ hub }: FeatureContext): Feature {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  return {
    name: 'day-end',
    start() {
      const service = new DayEndService(hub.db, hub.bus, hub.queue, hub.log);
      const tick = () => {
        if (busy) return;
        busy = true;
        running = service
          .run()
          .finally(() => {
            busy = false;
          })
          .catch((err: unknown) => hub.log.warn({ err }, 'day-end check failed'));
      };
      tick();
      timer = setInterval(tick, hub.config.dayEndCheckMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
