/**
 * Screenshots of the screens on a demo hall, for a human to look at:
 *   node node_modules/tsx/dist/cli.mjs tests/helpers/ui-screenshots.ts [/tmp/shots]
 * (build first: node node_modules/vite/bin/vite.js build). Starts its own embedded PostgreSQL and hub.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { migrate } from '../../server/db/migrate.js';
import { createPool } from '../../server/db/pool.js';
import { DEMO_STAFF_PASSWORD, seedDemoHall } from '../../server/demo/seed.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { insertService } from '../../server/admin/setup.repo.js';
import { assertUiBuilt, launchBrowser, openDevice } from './browser.js';

const out = path.resolve(process.argv[2] ?? '/tmp/shots');
const WAIT = { timeout: 30_000 };

async function main() {
  assertUiBuilt();
  await mkdir(out, { recursive: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-shots-'));
  const pgServer = await startEmbeddedPostgres({ dataDir, database: 'shots' });
  const db = createPool(pgServer.url, 20);
  await migrate(db);
  const demo = await seedDemoHall(db);
  const config = { ...loadConfig({}), databaseUrl: pgServer.url, port: 0, host: '127.0.0.1', logLevel: 'silent' };
  const built = await buildApp({ config, db, logger: false });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = built.app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  const call = async (method: string, p: string, token: string | null, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}/api/v1${p}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
  const loginAs = async (u: string) => ((await call('POST', '/auth/login', null, { username: u, password: DEMO_STAFF_PASSWORD })) as { token: string }).token;
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: path.join(out, name) });
    console.log(`wrote ${path.join(out, name)}`);
  };

  // A morning in the hall: tickets for several services, five counters calling.
  const services = (await call('GET', '/services', demo.kioskToken)) as { id: number; name: string }[];
  const byName = (n: string) => services.find((s) => s.name === n)!.id;
  for (const [name, n] of [['Tư pháp – Hộ tịch', 4], ['Chứng thực bản sao', 3], ['Đất đai', 3], ['Xây dựng', 2], ['Đăng ký kinh doanh', 3], ['Lao động – Thương binh và Xã hội', 3]] as const) {
    for (let i = 0; i < n; i++) await call('POST', '/tickets', demo.kioskToken, { serviceId: byName(name), priority: name === 'Tư pháp – Hộ tịch' && i === 3 });
  }
  const tokens: string[] = [];
  for (const n of [1, 2, 3, 4]) {
    const tk = await loginAs(`canbo${n}`);
    tokens.push(tk);
    await call('POST', `/counters/${n}/open`, tk);
    await call('POST', `/counters/${n}/next`, tk);
  }
  await call('POST', '/counters/1/next', tokens[0]!);
  const canbo5 = await loginAs('canbo5');
  await call('POST', '/counters/5/open', canbo5);
  await call('POST', '/counters/5/pause', canbo5);

  const browser = await launchBrowser();
  try {
    // Display, with a live call arriving while it is on screen.
    const display = await openDevice(browser, { width: 1920, height: 1080 });
    await display.page.goto(`${base}/display/?token=${demo.displayToken}`);
    await display.page.locator('[data-testid="counter-tile"]').first().waitFor(WAIT);
    await call('POST', '/counters/3/next', tokens[2]!);
    await display.page.locator('[data-testid="banner-number"]', { hasText: 'C002' }).waitFor(WAIT);
    await display.page.waitForTimeout(450); // screenshots only: catch the flash mid-way
    await shot(display.page, 'display-calls.png');

    // Kiosk home and an issued ticket (portrait), and the landscape home.
    const kiosk = await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true });
    await kiosk.page.goto(`${base}/kiosk/?token=${demo.kioskToken}`);
    await kiosk.page.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).waitFor(WAIT);
    await kiosk.page.locator('[data-testid="hall-name"]', { hasText: 'Minh Hòa' }).waitFor(WAIT);
    await shot(kiosk.page, 'kiosk-home.png');
    await kiosk.page.getByRole('button', { name: /Đăng ký kinh doanh/ }).click();
    await kiosk.page.locator('[data-testid="ticket-number"]').waitFor(WAIT);
    await kiosk.page.locator('.hh-qr svg').waitFor(WAIT);
    await kiosk.page.waitForTimeout(400); // screenshots only: let the slide-in finish
    await shot(kiosk.page, 'kiosk-ticket.png');
    const issuedNumber = await kiosk.page.locator('[data-testid="ticket-number"]').innerText();
    const followUrl = await kiosk.page.locator('.hh-qr').getAttribute('data-value');

    const land = await openDevice(browser, { width: 1920, height: 1080 }, { hasTouch: true });
    await land.page.goto(`${base}/kiosk/?token=${demo.kioskToken}`);
    await land.page.getByRole('button', { name: /Tư pháp – Hộ tịch/ }).waitFor(WAIT);
    await land.page.getByRole('switch').click();
    await shot(land.page, 'kiosk-home-landscape-priority.png');

    // The citizen's phone.
    const phone = await openDevice(browser, { width: 390, height: 844 }, { hasTouch: true, deviceScaleFactor: 2 });
    await phone.page.goto(followUrl ?? `${base}/kiosk/t/1`);
    await phone.page.locator('[data-testid="follow-number"]', { hasText: issuedNumber }).waitFor(WAIT);
    await shot(phone.page, 'follow-mobile.png');
    // …and once it is called.
    const a1 = (await call('GET', '/tickets/1', null)) as { number: string };
    const phone2 = await openDevice(browser, { width: 390, height: 844 }, { hasTouch: true, deviceScaleFactor: 2 });
    await phone2.page.goto(`${base}/kiosk/t/1`);
    await phone2.page.locator('[data-testid="follow-number"]', { hasText: a1.number }).waitFor(WAIT);
    await shot(phone2.page, 'follow-mobile-called.png');

    // Staff: login, then a console with a ticket and a waiting list.
    const staff = await openDevice(browser, { width: 1366, height: 768 });
    await staff.page.goto(`${base}/staff/`);
    await staff.page.getByLabel('Tên đăng nhập').waitFor(WAIT);
    await shot(staff.page, 'staff-login.png');
    await staff.page.getByLabel('Tên đăng nhập').fill('canbo6');
    await staff.page.getByLabel('Mật khẩu').fill(DEMO_STAFF_PASSWORD);
    await staff.page.getByRole('button', { name: 'Đăng nhập' }).click();
    await staff.page.locator('[data-testid="counter-card"]').first().waitFor(WAIT);
    await shot(staff.page, 'staff-counters.png');
    await staff.page.locator('[data-testid="counter-card"][data-counter-number="6"]').getByRole('button').click();
    await staff.page.getByRole('button', { name: /Gọi số tiếp theo/ }).waitFor(WAIT);
    await staff.page.getByRole('button', { name: /Gọi số tiếp theo/ }).click();
    await staff.page.locator('[data-testid="current-number"]', { hasText: 'H001' }).waitFor(WAIT);
    await staff.page.locator('[data-ticket-number="H001"]').waitFor({ ...WAIT, state: 'detached' });
    await staff.page.locator('[data-ticket-number="H002"]').waitFor(WAIT);
    await shot(staff.page, 'staff-console.png');
    await staff.page.getByRole('button', { name: /Chuyển/ }).click();
    await staff.page.getByRole('dialog').waitFor(WAIT);
    await shot(staff.page, 'staff-transfer.png');
    await staff.page.keyboard.press('Escape');

    // A kiosk whose printer does not answer: the ticket screen says so.
    const brokenToken = newToken('d');
    await insertDevice(db, { hallId: demo.hallId, kind: 'kiosk', name: 'Máy lấy số tầng 2', counterId: null, printer: 'tcp://127.0.0.1:9', tokenHash: hashToken(brokenToken) });
    const broken = await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true });
    await broken.page.goto(`${base}/kiosk/?token=${brokenToken}`);
    await broken.page.getByRole('button', { name: /Xây dựng/ }).click();
    await broken.page.locator('.kiosk-printer.is-on').waitFor(WAIT);
    await shot(broken.page, 'kiosk-ticket-printer-problem.png');

    // More than 8 services: the kiosk groups them by department first (and a closed service shows so).
    const tp = ((await call('GET', '/departments', demo.kioskToken)) as { id: number; name: string }[]).find((d) => d.name === 'Phòng Tư pháp')!;
    await insertService(db, { hallId: demo.hallId, departmentId: tp.id, name: 'Nuôi con nuôi', nameEn: 'Adoption', prefix: 'N', numberStart: 1, numberEnd: 999, defaultServiceSeconds: 600, active: false });
    const grouped = await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true });
    await grouped.page.goto(`${base}/kiosk/?token=${demo.kioskToken}`);
    await grouped.page.getByRole('heading', { name: 'Mời chọn cơ quan, phòng ban' }).waitFor(WAIT);
    await shot(grouped.page, 'kiosk-grouped.png');
    await grouped.page.getByRole('button', { name: /Phòng Tư pháp/ }).click();
    await grouped.page.getByRole('button', { name: /Nuôi con nuôi/ }).waitFor(WAIT);
    await shot(grouped.page, 'kiosk-grouped-department.png');

    // English, then the hub goes away: every screen says so.
    const english = await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true });
    await english.page.goto(`${base}/kiosk/?token=${demo.kioskToken}`);
    await english.page.getByRole('button', { name: /English/ }).click();
    await english.page.getByText('Please choose an office').waitFor(WAIT);
    await shot(english.page, 'kiosk-home-en.png');
    await built.app.close();
    await kiosk.page.locator('[data-testid="offline-banner"]').waitFor(WAIT);
    await display.page.locator('[data-testid="offline-banner"]').waitFor(WAIT);
    await shot(kiosk.page, 'kiosk-offline.png');
    await shot(display.page, 'display-offline.png');
  } finally {
    await browser.close();
    await built.app.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    await pgServer.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
