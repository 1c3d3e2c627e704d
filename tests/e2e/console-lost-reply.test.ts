/**
 * The counter never loses a citizen it called: in real Chromium, a counter action whose reply is lost (the hub
 * committed it, the answer never reached the console, and the socket's counter update was lost too) is retried
 * with the same Idempotency-Key, and the console re-reads the counter before it acts again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DemoHall } from '../../server/demo/seed.js';
import { assertUiBuilt, collectErrors, launchBrowser, openDevice } from '../helpers/browser.js';
import { DEMO_STAFF_PASSWORD, api, createTestDatabase, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';

const WAIT = { timeout: 25_000 };

describe('counter console: a lost reply never loses the citizen it called', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  let staff: Page;
  const pageErrors: string[] = [];

  const statusOf = async (number: string) => (await dbh.db.query<{ status: string }>('SELECT status FROM tickets WHERE number = $1 AND service_id = 1', [number])).rows[0]?.status;
  const calls = async () => (await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM calls')).rows[0]!.n;

  beforeAll(async () => {
    assertUiBuilt();
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
    for (let i = 0; i < 3; i++) await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
    browser = await launchBrowser();
    staff = (await openDevice(browser, { width: 1366, height: 768 })).page;
    collectErrors(staff, 'staff', pageErrors);
    // the console's live counter updates are lost (as when the hub lost its database right after the commit)
    await staff.routeWebSocket(/socket\.io/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (typeof m === 'string' && m.includes('"counter:update"')) return;
        ws.send(m);
      });
      ws.onMessage((m) => server.send(m));
    });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  it('shows the citizen a lost "next" called, instead of finishing them with the next "next"', async () => {
    await staff.goto(`${hub.url}/staff/`);
    await staff.getByLabel('Tên đăng nhập').fill('canbo1');
    await staff.getByLabel('Mật khẩu').fill(DEMO_STAFF_PASSWORD);
    await staff.getByRole('button', { name: 'Đăng nhập' }).click();
    await staff.locator('[data-testid="counter-card"][data-counter-number="1"]').getByRole('button', { name: 'Mở quầy' }).click();
    const next = staff.getByRole('button', { name: /Gọi số tiếp theo/ });
    await staff.locator('[data-testid="waiting-list"] [data-ticket-number="A001"]').waitFor(WAIT);

    // every answer to "next" is lost after the hub did it, and so is the console's first re-read
    const keys: (string | undefined)[] = [];
    await staff.route('**/api/v1/counters/1/next', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      await route.fetch();
      await route.abort('connectionreset');
    });
    await staff.route('**/api/v1/counters', (route) => route.abort('connectionreset'));
    await next.click();
    await staff.locator('[data-testid="staff-error"]').waitFor(WAIT);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(await statusOf('A001')).toBe('called');
    expect(await statusOf('A002')).toBe('waiting');
    expect(await calls()).toBe(1);
    expect(await staff.locator('[data-testid="current-number"]').count()).toBe(0);

    // the network is back: "next" first reads the counter, finds A001 called there and shows it, doing nothing else
    await staff.unrouteAll({ behavior: 'wait' });
    await next.click();
    await staff.locator('[data-testid="current-number"]', { hasText: 'A001' }).waitFor(WAIT);
    await staff.getByRole('status').filter({ hasText: 'quầy đang gọi số A001' }).waitFor(WAIT);
    await staff.screenshot({ path: '/tmp/shots-faults/console-lost-reply.png' });
    expect(await statusOf('A001')).toBe('called');
    expect(await statusOf('A002')).toBe('waiting');
    expect(await calls()).toBe(1);

    // one lost answer: the retry with the same key gets the same reply, one call only
    let lost = 0;
    await staff.route('**/api/v1/counters/1/next', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await next.click();
    await staff.locator('[data-testid="current-number"]', { hasText: 'A002' }).waitFor(WAIT);
    expect(lost).toBe(2);
    expect(await statusOf('A001')).toBe('done');
    expect(await statusOf('A002')).toBe('called');
    expect(await statusOf('A003')).toBe('waiting');
    expect(await calls()).toBe(2);
    expect(pageErrors.filter((e) => !/ERR_CONNECTION_RESET|Failed to load resource/.test(e))).toEqual([]);
  });
});
