import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Db } from './db/pool.js';
import type { EventBus } from './events.js';
import type { AuthService } from './auth/auth.service.js';
import type { SetupService } from './admin/setup.service.js';
import type { DevicesService } from './devices/devices.service.js';
import type { QueueService } from './queue/queue.service.js';
import type { AuditLog } from './audit/audit.js';
import type { Access } from './auth/principal.js';
import type { DeviceKind } from '../protocol/index.js';

/** Everything a route module or feature needs, built once in app.ts. */
export interface Hub {
  config: Config;
  db: Db;
  bus: EventBus;
  log: FastifyBaseLogger;
  auth: AuthService;
  setup: SetupService;
  devices: DevicesService;
  queue: QueueService;
  /** The audit log: HTTP changes are recorded by the hub itself; other paths (keypads, agents) call `record`. */
  audit: AuditLog;
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

const ALL_DEVICES: readonly DeviceKind[] = ['kiosk', 'lookup', 'display', 'tablet', 'agent'];

/** Who may do what: one table, so the matrix test and the routes agree. */
export const access = {
  admin: { roles: ['admin'] },
  managers: { roles: ['admin', 'manager'] },
  staff: { roles: ['admin', 'manager', 'staff'] },
  issueTicket: { roles: ['admin', 'manager', 'staff'], devices: ['kiosk'] },
  readSetup: { roles: ['admin', 'manager', 'staff'], devices: ALL_DEVICES },
  display: { roles: ['admin', 'manager', 'staff'], devices: ['display'] },
} as const satisfies Record<string, Access>;
