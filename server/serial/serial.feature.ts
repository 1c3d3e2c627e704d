import type { Feature, FeatureContext } from '../features.js';
import type { SerialBinding } from '../../hardware/serial/binding.js';
import { SerialHardware } from './serial.service.js';

/**
 * The hub's own serial devices (LED_DISPLAYS, KEYPADS): LED displays follow `ticket.called` and `counter.changed`;
 * keypads perform counter actions. Does nothing when neither is configured.
 */
export function serialFeature({ hub }: FeatureContext, opts: { binding?: SerialBinding } = {}): Feature {
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
  let running = false;
  return {
    name: 'serial',
    handles: {
      'ticket.called': ({ hallId, call }) => (running ? hw.onCalled(hallId, call) : undefined),
      'counter.changed': ({ hallId, counter }) => (running ? hw.onCounterChanged(hallId, counter) : undefined),
    },
    async start() {
      if (!hw.enabled) return;
      running = true;
      await hw.start();
    },
    async stop() {
      running = false;
      if (hw.enabled) await hw.stop();
    },
  };
}
