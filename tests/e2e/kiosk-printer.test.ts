/**
 * A kiosk whose printer is unreachable: the citizen still gets the ticket on screen (number and QR) with a
 * clear printer notice, the ticket is real, and the device shows the printer fault to managers.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { assertUiBuilt, launchBrowser, openDevice } from '../helpers/browser.js';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { Device, Ticket } from '../../protocol/index.js';

const WAIT = { timeout: 25_000 };

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

describe('kiosk with a broken printer', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    assertUiBuilt();
    dbh = await createTestDatabase();
    const demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startTestHub({ url: dbh.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  it('shows the ticket with its QR and a printer notice, and raises the printer fault', async () => {
    const admin = await login(hub, 'admin', 'admin-pass-123');
    const device = await api<{ id: number; token: string }>(hub, 'POST', '/devices', admin, {
      kind: 'kiosk',
      name: 'Máy lấy số cửa phụ',
      printer: `tcp://127.0.0.1:${await closedPort()}?timeout=500`,
    });
    expect(device.status).toBe(201);
    const { page } = await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true });
    await page.goto(`${hub.url}/kiosk/?token=${device.body.token}`);
    await page.getByRole('button', { name: /Đăng ký kinh doanh/ }).click(WAIT);

    const slot = page.locator('[data-testid="printer-slot"].is-on');
    await slot.waitFor(WAIT);
    expect(await slot.innerText()).toContain('Máy in đang gặp sự cố – vui lòng ghi nhớ số của bạn hoặc chụp ảnh màn hình');
    expect(await page.locator('[data-testid="ticket-number"]').innerText()).toBe('G001');
    expect(await page.locator('.ticket-slip__qr canvas, .ticket-slip__qr svg, .ticket-slip__qr img').count()).toBeGreaterThan(0);

    const { rows } = await dbh.db.query<{ id: number }>(`SELECT id FROM tickets WHERE number = 'G001'`);
    expect(rows).toHaveLength(1);
    const ticket = await api<Ticket>(hub, 'GET', `/tickets/${rows[0]!.id}`);
    expect(ticket.body.status).toBe('waiting');

    await expect
      .poll(async () => (await api<Device[]>(hub, 'GET', '/devices', admin)).body.find((d) => d.id === device.body.id)?.health.faults.map((f) => f.code) ?? [], WAIT)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^printer_/)]));

    // the counter that calls G001 can reprint it; the console says the kiosk's printer still cannot print
    const staff = (await openDevice(browser, { width: 1366, height: 768 })).page;
    await staff.goto(`${hub.url}/staff/`);
    await staff.getByLabel('Tên đăng nhập').fill('canbo5', WAIT);
    await staff.getByLabel('Mật khẩu').fill('demo12345');
    await staff.getByRole('button', { name: 'Đăng nhập' }).click();
    await staff.locator('[data-testid="counter-card"][data-counter-number="5"]').getByRole('button', { name: 'Mở quầy' }).click(WAIT);
    await staff.getByRole('button', { name: /Gọi số tiếp theo/ }).click(WAIT);
    await staff.locator('[data-testid="current-number"]').getByText('G001').waitFor(WAIT);
    await staff.getByRole('button', { name: 'In lại phiếu' }).click();
    await staff.getByText('Máy in của ki-ốt chưa in được phiếu G001', { exact: false }).waitFor(WAIT);
    const { rows: jobs } = await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM print_jobs WHERE ticket_id = $1`, [rows[0]!.id]);
    expect(jobs[0]!.n).toBe(2);
  });
});
