import Fastify, { type FastifyBaseLogger, type FastifyReply } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyHelmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../protocol/index.js';
import type { Config } from './config.js';
import type { Db } from './db/pool.js';
import { EventBus } from './events.js';
import { AuthService } from './auth/auth.service.js';
import { authPlugin, accessOf, isGuard } from './auth/auth.plugin.js';
import type { Access } from './auth/principal.js';
import { SetupService } from './admin/setup.service.js';
import { DevicesService } from './devices/devices.service.js';
import { QueueService } from './queue/queue.service.js';
import { AuditLog } from './audit/audit.js';
import { startRealtime, type HubServer } from './realtime/realtime.js';
import { SharedSnapshots } from './realtime/shared.js';
import type { App, Hub } from './context.js';
import { createFeatures, type Drivers } from './features.js';
import { Wiring } from './wiring.js';
import { registerErrorHandlers } from './http/errors.js';
import { registerScreens } from './screens/screens.js';
import { registerHealthCheck, type EmbeddedState } from './http/health.js';
import { installRequestScopes } from './requests/requests.plugin.js';
import { completeOperation, strictValidation } from './http/contract.js';
import { trustProxyOption } from './http/proxy.js';
import { childLoggerFactory } from './http/log.js';

export interface RouteAccess {
  method: string;
  url: string;
  /** Who may call it; null when it is open to anyone. */
  access: Access | null;
}

export interface BuiltApp {
  app: App;
  hub: Hub;
  io: HubServer;
  /** Every /api/v1 route with its access rule (for the authorization matrix). */
  routes: RouteAccess[];
  /** The features and how they are wired (socket commands with their access rules, the printed wiring). */
  wiring: Wiring;
}

/** The hub's shared parts on a database pool: the bus, the core services, the audit log. */
export function createHub(config: Config, db: Db, log: FastifyBaseLogger): Hub {
  const bus = new EventBus((err, event, owner) => log.error({ err, event, owner }, 'event listener failed'));
  const queue = new QueueService(db, bus, log, config.publicUrl);
  return {
    config,
    db,
    bus,
    log,
    auth: new AuthService(db, config.sessionHours, bus),
    setup: new SetupService(db, bus, (tx, hallId, counterId) => queue.counterView(tx, hallId, counterId)),
    devices: new DevicesService(db, config.publicUrl, bus),
    queue,
    audit: new AuditLog(db, log),
    snapshots: new SharedSnapshots(),
  };
}

/** Builds the whole hub on a database pool: plugins, features (routes, listeners, socket commands), screens. What tests build. */
export async function buildApp(opts: { config: Config; db: Db; logger?: FastifyBaseLogger | false; drivers?: Drivers; embeddedDatabase?: EmbeddedState }): Promise<BuiltApp> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: opts.logger === false ? false : { level: opts.config.logLevel } }),
    bodyLimit: 256 * 1024,
    pluginTimeout: 60_000,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    forceCloseConnections: true,
    trustProxy: trustProxyOption(opts.config.trustProxy),
    childLoggerFactory,
    return503OnClosing: true,
    frameworkErrors: (err, _req, reply) => {
      void (reply as unknown as FastifyReply).code(err.statusCode ?? 400).send({ error: { code: err.statusCode === 414 ? 'uri_too_long' : 'bad_request', message: `Đường dẫn không hợp lệ / ${err.message}` } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  strictValidation(app);

  const hub = createHub(opts.config, opts.db, app.log);
  const realtime = startRealtime(hub, app.server, () => app.forgetAllTokens());
  const wiring = new Wiring(hub, realtime.io, createFeatures({ hub, io: realtime.io, forgetTokens: () => app.forgetAllTokens() }, opts.drivers));
  const routeTable: RouteAccess[] = [];
  try {

    registerErrorHandlers(app);
    await app.register(fastifySwagger, {
      openapi: {
        info: { title: 'Hall Hub API', version: '1.0.0', description: 'The real-time floor system of a one-stop public-service hall.', license: { name: 'UNLICENSED' } },
        servers: [{ url: opts.config.publicUrl, description: 'this hub (PUBLIC_URL)' }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
    });
    app.addSchema(ErrorBody);
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    await app.register(fastifyHelmet, {
      hsts: opts.config.publicUrl.startsWith('https:'),
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", ...app.swaggerCSP.script],
          styleSrc: ["'self'", "'unsafe-inline'", ...app.swaggerCSP.style],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          upgradeInsecureRequests: null,
        },
      },
    });
    await app.register(authPlugin, { auth: hub.auth, cacheMs: opts.config.tokenCacheMs });
    app.addHook('onResponse', hub.audit.onResponse);
    // Access checks run before body validation, so a caller who may not use a route learns nothing from it.
    app.addHook('onRoute', (route) => {
      const rule = accessOf(route.preHandler);
      if (rule) {
        const handlers = [route.preHandler ?? []].flat();
        route.preHandler = handlers.filter((h) => !isGuard(h));
        route.preValidation = [...handlers.filter(isGuard), ...[route.preValidation ?? []].flat()];
      }
      completeOperation(route, rule !== null);
      if (!route.url.startsWith('/api/v1/')) return;
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        routeTable.push({ method, url: route.url, access: rule });
      }
    });
    installRequestScopes(app, hub);

    await app.register(
      async (api) => {
        const v1 = api.withTypeProvider<TypeBoxTypeProvider>();
        await wiring.routes(v1);
        v1.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      },
      { prefix: '/api/v1' },
    );

    registerHealthCheck(app, opts.db, opts.embeddedDatabase, opts.config.healthDbTimeoutMs);
    registerScreens(app);

    await wiring.start();
    app.addHook('preClose', async () => {
      await wiring.stop();
      await realtime.close();
    });
  } catch (err) {
    await wiring.stop();
    await realtime.close();
    throw err;
  }

  return { app, hub, io: realtime.io, routes: routeTable, wiring };
}
