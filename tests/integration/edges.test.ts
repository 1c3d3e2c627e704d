import http from 'node:http';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { AuthService, loginDelayMs } from '../../server/auth/auth.service.js';
import { clientAddress, parseTrustProxy, trustProxyOption } from '../../server/http/proxy.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { AuditItem, User } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

/** JSON over HTTP from a chosen loopback source address (127.0.0.10, 127.0.0.11…). */
function from(source: string, hub: { url: string }, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: http.IncomingHttpHeaders }> {
  const url = new URL(`${hub.url}/api/v1${path}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress: source, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const loginFrom = (source: string, hub: { url: string }, username: string, password: string, headers: Record<string, string> = {}) =>
  from(source, hub, 'POST', '/auth/login', { username, password }, headers);

describe("the hall's edges", () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    hub = await startTestHub({ url: dbh.url, config: { logLevel: 'info' }, logger: pino({ level: 'info' }, sink) });
    admin = await login(hub, 'admin', 'admin-pass-123');
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  const audit = async () => (await api<AuditItem[]>(hub, 'GET', '/audit?limit=1000', admin)).body;

  describe('login lockout', () => {
    it('refuses only the address that failed: the owner logs in from another address, even as admin', async () => {
      for (let i = 0; i < 10; i++) expect((await loginFrom('127.0.0.10', hub, 'admin', `wrong-${i}`)).status).toBe(401);
      const refused = await loginFrom('127.0.0.10', hub, 'admin', 'admin-pass-123');
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
      expect((await loginFrom('127.0.0.11', hub, 'admin', 'admin-pass-123')).status).toBe(200);
      // Still refused from the address that failed.
      expect((await loginFrom('127.0.0.10', hub, 'admin', 'admin-pass-123')).status).toBe(429);
    });

    it('records failed logins, the lock and successful logins in the hall, with username and address', async () => {
      await expect
        .poll(async () => (await audit()).filter((e) => e.action === 'LOGIN REFUSED').length, { timeout: 5000 })
        .toBe(2);
      const log = await audit();
      const failed = log.filter((e) => e.action === 'LOGIN FAILED' && e.actorName === 'admin');
      expect(failed).toHaveLength(10);
      expect(failed.every((e) => e.ip === '127.0.0.10' && e.status === 401)).toBe(true);
      expect(log.find((e) => e.action === 'LOGIN LOCKED')).toMatchObject({ actorName: 'admin', ip: '127.0.0.10', status: 429 });
      expect(log.find((e) => e.action === 'LOGIN REFUSED')).toMatchObject({ actorName: 'admin', ip: '127.0.0.10', status: 429 });
      expect(log.find((e) => e.action === 'LOGIN' && e.ip === '127.0.0.11')).toMatchObject({ actorName: 'admin', actorType: 'user', status: 200 });
      const { rows } = await dbh.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'LOGIN%' AND hall_id IS NULL`);
      expect(rows[0].n).toBe(0);
    });

    it('lets an admin see and clear a lock', async () => {
      const users = (await api<User[]>(hub, 'GET', '/users', admin)).body;
      expect(users.find((u) => u.username === 'admin')?.loginLocked).toBe(true);
      expect(users.find((u) => u.username === 'canbo1')?.loginLocked).toBe(false);
      const adminId = users.find((u) => u.username === 'admin')!.id;
      const staff = await login(hub, 'canbo1');
      expect((await api(hub, 'DELETE', `/users/${adminId}/lock`, staff)).status).toBe(403);
      const cleared = await api<{ cleared: number }>(hub, 'DELETE', `/users/${adminId}/lock`, admin);
      expect(cleared).toMatchObject({ status: 200, body: { cleared: 10 } });
      expect((await loginFrom('127.0.0.10', hub, 'admin', 'admin-pass-123')).status).toBe(200);
      expect((await api(hub, 'DELETE', '/users/999999/lock', admin)).status).toBe(404);
    });

    it('slows a flood across many addresses down, but never refuses a right password from an address with no failures', async () => {
      await dbh.db.query(`INSERT INTO login_failures (username, ip) SELECT 'canbo2', '10.9.' || (i / 250) || '.' || (i % 250) FROM generate_series(1, 30) i`);
      const started = Date.now();
      const ok = await loginFrom('127.0.0.12', hub, 'canbo2', 'demo12345');
      expect(ok.status).toBe(200);
      // 30 failures of the account: its attempts wait 1 s before the password is checked.
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect([0, 9, 10, 19, 20, 30, 40, 50, 500].map(loginDelayMs)).toEqual([0, 0, 250, 250, 500, 1000, 2000, 4000, 4000]);
    });
  });

  describe('behind a reverse proxy (TRUST_PROXY)', () => {
    let proxied: TestHub;
    beforeAll(async () => {
      proxied = await startTestHub({ url: dbh.url, config: { trustProxy: parseTrustProxy('127.0.0.10, 10.1.0.0/16') } });
    });
    afterAll(async () => proxied?.close());

    it("takes the client's address from X-Forwarded-For of a trusted proxy only", async () => {
      await loginFrom('127.0.0.10', proxied, 'canbo4', 'wrong-proxy-1', { 'x-forwarded-for': '203.0.113.7' });
      await loginFrom('127.0.0.11', proxied, 'canbo4', 'wrong-proxy-2', { 'x-forwarded-for': '203.0.113.8' });
      const { rows } = await dbh.db.query<{ ip: string }>(`SELECT ip FROM login_failures WHERE username = 'canbo4' ORDER BY id`);
      expect(rows.map((r) => r.ip)).toEqual(['203.0.113.7', '127.0.0.11']);
    });

    it('keeps each client behind the proxy its own budget', async () => {
      for (let i = 0; i < 10; i++) await loginFrom('127.0.0.10', proxied, 'canbo5', `wrong-${i}`, { 'x-forwarded-for': '203.0.113.20' });
      expect((await loginFrom('127.0.0.10', proxied, 'canbo5', 'demo12345', { 'x-forwarded-for': '203.0.113.20' })).status).toBe(429);
      expect((await loginFrom('127.0.0.10', proxied, 'canbo5', 'demo12345', { 'x-forwarded-for': '203.0.113.21' })).status).toBe(200);
      // An untrusted peer cannot pick an address to escape its own lock.
      for (let i = 0; i < 10; i++) await loginFrom('127.0.0.11', proxied, 'canbo6', `wrong-${i}`);
      expect((await loginFrom('127.0.0.11', proxied, 'canbo6', 'demo12345', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    });

    it('finds a socket client behind the same proxies the same way', () => {
      const trust = trustProxyOption(parseTrustProxy('127.0.0.10, 10.1.0.0/16'));
      expect(clientAddress('127.0.0.10', '203.0.113.7', trust)).toBe('203.0.113.7');
      expect(clientAddress('::ffff:127.0.0.10', '198.51.100.9, 203.0.113.7', trust)).toBe('203.0.113.7');
      expect(clientAddress('127.0.0.10', '198.51.100.9, 10.1.2.3', trust)).toBe('198.51.100.9');
      expect(clientAddress('127.0.0.11', '203.0.113.7', trust)).toBe('127.0.0.11');
      expect(clientAddress('127.0.0.10', '203.0.113.7', false)).toBe('127.0.0.10');
    });

    it('refuses to start on a TRUST_PROXY that is not an address or CIDR, and says why', async () => {
      expect(() => parseTrustProxy('127.0.0.1, proxy.lan')).toThrow(/TRUST_PROXY: "proxy.lan" is not an IP address or CIDR/);
      expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/10.0.0.0\/33/);
      expect(() => parseTrustProxy('::1/129')).toThrow(/::1\/129/);
      expect(parseTrustProxy(' 10.0.0.0/8 ,::1,')).toHaveLength(2);
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, TRUST_PROXY: '127.0.0.1,nginx', DATA_DIR: '/nonexistent-hallhub' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(err).toContain('Hall Hub cannot start: TRUST_PROXY: "nginx" is not an IP address or CIDR');
    });
  });

  describe('sessions and tokens', () => {
    it('cuts a socket opened with a session when that session expires', async () => {
      const token = await login(hub, 'canbo1');
      await dbh.db.query(`UPDATE sessions SET expires_at = now() + interval '1500 milliseconds' WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'canbo1')`);
      const socket = await connectSocket(hub, token);
      const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
      expect(reason).toBe('io server disconnect');
      socket.close();
    });

    it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
      const plain = await fetch(`${hub.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo3', password: 'demo12345' }) });
      expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
      const https = await startTestHub({ url: dbh.url, config: { publicUrl: 'https://motcua.example.vn' } });
      try {
        const res = await fetch(`${https.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo3', password: 'demo12345' }) });
        expect(res.status).toBe(200);
        expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
        expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
      } finally {
        await https.close();
      }
    });

    it('never writes a ?token= to the log', async () => {
      lines.length = 0;
      await fetch(`${hub.url}/kiosk/?token=${demo.kioskToken}`);
      await fetch(`${hub.url}/display?token=${demo.displayToken}&lang=vi`);
      await fetch(`${hub.url}/api/v1/services?token=${demo.kioskToken}`);
      const text = lines.join('');
      expect(text).toContain('incoming request');
      expect(text).toContain('/kiosk/?token=***');
      expect(text).not.toContain(demo.kioskToken);
      expect(text).not.toContain(demo.displayToken);
    });
  });

  describe('names', () => {
    it('refuses control characters and bidi overrides on create and on edit alike', async () => {
      const bad = ['Hộ tịch\x1dV\x00', 'Đất đai\r\nIn lại', 'Dịch vụ\u202Ecilbup', 'Tên\x1b@', '\u2066Tài chính\u2069', 'Thuế\x85'];
      for (const name of bad) {
        expect((await api(hub, 'POST', '/services', admin, { name, prefix: 'Q' })).status, JSON.stringify(name)).toBe(400);
        expect((await api(hub, 'PATCH', '/services/1', admin, { name })).status).toBe(400);
        expect((await api(hub, 'POST', '/departments', admin, { name })).status).toBe(400);
        expect((await api(hub, 'PATCH', '/departments/1', admin, { name })).status).toBe(400);
        expect((await api(hub, 'POST', '/counters', admin, { number: 77, name, serviceIds: [1] })).status).toBe(400);
        expect((await api(hub, 'PATCH', '/counters/1', admin, { name })).status).toBe(400);
        expect((await api(hub, 'POST', '/users', admin, { username: 'canbo77', password: 'password-77', name, role: 'staff' })).status).toBe(400);
        expect((await api(hub, 'POST', '/devices', admin, { kind: 'display', name })).status).toBe(400);
      }
      const { rows } = await dbh.db.query(`SELECT count(*)::int AS n FROM services WHERE prefix = 'Q'`);
      expect(rows[0].n).toBe(0);
      expect((await api(hub, 'POST', '/services', admin, { name: 'Chứng thực bản sao — Đơn vị “A”', prefix: 'Q' })).status).toBe(201);
    });
  });

  describe('webhooks', () => {
    it("refuses loopback, link-local and the hub's own addresses, unless listed in WEBHOOK_ALLOW_HOSTS", async () => {
      const before = await dbh.db.query('SELECT count(*)::int AS n FROM integration_keys');
      for (const url of ['http://127.0.0.1:8080/api/v1/hall', 'http://localhost/x', 'http://[::1]/x', 'http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/x', 'http://0.0.0.0/x', 'http://127.1/x']) {
        const r = await api(hub, 'POST', '/integrations', admin, { name: 'Thử', webhookUrl: url });
        expect(r.status, url).toBe(400);
        expect(r.body, url).toMatchObject({ error: { code: 'webhook_host_refused' } });
      }
      const after = await dbh.db.query('SELECT count(*)::int AS n FROM integration_keys');
      expect(after.rows[0].n).toBe(before.rows[0].n);
      expect((await api(hub, 'POST', '/integrations', admin, { name: 'Cổng tỉnh', webhookUrl: 'https://203.0.113.9/hooks' })).status).toBe(201);
      const allowing = await startTestHub({ url: dbh.url, config: { webhookAllowHosts: ['127.0.0.1'] } });
      try {
        expect((await api(allowing, 'POST', '/integrations', admin, { name: 'Máy nhận nội bộ', webhookUrl: 'http://127.0.0.1:9999/hooks' })).status).toBe(201);
        expect((await api(allowing, 'POST', '/integrations', admin, { name: 'Máy khác', webhookUrl: 'http://[::1]:9999/hooks' })).status).toBe(400);
      } finally {
        await allowing.close();
      }
    });
  });
});
