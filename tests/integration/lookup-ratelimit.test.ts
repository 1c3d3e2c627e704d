import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, seedHall, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import type { DossierDetail } from '../../protocol/index.js';
import { openCounter, startDossierHub } from './dossier-support.js';

type Err = { error: { code: string; message: string } };

/** GET from a chosen loopback source address (127.0.0.x), so the hub sees another client IP. */
function getFrom(localAddress: string, url: string, token?: string): Promise<{ status: number; body: Err; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Err, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', reject);
  });
}

describe('public lookup rate limit', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let code: string;
  let staffToken: string;
  let lookupToken: string;
  const PER_MINUTE = 5;
  const MISSES = 3;
  const lookupUrl = (c: string) => `${hub.url}/api/v1/dossiers/${c}`;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    lookupToken = newToken('d');
    await insertDevice(dbh.db, { hallId: demo.hallId, kind: 'lookup', name: 'Ki-ốt tra cứu', counterId: null, printer: null, tokenHash: hashToken(lookupToken) });
    hub = await startDossierHub({
      url: dbh.url,
      config: { lookupPerMinute: PER_MINUTE, lookupMissesPerHour: MISSES, lookupDevicePerMinute: 1000, lookupDeviceMissesPerHour: 8 },
    });
    const staff = await openCounter(hub, 'canbo1', 1);
    staffToken = staff.token;
    code = (await api<DossierDetail>(hub, 'POST', '/dossiers', staffToken, { procedure: 'Đăng ký khai sinh', applicantName: 'Hồ Thị Xuân' })).body.code;
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('answers 429 rate_limited with Retry-After past the lookups a minute of one IP, and not for another IP', async () => {
    // Fixed one-minute windows: 2 × limit + 1 requests are refused at least once even across a window edge.
    const answers = [];
    for (let i = 0; i < 2 * PER_MINUTE + 1; i++) answers.push(await getFrom('127.0.0.2', lookupUrl(code)));
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    const refused = answers.find((a) => a.status === 429);
    expect(refused).toBeDefined();
    expect(refused!.body.error.code).toBe('rate_limited');
    expect(refused!.body.error.message).toContain('Tra cứu quá nhiều lần');
    expect(Number(refused!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused!.retryAfter)).toBeLessThanOrEqual(60);
    // Another IP, the lookup kiosk device and staff are not held by this IP's window.
    expect((await getFrom('127.0.0.3', lookupUrl(code))).status).toBe(200);
    expect((await getFrom('127.0.0.2', lookupUrl(code), lookupToken)).status).toBe(200);
    expect((await getFrom('127.0.0.2', lookupUrl(code), staffToken)).status).toBe(200);
  });

  it('counts unknown codes more strictly: after a few misses even a real code is refused for the hour', async () => {
    const ip = '127.0.0.4';
    const hourBefore = new Date().getUTCHours();
    const misses = [];
    for (let i = 0; i < MISSES; i++) misses.push(await getFrom(ip, lookupUrl(`000.00.12.H40-991231-${String(9000 + i)}`)));
    expect(misses.map((m) => m.status)).toEqual(Array(MISSES).fill(404));
    const after = await getFrom(ip, lookupUrl(code));
    if (new Date().getUTCHours() === hourBefore) {
      expect(after.status).toBe(429);
      expect(after.body.error.code).toBe('rate_limited');
      expect(after.body.error.message).toContain('mã không tồn tại');
      expect(Number(after.retryAfter)).toBeGreaterThan(0);
      expect(Number(after.retryAfter)).toBeLessThanOrEqual(3600);
    } else {
      expect([200, 429]).toContain(after.status); // the hour turned mid-test: its window started afresh
    }
    // Malformed codes are refused before any lookup and are not counted as misses.
    const ip2 = '127.0.0.5';
    for (let i = 0; i < MISSES + 1; i++) expect((await getFrom(ip2, lookupUrl('not-a-code'))).status).toBe(400);
    expect((await getFrom(ip2, lookupUrl(code))).status).toBe(200);
  });

  it('gives a lookup kiosk its own, higher limits', async () => {
    const answers = [];
    for (let i = 0; i < 2 * 8 + 1; i++) answers.push(await getFrom('127.0.0.6', lookupUrl(`000.00.12.H40-991231-${String(8000 + i)}`), lookupToken));
    expect(answers.slice(0, MISSES + 2).map((a) => a.status)).toEqual(Array(MISSES + 2).fill(404)); // more misses than an IP gets
    expect(answers.some((a) => a.status === 429)).toBe(true);
    expect((await getFrom('127.0.0.6', lookupUrl(code), staffToken)).status).toBe(200);
    // The limits live in PostgreSQL: every hub process shares them.
    const { rows } = await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM lookup_limits WHERE subject LIKE '%device:%'`);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
