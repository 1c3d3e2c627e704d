import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../errors.js';
import type { AuthService } from './auth.service.js';
import type { Access, DevicePrincipal, Principal, UserPrincipal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'hh_token';

/** Reads the bearer token from `Authorization` or the staff UI's cookie. */
export function tokenOf(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  const cookie = req.headers.cookie;
  if (cookie) {
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === SESSION_COOKIE) return decodeURIComponent(v.join('=')) || null;
    }
  }
  return null;
}

/** A route's access check, carrying the rule it enforces so the hub can list who may call what. */
export type Guard = preHandlerAsyncHookHandler & { readonly access: Access };

/** A route's access check: 401 without a valid token, 403 for a role or device kind it does not allow. */
export function guard(access: Access): Guard {
  const check = async (req: FastifyRequest, _reply: FastifyReply) => {
    assertAccess(req.principal, access);
  };
  return Object.assign(check, { access });
}

export const isGuard = (h: unknown): h is Guard => typeof h === 'function' && 'access' in h;

/** The access rule of a route from its preHandler(s); null when the route is open to anyone. */
export function accessOf(preHandler: unknown): Access | null {
  const list = Array.isArray(preHandler) ? preHandler : [preHandler];
  for (const h of list) {
    if (typeof h === 'function' && 'access' in h) return (h as Guard).access;
  }
  return null;
}

export function assertAccess(p: Principal | null, access: Access): asserts p is Principal {
  if (!p) throw unauthorized();
  if (p.type === 'user') {
    if (!access.roles?.includes(p.user.role)) throw forbidden(`Vai trò "${p.user.role}" không được làm việc này`);
  } else if (!access.devices?.includes(p.device.kind)) {
    throw forbidden(`Thiết bị loại "${p.device.kind}" không được làm việc này`);
  }
}

export function userOf(req: FastifyRequest): UserPrincipal {
  const p = req.principal;
  if (p?.type !== 'user') throw forbidden('Chỉ cán bộ đã đăng nhập mới được làm việc này');
  return p;
}

export function deviceOf(req: FastifyRequest): DevicePrincipal | null {
  return req.principal?.type === 'device' ? req.principal : null;
}

/** Resolves every request's token once; a short cache keeps kiosk bursts off the database. */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { auth: AuthService; cacheMs: number }) => {
    const cache = new Map<string, { principal: Principal | null; until: number }>();
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (req) => {
      const token = tokenOf(req);
      if (!token) return;
      const now = Date.now();
      const hit = cache.get(token);
      if (hit && hit.until > now) {
        req.principal = hit.principal;
        return;
      }
      const principal = await opts.auth.authenticate(token);
      if (cache.size > 10_000) cache.clear();
      if (opts.cacheMs > 0) cache.set(token, { principal, until: now + opts.cacheMs });
      req.principal = principal;
    });
    app.decorate('forgetAllTokens', () => cache.clear());
  },
  { name: 'auth' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Drops every cached token (after revoking sessions or devices). */
    forgetAllTokens(): void;
  }
}
