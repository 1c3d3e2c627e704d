/**
 * The managers' live board in real Chromium: sign-in (manager yes, staff no), a busy morning on screen,
 * live updates over socket.io, a display device token, English, and recovery after a hub restart.
 * Screenshots go to $SCREENSHOT_DIR (default: <tmp>/hallhub-screens).
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createPool } from '../../server/db/pool.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice, openScreen } from '../helpers/browser.js';
import { DEMO_STAFF_PASSWORD, api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';

const WAIT = { timeout: 30_000 };
const shots = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'hallhub-screens');


describe('live board in Chromium', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub | null = null;
  let again: { close(): Promise<void> } | null = null;
  let demo: DemoHall;
  let browser: Browser;
  let board: Page;
  const errors: string[] = [];
  const ids = { service: new Map<string, number>(), counter: new Map<number, number>(), user: new Map<string, number>() };

  /** A morning: 60 tickets over the last up-to-three hours, 45 served at five counters, 30 rated. */
  async function busyMorning() {
    const { rows } = await dbh.db.query<{ minutes: number }>(
      `SELECT extract(epoch FROM now() - ((now() AT TIME ZONE timezone)::date::timestamp AT TIME ZONE timezone)) / 60 AS minutes FROM halls WHERE id = $1`,
      [demo.hallId],
    );
    const span = Math.max(20, Math.min(180, Math.floor(rows[0]!.minutes) - 1));
    const plan = [
      { prefix: 'A', counter: 1, staff: 'canbo1' },
      { prefix: 'B', counter: 2, staff: 'canbo2' },
      { prefix: 'C', counter: 3, staff: 'canbo3' },
      { prefix: 'E', counter: 4, staff: 'canbo4' },
      { prefix: 'G', counter: 5, staff: 'canbo5' },
    ];
    const levels = [4, 4, 3, 4, 2, 4, 3, 4, 4, 1];
    for (let i = 0; i < 60; i++) {
      const p = plan[i % plan.length]!;
      const seq = 100 + i;
      const issuedAgo = span * (1 - i / 60); // minutes before now
      const wait = Math.min(issuedAgo * 0.6, 2 + ((i * 7) % 23));
      const service = 3 + ((i * 5) % 9);
      const done = i < 45 && issuedAgo - wait - service > 0.5;
      const { rows: t } = await dbh.db.query<{ id: number }>(
        `INSERT INTO tickets (hall_id, service_id, day, seq, number, status, issued_at, queued_at, called_at, serving_at, finished_at, counter_id, staff_id)
         VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, $3, $4, $5,
                 now() - make_interval(secs => $6::float8 * 60), now() - make_interval(secs => $6::float8 * 60),
                 CASE WHEN $7 THEN now() - make_interval(secs => ($6::float8 - $8::float8) * 60) END,
                 CASE WHEN $7 THEN now() - make_interval(secs => ($6::float8 - $8::float8) * 60) END,
                 CASE WHEN $7 THEN now() - make_interval(secs => ($6::float8 - $8::float8 - $9::float8) * 60) END,
                 CASE WHEN $7 THEN $10::int END, CASE WHEN $7 THEN $11::int END) RETURNING id`,
        [demo.hallId, ids.service.get(p.prefix), seq, `${p.prefix}${String(seq).padStart(3, '0')}`, done ? 'done' : 'waiting', issuedAgo, done, wait, service, ids.counter.get(p.counter), ids.user.get(p.staff)],
      );
      if (done && i < 40 && i % 4 !== 3) {
        await dbh.db.query(
          `INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, level)
           SELECT hall_id, id, day, counter_id, staff_id, service_id, $2 FROM tickets WHERE id = $1`,
          [t[0]!.id, levels[i % levels.length]],
        );
      }
    }
    for (const p of plan.slice(0, 4)) {
      await dbh.db.query(`UPDATE counters SET status = 'open', staff_id = $2, opened_at = now() - interval '3 hours' WHERE id = $1`, [ids.counter.get(p.counter), ids.user.get(p.staff)]);
    }
    await dbh.db.query(`UPDATE counters SET status = 'paused', staff_id = $2, opened_at = now() - interval '3 hours' WHERE id = $1`, [ids.counter.get(5), ids.user.get('canbo5')]);
    await dbh.db.query(
      `UPDATE devices SET online_until = now() + interval '1 day', last_seen_at = now(),
          faults = CASE WHEN kind = 'kiosk' THEN '[{"code": "paper_near_end", "message": "Máy in sắp hết giấy", "since": "2025-01-01T00:00:00.000Z"}]'::jsonb ELSE '[]'::jsonb END
        WHERE kind IN ('kiosk', 'display') OR (kind = 'tablet' AND counter_id IN ($1, $2))`,
      [ids.counter.get(1), ids.counter.get(2)],
    );
  }

  beforeAll(async () => {
    assertUiBuilt();
    await mkdir(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    for (const s of (await dbh.db.query<{ id: number; prefix: string }>('SELECT id, prefix FROM services')).rows) ids.service.set(s.prefix, s.id);
    for (const c of (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters')).rows) ids.counter.set(c.number, c.id);
    for (const u of (await dbh.db.query<{ id: number; username: string }>('SELECT id, username FROM users')).rows) ids.user.set(u.username, u.id);
    await busyMorning();
    hub = await startTestHub({ url: dbh.url });
    // counters 1 and 3 are serving someone right now
    for (const n of [1, 3]) expect((await api(hub, 'POST', `/counters/${ids.counter.get(n)}/next`, await login(hub, `canbo${n}`))).status).toBe(200);
    browser = await launchBrowser();
    ({ page: board } = await openDevice(browser, { width: 1920, height: 1080 }));
    collectErrors(board, 'board', errors);
  });
  afterAll(async () => {
    await browser?.close();
    await again?.close();
    await hub?.close();
    await dbh?.drop();
  });

  const origin = () => new URL(hub!.url).origin;
  const kpi = (page: Page, label: string) => page.locator('.kpi', { has: page.locator('.kpi__label', { hasText: label }) }).locator('.kpi__value');

  it('asks for a manager sign-in and refuses staff accounts', async () => {
    await openScreen(board, `${origin()}/display/board`, () => board.getByRole('heading', { name: 'Đăng nhập bảng điều hành' }), errors);
    await board.getByLabel('Tên đăng nhập').fill('quanly');
    await board.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await board.getByRole('button', { name: 'Đăng nhập' }).click();
    await board.getByText('Sai tên đăng nhập hoặc mật khẩu').waitFor(WAIT);
    await board.getByLabel('Tên đăng nhập').fill('canbo6');
    await board.getByLabel('Mật khẩu').fill(DEMO_STAFF_PASSWORD);
    await board.getByRole('button', { name: 'Đăng nhập' }).click();
    await board.getByText('Tài khoản cán bộ không xem được bảng điều hành.', { exact: false }).waitFor(WAIT);
    await board.getByLabel('Tên đăng nhập').fill('quanly');
    await board.getByRole('button', { name: 'Đăng nhập' }).click();
    await board.getByTestId('board').waitFor(WAIT);
    // the 401 of the wrong password was the page's own, expected request
    errors.splice(0, errors.length, ...errors.filter((e) => !/HTTP 401 POST .*\/auth\/login/.test(e)));
  });

  it('shows the day: figures, services, counters, alerts, devices and the waits chart; updates live', async () => {
    await board.getByRole('heading', { name: 'Bảng điều hành trực tuyến' }).waitFor(WAIT);
    await board.getByText('Trung tâm Phục vụ hành chính công xã Minh Hòa').waitFor(WAIT);
    const { rows } = await dbh.db.query<{ issued: number; served: number; waiting: number }>(
      `SELECT count(*)::int AS issued, count(*) FILTER (WHERE status = 'done')::int AS served, count(*) FILTER (WHERE status = 'waiting')::int AS waiting FROM tickets`,
    );
    await expect.poll(() => kpi(board, 'Đã phát số').textContent(), WAIT).toBe(String(rows[0]!.issued));
    expect(await kpi(board, 'Đã phục vụ').textContent()).toBe(String(rows[0]!.served));
    expect(await kpi(board, 'Đang chờ').textContent()).toBe(String(rows[0]!.waiting));
    await board.locator('.counter[data-counter="1"] .counter__ticket strong').waitFor(WAIT);
    await board.locator('.counter[data-counter="5"] .counter__status', { hasText: 'Tạm dừng' }).waitFor(WAIT);
    await board.locator('.alert', { hasText: 'Máy in sắp hết giấy' }).waitFor(WAIT);
    await board.locator('.board-table td', { hasText: 'Tư pháp – Hộ tịch' }).waitFor(WAIT);
    await board.locator('[data-testid="wait-chart"] .uplot canvas').waitFor(WAIT);
    await board.locator('[data-testid="kpi-satisfaction"] .kpi__sub', { hasText: 'lượt' }).waitFor(WAIT);
    await board.screenshot({ path: path.join(shots, 'board.png') });

    // a new ticket reaches the board over socket.io, without a reload
    const before = Number(await kpi(board, 'Đã phát số').textContent());
    expect((await api(hub!, 'POST', '/tickets', demo.kioskToken, { serviceId: ids.service.get('K') })).status).toBe(201);
    await expect.poll(() => kpi(board, 'Đã phát số').textContent(), WAIT).toBe(String(before + 1));

    // the sign-in survives a reload of the tab
    await openScreen(board, board.url(), () => board.getByTestId('board'), errors);
  });

  it('switches to English', async () => {
    await board.getByRole('button', { name: 'English' }).click();
    await board.getByRole('heading', { name: 'Live operations board' }).waitFor(WAIT);
    await board.getByText('Justice – Civil status').first().waitFor(WAIT);
    await board.getByRole('button', { name: 'Tiếng Việt' }).click();
    await board.getByRole('heading', { name: 'Bảng điều hành trực tuyến' }).waitFor(WAIT);
  });

  it('publishes the same morning on the rankings page, ranked, in Vietnamese and English', async () => {
    const { page } = await openDevice(browser, { width: 1920, height: 1080 });
    collectErrors(page, 'rankings', errors);
    await openScreen(page, `${origin()}/display/rankings?by=staff&period=day`, () => page.locator('.rk-row--top1').first(), errors);
    const api1 = await api<{ items: { rank: number | null; name: string; score: number | null }[] }>(hub!, 'GET', '/rankings?by=staff&period=day');
    // the page lists exactly what the API ranks, in its order, with its ranks and scores (equal score and count share a rank)
    const rows = page.locator('.rk-row');
    await expect.poll(() => rows.count(), WAIT).toBe(api1.body.items.length);
    expect(await rows.locator('.rk-name').allTextContents()).toEqual(api1.body.items.map((i) => i.name));
    expect(await rows.locator('.rk-rank').allTextContents()).toEqual(api1.body.items.map((i) => (i.rank === null ? '–' : String(i.rank))));
    expect(await rows.locator('.rk-score strong').allTextContents()).toEqual(api1.body.items.map((i) => (i.score === null ? '–' : i.score.toFixed(2).replace('.', ','))));
    await page.screenshot({ path: path.join(shots, 'rankings-ranked.png') });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Citizen satisfaction results').waitFor(WAIT);
    await page.getByRole('tab', { name: 'Departments' }).click();
    await page.locator('.rk-row', { hasText: 'Justice Office' }).waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'rankings-en-departments.png') });
    await page.close();
  });

  it('opens on a wall screen with a display device token, says when the hub is gone, and recovers by itself', async () => {
    const { page } = await openDevice(browser, { width: 1920, height: 1080 });
    collectErrors(page, 'board-display', errors);
    await openScreen(page, `${origin()}/display/board?token=${demo.displayToken}`, () => page.getByTestId('board'), errors);
    await page.waitForURL((u) => !u.search.includes('token='), WAIT);
    await expect.poll(() => kpi(page, 'Đã phát số').textContent(), WAIT).not.toBe('');

    const port = Number(new URL(hub!.url).port);
    await hub!.close();
    hub = null;
    await page.getByTestId('offline-banner').waitFor(WAIT);
    await board.getByTestId('offline-banner').waitFor(WAIT);
    again = await buildAndListen(dbh.url, port);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached', ...WAIT });
    await board.getByTestId('offline-banner').waitFor({ state: 'detached', ...WAIT });
    // and it is live again: the next ticket shows up
    const before = Number(await kpi(page, 'Đã phát số').textContent());
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.kioskToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: ids.service.get('K') }),
    });
    expect(res.status).toBe(201);
    await expect.poll(() => kpi(page, 'Đã phát số').textContent(), WAIT).toBe(String(before + 1));
    await page.close();
    expect(errors.filter((e) => !/HTTP 503/.test(e))).toEqual([]);
  });
});

async function buildAndListen(url: string, port: number): Promise<{ close(): Promise<void> }> {
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
