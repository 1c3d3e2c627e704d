/**
 * Every screen draws its Vietnamese text in the web font it ships (Noto Sans, served by the hub), not in whatever
 * font the kiosk's machine has: Chromium is asked, through the DevTools protocol, which font actually rendered the
 * glyphs of a Vietnamese label on each screen.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice, openScreen, repoRoot } from '../helpers/browser.js';

const shots = path.join(repoRoot, 'test-results', 'screen-fonts');
import { createTestDatabase, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';

/** The fonts Chromium used to draw the text inside the first element matching `selector`. */
async function renderedFonts(page: Page, selector: string): Promise<{ familyName: string; isCustomFont: boolean; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  expect(nodeId, `no element ${selector}`).toBeGreaterThan(0);
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

describe('screens ship their own Vietnamese font', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    assertUiBuilt();
    await mkdir(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
    expect(errors).toEqual([]);
  });

  const cases: { screen: string; path: () => string; text: string }[] = [
    { screen: 'ticket kiosk', path: () => `/kiosk/?token=${demo.kioskToken}`, text: 'Lao động – Thương binh và Xã hội' },
    { screen: 'staff sign-in', path: () => '/staff/', text: 'Đăng nhập' },
    { screen: 'hall display', path: () => `/display/?token=${demo.displayToken}`, text: 'Vui lòng giữ trật tự' },
    { screen: 'rating tablet', path: () => `/tablet/?token=${demo.tabletTokens[1]}`, text: 'Quầy 1' },
  ];

  for (const c of cases) {
    it(`${c.screen}: "${c.text}" is drawn in the bundled Noto Sans alone`, async () => {
      const { context, page } = await openDevice(browser, { width: 1366, height: 768 });
      collectErrors(page, c.screen, errors);
      const label = () => page.getByText(new RegExp(c.text)).first();
      await openScreen(page, `${hub.url}${c.path()}`, label, errors);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const marked = await label().evaluate((el) => {
        el.setAttribute('data-font-probe', '1');
        return el.textContent ?? '';
      });
      expect(marked).toContain(c.text);
      const fonts = await renderedFonts(page, '[data-font-probe="1"]');
      expect(fonts.length, JSON.stringify(fonts)).toBe(1);
      expect(fonts[0]).toMatchObject({ familyName: expect.stringMatching(/^Noto Sans/), isCustomFont: true });
      const served = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.woff2')));
      expect(served.length).toBeGreaterThan(0);
      for (const url of served) expect(url.startsWith(hub.url)).toBe(true);
      await page.screenshot({ path: path.join(shots, `${c.screen.replace(/ /g, '-')}.png`) });
      await context.close();
    });
  }
});
