/**
 * Ratings in real Chromium against the real hub and PostgreSQL: a ticket is served (staff side over the
 * API), the counter's tablet asks the citizen, the citizen taps a face and sends, the rating shows up on
 * the public rankings page. Then the hub goes away: the tablet says so, keeps the next rating in its
 * outbox and delivers it exactly once when the hub is back.
 *
 * Screenshots go to $SCREENSHOT_DIR (default: <tmp>/hallhub-screens).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createPool } from '../../server/db/pool.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Counter } from '../../protocol/index.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice, openScreen, repoRoot } from '../helpers/browser.js';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';

const WAIT = { timeout: 30_000 };
const shots = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'hallhub-screens');

/** The same hub again on the same port (the tablet keeps its URL), as after a restart. */
async function hubOnPort(url: string, port: number): Promise<{ close(): Promise<void> }> {
  const config = { ...loadConfig({}), databaseUrl: url, port, host: '127.0.0.1', logLevel: 'silent' };
  const db = createPool(url, 10);
  const built = await buildApp({ config, db, logger: false });
  await built.app.listen({ host: '127.0.0.1', port });
  return {
    async close() {
      await built.app.close();
      await db.end();
    },
  };
}


/** Waits until `check` returns a value that is not null/undefined (database state written by the page). */
async function until<T>(check: () => Promise<T | null | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('rating tablet and rankings page in Chromium', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub | null = null;
  let restarted: { close(): Promise<void> } | null = null;
  let demo: DemoHall;
  let browser: Browser;
  let tablet: Page;
  let counterId: number;
  let staffToken: string;
  const errors: string[] = [];

  beforeAll(async () => {
    assertUiBuilt();
    if (!existsSync(path.join(repoRoot, 'dist', 'rating-tablet-ui', 'index.html'))) {
      throw new Error('dist/rating-tablet-ui/index.html is missing: build the screens first with `node node_modules/vite/bin/vite.js build`.');
    }
    await mkdir(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    const counters = await api<Counter[]>(hub, 'GET', '/counters', demo.kioskToken);
    counterId = counters.body.find((c) => c.number === 1)!.id;
    staffToken = await login(hub, 'canbo1');
    browser = await launchBrowser();
    ({ page: tablet } = await openDevice(browser, { width: 1280, height: 800 }, { hasTouch: true }));
    collectErrors(tablet, 'tablet', errors);
  });
  afterAll(async () => {
    await browser?.close();
    await restarted?.close();
    await hub?.close();
    await dbh?.drop();
  });

  const base = () => new URL(hub!.url).origin;

  async function serveOne(serviceId: number): Promise<{ id: number; number: string }> {
    const issued = await api<{ id: number; number: string }>(hub!, 'POST', '/tickets', demo.kioskToken, { serviceId });
    expect(issued.status).toBe(201);
    expect((await api(hub!, 'POST', `/counters/${counterId}/next`, staffToken)).status).toBe(200);
    return issued.body;
  }

  it('shows the counter, the staff member and the number, asks for a rating when the ticket is done, and thanks', async () => {
    await openScreen(tablet, `${base()}/tablet/?token=${demo.tabletTokens[1]}`, () => tablet.getByText('Quầy 1', { exact: true }), errors);
    // the token leaves the address bar and stays on the device
    await tablet.waitForURL((u) => !u.search.includes('token='), WAIT);
    await tablet.getByText('Quầy chưa có cán bộ làm việc').waitFor(WAIT);

    // the staff member opens the counter and calls a number: the idle screen follows live
    expect((await api(hub!, 'POST', `/counters/${counterId}/open`, staffToken)).status).toBe(200);
    const t1 = await serveOne(1);
    await tablet.getByTestId('staff-name').filter({ hasText: 'Nguyễn Thị Lan' }).waitFor(WAIT);
    await tablet.getByTestId('serving-number').filter({ hasText: t1.number }).waitFor(WAIT);
    expect(await tablet.locator('.staff-card__initials').textContent()).toBe('NL');
    await tablet.screenshot({ path: path.join(shots, 'tablet-idle.png') });

    // done → the tablet asks about that ticket
    expect((await api(hub!, 'POST', `/counters/${counterId}/done`, staffToken)).status).toBe(200);
    await tablet.getByText(`Ông/Bà có hài lòng với việc phục vụ số ${t1.number}?`).waitFor(WAIT);
    for (const label of ['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng']) {
      await tablet.locator('.face-btn', { hasText: label }).first().waitFor(WAIT);
    }
    await tablet.screenshot({ path: path.join(shots, 'tablet-rating.png') });

    // tap a face, pick a reason, send
    await tablet.locator('.face-btn[data-level="4"]').tap();
    await tablet.getByText('Ông/Bà hài lòng về điều gì? (không bắt buộc)').waitFor(WAIT);
    await tablet.getByRole('button', { name: 'Thái độ phục vụ' }).tap();
    await tablet.getByRole('button', { name: 'Hướng dẫn rõ ràng' }).tap();
    await tablet.screenshot({ path: path.join(shots, 'tablet-rating-details.png') });
    await tablet.getByRole('button', { name: 'Gửi đánh giá' }).tap();
    await tablet.getByText('Cảm ơn Ông/Bà đã đánh giá!').waitFor(WAIT);
    await tablet.screenshot({ path: path.join(shots, 'tablet-thanks.png') });

    const stored = await until(
      async () => (await dbh.db.query<{ level: number; reasons: string[]; client_id: string }>('SELECT level, reasons, client_id FROM ratings WHERE ticket_id = $1', [t1.id])).rows[0],
      'the rating to be stored',
    );
    expect(stored).toMatchObject({ level: 4, reasons: ['attitude', 'clear_guidance'] });
    expect(stored.client_id).toMatch(/^t-[0-9a-f]{32}$/);
    // back to the idle screen by itself
    await tablet.getByTestId('idle').waitFor(WAIT);
  });

  it('shows the rating on the public rankings page', async () => {
    const { page } = await openDevice(browser, { width: 1920, height: 1080 });
    collectErrors(page, 'rankings', errors);
    await openScreen(page, `${base()}/display/rankings?by=staff&period=day`, () => page.locator('.rk-head h1'), errors);
    const row = page.locator('.rk-row', { hasText: 'Nguyễn Thị Lan' });
    await row.waitFor(WAIT);
    // one rating: listed, not ranked yet (minimum 5), 100 % satisfied
    await expect.poll(async () => (await row.locator('td').allTextContents()).map((s) => s.trim())).toEqual(['–', 'Nguyễn Thị LanCông chức Tư pháp – Hộ tịch', '4,00/4', '', '100%', '1', '100%']);
    await page.getByText('Chưa đủ 5 lượt đánh giá để xếp hạng').waitFor(WAIT);
    await page.getByText('Kết quả đánh giá mức độ hài lòng').waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'rankings.png') });
    // the period and subject switches work and stay in the address
    await page.getByRole('tab', { name: 'Quầy' }).click();
    await page.locator('.rk-row', { hasText: 'Quầy 1 – Hộ tịch' }).waitFor(WAIT);
    await page.getByRole('tab', { name: 'Năm nay' }).click();
    await page.waitForURL(/by=counter&period=year/, WAIT);
    await page.close();
  });

  it('keeps a rating made while the hub is away and delivers it exactly once when the hub is back', async () => {
    const t2 = await serveOne(1);
    expect((await api(hub!, 'POST', `/counters/${counterId}/done`, staffToken)).status).toBe(200);
    await tablet.getByText(`Ông/Bà có hài lòng với việc phục vụ số ${t2.number}?`).waitFor(WAIT);

    // the hub stops: the tablet says it is offline, and the citizen still rates
    const port = Number(new URL(hub!.url).port);
    await hub!.close();
    hub = null;
    await tablet.getByTestId('offline-banner').waitFor(WAIT);
    await tablet.locator('.face-btn[data-level="3"]').tap();
    await tablet.getByRole('button', { name: 'Thời gian chờ' }).tap();
    await tablet.locator('textarea').fill('Chờ hơi lâu');
    await tablet.getByRole('button', { name: 'Gửi đánh giá' }).tap();
    await tablet.getByText('Đánh giá đã được lưu và sẽ tự gửi khi có kết nối.').waitFor(WAIT);
    await tablet.getByTestId('outbox').filter({ hasText: '1 đánh giá đang chờ gửi' }).waitFor(WAIT);
    await tablet.screenshot({ path: path.join(shots, 'tablet-offline-thanks.png') });
    const outbox = await tablet.evaluate(() => window.localStorage.getItem('hallhub:tablet:outbox'));
    expect(JSON.parse(outbox ?? '[]')).toEqual([expect.objectContaining({ ticketId: t2.id, level: 3, reasons: ['waiting_time'], comment: 'Chờ hơi lâu' })]);
    expect((await dbh.db.query('SELECT 1 FROM ratings WHERE ticket_id = $1', [t2.id])).rowCount).toBe(0);

    // the hub is back on the same address: the tablet reconnects and sends the rating by itself
    restarted = await hubOnPort(dbh.url, port);
    await tablet.getByTestId('offline-banner').waitFor({ state: 'detached', ...WAIT });
    await tablet.getByTestId('outbox').waitFor({ state: 'detached', ...WAIT });
    const rows = await until(async () => {
      const r = await dbh.db.query<{ level: number; comment: string; client_id: string }>('SELECT level, comment, client_id FROM ratings WHERE ticket_id = $1', [t2.id]);
      return r.rowCount ? r.rows : null;
    }, 'the queued rating to arrive');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ level: 3, comment: 'Chờ hơi lâu', client_id: JSON.parse(outbox!)[0].clientId });
    expect(await tablet.evaluate(() => window.localStorage.getItem('hallhub:tablet:outbox'))).toBe('[]');
    // the tablet page itself raised no error (refused connections while the hub was away are expected)
    expect(errors.filter((e) => !/HTTP 503/.test(e))).toEqual([]);
  });
});
