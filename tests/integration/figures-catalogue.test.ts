/**
 * The citizens' catalogue: search as people type with or without diacritics, by field, with papers, fee, time, where
 * to submit and the kiosk service; the CSV import of a province catalogue (all or nothing, 4xx naming row and column).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { AuthService } from '../../server/auth/auth.service.js';
import { login } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { CatalogueImportResult, CatalogueResult } from '../../protocol/index.js';
import { fold } from '../../server/figures/fold.js';

type Err = { error: { code: string; message: string } };

describe('procedure catalogue search and import', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  let manager: string;

  const search = (q: string) => api<CatalogueResult & Err>(hub, 'GET', `/procedures/search?${q}`, null);
  const names = async (q: string) => (await search(q)).body.items.map((i) => i.name);
  const importCsv = (csv: string, token: string | null = admin) => api<CatalogueImportResult & Err>(hub, 'POST', '/procedures/import', token, { csv });
  const catalogue = async () => (await dbh.db.query<{ c: string }>(`SELECT string_agg(p::text, '|' ORDER BY id) AS c FROM procedures p`)).rows[0]!.c;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-secret-1');
    hub = await startTestHub({ url: dbh.url });
    admin = await login(hub, 'admin', 'admin-secret-1');
    manager = await login(hub, 'quanly');
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  it('folds like the database: no marks, đ → d, any Unicode form', () => {
    expect(fold('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(fold('ĐĂNG KÝ KẾT HÔN'.normalize('NFD'))).toBe('dang ky ket hon');
  });

  it('finds procedures with or without diacritics, word by word, as people type', async () => {
    expect(await names('q=dang%20ky%20khai%20sinh')).toEqual(['Đăng ký khai sinh']);
    expect(await names(`q=${encodeURIComponent('Đăng ký khai sinh')}`)).toEqual(['Đăng ký khai sinh']);
    expect(await names(`q=${encodeURIComponent('ĐĂNG KÝ KHAI SINH'.normalize('NFD'))}`)).toEqual(['Đăng ký khai sinh']);
    expect(await names('q=khai')).toEqual(['Đăng ký khai sinh', 'Đăng ký khai tử']);
    expect(await names('q=ket%20h')).toEqual(['Đăng ký kết hôn']);
    expect(await names('q=sinh%20dang')).toEqual(['Đăng ký khai sinh']);
    expect(await names('q=%25_')).toHaveLength(14); // punctuation is no word, and no LIKE wildcard either
    expect(await names('q=khai%25sinh')).toEqual(['Đăng ký khai sinh']);
    expect(await names('q=xyzxyz')).toEqual([]);
    const all = (await search('')).body;
    expect(all.items).toHaveLength(14);
    expect(all.fields).toContain('Tư pháp – Hộ tịch');
  });

  it('filters by field and shows the kiosk service, its counters, fee and time', async () => {
    const { body } = await search(`field=${encodeURIComponent('Chứng thực bản sao')}`);
    expect(body.items.map((i) => i.name)).toEqual(['Chứng thực bản sao từ bản chính', 'Chứng thực chữ ký trong giấy tờ, văn bản']);
    const copy = body.items[0]!;
    const service = (await dbh.db.query<{ id: number }>(`SELECT id FROM services WHERE name = 'Chứng thực bản sao'`)).rows[0]!.id;
    const counters = (await dbh.db.query<{ number: number }>(`SELECT c.number FROM counters c JOIN counter_services cs ON cs.counter_id = c.id WHERE cs.service_id = $1 ORDER BY 1`, [service])).rows.map((r) => r.number);
    expect(counters.length).toBeGreaterThan(0);
    expect(copy).toMatchObject({ field: 'Chứng thực bản sao', fee: 2000, processingDays: 0, serviceId: service, serviceName: 'Chứng thực bản sao', counters, papers: [] });
    const bad = await search('field=Kh%C3%B4ng%20c%C3%B3');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('unknown_field');
  });

  it('imports a province CSV: adds new procedures, updates known ones by name or code, papers and where to submit', async () => {
    const csv =
      '\ufeffMã thủ tục;Tên thủ tục;Lĩnh vực;Thời hạn giải quyết (ngày làm việc);Phí, lệ phí (đồng);Thành phần hồ sơ;Nơi nộp;Dịch vụ lấy số\r\n' +
      '1.001193;Đăng ký khai sinh;Hộ tịch;0;0;"Tờ khai đăng ký khai sinh (1/0); Giấy chứng sinh (1/0)";Quầy 1;Tư pháp – Hộ tịch\r\n' +
      '2.000908;Cấp bản sao trích lục hộ tịch;Hộ tịch;1;8.000;"Tờ khai (1/0)\nGiấy tờ tùy thân (bản sao có chứng thực) (0/1)";;Tư pháp – Hộ tịch\r\n';
    const { status, body } = await importCsv(csv);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({ created: 1, updated: 1 });
    const birth = (await search('q=khai%20sinh')).body.items[0]!;
    expect(birth).toMatchObject({
      code: '1.001193',
      field: 'Hộ tịch',
      submitAt: 'Quầy 1',
      papers: [
        { name: 'Tờ khai đăng ký khai sinh', originals: 1, copies: 0 },
        { name: 'Giấy chứng sinh', originals: 1, copies: 0 },
      ],
    });
    const copy = (await search('q=trich%20luc')).body.items[0]!;
    expect(copy).toMatchObject({ name: 'Cấp bản sao trích lục hộ tịch', fee: 8000, processingDays: 1, serviceName: 'Tư pháp – Hộ tịch' });
    expect(copy.papers[1]).toEqual({ name: 'Giấy tờ tùy thân (bản sao có chứng thực)', originals: 0, copies: 1 });
    expect(await names('q=1.001193')).toEqual(['Đăng ký khai sinh']);
  });

  it('refuses a bad CSV naming the row and column, and changes nothing', async () => {
    const before = await catalogue();
    const head = 'Tên thủ tục,Lĩnh vực,Thời hạn giải quyết (ngày làm việc),"Phí, lệ phí (đồng)"\n';
    const cases: [string, string][] = [
      ['Tên thủ tục,Phí\nA thủ tục,0\n', 'Lĩnh vực'],
      [head + 'Thủ tục mới một,Hộ tịch,3,0\nThủ tục mới hai,Hộ tịch,ba,0\n', 'dòng 3, cột "Thời hạn giải quyết (ngày làm việc)"'],
      [head + 'Thủ tục mới một,Hộ tịch,3,-5\n', 'dòng 2, cột "Phí, lệ phí (đồng)"'],
      [head + 'Thủ tục mới một,Hộ tịch,400,0\n', 'dòng 2, cột "Thời hạn giải quyết (ngày làm việc)"'],
      [head + 'Thủ tục mới một,,3,0\n', 'dòng 2, cột "Lĩnh vực"'],
      [head + 'Thủ tục mới một,Hộ tịch,3,0\nthủ tục mới MỘT,Hộ tịch,3,0\n', 'dòng 3, cột "Tên thủ tục"'],
      ['Tên thủ tục,Lĩnh vực,Thời hạn giải quyết (ngày làm việc),Dịch vụ lấy số\nThủ tục mới một,Hộ tịch,3,Không có\n', 'dòng 2, cột "Dịch vụ lấy số"'],
      [head, 'không có dòng'],
    ];
    for (const [csv, where] of cases) {
      const { status, body } = await importCsv(csv);
      expect(status, where).toBe(400);
      expect(body.error.code).toBe('bad_csv');
      expect(body.error.message).toContain(where);
    }
    expect((await importCsv(head + 'Thủ tục mới một,Hộ tịch,3,0\n', manager)).status).toBe(403);
    expect((await importCsv(head + 'Thủ tục mới một,Hộ tịch,3,0\n', null)).status).toBe(401);
    expect(await catalogue()).toBe(before);
  });

  it('never answers 5xx to hostile queries and bodies on the figures and catalogue routes', async () => {
    const hostile = ["'; DROP TABLE procedures; --", '%', '_', '\\', '\u0000', 'Đ'.repeat(200), '😀🇻🇳', '"', '<script>', '2026-Q4\n', '-1', '9'.repeat(10)];
    const statuses: string[] = [];
    for (const h of hostile) {
      const e = encodeURIComponent(h);
      for (const [method, path, body] of [
        ['GET', `/procedures/search?q=${e}`, undefined],
        ['GET', `/procedures/search?field=${e}&q=${e}`, undefined],
        ['GET', `/reports/dossiers?period=${e}`, undefined],
        ['GET', `/reports/dossiers?from=${e}&to=${e}`, undefined],
        ['GET', `/reports/dossiers?field=${e}`, undefined],
        ['GET', `/reports/dossiers.xlsx?period=2026&hall=${e}`, undefined],
        ['GET', `/indicators?period=${e}`, undefined],
        ['POST', '/procedures/import', { csv: h }],
        ['POST', '/procedures/import', { csv: `Tên thủ tục,Lĩnh vực,Thời hạn giải quyết (ngày làm việc),Thành phần hồ sơ\n${h},${h},${h},${h}\n` }],
      ] as const) {
        const r = await api<Err>(hub, method, path, admin, body);
        if (r.status >= 500 || (r.status >= 400 && !r.body?.error?.message)) statuses.push(`${method} ${path}: ${r.status}`);
      }
    }
    expect(statuses).toEqual([]);
  });
});
