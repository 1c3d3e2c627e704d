import { DeviceHeartbeat } from '../../protocol/index.js';
import type { Feature, FeatureContext } from '../features.js';
import { command } from '../features.js';
import { access } from '../auth/access.js';
import { devicesRoutes } from './devices.routes.js';

/** Devices: their registration routes, and their presence (seen on connect and heartbeat, offline on disconnect). */
export function devicesFeature({ hub }: FeatureContext): Feature {
  const fail = (what: string, socket: string) => (err: unknown) => hub.log.warn({ err, socket }, what);
  return {
    name: 'devices',
    routes: (api) => devicesRoutes(api, { hub }),
    commands: {
      'device:heartbeat': command({
        access: access.devices,
        payload: DeviceHeartbeat,
        unavailableMessage: 'heartbeat not stored',
        handle: async (socket, heartbeat) => {
          const p = socket.data.principal;
          if (p.type === 'device') await hub.devices.seen(p.device.id, heartbeat.faults ?? []);
        },
      }),
    },
    onConnect(socket) {
      const p = socket.data.principal;
      if (p.type === 'device') hub.devices.seen(p.device.id).catch(fail('device seen failed', socket.id));
    },
    onDisconnect(socket) {
      const p = socket.data.principal;
      if (p.type === 'device') hub.devices.offline(p.device.id).catch(fail('device offline failed', socket.id));
    },
  };
}
