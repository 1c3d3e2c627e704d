import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { App } from '../context.js';
import { uiDir } from '../paths.js';

/** The screens the hub serves: URL prefix → built app folder. */
const screens = [
  { prefix: '/kiosk', dir: 'kiosk-ui' },
  { prefix: '/lookup', dir: 'kiosk-ui' },
  { prefix: '/procedures', dir: 'kiosk-ui' },
  { prefix: '/display', dir: 'display-ui' },
  { prefix: '/staff', dir: 'staff-ui' },
  { prefix: '/tablet', dir: 'rating-tablet-ui' },
] as const;

/** Serves the built screens (and their assets) under their prefixes; `/` goes to the staff console. */
export function registerScreens(app: App): void {
  const assets = path.join(uiDir, 'assets');
  if (existsSync(assets)) {
    void app.register(fastifyStatic, { root: assets, prefix: '/assets/', decorateReply: false, immutable: true, maxAge: '365d', preCompressed: true });
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
