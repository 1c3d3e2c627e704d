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
import type { SharedSnapshots } from './realtime/shared.js';

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
  /** Snapshot computations shared per hall (socket snapshots, the board). */
  snapshots: SharedSnapshots;
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** @deprecated import `access` from server/auth/access.ts (kept so branches started before the move still build). */
export { access } from './auth/access.js';
