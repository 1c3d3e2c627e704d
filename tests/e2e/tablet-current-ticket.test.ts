/**
 * The rating tablet asks only about the citizen in front of it: the next citizen called at the counter ends the
 * previous ticket's open question (a tapped face is sent), and a freshly opened tablet does not ask about an older
 * ticket once another one is being served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { DemoHall } from '../../server/demo/seed.js';
import { assertUiBuilt, launchBrowser, openDevice } from '../helpers/browser.js';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import type { CounterActionReply } from '../../protocol/index.js';

const WAIT = { timeout: 25_000 };

describe('rating tablet: only the ticket now at its counter', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  let staff: string;
  let counterId: number;

  beforeAll(async () => {
    assertUiBuilt();
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    browser = await launchBrowser();
    staff = await login(hub, 'canbo1');
    counterId = (await dbh.db.query<{ id: number }>('SELECT id FROM counters WHERE number = 1')).rows[0]!.id;
    expect((await api(hub, 'POST', `/counters/${counterId}/open`, staff)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  const next = async () => (await api<CounterActionReply>(hub, 'POST', `/counters/${counterId}/next`, staff)).body.ticket!;

  it('closes an unanswered question and sends a tapped face when the next citizen is called', async () => {
    const { page, context } = await openDevice(browser, { width: 1280, height: 800 }, { hasTouch: true });
    await page.goto(`${hub.url}/tablet/?token=${demo.tabletTokens[1]}`);
    await page.getByTestId('idle').waitFor(WAIT);

    const a1 = await next();
    expect((await api(hub, 'POST', `/counters/${counterId}/done`, staff)).status).toBe(200);
    await page.getByText(`Ông/Bà có hài lòng với việc phục vụ số ${a1.number}?`).waitFor(WAIT);
    const a2 = await next(); // the citizen walked away without a tap
    await page.getByTestId('idle').waitFor(WAIT);
    await page.getByTestId('serving-number').filter({ hasText: a2.number }).waitFor(WAIT);

    expect((await api(hub, 'POST', `/counters/${counterId}/done`, staff)).status).toBe(200);
    await page.getByText(`Ông/Bà có hài lòng với việc phục vụ số ${a2.number}?`).waitFor(WAIT);
    await page.locator('.face-btn[data-level="3"]').tap();
    await next(); // tapped a face, then left: the face is sent
    await expect
      .poll(async () => (await dbh.db.query<{ level: number }>('SELECT level FROM ratings WHERE ticket_id = $1', [a2.id])).rows[0]?.level ?? null, WAIT)
      .toBe(3);
    expect((await dbh.db.query('SELECT 1 FROM ratings WHERE ticket_id = $1', [a1.id])).rowCount).toBe(0);
    await context.close();
  });

  it('a freshly opened tablet does not ask about an older ticket while another is served', async () => {
    // the ticket in progress is done and unrated, then the next one is called before any tablet asked
    expect((await api(hub, 'POST', `/counters/${counterId}/done`, staff)).status).toBe(200);
    const current = await next();
    const { page, context } = await openDevice(browser, { width: 1280, height: 800 }, { hasTouch: true });
    await page.goto(`${hub.url}/tablet/?token=${demo.tabletTokens[1]}`);
    await page.getByTestId('serving-number').filter({ hasText: current.number }).waitFor(WAIT);
    expect(await page.getByText(/Ông\/Bà có hài lòng với việc phục vụ số/).count()).toBe(0);
    expect(await page.getByTestId('idle').isVisible()).toBe(true);
    await context.close();
  });
});
