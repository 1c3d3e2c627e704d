import type { DeviceKind } from '../../protocol/index.js';
import { ALL_ROLES, type Access } from './principal.js';

const ALL_DEVICES: readonly DeviceKind[] = ['kiosk', 'lookup', 'display', 'tablet', 'agent'];

/** Who may do what: one table, so the matrix test, the routes and the socket commands agree. */
export const access = {
  admin: { roles: ['admin'] },
  managers: { roles: ['admin', 'manager'] },
  staff: { roles: ['admin', 'manager', 'staff'] },
  issueTicket: { roles: ['admin', 'manager', 'staff'], devices: ['kiosk'] },
  readSetup: { roles: ['admin', 'manager', 'staff'], devices: ALL_DEVICES },
  display: { roles: ['admin', 'manager', 'staff'], devices: ['display'] },
  devices: { devices: ALL_DEVICES },
  agents: { devices: ['agent'] },
  board: { roles: ['admin', 'manager'], devices: ['display'] },
} as const satisfies Record<string, Access>;

/** Every signed-in staff member and device. */
export const ANY_PRINCIPAL: Access = { roles: ALL_ROLES, devices: ALL_DEVICES };
