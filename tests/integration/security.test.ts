import { beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient, type Socket as ClientSocket } from 'socket.io-client';
import { api, connectSocket, createTestDatabase, login, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { DeviceKind, Role } from '../../protocol/index.js';
import type { AuditItem } from '../../protocol/audit.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;
type Who = 'anonymous' | Role | DeviceKind;

/**
 * Routes open to anyone. Every other /api/v1 route must declare who may call it with guard(): a new
 * route without one fails here until it is added to this list on purpose.
 */
const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/tickets/:id',
  'GET /api/v1/openapi.json',
  'GET /api/v1/dossiers/:code',
  'GET /api/v1/rankings',
  'GET /api/v1/rankings.csv',
  'GET /api/v1/rankings.xlsx',
  'GET /api/v1/indicators',
  'GET /api/v1/procedures/search',
]);

/** The admin pages' set-up routes and the roles that may call them (checked below, then by the matrix like every route). */
const SETUP_ROUTES: Record<string, readonly Role[]> = {
  'GET /api/v1/hall/settings': ['admin', 'manager'],
  'PATCH /api/v1/hall': ['admin'],
  'PATCH /api/v1/departments/:id': ['admin'],
  'PATCH /api/v1/services/:id': ['admin'],
  'PATCH /api/v1/counters/:id': ['admin'],
  'PATCH /api/v1/users/:id': ['admin'],
  'PATCH /api/v1/procedures/:id': ['admin'],
};

