import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type FastifyBaseLogger } from 'fastify';
import { readFile } from 'node:fs/promises';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { guard } from './auth/auth.plugin.js';
import { createFeatures } from './features.js';

export const uiDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** The screens the hub serves: URL prefix → built app folder. */
const screens = [
  { prefix: '/kiosk', dir: 'kiosk-ui' },
  { prefix: '/display', dir: 'display-ui' },
  { prefix: '/staff', dir: 'staff-ui' },
  { prefix: '/tablet', dir: 'rating-tablet-ui' },
] as const;

export interface BuiltApp {
  app: App;
  hub: Hub;
  io: HubServer;
}

/** Postgres error codes that mean the request itself was wrong, not the hub. */
const clientPgCodes: Record<string, [number, string]> = {
  '22P02': [400, 'bad_request'],
  '22003': [400, 'bad_request'],
  '23503': [409, 'conflict'],
  '23505': [409, 'conflict'],
};
const unavailablePgCodes = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '53300', 'ECONNREFUSED', 'ECONNRESET']);

/** Builds the whole hub on a database pool: plugins, routes, screens and socket.io. What tests build. */
export async function buildApp(opts: { config: Config; db: Db; logger?: FastifyBaseLogger | false }): Promise<BuiltApp> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: opts.logger === false ? false : { level: opts.config.logLevel } }),
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    forceCloseConnections: true,
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const bus = new EventBus((err, event) => app.log.error({ err, event }, 'event listener failed'));
  const hub: Hub = {
    config: opts.config,
    db: opts.db,
    bus,
    log: app.log,
    auth: new AuthService(opts.db, opts.config.sessionHours),
    setup: new SetupService(opts.db),
    devices: new DevicesService(opts.db),
    queue: new QueueService(opts.db, bus, app.log),
  };

  const features = createFeatures();

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
  await app.register(authPlugin, { auth: hub.auth });

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

  const io = startRealtime(hub, app.server);
  for (const feature of features) await feature.start?.(hub, io);
  app.addHook('preClose', async () => {
    for (const feature of [...features].reverse()) {
      await Promise.resolve(feature.stop?.()).catch((err: unknown) => app.log.error({ err, feature: feature.name }, 'feature stop failed'));
    }
    hub.queue.stop();
    io.disconnectSockets(true);
    await io.close().catch(() => undefined);
  });

  return { app, hub, io };
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
    app.get(screen.prefix, { schema: { hide: true } }, async (_req, reply) => reply.redirect(`${screen.prefix}/`));
    app.get(`${screen.prefix}/`, { schema: { hide: true } }, handler);
    app.get(`${screen.prefix}/*`, { schema: { hide: true } }, handler);
  }
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/staff/'));
}
