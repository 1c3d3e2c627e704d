/**
 * The citizen's screens in real Chromium: the rankings page and the follow page on a phone (360×740: they
 * fit, name the hall, show the number being served, explain the ranking in plain words, offer the Excel
 * file), and axe-core (WCAG 2.1 AA) on every citizen screen with no serious or critical violation.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoHall } from '../../server/demo/seed.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice } from '../helpers/browser.js';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { horizontalOverflow, textProblems } from '../helpers/layout.js';
import type { IssuedTicket } from '../../protocol/index.js';

const WAIT = { timeout: 25_000 };
const shots = '/tmp/shots-screens';
const PHONE = { width: 360, height: 740 };

async function axe(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

describe('citizen screens: phones and accessibility', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  let waitingTicket: IssuedTicket;
  const errors: string[] = [];

  beforeAll(async () => {
    assertUiBuilt();
    mkdirSync(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    browser = await launchBrowser();
    // rated service at counters 1 and 3 today, enough to rank some and not others
    const day = (await dbh.db.query<{ d: string }>(`SELECT to_char((now() AT TIME ZONE timezone)::date, 'YYYY-MM-DD') AS d FROM halls WHERE id = $1`, [demo.hallId])).rows[0]!.d;
    let seq = 700;
    for (const [username, levels] of [
      ['canbo1', [4, 4, 3, 4, 4, 3, 4]],
      ['canbo3', [3, 2, 4, 3, 3, 4]],
      ['canbo5', [4, 4]],
    ] as const) {
      const s = (
        await dbh.db.query<{ id: number; counter_id: number; service_id: number }>(
          `SELECT u.id, c.id AS counter_id, min(cs.service_id) AS service_id FROM users u
             JOIN counters c ON c.number = substring(u.username FROM 6)::int AND c.hall_id = u.hall_id
             JOIN counter_services cs ON cs.counter_id = c.id WHERE u.username = $1 GROUP BY u.id, c.id`,
          [username],
        )
      ).rows[0]!;
      for (const level of levels) {
        seq += 1;
        const { rows } = await dbh.db.query<{ id: number }>(
          `INSERT INTO tickets (hall_id, service_id, day, seq, number, status, issued_at, called_at, serving_at, finished_at, counter_id, staff_id)
           VALUES ($1, $2, $3, $4, $5, 'done', now(), now(), now(), now(), $6, $7) RETURNING id`,
          [demo.hallId, s.service_id, day, seq, `R${seq}`, s.counter_id, s.id],
        );
        await dbh.db.query(`INSERT INTO ratings (hall_id, ticket_id, day, counter_id, staff_id, service_id, level) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          demo.hallId,
          rows[0]!.id,
          day,
          s.counter_id,
          s.id,
          s.service_id,
          level,
        ]);
      }
    }
    // a queue at counter 1: two called, the next one waits with nobody before it
    const staff1 = await login(hub, 'canbo1');
    const counter1 = (await dbh.db.query<{ id: number }>('SELECT id FROM counters WHERE number = 1')).rows[0]!.id;
    expect((await api(hub, 'POST', `/counters/${counter1}/open`, staff1)).status).toBe(200);
    for (let i = 0; i < 3; i++) waitingTicket = (await api<IssuedTicket>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 })).body;
    await api(hub, 'POST', `/counters/${counter1}/next`, staff1);
    await api(hub, 'POST', `/counters/${counter1}/next`, staff1);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  it('rankings fit a 360×740 phone, explain the ranking in plain words and offer the Excel file', async () => {
    const { page, context } = await openDevice(browser, PHONE, { hasTouch: true, deviceScaleFactor: 2 });
    collectErrors(page, 'rankings', errors);
    await page.goto(`${hub.url}/display/rankings?period=day`);
    await page.locator('[data-testid="rankings"] .rk-row').first().waitFor(WAIT);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: path.join(shots, 'rankings-360x740.png') });
    await page.screenshot({ path: path.join(shots, 'rankings-360x740-full.png'), fullPage: true });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const head = (await page.locator('.rk-head').boundingBox())!;
    expect(head.height).toBeLessThan(120);
    const firstRow = (await page.locator('[data-testid="rankings"] .rk-row').first().boundingBox())!;
    expect(firstRow.y + firstRow.height).toBeLessThanOrEqual(PHONE.height);
    expect(await textProblems(page, 14, 'body', true)).toEqual([]);
    const method = await page.getByTestId('rankings-method').innerText();
    expect(method).toContain('Cần ít nhất 5 lượt đánh giá');
    expect(method).not.toMatch(/m × C|Bayes/);
    const link = page.getByTestId('rankings-xlsx');
    expect(await link.innerText()).toBe('Tải bảng xếp hạng (Excel)');
    expect(await axe(page)).toEqual([]);

    const href = (await link.getAttribute('href'))!;
    const res = await fetch(`${hub.url}${href}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="xep-hang-staff-.+\.xlsx"$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('Xếp hạng')!;
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('Kết quả đánh giá mức độ hài lòng');
    expect(sheet.getRow(2).getCell(2).value).toBe('Cán bộ');
    expect(sheet.getRow(3).getCell(2).value).toBe('Nguyễn Thị Lan');
    expect(sheet.getRow(3).getCell(1).value).toBe(1);
    await context.close();
  });

  it('the follow page fits a phone, names the hall and shows the number now being served', async () => {
    const { page, context } = await openDevice(browser, PHONE, { hasTouch: true, deviceScaleFactor: 2 });
    collectErrors(page, 'follow', errors);
    await page.goto(waitingTicket.followUrl.replace(/^https?:\/\/[^/]+/, hub.url));
    await page.getByTestId('follow-number').waitFor(WAIT);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: path.join(shots, 'follow-360x740.png') });
    expect(await page.getByTestId('follow-number').innerText()).toBe('A003');
    expect(await page.getByTestId('follow-ahead').innerText()).toBe('0');
    expect(await page.getByTestId('follow-hall').innerText()).toBe('Trung tâm Phục vụ hành chính công xã Minh Hòa');
    expect(await page.getByTestId('follow-now-serving').innerText()).toBe('A002');
    expect(await page.getByTestId('follow-eta').innerText()).toMatch(/^(Sắp đến lượt|khoảng \d+–\d+ phút)$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await textProblems(page, 14, 'body', true)).toEqual([]);
    // each fact's label reads on one or two lines, not one word per line
    for (const dt of await page.locator('.follow-facts dt').all()) {
      const box = (await dt.boundingBox())!;
      expect(box.width).toBeGreaterThan(120);
      expect(box.height).toBeLessThanOrEqual(50);
    }
    expect(await axe(page)).toEqual([]);
    await context.close();
  });

  for (const [name, url, size, ready] of [
    ['kiosk', () => `/kiosk/?token=${demo.kioskToken}`, { width: 1080, height: 1920 }, '.kiosk-tile, [data-service-id]'],
    ['display', () => `/display/?token=${demo.displayToken}`, { width: 1920, height: 1080 }, '[data-testid="counter-tile"]'],
    ['rating tablet', () => `/tablet/?token=${demo.tabletTokens[1]}`, { width: 1280, height: 800 }, 'main, [data-testid]'],
    ['rankings TV', () => '/display/rankings?period=day&tv=1', { width: 1920, height: 1080 }, '[data-testid="rankings"]'],
    ['lookup page', () => '/lookup/', { width: 1080, height: 1920 }, 'input, main'],
  ] as const) {
    it(`${name}: no serious or critical axe-core violation`, async () => {
      const { page, context } = await openDevice(browser, size, { hasTouch: true });
      await page.goto(`${hub.url}${url()}`);
      await page.locator(ready).first().waitFor(WAIT);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      expect(await axe(page)).toEqual([]);
      await context.close();
    });
  }

  it('the kiosk ticket screen passes axe too', async () => {
    const { page, context } = await openDevice(browser, { width: 1080, height: 1920 }, { hasTouch: true });
    await page.goto(`${hub.url}/kiosk/?token=${demo.kioskToken}`);
    await page.getByRole('button', { name: /Chứng thực bản sao/ }).click(WAIT);
    await page.getByTestId('issued-ticket').waitFor(WAIT);
    expect(await axe(page)).toEqual([]);
    await context.close();
    expect(errors).toEqual([]);
  });
});
