import type { Feature } from '../features.js';
import type { SerialBinding } from '../../hardware/serial/binding.js';
import { SerialHardware } from './serial.service.js';

/**
 * The hub's own serial devices (LED_DISPLAYS, KEYPADS): LED displays follow `ticket.called` and `counter.changed`;
 * keypads perform counter actions. Does nothing when neither is configured.
 */
export function serialFeature(opts: { binding?: SerialBinding } = {}): Feature {
  let hardware: SerialHardware | null = null;
  const unsubscribe: (() => void)[] = [];
  return {
    name: 'serial',
    async start(hub) {
      const hw = new SerialHardware({
        config: hub.config,
        db: hub.db,
        queue: hub.queue,
        log: hub.log,
        report: (health) => hub.bus.emit('driver.health', health),
        audit: (e) =>
          hub.audit.record({
            hallId: e.hallId,
            actorType: 'user',
            actorId: e.userId,
            actorName: `keypad quầy ${e.counterNumber}`,
            action: `KEYPAD ${e.command}`,
            target: JSON.stringify({ counterNumber: e.counterNumber }),
            status: e.ok ? 200 : 409,
            ip: null,
          }),
        ...(opts.binding ? { binding: opts.binding } : {}),
      });
      if (!hw.enabled) return;
      hardware = hw;
      unsubscribe.push(
        hub.bus.on('ticket.called', ({ hallId, call }) => hw.onCalled(hallId, call)),
        hub.bus.on('counter.changed', ({ hallId, counter }) => hw.onCounterChanged(hallId, counter)),
      );
      await hw.start();
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
      await hardware?.stop();
    },
  };
}
