/**
 * The hall display on the TVs halls own (1920×1080, 1366×768, 1280×720), measured in real Chromium: text
 * sizes, clipping, at least eight recent calls, no language switch, a notice that does not scroll; then
 * the display loses its hub, calls happen meanwhile (on a second hub process), and after the reconnect
 * the missed calls are announced in order, once, and the tiles show only what is true now.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoHall } from '../../server/demo/seed.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice, restartHubOn } from '../helpers/browser.js';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { textProblems } from '../helpers/layout.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { CounterActionReply } from '../../protocol/index.js';

const WAIT = { timeout: 25_000 };
const shots = '/tmp/shots-screens';

describe('hall display on the hall TV', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let hubOpen = false;
  let demo: DemoHall;
  let browser: Browser;
  const staff = new Map<number, string>();
  const counterIds = new Map<number, number>();
  const pageErrors: string[] = [];

  const act = (h: { url: string }, n: number, action: string) => api<CounterActionReply>(h, 'POST', `/counters/${counterIds.get(n)}/${action}`, staff.get(n)!);

  beforeAll(async () => {
    assertUiBuilt();
    mkdirSync(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startTestHub({ url: dbh.url });
    hubOpen = true;
    browser = await launchBrowser();
    for (const row of (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters')).rows) counterIds.set(row.number, row.id);
    // a busy morning: four counters open, twelve tickets, ten calls
    for (const n of [1, 3, 4, 5]) {
      staff.set(n, await login(hub, `canbo${n}`));
      expect((await act(hub, n, 'open')).status).toBe(200);
    }
    for (const serviceId of [1, 1, 1, 3, 3, 3, 5, 5, 6, 6, 6, 2]) expect((await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId })).status).toBe(201);
    for (const n of [1, 3, 4, 5, 1, 3, 5, 1, 3, 5]) expect((await act(hub, n, 'next')).status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    if (hubOpen) await hub?.close();
    await dbh?.drop();
  });

  async function openDisplay(size: { width: number; height: number }): Promise<Page> {
    const { page } = await openDevice(browser, size);
    collectErrors(page, `display ${size.width}x${size.height}`, pageErrors);
    await page.goto(`${hub.url}/display/?token=${demo.displayToken}`);
    await page.locator('[data-testid="counter-tile"]').nth(5).waitFor(WAIT);
    await page.locator('[data-testid="recent-calls"] li').nth(9).waitFor(WAIT);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return page;
  }

  for (const [width, height, min] of [
    [1920, 1080, 28],
    [1366, 768, 20],
    [1280, 720, 0],
  ] as const) {
    it(`is readable at ${width}×${height}: text ≥ ${min} px, nothing clipped, ≥ 8 recent calls, no language switch, a still notice`, async () => {
      const page = await openDisplay({ width, height });
      await page.screenshot({ path: path.join(shots, `display-${width}x${height}.png`) });
      expect(await textProblems(page, min)).toEqual([]);
      const shownCalls = await page.evaluate(() => {
        const list = document.querySelector('[data-testid="recent-calls"]')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('[data-testid="recent-calls"] li')).filter((li) => {
          const r = li.getBoundingClientRect();
          return r.height > 0 && r.top >= list.top - 0.5 && r.bottom <= list.bottom + 0.5;
        }).length;
      });
      expect(shownCalls).toBeGreaterThanOrEqual(8);
      expect(await page.locator('.hh-lang, [data-testid="language-switch"]').count()).toBe(0);
      const notice = page.getByTestId('display-notice');
      expect(await notice.innerText()).toContain('Vui lòng giữ trật tự');
      expect(await notice.evaluate((el) => [el, ...Array.from(el.querySelectorAll('*'))].some((e) => e.getAnimations().length > 0))).toBe(false);
      // tiles keep their test id and show the number each counter has now
      expect(await page.getByTestId('counter-tile').count()).toBe(6);
      await page.context().close();
    });
  }

  it('alternates the languages the hall set (no switch on the TV)', async () => {
    const admin = await login(hub, 'admin', 'admin-pass-123');
    expect((await api(hub, 'PATCH', '/hall', admin, { settings: { displayLanguages: ['vi', 'en'] } })).status).toBe(200);
    const page = await openDisplay({ width: 1366, height: 768 });
    await page.locator('.display-recent h2', { hasText: 'Recent calls' }).waitFor({ timeout: 40_000 });
    expect(await textProblems(page, 20)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'display-1366x768-en.png') });
    await page.locator('.display-recent h2', { hasText: 'Số vừa gọi' }).waitFor({ timeout: 40_000 });
    expect((await api(hub, 'PATCH', '/hall', admin, { reset: ['displayLanguages'] })).status).toBe(200);
    expect((await api(hub, 'PATCH', '/hall', admin, { settings: { displayLanguages: ['fr'] } })).status).toBe(400);
    await page.context().close();
  }, 120_000);

  it('announces the calls it missed while offline, in order and once, and shows only what is true now', async () => {
    const page = await openDisplay({ width: 1920, height: 1080 });
    const voice: string[] = [];
    page.on('request', (req) => {
      const p = new URL(req.url()).pathname + new URL(req.url()).search;
      if (p.startsWith('/api/v1/voice/')) voice.push(p);
    });
    const hubB = await startTestHub({ url: dbh.url, poolSize: 10 });
    const port = Number(new URL(hub.url).port);
    try {
      await hub.close();
      hubOpen = false;
      await page.getByTestId('offline-banner').waitFor(WAIT);

      // meanwhile, on the other hub process: counter 4 finishes its citizen, counters 1 and 3 call the next ones
      expect((await act(hubB, 4, 'done')).status).toBe(200);
      expect((await api(hubB, 'POST', '/tickets', demo.kioskToken, { serviceId: 3 })).status).toBe(201);
      const first = await act(hubB, 1, 'next');
      const second = await act(hubB, 3, 'next');
      const missed = [first.body.ticket!, second.body.ticket!];

      hub = await restartHubOn(dbh.url, port);
      hubOpen = true;
      await page.getByTestId('offline-banner').waitFor({ state: 'detached', ...WAIT });
      // the missed calls are flashed…
      await page.locator('[data-testid="banner-number"]', { hasText: missed[1]!.number }).waitFor(WAIT);
      // …and spoken, in order, each once
      await expect.poll(() => voice.filter((v) => v.includes('/calls/')).length, WAIT).toBe(2);
      expect(voice.filter((v) => v.includes('/calls/'))).toEqual([`/api/v1/voice/calls/${missed[0]!.id}-1.wav`, `/api/v1/voice/calls/${missed[1]!.id}-1.wav`]);
      await page.screenshot({ path: path.join(shots, 'display-after-reconnect.png') });

      // the tiles: counter 4 serves nobody now; counters 1 and 3 show the numbers just called
      const tileNumber = (n: number) => page.locator(`[data-testid="counter-tile"][data-counter-number="${n}"] [data-testid="counter-number"]`);
      await tileNumber(4).filter({ hasText: '—' }).waitFor(WAIT);
      await tileNumber(1).filter({ hasText: missed[0]!.number }).waitFor(WAIT);
      await tileNumber(3).filter({ hasText: missed[1]!.number }).waitFor(WAIT);

      // another snapshot (a set-up change) announces nothing again
      const admin = await login(hub, 'admin', 'admin-pass-123');
      expect((await api(hub, 'PATCH', '/hall', admin, { name: 'Bộ phận Một cửa huyện Minh Hòa' })).status).toBe(200);
      await page.locator('[data-testid="hall-name"]', { hasText: 'Bộ phận Một cửa huyện Minh Hòa' }).waitFor(WAIT);
      expect(voice.filter((v) => v.includes('/calls/'))).toHaveLength(2);
      expect(pageErrors).toEqual([]);
    } finally {
      await hubB.close();
    }
  }, 150_000);
});
