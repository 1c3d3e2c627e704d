/**
 * The hall's edges on screen, in real Chromium: the managers' audit page lists failed logins and the login lock
 * with username and address, the admin clears the lock from the staff list, and a kiosk over its pace asks the
 * citizen politely to wait. Screenshots go to test-results/edges/.
 */
import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AuthService } from '../../server/auth/auth.service.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { User } from '../../protocol/index.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice, openScreen, repoRoot } from '../helpers/browser.js';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';

const WAIT = { timeout: 30_000 };
const shots = path.join(repoRoot, 'test-results', 'edges');
const ADMIN_PASSWORD = 'quan-tri-2026';

function loginFrom(source: string, hub: { url: string }, username: string, password: string): Promise<number> {
  const url = new URL(`${hub.url}/api/v1/auth/login`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: source, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ username, password }));
  });
}

describe('edges on screen', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  let admin: string;
  const errors: string[] = [];

  beforeAll(async () => {
    assertUiBuilt();
    await mkdir(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, ADMIN_PASSWORD);
    hub = await startTestHub({ url: dbh.url });
    admin = await login(hub, 'admin', ADMIN_PASSWORD);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  it("shows failed logins and the lock on the managers' audit page, and the admin clears the lock", async () => {
    for (let i = 0; i < 10; i++) expect(await loginFrom('127.0.0.10', hub, 'canbo3', `sai-mat-khau-${i}`)).toBe(401);
    expect(await loginFrom('127.0.0.10', hub, 'canbo3', 'demo12345')).toBe(429);

    const { page } = await openDevice(browser, { width: 1440, height: 900 });
    collectErrors(page, 'staff', errors);
    await signIn(page, 'quanly', 'demo12345');
    await page.getByTestId('to-admin').click();
    await page.getByTestId('nav-audit').click();
    await page.getByRole('heading', { name: 'Nhật ký thao tác', exact: true }).waitFor(WAIT);
    await page.getByTestId('audit-logins-only').check();
    const locked = page.locator('[data-testid="audit-row"][data-action="LOGIN LOCKED"]');
    await locked.waitFor(WAIT);
    expect(await locked.innerText()).toContain('canbo3');
    expect(await locked.getByTestId('audit-ip').innerText()).toBe('127.0.0.10');
    expect(await locked.innerText()).toContain('Khóa đăng nhập từ địa chỉ này');
    expect(await page.locator('[data-testid="audit-row"][data-action="LOGIN FAILED"]').count()).toBe(10);
    expect(await page.locator('[data-testid="audit-row"][data-action="LOGIN REFUSED"]').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'audit-logins.png'), fullPage: true });
    await page.context().close();

    const adminPage = (await openDevice(browser, { width: 1440, height: 900 })).page;
    collectErrors(adminPage, 'admin', errors);
    await signIn(adminPage, 'admin', ADMIN_PASSWORD);
    await adminPage.getByTestId('nav-users').click();
    const row = adminPage.locator('[data-testid="user-row"][data-username="canbo3"]');
    await row.getByTestId('user-locked').waitFor(WAIT);
    await adminPage.screenshot({ path: path.join(shots, 'users-locked.png'), fullPage: true });
    await row.getByRole('button', { name: 'Sửa' }).click();
    await adminPage.getByTestId('clear-login-lock').click();
    await adminPage.getByTestId('admin-flash').getByText('Đã mở khóa đăng nhập cho canbo3.').waitFor(WAIT);
    await row.getByTestId('user-locked').waitFor({ state: 'detached', ...WAIT });
    const users = (await api<User[]>(hub, 'GET', '/users', admin)).body;
    expect(users.find((u) => u.username === 'canbo3')?.loginLocked).toBe(false);
    expect(await loginFrom('127.0.0.10', hub, 'canbo3', 'demo12345')).toBe(200);
    await adminPage.context().close();
    expect(errors).toEqual([]);
  });

  it('asks the citizen to wait, politely, when the kiosk is over its pace', async () => {
    expect((await api(hub, 'PATCH', '/hall', admin, { settings: { kioskTicketsPerMinute: 1 } })).status).toBe(200);
    const { page } = await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true });
    collectErrors(page, 'kiosk', errors);
    await openScreen(page, `${hub.url}/kiosk/?token=${demo.kioskToken}`, () => page.getByRole('button', { name: /Tư pháp – Hộ tịch/ }), errors);
    // A pace of 1 a minute still lets three tickets through in a row.
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).click();
      await page.getByRole('button', { name: 'Xong' }).click(WAIT);
      await page.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).waitFor(WAIT);
    }
    await page.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor(WAIT);
    expect(await dialog.getByRole('heading').innerText()).toBe('Xin vui lòng chờ giây lát');
    expect(await page.getByTestId('kiosk-error').innerText()).toContain('chờ khoảng một phút rồi chạm lại');
    expect(await page.getByTestId('kiosk-error').innerText()).not.toMatch(/kiosk|429|\//);
    await page.screenshot({ path: path.join(shots, 'kiosk-over-pace.png') });
    const { rows } = await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE device_id IS NOT NULL');
    expect(rows[0]!.n).toBe(3);
    await page.context().close();
    // The refused ticket is the one network error expected.
    expect(errors.filter((e) => !/^\[kiosk\] HTTP 429 POST .*\/api\/v1\/tickets$/.test(e))).toEqual([]);
  });

  async function signIn(p: Page, username: string, password: string) {
    await openScreen(p, `${hub.url}/staff/`, () => p.getByRole('heading', { name: 'Đăng nhập cán bộ' }), errors);
    await p.getByLabel('Tên đăng nhập').fill(username);
    await p.getByLabel('Mật khẩu').fill(password);
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.getByRole('heading', { name: 'Đăng nhập cán bộ' }).waitFor({ state: 'detached', ...WAIT });
  }
});
