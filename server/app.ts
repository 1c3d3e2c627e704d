import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type FastifyBaseLogger } from 'fastify';
import { readFile } from 'node:fs/promises';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ErrorBody } from '../protocol/index.js';
import type { Config } from './config.js';
import type { Db } from './db/pool.js';
import { EventBus } from './events.js';
import { HubError } from './errors.js';
import { AuthService } from './auth/auth.service.js';
import { authPlugin } from './auth/auth.plugin.js';
import { authRoutes } from './auth/auth.routes.js';
import { SetupService } from './admin/setup.service.js';
import { setupRoutes } from './admin/setup.routes.js';
import { DevicesService } from './devices/devices.service.js';
import { devicesRoutes } from './devices/devices.routes.js';
import { QueueService } from './queue/queue.service.js';
import { queueRoutes } from './queue/queue.routes.js';
import { displaySnapshot, startRealtime, type HubServer } from './realtime/realtime.js';
import { DisplaySnapshot } from '../protocol/index.js';
import { access, type App, type Hub } from './context.js';
import { accessOf, guard, isGuard } from './auth/auth.plugin.js';
import type { Access } from './auth/principal.js';
import { AuditLog } from './audit/audit.js';
import { listAudit } from './audit/audit.repo.js';
import { AuditItem, AuditQuery, errorResponses } from '../protocol/index.js';
import { Type } from '@sinclair/typebox';
import fastifyHelmet from '@fastify/helmet';
import { createFeatures } from './features.js';
import { uiDir } from './paths.js';


/** The screens the hub serves: URL prefix → built app folder. */
const screens = [
  { prefix: '/kiosk', dir: 'kiosk-ui' },
  { prefix: '/lookup', dir: 'kiosk-ui' },
  { prefix: '/display', dir: 'display-ui' },
  { prefix: '/staff', dir: 'staff-ui' },
  { prefix: '/tablet', dir: 'rating-tablet-ui' },
] as const;

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
}

/** Postgres error codes that mean the request itself was wrong, not the hub. */
const clientPgCodes: Record<string, [number, string]> = {
  '22P02': [400, 'bad_request'],
  '22003': [400, 'bad_request'],
  '22021': [400, 'bad_request'],
  '22P05': [400, 'bad_request'],
  '54000': [400, 'bad_request'],
  '22001': [400, 'bad_request'],
  '23503': [409, 'conflict'],
  '23505': [409, 'conflict'],
};
const unavailablePgCodes = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '53300', 'ECONNREFUSED', 'ECONNRESET']);

