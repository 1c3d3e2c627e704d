/**
 * A kiosk whose printer is dead, at every kiosk size (portrait 1080×1920, landscape 1920×1080 and 1366×768):
 * the on-screen ticket (its only copy) and its warning fit the screen, it does not vanish after the usual
 * 15 s, and it goes only when the citizen taps "Tôi đã ghi lại số". No open counter: the screen says so.
 */
import net from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice } from '../helpers/browser.js';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { horizontalOverflow, textProblems } from '../helpers/layout.js';
import { AuthService } from '../../server/auth/auth.service.js';

const WAIT = { timeout: 25_000 };
const shots = '/tmp/shots-screens';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

describe('kiosk ticket when the printer is dead', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let browser: Browser;
  let token: string;
  const errors: string[] = [];

  beforeAll(async () => {
    assertUiBuilt();
    mkdirSync(shots, { recursive: true });
    dbh = await createTestDatabase();
    const demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startTestHub({ url: dbh.url });
    browser = await launchBrowser();
    const admin = await login(hub, 'admin', 'admin-pass-123');
    const device = await api<{ id: number; token: string }>(hub, 'POST', '/devices', admin, {
      kind: 'kiosk',
      name: 'Máy lấy số ngang',
      printer: `tcp://127.0.0.1:${await closedPort()}?timeout=500`,
    });
    expect(device.status).toBe(201);
    token = device.body.token;
    expect((await api(hub, 'PATCH', '/hall', admin, { settings: { openingTime: '07:30' } })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  for (const [width, height] of [
    [1920, 1080],
    [1366, 768],
    [1080, 1920],
  ] as const) {
    it(`keeps the ticket on a ${width}×${height} kiosk until the citizen has noted it, all of it on screen`, async () => {
      const { page, context } = await openDevice(browser, { width, height }, { hasTouch: true });
      collectErrors(page, `kiosk ${width}x${height}`, errors);
      await page.clock.install();
      await page.goto(`${hub.url}/kiosk/?token=${token}`);
      await page.getByRole('button', { name: /Đăng ký kinh doanh/ }).click(WAIT);
      const ticket = page.getByTestId('issued-ticket');
      await page.locator('[data-testid="printer-slot"].is-on').waitFor(WAIT);
      await page.locator('[data-testid="issued-ticket"][data-kept="true"]').waitFor(WAIT);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.screenshot({ path: path.join(shots, `kiosk-kept-${width}x${height}.png`) });

      // everything of the ticket is on screen: number, warning, QR and the button
      for (const id of ['ticket-number', 'printer-slot', 'ticket-noted', 'ticket-no-counter']) {
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box, id).not.toBeNull();
        expect(box.y + box.height, `${id} bottom`).toBeLessThanOrEqual(height + 0.5);
        expect(box.x + box.width, `${id} right`).toBeLessThanOrEqual(width + 0.5);
      }
      const qr = (await page.locator('.ticket-slip__qr').boundingBox())!;
      expect(qr.y + qr.height).toBeLessThanOrEqual(height + 0.5);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await textProblems(page, 16, '[data-testid="issued-ticket"]')).toEqual([]);
      expect(await page.getByTestId('ticket-eta').innerText()).toBe('Chưa có quầy phục vụ');
      expect(await page.getByTestId('ticket-no-counter').innerText()).toBe('Hiện chưa có quầy nào mở cho lĩnh vực này. Trung tâm mở cửa lúc 07:30.');

      // a minute later (the usual timeout is 15 s) the ticket is still there
      await page.clock.runFor(60_000);
      expect(await ticket.isVisible()).toBe(true);
      await page.getByTestId('ticket-noted').click();
      await ticket.waitFor({ state: 'detached', ...WAIT });
      await context.close();
    });
  }

  it('goes back by itself after the hall’s long timeout', async () => {
    const admin = await login(hub, 'admin', 'admin-pass-123');
    expect((await api(hub, 'PATCH', '/hall', admin, { settings: { unprintedTicketMinutes: 2 } })).status).toBe(200);
    const { page, context } = await openDevice(browser, { width: 1920, height: 1080 }, { hasTouch: true });
    await page.clock.install();
    await page.goto(`${hub.url}/kiosk/?token=${token}`);
    await page.getByRole('button', { name: /Đăng ký kinh doanh/ }).click(WAIT);
    await page.locator('[data-testid="issued-ticket"][data-kept="true"]').waitFor(WAIT);
    await page.clock.runFor(90_000);
    expect(await page.getByTestId('issued-ticket').isVisible()).toBe(true);
    await page.clock.runFor(40_000);
    await page.getByTestId('issued-ticket').waitFor({ state: 'detached', ...WAIT });
    await context.close();
    expect(errors).toEqual([]);
  });
});
