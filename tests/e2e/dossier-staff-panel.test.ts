/**
 * The dossier panel of the counter console in real Chromium: receive a dossier for the citizen being served,
 * see its code, due date and the print order, then move it along and hand the result back.
 * Screenshots go to $LOOKUP_SCREENSHOTS (default: <tmp>/hallhub-lookup).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, seedHall, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { DossierDetail, LoginReply } from '../../protocol/index.js';
import { startDossierHub } from '../integration/dossier-support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = process.env.LOOKUP_SCREENSHOTS ?? path.join(os.tmpdir(), 'hallhub-lookup');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = { timeout: 20_000 };

describe('dossier panel of the counter console (Chromium)', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'dist', 'staff-ui', 'index.html'))) {
      throw new Error('dist/staff-ui is missing: build the screens first with `node node_modules/vite/bin/vite.js build` (npm test does it).');
    }
    await mkdir(shots, { recursive: true });
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startDossierHub({ url: dbh.url });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await dbh?.drop();
  });

  it('receives a dossier for the ticket being served, then updates it and hands the result back', async () => {
    const login = await api<LoginReply>(hub, 'POST', '/auth/login', null, { username: 'canbo1', password: 'demo12345' });
    const token = login.body.token;
    const counters = await api<{ id: number; number: number }[]>(hub, 'GET', '/counters', token);
    const counterId = counters.body.find((c) => c.number === 1)!.id;
    expect((await api(hub, 'POST', `/counters/${counterId}/open`, token)).status).toBe(200);
    const services = await api<{ id: number; name: string }[]>(hub, 'GET', '/services', token);
    const ticket = await api<{ id: number; number: string }>(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: services.body.find((s) => s.name === 'Tư pháp – Hộ tịch')!.id });
    expect((await api(hub, 'POST', `/counters/${counterId}/next`, token)).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1600, height: 1300 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    // The tab's staff session, as the login page stores it.
    await context.addInitScript((session: string) => window.sessionStorage.setItem('hallhub:staff:session', session), JSON.stringify(login.body));
    const page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${hub.url}/staff/`);
    const panel = page.getByTestId('dossier-panel');
    await panel.waitFor(WAIT);
    await panel.getByText(`Gắn với số đang phục vụ: ${ticket.body.number}`).waitFor(WAIT);

    await panel.getByTestId('procedure').selectOption({ label: 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch' });
    expect(await panel.getByText('Thời hạn giải quyết: 3 ngày làm việc · Lệ phí: 15.000 đ').count()).toBe(1);
    // Nothing is sent without the applicant's name.
    await panel.getByTestId('receive-dossier').click();
    expect(await panel.getByTestId('dossier-error').textContent()).toBe('Vui lòng chọn thủ tục và nhập họ tên người nộp.');
    // A partial identity card scan says so and fills nothing.
    const scan = panel.getByTestId('cccd-scan');
    await scan.fill('001190012345||Phạm Thị Thu Trang|0102');
    await scan.press('Enter');
    expect(await panel.getByTestId('cccd-note').textContent()).toContain('không đầy đủ');
    expect(await panel.getByTestId('applicant-name').inputValue()).toBe('');
    // The card's QR, typed by a keyboard-wedge scanner into the scan field, fills the applicant's fields.
    await scan.fill('001190012345|012345678|Phạm Thị Thu Trang|01021990|Nữ|Số 5 ngõ 12 phố Hàng Bông, phường Hoàn Kiếm, Hà Nội|15082021');
    await scan.press('Enter');
    await expect.poll(() => panel.getByTestId('applicant-name').inputValue(), WAIT).toBe('Phạm Thị Thu Trang');
    expect(await panel.getByTestId('applicant-id').inputValue()).toBe('001190012345');
    expect(await panel.getByTestId('applicant-birth').inputValue()).toBe('1990-02-01');
    expect(await panel.getByTestId('applicant-address').inputValue()).toBe('Số 5 ngõ 12 phố Hàng Bông, phường Hoàn Kiếm, Hà Nội');
    expect(await panel.getByTestId('cccd-note').textContent()).toBe('Đã điền thông tin từ CCCD của Phạm Thị Thu Trang');
    // A wedge scanner typing into the name field is read as a card too.
    await panel.getByTestId('applicant-name').fill('');
    await panel.getByTestId('applicant-name').pressSequentially('001190012345|012345678|Phạm Thị Thu Trang|01021990|Nữ|Hà Nội|15082021', { delay: 0 });
    await expect.poll(() => panel.getByTestId('applicant-name').inputValue(), WAIT).toBe('Phạm Thị Thu Trang');
    await panel.getByTestId('applicant-address').fill('Số 5 ngõ 12 phố Hàng Bông, phường Hoàn Kiếm, Hà Nội');
    await panel.getByTestId('papers').getByText('Giấy khai sinh').click();
    await panel.getByTestId('channel').selectOption('in_person');
    await panel.getByTestId('applicant-phone').fill('0988 123 456');
    await panel.getByTestId('applicant-email').fill('trang.pham@example.vn');
    await page.screenshot({ path: path.join(shots, 'staff-dossier-form.png') });
    await panel.getByTestId('receive-dossier').click();

    await panel.getByTestId('dossier-received').waitFor(WAIT);
    const code = (await panel.getByTestId('dossier-code').textContent()) ?? '';
    expect(code).toMatch(/^000\.00\.12\.H40-\d{6}-0001$/);
    expect(await panel.getByTestId('print-state').textContent()).toMatch(/giấy tiếp nhận/);
    const detail = await api<DossierDetail>(hub, 'GET', `/dossiers/${code}/detail`, token);
    expect(detail.body).toMatchObject({
      ticketId: ticket.body.id,
      applicantName: 'Phạm Thị Thu Trang',
      applicantPhone: '0988123456',
      applicantIdNumber: '001190012345',
      applicantBirthDate: '1990-02-01',
      applicantAddress: 'Số 5 ngõ 12 phố Hàng Bông, phường Hoàn Kiếm, Hà Nội',
      channel: 'in_person',
      papers: [{ name: 'Giấy khai sinh', originals: 1, copies: 1, certifiedCopies: 1 }],
      counterNumber: 1,
      status: 'received',
    });
    expect(await panel.getByTestId('dossier-due').textContent()).toContain('trước 17:00');
    expect(await panel.getByTestId('dossier-key').textContent()).toBe(detail.body.lookupKey);
    await page.screenshot({ path: path.join(shots, 'staff-dossier-received.png') });
    // Form 01 opens as a PDF in a new tab.
    const [pdfTab, pdfReply] = await Promise.all([
      context.waitForEvent('page'),
      page.waitForResponse((r) => r.url().endsWith(`/dossiers/${encodeURIComponent(code)}/forms/01`)),
      panel.getByTestId('form-01').click(),
    ]);
    expect(pdfTab.url()).toMatch(/^blob:/);
    expect(pdfReply.status()).toBe(200);
    expect(pdfReply.headers()['content-type']).toBe('application/pdf');
    expect(Number(pdfReply.headers()['content-length'])).toBeGreaterThan(10_000);
    await pdfTab.close();

    await panel.getByRole('tab', { name: /Hồ sơ hôm nay tại quầy \(1\)/ }).click();
    const row = panel.locator(`li[data-code="${code}"]`);
    await row.waitFor(WAIT);
    const step = async (status: string, note?: string, missing?: string) => {
      await row.getByRole('button', { name: 'Cập nhật' }).click();
      await row.getByTestId('next-status').selectOption({ label: status });
      if (note) await row.getByTestId('status-note').fill(note);
      if (missing) await row.getByTestId('missing-papers').fill(missing);
      await row.getByRole('button', { name: 'Lưu' }).click();
      await expect.poll(() => row.getByTestId('row-status').textContent(), WAIT).toBe(status);
    };
    await step('Yêu cầu bổ sung hồ sơ', 'Bổ sung bản sao trích lục khai sinh', 'Bản sao trích lục khai sinh: chưa có chứng thực');
    // The forms that now apply: 01, 02 (the supplement request) and 06.
    await row.getByRole('button', { name: 'Cập nhật' }).click();
    await row.getByTestId('form-02').waitFor(WAIT);
    expect(await row.getByTestId('dossier-forms').getByRole('button').allTextContents()).toEqual(['Mẫu 01', 'Mẫu 02', 'Mẫu 06']);
    await page.screenshot({ path: path.join(shots, 'staff-dossier-forms.png') });
    await row.getByRole('button', { name: 'Hủy' }).click();
    await step('Đang xử lý');
    // A change made elsewhere (the department's back office, the province's system) reaches the open panel live.
    const outside = await api(hub, 'POST', `/dossiers/${code}/events`, token, { status: 'result_ready' });
    expect(outside.status).toBe(200);
    await expect.poll(() => row.getByTestId('row-status').textContent(), WAIT).toBe('Đã có kết quả, chờ trả');
    await page.screenshot({ path: path.join(shots, 'staff-dossier-today.png') });
    await row.getByRole('button', { name: 'Trả kết quả' }).click();
    await expect.poll(() => row.getByTestId('row-status').textContent(), WAIT).toBe('Đã trả kết quả');
    expect(await panel.getByTestId('dossier-flash').textContent()).toBe(`Đã trả kết quả hồ sơ ${code}`);
    expect(await row.getByText('Hồ sơ đã kết thúc').count()).toBe(1);

    const after = await api<DossierDetail>(hub, 'GET', `/dossiers/${code}/detail`, token);
    expect(after.body.timeline.filter((e) => e.kind === 'status').map((e) => [e.status, e.note])).toEqual([
      ['received', 'Tiếp nhận tại quầy số 1'],
      ['supplement_required', 'Bổ sung bản sao trích lục khai sinh'],
      ['processing', null],
      ['result_ready', null],
      ['returned', null],
    ]);
    await context.close();
    expect(errors).toEqual([]);
  });
});