/** Builds the whole hub on a database pool: plugins, routes, screens and socket.io. What tests build. */
export async function buildApp(opts: { config: Config; db: Db; logger?: FastifyBaseLogger | false }): Promise<BuiltApp> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: opts.logger === false ? false : { level: opts.config.logLevel } }),
    bodyLimit: 256 * 1024,
    pluginTimeout: 60_000,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    forceCloseConnections: true,
    return503OnClosing: true,
    frameworkErrors: (err, _req, reply) =>
      (reply as unknown as FastifyReply).code(err.statusCode ?? 400).send({ error: { code: err.statusCode === 414 ? 'uri_too_long' : 'bad_request', message: `Đường dẫn không hợp lệ / ${err.message}` } }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const bus = new EventBus((err, event) => app.log.error({ err, event }, 'event listener failed'));
  const queue = new QueueService(opts.db, bus, app.log);
  const hub: Hub = {
    config: opts.config,
    db: opts.db,
    bus,
    log: app.log,
    auth: new AuthService(opts.db, opts.config.sessionHours, bus),
    setup: new SetupService(opts.db, bus, (db, hallId, counterId) => queue.counterView(db, hallId, counterId)),
    devices: new DevicesService(opts.db, opts.config.publicUrl, bus),
    queue,
    audit: new AuditLog(opts.db, app.log),
  };

  const features = createFeatures();
  const routeTable: RouteAccess[] = [];

  app.setErrorHandler((err: FastifyError | HubError, req, reply) => {
    let status = 500;
    let code = 'internal';
    let message = 'Lỗi hệ thống / internal error';
    const pgCode = (err as { code?: string }).code;
    if (err instanceof HubError) {
      status = err.statusCode;
      code = err.code;
      message = err.message;
    } else if ('validation' in err && err.validation) {
      status = 400;
      code = 'bad_request';
      message = `${err.validationContext ?? 'request'}${err.message.replace(/^(body|params|querystring|headers)/, '')}`;
    } else if (pgCode && clientPgCodes[pgCode]) {
      [status, code] = clientPgCodes[pgCode];
      message = 'Dữ liệu không hợp lệ / invalid data';
    } else if (pgCode && unavailablePgCodes.has(pgCode)) {
      status = 503;
      code = 'unavailable';
      message = 'Cơ sở dữ liệu tạm thời không trả lời / database unavailable, retry shortly';
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
      message = err.message;
    } else if (/connect|terminat|Connection/i.test(err.message)) {
      status = 503;
      code = 'unavailable';
      message = 'Cơ sở dữ liệu tạm thời không trả lời / database unavailable, retry shortly';
    }
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `Không có đường dẫn ${req.method} ${req.url.split('?')[0]}` } }),
  );

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Hall Hub API', version: '1.0.0', description: 'The real-time floor system of a one-stop public-service hall.' },
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
  const audit = hub.audit;
  app.addHook('onResponse', audit.onResponse);
  // Access checks run before body validation, so a caller who may not use a route learns nothing from it.
  app.addHook('onRoute', (route) => {
    const rule = accessOf(route.preHandler);
    if (rule) {
      const handlers = [route.preHandler ?? []].flat();
      route.preHandler = handlers.filter((h) => !isGuard(h));
      route.preValidation = [...handlers.filter(isGuard), ...[route.preValidation ?? []].flat()];
    }
    if (!route.url.startsWith('/api/v1/')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: route.url, access: rule });
    }
  });

  await app.register(
    async (api) => {
      const v1 = api.withTypeProvider<TypeBoxTypeProvider>();
      await v1.register(authRoutes, { hub });
      await v1.register(devicesRoutes, { hub });
      await v1.register(setupRoutes, { hub });
      await v1.register(queueRoutes, { hub });
      v1.get('/display/snapshot', { schema: { tags: ['display'], response: { 200: DisplaySnapshot } }, preHandler: guard(access.display) }, async (req) =>
        displaySnapshot(hub, req.principal!.hallId),
      );
      for (const feature of features) {
        if (feature.routes) await v1.register(async (scope) => feature.routes!(scope, hub));
      }
      v1.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      v1.get('/audit', { schema: { tags: ['admin'], querystring: AuditQuery, response: { 200: Type.Array(AuditItem), ...errorResponses } }, preHandler: guard(access.managers) }, async (req) => {
        const rows = await listAudit(hub.db, req.principal!.hallId, {
          from: req.query.from ? new Date(req.query.from) : null,
          to: req.query.to ? new Date(req.query.to) : null,
          beforeId: req.query.beforeId ?? null,
          limit: req.query.limit ?? 100,
        });
        return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actorType: r.actor_type, actorId: r.actor_id, actorName: r.actor_name, action: r.action, target: r.target, status: r.status, ip: r.ip }));
      });
    },
    { prefix: '/api/v1' },
  );

  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await opts.db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', error: { code: 'unavailable', message: 'database does not answer' } });
    }
  });

  registerScreens(app);

  const realtime = startRealtime(hub, app.server, () => app.forgetAllTokens());
  const io = realtime.io;
  for (const feature of features) await feature.start?.(hub, io);
  app.addHook('preClose', async () => {
    for (const feature of [...features].reverse()) {
      await Promise.resolve(feature.stop?.()).catch((err: unknown) => app.log.error({ err, feature: feature.name }, 'feature stop failed'));
    }
    hub.queue.stop();
    await audit.stop();
    await realtime.close();
  });

  return { app, hub, io, routes: routeTable };
}

function registerScreens(app: App): void {
  const assets = path.join(uiDir, 'assets');
  if (existsSync(assets)) {
    void app.register(fastifyStatic, { root: assets, prefix: '/assets/', decorateReply: false, immutable: true, maxAge: '365d' });
  }
  for (const screen of screens) {
    const index = path.join(uiDir, screen.dir, 'index.html');
    const handler = async (_req: FastifyRequest, reply: FastifyReply) => {
      if (!existsSync(index)) {
        return reply.code(503).send({ error: { code: 'ui_not_built', message: 'The screens are not built: run `npm run build`.' } });
      }
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(index));
    };
    app.get(screen.prefix, { schema: { hide: true } }, async (req, reply) => {
      const query = req.url.indexOf('?');
      return reply.redirect(`${screen.prefix}/${query >= 0 ? req.url.slice(query) : ''}`);
    });
    app.get(`${screen.prefix}/`, { schema: { hide: true } }, handler);
    app.get(`${screen.prefix}/*`, { schema: { hide: true } }, handler);
  }
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/staff/'));
}
