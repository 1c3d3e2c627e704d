import { rooms } from '../../protocol/index.js';
import type { Feature, FeatureContext } from '../features.js';
import { authRoutes } from './auth.routes.js';

/** Sign-in, sessions and staff accounts' access; when access ends (`access.revoked`) the open sockets of it are cut. */
export function authFeature({ hub, io, forgetTokens }: FeatureContext): Feature {
  return {
    name: 'auth',
    routes: (api) => authRoutes(api, { hub }),
    handles: {
      // Cutting the connection (not a socket.io disconnect) makes the client reconnect, which then fails or re-joins its rooms.
      'access.revoked': (e) => {
        const room = 'userId' in e ? rooms.user(e.userId) : 'deviceId' in e ? rooms.device(e.deviceId) : rooms.session(e.sessionTokenHash);
        io.in(room).disconnectSockets(true);
        forgetTokens();
        io.serverSideEmit('access:revoked');
      },
      // A device paired with another counter belongs in other rooms: it reconnects and is authenticated afresh.
      'device.changed': ({ deviceId }) => {
        io.in(rooms.device(deviceId)).disconnectSockets(true);
        forgetTokens();
        io.serverSideEmit('access:revoked');
      },
    },
  };
}
