/**
 * The lookup kiosk and the public lookup page in real Chromium against a real hub: a wedge scanner's burst of
 * keystrokes, a serial scan through the hub, the on-screen keyboard, unknown and malformed codes, the idle timeout.
 * Screenshots go to $LOOKUP_SCREENSHOTS (default: <tmp>/hallhub-lookup).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, seedHall, type TestHub } from '../helpers/hub.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import { rooms, type DossierDetail } from '../../protocol/index.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { openCounter, startDossierHub } from '../integration/dossier-support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = process.env.LOOKUP_SCREENSHOTS ?? path.join(os.tmpdir(), 'hallhub-lookup');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = { timeout: 20_000 };

describe('lookup kiosk and public lookup page (Chromium)', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  let lookupToken: string;
  let ready: DossierDetail;
  let received: DossierDetail;
  const errors: string[] = [];

  const watch = (page: Page, label: string) => {
    page.on('pageerror', (err) => errors.push(`[${label}] ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 404|status of 400/.test(m.text())) errors.push(`[${label}] console: ${m.text()}`);
    });
  };

  /** Types like a keyboard-wedge scanner: a fast burst of keystrokes, then Enter, with nothing focused. */
  const wedgeScan = async (page: Page, code: string) => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'dist', 'kiosk-ui', 'index.html'))) {
      throw new Error('dist/kiosk-ui is missing: build the screens first with `node node_modules/vite/bin/vite.js build` (npm test does it).');
    }
    if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium is missing at /usr/bin/chromium (apt-get install -y chromium).');
    await mkdir(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    lookupToken = newToken('d');
    await insertDevice(dbh.db, { hallId: demo.hallId, kind: 'lookup', name: 'Ki-ốt tra cứu sảnh chính', counterId: null, printer: null, tokenHash: hashToken(lookupToken) });
    hub = await startDossierHub({ url: dbh.url });
    const staff = await openCounter(hub, 'canbo3', 3);
    ready = (
      await api<DossierDetail>(hub, 'POST', '/dossiers', staff.token, {
        procedure: 'Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất',
        applicantName: 'Nguyễn Văn An',
        applicantPhone: '0912345678',
        applicantEmail: 'an@example.vn',
      })
    ).body;
    await api(hub, 'POST', `/dossiers/${ready.code}/events`, staff.token, { status: 'processing', note: 'Chuyển Văn phòng đăng ký đất đai', forCitizen: true });
    await api(hub, 'POST', `/dossiers/${ready.code}/events`, staff.token, { status: 'result_ready', note: 'Đã ký Giấy chứng nhận', forCitizen: true });
    received = (await api<DossierDetail>(hub, 'POST', '/dossiers', staff.token, { procedure: 'Cấp giấy phép xây dựng nhà ở riêng lẻ', applicantName: 'Trần Thị Bích Ngọc' })).body;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  it('shows the dossier a wedge scanner types on the kiosk, then the unknown and malformed codes, and goes back to idle', async () => {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', hasTouch: true });
    const page = await context.newPage();
    watch(page, 'kiosk');
    await page.goto(`${hub.url}/kiosk/lookup?token=${lookupToken}&idle=6`);
    await page.getByTestId('idle').waitFor(WAIT);
    await expect.poll(() => page.locator('.lk-header__title').textContent(), WAIT).toBe('Trung tâm Phục vụ hành chính công xã Minh Hòa');
    expect(await page.getByText('Quét mã vạch trên giấy tiếp nhận hồ sơ').count()).toBe(1);
    expect(page.url()).not.toContain('token='); // remembered, then removed from the address
    await page.screenshot({ path: path.join(shots, 'lookup-idle.png') });

    // A person typing slowly is not a scanner: nothing happens.
    await page.keyboard.type(received.code.slice(0, 12), { delay: 150 });
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('idle').count()).toBe(1);

    // The code alone: status, due date and where to go, never the applicant.
    await wedgeScan(page, ready.code);
    await page.getByTestId('key-hint').waitFor(WAIT);
    expect(await page.getByTestId('applicant').count()).toBe(0);
    expect(await page.locator('.lk-timeline__item').count()).toBe(0);
    expect(await page.getByTestId('status').textContent()).toBe('Đã có kết quả, chờ trả');
    await page.screenshot({ path: path.join(shots, 'lookup-found-no-key.png') });

    // The receipt's barcode carries the key: the masked name and the notes for the citizen.
    await wedgeScan(page, `${ready.code}/${ready.lookupKey}`);
    await page.getByTestId('applicant').waitFor(WAIT);
    expect(await page.getByTestId('status').textContent()).toBe('Đã có kết quả, chờ trả');
    expect(await page.getByTestId('next-step').textContent()).toContain('Hồ sơ đã có kết quả – mời đến quầy số 3 nhận kết quả.');
    expect(await page.getByTestId('code').textContent()).toBe(ready.code);
    expect(await page.getByTestId('applicant').textContent()).toBe('Nguyễn V** A*');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất');
    expect(text).toContain('Chuyển Văn phòng đăng ký đất đai');
    expect(text).toContain('Đã ký Giấy chứng nhận');
    expect(text).not.toMatch(/Văn An|0912345678|example\.vn/);
    expect(await page.locator('.lk-timeline__item').count()).toBe(3);
    await page.screenshot({ path: path.join(shots, 'lookup-found.png') });

    await wedgeScan(page, '000.00.12.H40-991231-9999');
    await page.getByTestId('not-found').waitFor(WAIT);
    expect(await page.getByTestId('not-found').textContent()).toContain('Không tìm thấy hồ sơ');
    expect(await page.getByTestId('not-found').textContent()).toContain('000.00.12.H40-991231-9999');
    await page.screenshot({ path: path.join(shots, 'lookup-not-found.png') });

    await wedgeScan(page, 'HTTPS://EXAMPLE.VN/X');
    await page.getByTestId('malformed').waitFor(WAIT);
    expect(await page.getByTestId('malformed').textContent()).toContain('Mã hồ sơ không đúng định dạng');

    // No touch for the idle time (6 s here): back to the invitation to scan.
    await page.getByTestId('idle').waitFor({ timeout: 30_000 });
    await context.close();
  });

  it('looks up a code typed on the on-screen keyboard and a code from a serial scanner, in either language', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', hasTouch: true });
    const page = await context.newPage();
    watch(page, 'kiosk-landscape');
    await page.goto(`${hub.url}/kiosk/lookup?token=${lookupToken}`);
    await page.getByTestId('idle').waitFor(WAIT);

    // The hall's prefix and today's date are filled in: the citizen types only the number, then the key.
    await page.getByRole('button', { name: 'Nhập mã hồ sơ' }).click();
    const prefix = received.code.slice(0, -4);
    await expect.poll(() => page.getByTestId('typed-code').textContent(), WAIT).toBe(prefix);
    const seq = String(Number(received.code.slice(-4)));
    for (const ch of seq) await page.locator('.lk-keys').getByRole('button', { name: ch, exact: true }).click();
    expect(await page.getByTestId('typed-code').textContent()).toBe(prefix + seq);
    await page.getByTestId('key-separator').click();
    for (const ch of received.lookupKey!) await page.locator('.lk-keys').getByRole('button', { name: ch, exact: true }).click();
    expect(await page.getByTestId('typed-code').textContent()).toBe(`${prefix}${seq}/${received.lookupKey}`);
    await page.screenshot({ path: path.join(shots, 'lookup-keypad.png') });
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByTestId('dossier').waitFor(WAIT);
    expect(await page.getByTestId('code').textContent()).toBe(received.code);
    expect(await page.getByTestId('status').textContent()).toBe('Đã tiếp nhận');
    expect(await page.getByTestId('applicant').textContent()).toBe('Trần T** B*** N***');
    // "Tra cứu hồ sơ khác" is on screen in landscape.
    const another = await page.getByRole('button', { name: 'Tra cứu hồ sơ khác' }).boundingBox();
    expect(another).not.toBeNull();
    expect(another!.y + another!.height).toBeLessThanOrEqual(1080);
    await page.screenshot({ path: path.join(shots, 'lookup-landscape-found.png') });

    // English, then a scan from a serial scanner relayed by the hub (socket event `scan`).
    await page.getByRole('button', { name: /English/ }).click();
    expect(await page.getByTestId('status').textContent()).toBe('Received');
    // Wait until the kiosk's socket is in its rooms (the hub has seen the device online).
    await expect.poll(async () => (await dbh.db.query(`SELECT 1 FROM devices WHERE token_hash = $1 AND online_until > now()`, [hashToken(lookupToken)])).rowCount, WAIT).toBe(1);
    hub.io.to(rooms.kiosks(demo.hallId)).emit('scan', { code: ready.code, at: new Date().toISOString(), agentId: 1 });
    await expect.poll(() => page.getByTestId('code').textContent(), WAIT).toBe(ready.code);
    expect(await page.getByTestId('status').textContent()).toBe('Result ready for collection');
    expect(await page.getByTestId('next-step').textContent()).toContain('The result is ready – please collect it at counter 3.');
    await context.close();
  });

  it('serves the public page without a token: ?code= from the receipt QR, a typed code, a phone-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    watch(page, 'public');
    await page.goto(`${hub.url}/lookup/?code=${encodeURIComponent(ready.code)}&key=${ready.lookupKey}`);
    await page.getByTestId('dossier').waitFor(WAIT);
    expect(await page.getByTestId('applicant').textContent()).toBe('Nguyễn V** A*');
    expect(await page.getByTestId('status').textContent()).toBe('Đã có kết quả, chờ trả');
    expect(await page.locator('.lk-header__title').textContent()).toBe('Tra cứu hồ sơ');
    await page.screenshot({ path: path.join(shots, 'lookup-public-found.png'), fullPage: true });

    await page.getByRole('button', { name: 'Tra cứu hồ sơ khác' }).click();
    await page.getByTestId('idle').waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'lookup-public-idle.png'), fullPage: true });
    await page.getByLabel('Nhập mã hồ sơ').fill(received.code.toLowerCase());
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('code').textContent(), WAIT).toBe(received.code);

    await page.getByRole('button', { name: 'Tra cứu hồ sơ khác' }).click();
    await page.getByLabel('Nhập mã hồ sơ').fill('000.00.12.H40-991231-0001');
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByTestId('not-found').waitFor(WAIT);
    await context.close();
    expect(errors).toEqual([]);
  });
});
