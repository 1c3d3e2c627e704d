import type { DeviceKind, Role } from '../../protocol/index.js';

export interface UserPrincipal {
  type: 'user';
  hallId: number;
  token: string;
  user: { id: number; username: string; name: string; role: Role; title: string | null };
  /** When the session ends by itself (sockets opened with it are cut then). */
  expiresAt?: Date;
}
export interface DevicePrincipal {
  type: 'device';
  hallId: number;
  device: { id: number; kind: DeviceKind; name: string; counterId: number | null };
}
export type Principal = UserPrincipal | DevicePrincipal;

/** Who may call a route: user roles and/or device kinds. `public` means anyone, signed in or not. */
export interface Access {
  roles?: readonly Role[];
  devices?: readonly DeviceKind[];
}

export const ALL_ROLES: readonly Role[] = ['admin', 'manager', 'staff'];
