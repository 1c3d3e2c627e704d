/**
 * The queue in real Chromium against the real hub and PostgreSQL: a citizen takes a number at the kiosk,
 * a staff member calls it from the counter console, the hall display shows it; the screens say when the
 * hub is gone and come back by themselves when it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoHall } from '../../server/demo/seed.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice, restartHubOn } from '../helpers/browser.js';
import { DEMO_STAFF_PASSWORD, api, connectSocket, createTestDatabase, login, nextEvent, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { Service } from '../../protocol/index.js';

/** Generous: the machine may be loaded; every wait is for a condition, never a fixed sleep. */
const WAIT = { timeout: 25_000 };

describe('queue flow in Chromium: kiosk → counter console → hall display', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let hubOpen = false;
  let demo: DemoHall;
  let browser: Browser;
  let kiosk: Page;
  let display: Page;
  let staff: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertUiBuilt();
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startTestHub({ url: dbh.url });
    hubOpen = true;
    browser = await launchBrowser();
    display = (await openDevice(browser, { width: 1920, height: 1080 })).page;
    kiosk = (await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true })).page;
    staff = (await openDevice(browser, { width: 1366, height: 768 })).page;
    collectErrors(display, 'display', pageErrors);
    collectErrors(kiosk, 'kiosk', pageErrors);
    collectErrors(staff, 'staff', pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    if (hubOpen) await hub?.close();
    await dbh?.drop();
  });

  it('opens the display and the kiosk with their device tokens, remembered and removed from the address', async () => {
    await display.goto(`${hub.url}/display/?token=${demo.displayToken}`);
    await display.locator('[data-testid="counter-tile"][data-counter-number="1"]').waitFor(WAIT);
    await display.locator('[data-testid="hall-name"]', { hasText: 'Trung tâm Phục vụ hành chính công xã Minh Hòa' }).waitFor(WAIT);
    expect(display.url()).toBe(`${hub.url}/display/`);
    expect(await display.evaluate(() => localStorage.getItem('hallhub:display:token'))).toBe(demo.displayToken);

    await kiosk.goto(`${hub.url}/kiosk/?token=${demo.kioskToken}`);
    await kiosk.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).waitFor(WAIT);
    expect(kiosk.url()).toBe(`${hub.url}/kiosk/`);
    await expect(kiosk.locator('h2').first().innerText()).resolves.toBe('Mời chọn lĩnh vực cần giải quyết');
    await expect(kiosk.getByRole('switch').innerText()).resolves.toContain('Ưu tiên: người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công');
  });

  it("follows the admin's set-up changes live: a renamed, closed service on the kiosk and the hall's new name on the display", async () => {
    const admin = await login(hub, 'admin', 'admin-pass-123');
    const hotich = (await api<Service[]>(hub, 'GET', '/services', admin)).body.find((s) => s.name === 'Tư pháp – Hộ tịch')!;
    const tile = kiosk.locator(`[data-service-id="${hotich.id}"]`);
    expect(await tile.isEnabled()).toBe(true);
    expect((await api(hub, 'PATCH', `/services/${hotich.id}`, admin, { name: 'Hộ tịch (khai sinh, kết hôn)', active: false })).status).toBe(200);
    await tile.getByText('Hộ tịch (khai sinh, kết hôn)').waitFor(WAIT);
    expect(await tile.isDisabled()).toBe(true);
    expect((await api(hub, 'PATCH', '/hall', admin, { name: 'Trung tâm Phục vụ hành chính công phường Minh Hòa' })).status).toBe(200);
    await display.locator('[data-testid="hall-name"]', { hasText: 'Trung tâm Phục vụ hành chính công phường Minh Hòa' }).waitFor(WAIT);

    expect((await api(hub, 'PATCH', `/services/${hotich.id}`, admin, { name: 'Tư pháp – Hộ tịch', active: true })).status).toBe(200);
    expect((await api(hub, 'PATCH', '/hall', admin, { name: 'Trung tâm Phục vụ hành chính công xã Minh Hòa' })).status).toBe(200);
    await tile.getByText('Tư pháp – Hộ tịch').waitFor(WAIT);
    await expect.poll(() => tile.isEnabled(), WAIT).toBe(true);
    await display.locator('[data-testid="hall-name"]', { hasText: 'Trung tâm Phục vụ hành chính công xã Minh Hòa' }).waitFor(WAIT);
  });

  it('switches the kiosk to English and back to Vietnamese', async () => {
    await kiosk.getByRole('button', { name: /English/ }).click();
    await kiosk.getByRole('heading', { name: 'Please choose a service' }).waitFor(WAIT);
    await kiosk.getByRole('button', { name: /Justice – Civil status/ }).waitFor(WAIT);
    expect(await kiosk.evaluate(() => document.documentElement.lang)).toBe('en');

    await kiosk.getByRole('button', { name: /Tiếng Việt/ }).click();
    await kiosk.getByRole('heading', { name: 'Mời chọn lĩnh vực cần giải quyết' }).waitFor(WAIT);
    expect(await kiosk.evaluate(() => document.documentElement.lang)).toBe('vi');
  });

  it('issues A001 at the kiosk, calls it at counter 1 and shows it on the display', async () => {
    // Citizen: one tap on the service.
    await kiosk.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).click();
    const number = kiosk.locator('[data-testid="ticket-number"]');
    await number.waitFor(WAIT);
    expect(await number.innerText()).toBe('A001');
    const slip = kiosk.locator('[data-testid="issued-ticket"]');
    await expect(slip.innerText()).resolves.toContain('Số người đang chờ trước bạn');
    await expect(slip.innerText()).resolves.toContain('Quét mã để theo dõi lượt của bạn');
    await kiosk.locator('.hh-qr svg').waitFor(WAIT);
    const ticketId = (await dbh.db.query<{ id: number }>(`SELECT id FROM tickets WHERE number = 'A001'`)).rows[0]!.id;
    expect(await kiosk.locator('.hh-qr').getAttribute('data-value')).toBe(`${hub.hub.config.publicUrl}/kiosk/t/${ticketId}`); // the ticket reply's followUrl, as printed

    // Staff: log in, open counter 1, call the next number.
    await staff.goto(`${hub.url}/staff/`);
    await staff.getByLabel('Tên đăng nhập').fill('canbo1');
    await staff.getByLabel('Mật khẩu').fill(DEMO_STAFF_PASSWORD);
    await staff.getByRole('button', { name: 'Đăng nhập' }).click();
    await staff.locator('[data-testid="counter-card"][data-counter-number="1"]').getByRole('button', { name: 'Mở quầy' }).click();
    const next = staff.getByRole('button', { name: /Gọi số tiếp theo/ });
    await next.waitFor(WAIT);
    await staff.locator('[data-testid="waiting-list"] [data-ticket-number="A001"]').waitFor(WAIT);
    // Listen like a second display, to know whether the call carries a voice recording.
    const listener = await connectSocket(hub, demo.displayToken);
    const callEvent = nextEvent(listener, 'call', (c) => c.number === 'A001', 25_000);
    const audioFetched = display.waitForResponse((r) => r.url().includes('/api/v1/voice/calls/'), WAIT).catch(() => null);
    await next.click();
    const current = staff.locator('[data-testid="current-number"]');
    await current.waitFor(WAIT);
    expect(await current.innerText()).toBe('A001');
    await staff.locator('[data-testid="current-status"]', { hasText: 'Đã gọi' }).waitFor(WAIT);
    await staff.locator('[data-testid="waiting-list"] [data-ticket-number="A001"]').waitFor({ ...WAIT, state: 'detached' });

    // Display: the banner invites A001 to counter 1, and counter 1's tile shows A001.
    await display.locator('[data-testid="banner-number"]', { hasText: 'A001' }).waitFor(WAIT);
    expect(await display.locator('[data-testid="banner-counter"]').innerText()).toBe('Quầy 1');
    await expect(display.locator('[data-testid="call-banner"]').innerText()).resolves.toContain('Mời công dân có số');
    const tile = display.locator('[data-testid="counter-tile"][data-counter-number="1"] [data-testid="counter-number"]');
    await display.locator('[data-testid="counter-tile"][data-counter-number="1"] [data-testid="counter-number"]', { hasText: 'A001' }).waitFor(WAIT);
    expect(await tile.innerText()).toBe('A001');
    await display.locator('[data-testid="recent-calls"] li', { hasText: 'A001' }).waitFor(WAIT);

    // After the chime, the display fetches the call's recording with its own token.
    const event = await callEvent;
    listener.close();
    const audioUrl = (event as { audioUrl?: unknown }).audioUrl;
    if (typeof audioUrl === 'string') {
      const res = await audioFetched;
      expect(res, 'the display never fetched the call recording').not.toBeNull();
      expect(new URL(res!.url()).pathname).toBe(audioUrl);
      expect(res!.status()).toBe(200);
    }

    expect(pageErrors).toEqual([]);
  });

  it('shows the offline banner when the hub goes away, and recovers by itself when it is back', async () => {
    const port = Number(new URL(hub.url).port);
    const hubAt = { url: hub.url };
    await hub.close();
    hubOpen = false;

    const kioskBanner = kiosk.locator('[data-testid="offline-banner"]');
    await kioskBanner.waitFor(WAIT);
    expect(await kioskBanner.innerText()).toContain('Mất kết nối – đang kết nối lại…');
    await display.locator('[data-testid="offline-banner"]').waitFor(WAIT);

    const restarted = await restartHubOn(dbh.url, port);
    try {
      await kioskBanner.waitFor({ ...WAIT, state: 'detached' });
      await display.locator('[data-testid="offline-banner"]').waitFor({ ...WAIT, state: 'detached' });
      await staff.locator('[data-testid="offline-banner"]').waitFor({ ...WAIT, state: 'detached' });
      // The display rebuilt itself from its reconnect snapshot…
      await display.locator('[data-testid="counter-tile"][data-counter-number="1"] [data-testid="counter-number"]', { hasText: 'A001' }).waitFor(WAIT);

      // …and the screens follow live events again: a new ticket updates the kiosk's waiting count,
      // a new call reaches the display and the console.
      const issued = await api<{ number: string; serviceId: number }>(hubAt, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
      expect(issued.status).toBe(201);
      expect(issued.body.number).toBe('A002');
      await kiosk.locator('[data-testid="waiting-1"]', { hasText: 'Đang chờ: 1' }).waitFor(WAIT);
      await staff.locator('[data-testid="waiting-list"] [data-ticket-number="A002"]').waitFor(WAIT);
      await staff.getByRole('button', { name: /Gọi số tiếp theo/ }).click();
      await staff.locator('[data-testid="current-number"]', { hasText: 'A002' }).waitFor(WAIT);
      await display.locator('[data-testid="banner-number"]', { hasText: 'A002' }).waitFor(WAIT);
      await display.locator('[data-testid="counter-tile"][data-counter-number="1"] [data-testid="counter-number"]', { hasText: 'A002' }).waitFor(WAIT);
      expect(pageErrors).toEqual([]);
    } finally {
      await restarted.close();
    }
    // A hub restart inside a loaded test run (two test workers, Chromium, PostgreSQL) can take a while.
  }, 150_000);
});
