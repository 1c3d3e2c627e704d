import { Type } from '@sinclair/typebox';
import { ClearLoginLockReply, CreateUserBody, IdParams, LoginBody, LoginReply, Principal, UpdateUserBody, User, errorResponses } from '../../protocol/index.js';
import { access } from '../auth/access.js';
import { type App, type Hub } from '../context.js';
import { guard, SESSION_COOKIE, tokenOf, userOf } from './auth.plugin.js';

export async function authRoutes(app: App, { hub }: { hub: Hub }) {
  const secure = hub.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  app.post('/auth/login', { schema: { tags: ['auth'], body: LoginBody, response: { 200: LoginReply, ...errorResponses } } }, async (req, reply) => {
    const result = await hub.auth.login(req.body.username, req.body.password, req.ip, (e) =>
      hub.audit.record({
        hallId: e.hallId,
        actorType: e.status === 200 ? 'user' : 'anonymous',
        actorId: e.status === 200 ? e.userId : null,
        actorName: e.username,
        action: e.action,
        target: null,
        status: e.status,
        ip: e.ip,
      }),
    );
    const maxAge = Math.floor((Date.parse(result.expiresAt) - Date.now()) / 1000);
    reply.header('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(result.token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
    return result;
  });

  app.post('/auth/logout', { schema: { tags: ['auth'], response: { 204: Type.Null(), ...errorResponses } }, preHandler: guard(access.staff) }, async (req, reply) => {
    const token = tokenOf(req)!;
    await hub.auth.logout(req.principal!.hallId, token);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
    return reply.code(204).send(null);
  });

  app.get('/auth/me', { schema: { tags: ['auth'], response: { 200: Principal, ...errorResponses } }, preHandler: guard(access.readSetup) }, async (req) => {
    const p = req.principal!;
    if (p.type === 'device') return { type: 'device' as const, hallId: p.hallId, device: p.device };
    const u = p.user;
    return { type: 'user' as const, hallId: p.hallId, user: { id: u.id, username: u.username, name: u.name, role: u.role, ...(u.title ? { title: u.title } : {}), active: true } };
  });

  app.delete('/users/:id/sessions', { schema: { tags: ['admin'], params: IdParams, response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses } }, preHandler: guard(access.admin) }, async (req) => {
    return { revoked: await hub.auth.revokeSessions(req.principal!.hallId, req.params.id) };
  });

  app.delete(
    '/users/:id/lock',
    { schema: { tags: ['admin'], params: IdParams, response: { 200: ClearLoginLockReply, ...errorResponses } }, preHandler: guard(access.admin) },
    async (req) => ({ cleared: await hub.auth.clearLoginLock(req.principal!.hallId, req.params.id) }),
  );

  app.get('/users', { schema: { tags: ['admin'], response: { 200: Type.Array(User), ...errorResponses } }, preHandler: guard(access.managers) }, async (req) =>
    hub.auth.listUsers(req.principal!.hallId),
  );

  app.post('/users', { schema: { tags: ['admin'], body: CreateUserBody, response: { 201: User, ...errorResponses } }, preHandler: guard(access.admin) }, async (req, reply) => {
    const user = await hub.auth.createUser(userOf(req).hallId, req.body);
    return reply.code(201).send(user);
  });

  app.patch('/users/:id', { schema: { tags: ['admin'], params: IdParams, body: UpdateUserBody, response: { 200: User, ...errorResponses } }, preHandler: guard(access.admin) }, async (req) => {
    const me = userOf(req);
    return hub.auth.updateUser(me.hallId, { userId: me.user.id, token: me.token }, req.params.id, req.body);
  });
}
