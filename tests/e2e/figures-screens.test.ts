/**
 * The figures and the catalogue in real Chromium: the public catalogue page searched without diacritics, the ticket
 * kiosk's "take a number for this", the managers' figures page (period picker, Biểu 06 table, indicators), and the
 * indicators on the live board and the public rankings page. Screenshots go to $SCREENSHOT_DIR.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoHall } from '../../server/demo/seed.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice, openScreen } from '../helpers/browser.js';
import { DEMO_STAFF_PASSWORD, createTestDatabase, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';

const WAIT = { timeout: 30_000 };
const shots = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'hallhub-screens');

describe('figures and catalogue screens in Chromium', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  const errors: string[] = [];
  const origin = () => new URL(hub.url).origin;
  let month = '';

  async function page(width: number, height: number, label: string): Promise<Page> {
    const { page: p } = await openDevice(browser, { width, height });
    collectErrors(p, label, errors);
    return p;
  }

  beforeAll(async () => {
    assertUiBuilt();
    await mkdir(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await dbh.db.query(`UPDATE devices SET printer = NULL WHERE kind = 'kiosk'`);
    await dbh.db.query(
      `UPDATE procedures SET papers = '[{"name":"Tờ khai đăng ký khai sinh","originals":1,"copies":0},{"name":"Giấy chứng sinh","originals":1,"copies":0}]'::jsonb
        WHERE name = 'Đăng ký khai sinh'`,
    );
    // this month: one birth registration resolved on the day, one marital-status certificate late, one in progress
    const { rows } = await dbh.db.query<{ today: string; first: string }>(
      `SELECT to_char((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 'YYYY-MM-DD') AS today,
              to_char(date_trunc('month', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), 'YYYY-MM-DD') AS first`,
    );
    month = rows[0]!.today.slice(0, 7);
    const first = rows[0]!.first;
    let seq = 0;
    const dossier = async (name: string, due: string, events: [string, string][]) => {
      seq++;
      const { rows: d } = await dbh.db.query<{ id: number }>(
        `INSERT INTO dossiers (hall_id, code, day, seq, procedure_id, processing_days, applicant_name, status, received_at, due_day, due_at, original_due_at)
         SELECT $1, $2, $3::date, $4, id, 0, 'Trần Thị B', $5, ($3::date + time '09:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', $6::date,
                ($6::date + time '17:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', ($6::date + time '17:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' FROM procedures WHERE name = $7 RETURNING id`,
        [demo.hallId, `E2E-${seq}`, first, seq, events.at(-1)?.[0] ?? 'received', due, name],
      );
      for (const [status, day] of events) {
        await dbh.db.query(`INSERT INTO dossier_events (dossier_id, status, at) VALUES ($1, $2, ($3::date + time '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh')`, [d[0]!.id, status, day]);
      }
    };
    await dossier('Đăng ký khai sinh', first, [['result_ready', first]]);
    await dossier('Cấp Giấy xác nhận tình trạng hôn nhân', first, [['processing', first]]);
    hub = await startTestHub({ url: dbh.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  it('the public catalogue finds "dang ky khai sinh" and shows papers, fee, time and where to submit', async () => {
    const p = await page(1280, 900, 'catalogue');
    await openScreen(p, `${origin()}/procedures/`, () => p.getByRole('heading', { name: 'Tra cứu thủ tục hành chính' }), errors);
    expect(await p.getByTestId('catalogue-hall').textContent()).toBe('Trung tâm Phục vụ hành chính công xã Minh Hòa');
    await p.getByTestId('catalogue-search').fill('dang ky khai sinh');
    await expect.poll(async () => p.getByTestId('catalogue-item').allTextContents(), WAIT).toEqual([expect.stringContaining('Đăng ký khai sinh')]);
    await p.getByTestId('catalogue-item').first().click();
    const detail = p.getByTestId('catalogue-detail');
    await detail.waitFor(WAIT);
    expect(await p.getByTestId('detail-papers').locator('li').allTextContents()).toEqual([
      'Tờ khai đăng ký khai sinh (1 bản chính, 0 bản sao)',
      'Giấy chứng sinh (1 bản chính, 0 bản sao)',
    ]);
    expect(await p.getByTestId('detail-time').textContent()).toBe('Trong ngày');
    expect(await p.getByTestId('detail-fee').textContent()).toBe('Không thu phí');
    expect(await p.getByTestId('detail-where').textContent()).toMatch(/^Quầy số \d/);
    expect(await p.getByTestId('detail-service').textContent()).toBe('Chọn "Tư pháp – Hộ tịch"');
    expect(await p.getByTestId('take-number').count()).toBe(0);
    await p.screenshot({ path: path.join(shots, 'figures-catalogue-public.png') });
    await p.getByRole('button', { name: 'Đóng' }).click();
    await p.getByTestId('catalogue-search').fill('');
    await p.getByTestId('catalogue-field').filter({ hasText: 'Đất đai' }).click();
    await expect.poll(async () => (await p.getByTestId('catalogue-item').allTextContents()).length, WAIT).toBe(2);
  });

  it('the ticket kiosk takes a number for the procedure found', async () => {
    const p = await page(1080, 1920, 'kiosk');
    await openScreen(p, `${origin()}/kiosk/?token=${demo.kioskToken}`, () => p.getByTestId('open-catalogue'), errors);
    await p.screenshot({ path: path.join(shots, 'figures-kiosk-home.png') });
    await p.getByTestId('open-catalogue').click();
    await p.getByTestId('catalogue-search').fill('ket hon');
    await expect.poll(async () => p.getByTestId('catalogue-item').allTextContents(), WAIT).toEqual([expect.stringContaining('Đăng ký kết hôn')]);
    await p.getByTestId('catalogue-item').first().click();
    await p.screenshot({ path: path.join(shots, 'figures-kiosk-catalogue.png') });
    await p.getByTestId('take-number').click();
    await p.getByText('Số thứ tự của bạn').waitFor(WAIT);
    const { rows } = await dbh.db.query<{ name: string }>(`SELECT s.name FROM tickets t JOIN services s ON s.id = t.service_id ORDER BY t.id DESC LIMIT 1`);
    expect(rows[0]!.name).toBe('Tư pháp – Hộ tịch');
    await p.screenshot({ path: path.join(shots, 'figures-kiosk-ticket.png') });
  });

  it('the manager’s figures page shows Biểu 06 for the month picked, and the indicators', async () => {
    const p = await page(1600, 1000, 'staff');
    await openScreen(p, `${origin()}/staff/#figures`, () => p.getByLabel('Tên đăng nhập'), errors);
    await p.getByLabel('Tên đăng nhập').fill('quanly');
    await p.getByLabel('Mật khẩu').fill(DEMO_STAFF_PASSWORD);
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.getByTestId('section-figures').waitFor(WAIT);
    const total = p.getByTestId('figures-total');
    // received 2 (in person), resolved 1 on time, in progress 1 (overdue when its due day has passed)
    await expect.poll(async () => (await total.locator('td').allTextContents()).slice(2, 9), WAIT).toEqual(['2', '0', '2', '0', '1', '0', '1']);
    await p.getByTestId('indicator-2.1').waitFor(WAIT);
    // computed together with the table (two requests at once): the same dossiers
    expect(await p.getByTestId('indicator-3.3').locator('.figures-indicator__value').textContent()).toBe('0 %');
    expect(await p.getByTestId('indicator-2.1').locator('.figures-indicator__ratio').textContent()).toMatch(/^[12] \/ 2$/);
    await p.screenshot({ path: path.join(shots, 'figures-manager.png'), fullPage: true });
    // a year earlier: nothing
    await p.locator('select[name="year"]').selectOption(String(Number(month.slice(0, 4)) - 1));
    await expect.poll(async () => (await total.locator('td').allTextContents()).slice(2, 4), WAIT).toEqual(['0', '0']);
    await p.locator('select[name="kind"]').selectOption('year');
    await p.locator('select[name="year"]').selectOption(month.slice(0, 4));
    await expect.poll(async () => (await total.locator('td').allTextContents())[2], WAIT).toBe('2');
  });

  it('the live board and the public rankings page show the indicators with how they were computed', async () => {
    const board = await page(1920, 1080, 'board');
    await openScreen(board, `${origin()}/display/board`, () => board.getByLabel('Tên đăng nhập'), errors);
    await board.getByLabel('Tên đăng nhập').fill('quanly');
    await board.getByLabel('Mật khẩu').fill(DEMO_STAFF_PASSWORD);
    await board.getByRole('button', { name: 'Đăng nhập' }).click();
    await board.getByTestId('indicators-panel').waitFor(WAIT);
    expect(await board.getByTestId('indicator-5.4').textContent()).toContain('Mức độ hài lòng');
    await board.screenshot({ path: path.join(shots, 'figures-board.png') });
    const rankings = await page(1920, 1080, 'rankings');
    await openScreen(rankings, `${origin()}/display/rankings?period=month`, () => rankings.getByTestId('indicators-panel'), errors);
    expect(await rankings.getByTestId('indicator-2.1').textContent()).toContain('Thời gian chờ công dân bổ sung không tính');
    await rankings.screenshot({ path: path.join(shots, 'figures-rankings.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