describe('security', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  const tokens = new Map<Who, string | null>();

  const seeded = useSeededHub({ adminPassword: 'admin-pass-123' });
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    const admin = await login(hub, 'admin', 'admin-pass-123');
    tokens.set('anonymous', null);
    tokens.set('admin', admin);
    tokens.set('manager', await login(hub, 'quanly'));
    tokens.set('staff', await login(hub, 'canbo1'));
    tokens.set('kiosk', demo.kioskToken);
    tokens.set('display', demo.displayToken);
    for (const kind of ['lookup', 'tablet', 'agent'] as const) {
      const r = await api<{ token: string }>(hub, 'POST', '/devices', admin, { kind, name: `Thiết bị ${kind}`, counterId: 1 });
      tokens.set(kind, r.body.token);
    }
  });

  it('enforces roles and device kinds on every API route (authorization matrix)', async () => {
    expect(hub.routes.length).toBeGreaterThan(20);
    for (const [key, roles] of Object.entries(SETUP_ROUTES)) {
      const route = hub.routes.find((r) => `${r.method} ${r.url}` === key);
      expect(route?.access, key).toEqual({ roles });
    }
    const skipCalls = new Set(['POST /api/v1/auth/logout']);
    const failures: string[] = [];
    for (const route of hub.routes) {
      const key = `${route.method} ${route.url}`;
      if (!route.access) {
        if (!PUBLIC_ROUTES.has(key)) failures.push(`${key}: no access rule (add guard() or list it as public)`);
        continue;
      }
      const path = route.url.replace(/^\/api\/v1/, '').replace(/:[A-Za-z]+/g, '999999');
      for (const [who, token] of tokens) {
        const allowed = who !== 'anonymous' && ([...(route.access.roles ?? []), ...(route.access.devices ?? [])] as string[]).includes(who);
        if (allowed && skipCalls.has(key)) continue;
        const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
        const r = await api<{ error?: { code: string } }>(hub, route.method, path, token, body);
        const refused = r.status === 401 || (r.status === 403 && r.body?.error?.code === 'forbidden');
        if (who === 'anonymous' && r.status !== 401) failures.push(`${key} anonymous → ${r.status}, want 401`);
        else if (who !== 'anonymous' && !allowed && !(r.status === 403 && r.body?.error?.code === 'forbidden')) failures.push(`${key} ${who} → ${r.status}, want 403`);
        else if (allowed && refused) failures.push(`${key} ${who} → ${r.status} ${r.body?.error?.code}, want it allowed`);
        if (r.status >= 500) failures.push(`${key} ${who} → ${r.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('enforces who may send which socket command (every command the features declare)', async () => {
    const commands = hub.wiring.socketCommands;
    expect(commands.length).toBeGreaterThanOrEqual(6);
    for (const [who, token] of tokens) {
      if (!token) continue;
      const s = await connectSocket(hub, token);
      const serverSide = [...hub.io.sockets.sockets.values()].find((x) => x.id === s.id)!;
      const listened = serverSide.eventNames().filter((e): e is string => typeof e === 'string' && !['disconnect', 'disconnecting', 'error'].includes(e));
      expect(listened.filter((e) => !commands.some((c) => c.name === e)), 'socket events served outside the declarations').toEqual([]);
      for (const command of commands) {
        const allowed = ([...(command.access.roles ?? []), ...(command.access.devices ?? [])] as string[]).includes(who);
        const args = command.payload ? [{}] : [];
        const reply = (await (s.timeout(10_000).emitWithAck as (e: string, ...a: unknown[]) => Promise<{ ok: boolean; error?: { code: string } }>)(command.name, ...args)) ?? { ok: false };
        const refused = !reply.ok && reply.error?.code === 'forbidden';
        expect(refused, `${who} ${command.name} → ${JSON.stringify(reply)}`).toBe(!allowed);
      }
      s.close();
    }
  });

  it('hashes passwords with argon2id and keeps no device or session token in clear', async () => {
    const { rows: users } = await dbh.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    expect(users.every((u) => u.password_hash.startsWith('$argon2id$'))).toBe(true);
    const { rows: devices } = await dbh.db.query<{ token_hash: string }>('SELECT token_hash FROM devices');
    expect(devices.map((d) => d.token_hash)).not.toContain(demo.kioskToken);
    expect(devices.every((d) => /^[0-9a-f]{64}$/.test(d.token_hash))).toBe(true);
    const { rows: sessions } = await dbh.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(sessions.map((s) => s.token_hash)).not.toContain(tokens.get('staff'));
  });

  it('limits failed logins per username, even for the right password afterwards', async () => {
    const admin = tokens.get('admin')!;
    await api(hub, 'POST', '/users', admin, { username: 'canbo9', password: 'right-password', name: 'Lý Thị Chín', role: 'staff' });
    for (let i = 0; i < 10; i++) {
      expect((await api(hub, 'POST', '/auth/login', null, { username: 'canbo9', password: `wrong-${i}` })).status).toBe(401);
    }
    const locked = await api(hub, 'POST', '/auth/login', null, { username: 'canbo9', password: 'right-password' });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { code: 'rate_limited' } });
    await dbh.db.query(`UPDATE login_failures SET at = at - interval '20 minutes' WHERE username = 'canbo9'`);
    expect((await api(hub, 'POST', '/auth/login', null, { username: 'canbo9', password: 'right-password' })).status).toBe(200);
  });

  it('expires and revokes sessions', async () => {
    const token = await login(hub, 'canbo2');
    expect((await api(hub, 'GET', '/auth/me', token)).status).toBe(200);
    expect((await api(hub, 'POST', '/auth/logout', token)).status).toBe(204);
    expect((await api(hub, 'GET', '/auth/me', token)).status).toBe(401);

    const expiring = await login(hub, 'canbo3');
    await dbh.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE username = 'canbo3')`);
    hub.app.forgetAllTokens();
    expect((await api(hub, 'GET', '/auth/me', expiring)).status).toBe(401);

    const a = await login(hub, 'canbo4');
    const b = await login(hub, 'canbo4');
    const { rows } = await dbh.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'canbo4'`);
    const revoked = await api<{ revoked: number }>(hub, 'DELETE', `/users/${rows[0]!.id}/sessions`, tokens.get('admin')!);
    expect(revoked.body.revoked).toBe(2);
    expect((await api(hub, 'GET', '/auth/me', a)).status).toBe(401);
    expect((await api(hub, 'GET', '/auth/me', b)).status).toBe(401);
  });

  it('cuts the open sockets of a logout, of revoked sessions, of a disabled account and of a revoked device; they cannot come back', async () => {
    /** A client that reconnects by itself like the screens' socket store does (also after the hub cut it), recording what happens to it. */
    const watch = (token: string) => {
      const s: ClientSocket = ioClient(hub.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 });
      const seen = { connects: 0, disconnects: 0, refused: 0 };
      s.on('connect', () => void seen.connects++);
      s.on('disconnect', (reason) => {
        seen.disconnects++;
        if (reason === 'io server disconnect') setTimeout(() => s.connect(), 50);
      });
      s.on('connect_error', (err) => void (err.message.startsWith('unauthorized') && seen.refused++));
      return { s, seen };
    };
    const cut = async (w: ReturnType<typeof watch>) => {
      await expect.poll(() => w.seen.refused, { timeout: 5000 }).toBeGreaterThan(0);
      expect(w.seen.disconnects).toBe(1);
      w.s.close();
    };
    const staffId = async (username: string) => (await dbh.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username])).rows[0]!.id;

    const loggedOut = await login(hub, 'canbo5');
    const otherTab = await login(hub, 'canbo5');
    const [w1, w2] = [watch(loggedOut), watch(otherTab)];
    await expect.poll(() => w1.seen.connects + w2.seen.connects, { timeout: 5000 }).toBe(2);
    expect((await api(hub, 'POST', '/auth/logout', loggedOut)).status).toBe(204);
    await cut(w1);
    expect(w2.seen).toEqual({ connects: 1, disconnects: 0, refused: 0 });

    const w3 = watch(otherTab);
    await expect.poll(() => w3.seen.connects, { timeout: 5000 }).toBe(1);
    expect((await api(hub, 'DELETE', `/users/${await staffId('canbo5')}/sessions`, tokens.get('admin')!)).status).toBe(200);
    await cut(w2);
    await cut(w3);

    const w4 = watch(await login(hub, 'canbo6'));
    await expect.poll(() => w4.seen.connects, { timeout: 5000 }).toBe(1);
    expect((await api(hub, 'PATCH', `/users/${await staffId('canbo6')}`, tokens.get('admin')!, { active: false })).status).toBe(200);
    await cut(w4);

    const device = await api<{ id: number; token: string }>(hub, 'POST', '/devices', tokens.get('admin')!, { kind: 'display', name: 'Màn hình tạm' });
    const w5 = watch(device.body.token);
    await expect.poll(() => w5.seen.connects, { timeout: 5000 }).toBe(1);
    expect((await api(hub, 'DELETE', `/devices/${device.body.id}`, tokens.get('admin')!)).status).toBe(204);
    await cut(w5);
  });

  it('sends security headers and a content security policy with the screens and the API', async () => {
    const page = await fetch(`${hub.url}/kiosk/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const apiRes = await fetch(`${hub.url}/api/v1/tickets/1`);
    expect(apiRes.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keeps an audit log of state changes that managers can read', async () => {
    const staff = tokens.get('staff')!;
    await api(hub, 'POST', '/counters/1/open', staff);
    await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
    await api(hub, 'POST', '/counters/1/next', staff);
    await expect
      .poll(async () => (await api<AuditItem[]>(hub, 'GET', '/audit', tokens.get('manager')!)).body.filter((e) => e.status < 300).map((e) => e.action), { timeout: 5000 })
      .toEqual(expect.arrayContaining(['POST /api/v1/counters/:id/open', 'POST /api/v1/tickets', 'POST /api/v1/counters/:id/next']));
    const log = (await api<AuditItem[]>(hub, 'GET', '/audit?limit=1000', tokens.get('manager')!)).body;
    expect(log.filter((e) => e.action === 'POST /api/v1/counters/:id/next' && e.actorName === 'Thiết bị agent')[0]).toMatchObject({ status: 403 });
    const next = log.find((e) => e.action === 'POST /api/v1/counters/:id/next' && e.status === 200)!;
    expect(next).toMatchObject({ actorType: 'user', actorName: 'canbo1', target: '{"id":1}', status: 200 });
    expect(next.ip).toMatch(/127\.0\.0\.1/);
    expect(log.find((e) => e.action === 'POST /api/v1/tickets' && e.status === 201)).toMatchObject({ actorType: 'device', actorName: 'Máy lấy số sảnh chính' });
    expect((await api(hub, 'GET', '/audit', staff)).status).toBe(403);
    // state-changing socket commands from hardware agents are in it too (the socket matrix above sent them)
    expect(log.find((e) => e.action === 'SOCKET agent:print-result')).toMatchObject({ actorType: 'device', actorName: 'Thiết bị agent' });
    // each with the outcome its ack carried (the matrix sent empty payloads: 400 from the agent, 403 from the rest),
    // also when the agent asked for no ack
    const agent = await connectSocket(hub, tokens.get('agent')!);
    agent.emit('agent:printer', { state: 'ok', paperOut: false, paperNearEnd: false, coverOpen: false, message: 'Sẵn sàng' });
    agent.emit('agent:scan', { code: 'x'.repeat(500) });
    const socketLog = async () => (await api<AuditItem[]>(hub, 'GET', '/audit?limit=1000', tokens.get('manager')!)).body.filter((e) => e.action.startsWith('SOCKET '));
    await expect.poll(async () => (await socketLog()).filter((e) => e.actorName === 'Thiết bị agent' && e.status === 200).map((e) => e.action), { timeout: 5000 }).toEqual(['SOCKET agent:printer']);
    agent.close();
    const socketEntries = await socketLog();
    expect(socketEntries.filter((e) => e.actorName === 'Thiết bị agent' && e.status === 400)).toHaveLength(4);
    expect(socketEntries.filter((e) => e.actorName === 'Máy lấy số sảnh chính').map((e) => e.status)).toEqual([403, 403, 403]);
    expect(socketEntries.every((e) => e.status === 200 || e.status === 400 || e.status === 403)).toBe(true);
  });
});
