/**
 * The forms of Thông tư 03/2025/TT-VPCP as PDFs, read back with poppler (pdftotext, pdfinfo, pdffonts, pdftoppm)
 * and zbar (the receipt's barcode and QR decoded from the rendered page).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, seedHall, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { DossierDetail, Procedure } from '../../protocol/index.js';
import { openCounter, startDossierHub } from './dossier-support.js';

const run = promisify(execFile);
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-dossiers';
type Err = { error: { code: string; message: string } };

describe('dossier forms (PDF)', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let staff: { token: string; counterId: number };
  let adminToken: string;
  let procedures: Procedure[];
  let dir: string;
  const CORRECTION = 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch';

  const pdf = async (path: string, token = staff.token) => {
    const res = await fetch(`${hub.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type'), body };
  };
  /** Writes the PDF, returns its text (layout kept), page size, fonts, and renders page 1 to a PNG under SHOTS. */
  const readBack = async (name: string, bytes: Buffer) => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, bytes);
    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
    const info = (await run('pdfinfo', [file])).stdout;
    const fonts = (await run('pdffonts', [file])).stdout;
    await run('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', file, join(SHOTS, name)]);
    return { text, info, fonts, png: join(SHOTS, `${name}.png`), flat: text.replace(/\s+/g, ' ') };
  };
  const event = (code: string, body: Record<string, unknown>) => api<DossierDetail & Err>(hub, 'POST', `/dossiers/${code}/events`, staff.token, body);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'forms-'));
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-secret-1');
    hub = await startDossierHub({ url: dbh.url });
    staff = await openCounter(hub, 'canbo1', 1);
    adminToken = await login(hub, 'admin', 'admin-secret-1');
    procedures = (await api<Procedure[]>(hub, 'GET', '/procedures', staff.token)).body;
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  const receiveFull = () =>
    api<DossierDetail & Err>(hub, 'POST', '/dossiers', staff.token, {
      procedure: procedures.find((p) => p.name === CORRECTION)!.id,
      applicantName: 'Nguyễn Văn An',
      applicantPhone: '0912345678',
      applicantEmail: 'an@example.vn',
      applicantIdNumber: '079085001234',
      applicantBirthDate: '1985-03-15',
      applicantAddress: 'Số 12 đường Lê Lợi, xã Minh Hòa',
      channel: 'in_person',
      returnMethod: 'at_hall',
      papers: [
        { name: 'Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', originals: 1, copies: 0 },
        { name: 'Giấy khai sinh', originals: 1, copies: 2, certifiedCopies: 1 },
      ],
      sets: 1,
    });

  it('01: the receipt and appointment on A5 with every field, a real embedded font, and the code as barcode and QR', async () => {
    const d = (await receiveFull()).body;
    const r = await pdf(`/dossiers/${d.code}/forms/01`);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pdf');
    const b = await readBack('form-01', r.body);
    expect(b.info).toMatch(/Page size:\s+419\.53 x 595\.28 pts/); // A5
    expect(b.fonts).toMatch(/DejaVuSerif\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(b.fonts).toMatch(/DejaVuSerif-Bold/);
    for (const s of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UBND XÃ MINH HÒA',
      'TRUNG TÂM PHỤC VỤ HÀNH',
      'Bộ phận tiếp nhận và trả kết quả: Trung tâm Phục vụ hành chính công xã Minh Hòa',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'Mẫu số 01',
      `Số: ${Number(d.code.slice(-4))}/`,
      `Mã hồ sơ: ${d.code}`,
      `Mã tra cứu: ${d.lookupKey}`,
      'Ông/Bà: Nguyễn Văn An',
      'Số định danh cá nhân (CCCD): 079085001234',
      'Địa chỉ: Số 12 đường Lê Lợi, xã Minh Hòa',
      'Số điện thoại: 0912345678',
      'Thư điện tử: an@example.vn',
      `Nội dung yêu cầu giải quyết: ${CORRECTION}`,
      'Hình thức nộp hồ sơ: Trực tiếp',
      'Tờ khai đăng ký thay đổi, cải chính, bổ sung',
      'Giấy khai sinh',
      'Số lượng hồ sơ: 01 (bộ)',
      'Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc',
      'Phí, lệ phí: 15.000 đồng',
      'Nhận kết quả tại: Tại Trung tâm',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      '(Ký và ghi rõ họ tên)',
      'Nguyễn Thị Lan',
    ]) {
      expect(b.flat, s).toContain(s);
    }
    // "Minh Hòa, ngày DD tháng MM năm YYYY", the times of receipt and of the appointment.
    expect(b.flat).toMatch(/ngày \d{2} tháng \d{2} năm 20\d{2}/);
    expect(b.flat).toMatch(/Thời gian nhận hồ sơ: \d{2} giờ \d{2} phút, ngày \d{2}\/\d{2}\/20\d{2}/);
    expect(b.flat).toMatch(/Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày \d{2}\/\d{2}\/20\d{2}/);
    // The papers table: original, certified copy, copy counts.
    expect(b.text).toMatch(/2\s+Giấy khai sinh\s+1\s+1\s+1/);
    // The barcode and the QR, decoded from the rendered page.
    const hi = join(dir, 'form-01-hi');
    await run('pdftoppm', ['-png', '-r', '300', '-f', '1', '-l', '1', '-singlefile', join(dir, 'form-01.pdf'), hi]);
    const codes = (await run('zbarimg', ['--quiet', `${hi}.png`])).stdout.trim().split('\n').sort();
    expect(codes).toEqual([`CODE-128:${d.code}/${d.lookupKey}`, `QR-Code:http://localhost:8080/lookup/?code=${encodeURIComponent(d.code)}&key=${d.lookupKey}`].sort());
  });

  it('02–05 apply only to their state (409 otherwise), and say what the letter must say', async () => {
    const d = (await receiveFull()).body;
    for (const f of ['02', '03', '04', '05']) {
      const r = await pdf(`/dossiers/${d.code}/forms/${f}`);
      expect(r.status, f).toBe(409);
      expect(JSON.parse(r.body.toString()).error.code).toBe('form_not_applicable');
    }
    expect((await pdf(`/dossiers/${d.code}/forms/08`)).status).toBe(400);
    expect((await pdf(`/dossiers/NOT-A-CODE/forms/01`)).status).toBe(400);
    expect((await pdf(`/dossiers/000.00.12.H40-990101-0001/forms/01`)).status).toBe(404);

    await event(d.code, {
      status: 'supplement_required',
      missingPapers: [
        { name: 'Giấy khai sinh', reason: 'Bản sao không có chứng thực' },
        { name: 'Giấy tờ làm căn cứ cải chính', reason: 'Chưa nộp' },
      ],
    });
    const f02 = await readBack('form-02', (await pdf(`/dossiers/${d.code}/forms/02`)).body);
    expect(f02.info).toMatch(/Page size:\s+595\.28 x 841\.89 pts/); // A4
    for (const s of [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      'Mẫu số 02',
      'Kính gửi: Ông/Bà Nguyễn Văn An',
      `mã số ${d.code}`,
      'Bản sao không có chứng thực',
      'Giấy tờ làm căn cứ cải chính',
      'Chưa nộp',
      'Lần yêu cầu bổ sung: 1',
      'tạm dừng',
      'NGƯỜI HƯỚNG DẪN',
      'Nguyễn Thị Lan',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    ])
      expect(f02.flat, s).toContain(s);

    await event(d.code, { status: 'processing' });
    await dbh.db.query(`UPDATE dossiers SET due_at = now() - interval '1 hour', original_due_at = now() - interval '1 hour' WHERE code = $1`, [d.code]);
    const newDue = '2030-01-15T10:00:00.000Z';
    await event(d.code, { status: 'extended', newDueAt: newDue, reason: 'Cần xác minh tại Ủy ban nhân dân nơi đăng ký khai sinh trước đây' });
    const f04 = await readBack('form-04', (await pdf(`/dossiers/${d.code}/forms/04`)).body);
    for (const s of ['VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT', 'Mẫu số 04', 'Cần xác minh tại Ủy ban nhân dân nơi đăng ký khai sinh trước đây', 'xin lỗi', '17 giờ 00 phút, ngày 15/01/2030', 'THỦ TRƯỞNG CƠ QUAN'])
      expect(f04.flat, s).toContain(s);

    await event(d.code, { status: 'suspended', reason: 'Công dân không bổ sung hồ sơ theo yêu cầu' });
    const f05 = await readBack('form-05', (await pdf(`/dossiers/${d.code}/forms/05`)).body);
    for (const s of ['THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', 'Mẫu số 05', 'Công dân không bổ sung hồ sơ theo yêu cầu', 'Kính gửi: Ông/Bà Nguyễn Văn An']) expect(f05.flat, s).toContain(s);
    // A stopped dossier is no refusal.
    expect((await pdf(`/dossiers/${d.code}/forms/03`)).status).toBe(409);

    const refused = (await receiveFull()).body;
    await event(refused.code, { status: 'rejected', reason: 'Thủ tục không thuộc thẩm quyền của xã' });
    const f03 = await readBack('form-03', (await pdf(`/dossiers/${refused.code}/forms/03`)).body);
    for (const s of ['PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ', 'Mẫu số 03', 'Thủ tục không thuộc thẩm quyền của xã', `mã số ${refused.code}`]) expect(f03.flat, s).toContain(s);
    expect((await pdf(`/dossiers/${refused.code}/forms/01`)).status).toBe(409);
  });

  it('06: the processing control sheet lists each hand-over with its times and outcome', async () => {
    const d = (await receiveFull()).body;
    const h = await api<DossierDetail>(hub, 'POST', `/dossiers/${d.code}/handovers`, staff.token, {
      fromUnit: 'Bộ phận Một cửa',
      toUnit: 'Công chức Tư pháp – Hộ tịch',
      deadlineAt: '2030-01-10T10:00:00.000Z',
    });
    await api(hub, 'POST', `/dossiers/${d.code}/handovers/${h.body.handovers[0]!.id}/done`, staff.token, { outcome: 'Đủ điều kiện giải quyết' });
    await api(hub, 'POST', `/dossiers/${d.code}/handovers`, staff.token, { fromUnit: 'Công chức Tư pháp – Hộ tịch', toUnit: 'Lãnh đạo UBND xã' });
    const f06 = await readBack('form-06', (await pdf(`/dossiers/${d.code}/forms/06`)).body);
    for (const s of [
      'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      'Mẫu số 06',
      `Kèm theo hồ sơ: ${d.code}`,
      'Giao: Bộ phận Một cửa',
      'Nhận: Công chức Tư pháp',
      'Trước hạn: Đủ điều kiện',
      'Hạn: 17 giờ 00 phút, ngày',
      '10/01/2030',
      'Nhận: Lãnh đạo UBND xã',
      'Đang giải quyết',
    ])
      expect(f06.flat, s).toContain(s);
  });

  it('07: the register of a period, A4 landscape, one row per dossier', async () => {
    const day = (await api<{ day: string }>(hub, 'GET', '/hall', staff.token)).body.day;
    const r = await pdf(`/dossiers/register.pdf?from=${day}&to=${day}`);
    expect(r.status).toBe(200);
    const b = await readBack('form-07', r.body);
    expect(b.info).toMatch(/Page size:\s+841\.89 x 595\.28 pts/); // A4 landscape
    const { rows } = await dbh.db.query<{ code: string }>('SELECT code FROM dossiers ORDER BY seq');
    expect(rows.length).toBeGreaterThan(3);
    for (const s of ['SỔ THEO DÕI HỒ SƠ', 'Mẫu số 07', `${rows.length} hồ sơ`, 'Tên thủ tục hành chính', 'Nguyễn Văn An', 'Trực tiếp', 'Dừng xử lý', 'Không được', 'Minh Hòa, ngày'])
      expect(b.flat, s).toContain(s);
    for (const row of rows) expect(b.flat).toContain(row.code);
    expect((await pdf(`/dossiers/register.pdf?from=${day}&to=2020-01-01`)).status).toBe(400);
    expect((await pdf(`/dossiers/register.pdf?from=2020-01-01&to=2022-01-01`)).status).toBe(400);
    expect((await pdf(`/dossiers/register.pdf?from=${day}&to=${day}`, demo.kioskToken)).status).toBe(403);
  });

  it('prints what was in force at receipt: a procedure renamed later does not rewrite the receipt', async () => {
    const d = (await receiveFull()).body;
    const id = procedures.find((p) => p.name === CORRECTION)!.id;
    expect((await api(hub, 'PATCH', `/procedures/${id}`, adminToken, { name: 'Thủ tục đã đổi tên', processingDays: 9, fee: 99_000 })).status).toBe(200);
    const b = await readBack('form-01-after-rename', (await pdf(`/dossiers/${d.code}/forms/01`)).body);
    expect(b.flat).toContain(`Nội dung yêu cầu giải quyết: ${CORRECTION}`);
    expect(b.flat).toContain('3 ngày làm việc');
    expect(b.flat).toContain('15.000 đồng');
    expect(b.flat).not.toContain('Thủ tục đã đổi tên');
    expect((await api<DossierDetail>(hub, 'GET', `/dossiers/${d.code}/detail`, staff.token)).body.formVersion).toBe('TT03-2025.1');
  });
});
