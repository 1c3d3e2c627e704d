import { type Db, transaction } from '../db/pool.js';
import * as setup from '../admin/setup.repo.js';
import { insertUser } from '../auth/auth.repo.js';
import { hashPassword } from '../auth/auth.service.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { insertDevice } from '../devices/devices.repo.js';
import { seedDossierCatalogue } from '../dossiers/demo.js';
import { setMaxWait } from '../board/board.repo.js';

export const DEMO_STAFF_PASSWORD = 'demo12345';

export interface DemoHall {
  hallId: number;
  kioskToken: string;
  displayToken: string;
  lookupToken: string;
  /** The rating tablet of each counter, by counter number. */
  tabletTokens: Record<number, string>;
  staff: { username: string; name: string; counterNumber: number }[];
}

const departments = [
  { key: 'tp', name: 'Phòng Tư pháp', en: 'Justice Office' },
  { key: 'tnmt', name: 'Phòng Tài nguyên và Môi trường', en: 'Natural Resources and Environment Office' },
  { key: 'kthT', name: 'Phòng Kinh tế – Hạ tầng', en: 'Economy and Infrastructure Office' },
  { key: 'tckh', name: 'Phòng Tài chính – Kế hoạch', en: 'Finance and Planning Office' },
  { key: 'ldtbxh', name: 'Phòng Lao động – Thương binh và Xã hội', en: 'Labour, Invalids and Social Affairs Office' },
  { key: 'vhtt', name: 'Phòng Văn hóa và Thông tin', en: 'Culture and Information Office' },
] as const;
type DeptKey = (typeof departments)[number]['key'];

const services: { key: string; dept: DeptKey; name: string; en: string; prefix: string; minutes: number }[] = [
  { key: 'hotich', dept: 'tp', name: 'Tư pháp – Hộ tịch', en: 'Justice – Civil status', prefix: 'A', minutes: 6 },
  { key: 'chungthuc', dept: 'tp', name: 'Chứng thực bản sao', en: 'Certified copies', prefix: 'B', minutes: 3 },
  { key: 'datdai', dept: 'tnmt', name: 'Đất đai', en: 'Land', prefix: 'C', minutes: 12 },
  { key: 'moitruong', dept: 'tnmt', name: 'Môi trường', en: 'Environment', prefix: 'D', minutes: 8 },
  { key: 'xaydung', dept: 'kthT', name: 'Xây dựng', en: 'Construction', prefix: 'E', minutes: 10 },
  { key: 'dkkd', dept: 'tckh', name: 'Đăng ký kinh doanh', en: 'Business registration', prefix: 'G', minutes: 8 },
  { key: 'ldtbxh', dept: 'ldtbxh', name: 'Lao động – Thương binh và Xã hội', en: 'Labour, invalids and social affairs', prefix: 'H', minutes: 7 },
  { key: 'vanhoa', dept: 'vhtt', name: 'Văn hóa – Thông tin', en: 'Culture and information', prefix: 'K', minutes: 6 },
];

const counters: { number: number; name: string; services: string[]; staff: { username: string; name: string; title: string } }[] = [
  { number: 1, name: 'Quầy 1 – Hộ tịch', services: ['hotich', 'chungthuc'], staff: { username: 'canbo1', name: 'Nguyễn Thị Lan', title: 'Công chức Tư pháp – Hộ tịch' } },
  { number: 2, name: 'Quầy 2 – Chứng thực', services: ['chungthuc', 'hotich'], staff: { username: 'canbo2', name: 'Trần Văn Minh', title: 'Công chức Tư pháp' } },
  { number: 3, name: 'Quầy 3 – Đất đai', services: ['datdai', 'moitruong'], staff: { username: 'canbo3', name: 'Lê Thị Hồng', title: 'Chuyên viên Tài nguyên và Môi trường' } },
  { number: 4, name: 'Quầy 4 – Xây dựng', services: ['xaydung'], staff: { username: 'canbo4', name: 'Phạm Quốc Huy', title: 'Chuyên viên Kinh tế – Hạ tầng' } },
  { number: 5, name: 'Quầy 5 – Kinh doanh, Văn hóa', services: ['dkkd', 'vanhoa'], staff: { username: 'canbo5', name: 'Hoàng Thu Trang', title: 'Chuyên viên Tài chính – Kế hoạch' } },
  { number: 6, name: 'Quầy 6 – Lao động, TB&XH', services: ['ldtbxh'], staff: { username: 'canbo6', name: 'Vũ Đức Anh', title: 'Chuyên viên Lao động – TB&XH' } },
];

/** SLA targets of the demo services: the board raises an alert when someone waits longer (minutes). */
const demoSlaMinutes: Record<string, number> = { hotich: 20, chungthuc: 15, datdai: 30, moitruong: 30, xaydung: 30, dkkd: 25, ldtbxh: 20, vanhoa: 20 };

/** Seeds a commune/ward centre (Trung tâm Phục vụ hành chính công xã, since the two-level local government of 1 July 2025) with real fields, six counters, staff, a kiosk and a display. */
export async function seedDemoHall(db: Db): Promise<DemoHall> {
  const staffHash = await hashPassword(DEMO_STAFF_PASSWORD);
  return transaction(db, async (tx) => {
    const hallId = await setup.insertHall(tx, {
      code: 'DEMO',
      name: 'Trung tâm Phục vụ hành chính công xã Minh Hòa',
      settings: { priorityInterleave: 2, priorityAgeingMinutes: 30, maxRequeue: 1, agencyId: '000.00.12.H40' },
    });
    const deptIds = new Map<string, number>();
    for (const d of departments) deptIds.set(d.key, await setup.insertDepartment(tx, hallId, d.name, d.en));
    const serviceIds = new Map<string, number>();
    const tabletTokens: Record<number, string> = {};
    for (const s of services) {
      const row = await setup.insertService(tx, {
        hallId,
        departmentId: deptIds.get(s.dept)!,
        name: s.name,
        nameEn: s.en,
        prefix: s.prefix,
        numberStart: 1,
        numberEnd: 999,
        defaultServiceSeconds: s.minutes * 60,
        active: true,
      });
      serviceIds.set(s.key, row.id);
      await setMaxWait(tx, hallId, row.id, demoSlaMinutes[s.key] ?? null);
    }
    for (const c of counters) {
      const counterId = await setup.insertCounter(tx, hallId, c.number, c.name, c.services.map((k) => serviceIds.get(k)!));
      const tabletToken = newToken('d');
      await insertDevice(tx, { hallId, kind: 'tablet', name: `Máy tính bảng đánh giá – Quầy ${c.number}`, counterId, printer: null, tokenHash: hashToken(tabletToken) });
      tabletTokens[c.number] = tabletToken;
      await insertUser(tx, { hallId, username: c.staff.username, passwordHash: staffHash, name: c.staff.name, role: 'staff', title: c.staff.title });
    }
    await insertUser(tx, { hallId, username: 'quanly', passwordHash: staffHash, name: 'Đỗ Thanh Hà', role: 'manager', title: 'Trưởng Bộ phận Một cửa' });
    const kioskToken = newToken('d');
    const displayToken = newToken('d');
    const lookupToken = newToken('d');
    await insertDevice(tx, { hallId, kind: 'lookup', name: 'Ki-ốt tra cứu hồ sơ', counterId: null, printer: null, tokenHash: hashToken(lookupToken) });
    await insertDevice(tx, { hallId, kind: 'kiosk', name: 'Máy lấy số sảnh chính', counterId: null, printer: 'sim', tokenHash: hashToken(kioskToken) });
    await insertDevice(tx, { hallId, kind: 'display', name: 'Màn hình sảnh chờ', counterId: null, printer: null, tokenHash: hashToken(displayToken) });
    await seedDossierCatalogue(tx, hallId);
    return {
      hallId,
      kioskToken,
      displayToken,
      lookupToken,
      tabletTokens,
      staff: counters.map((c) => ({ username: c.staff.username, name: c.staff.name, counterNumber: c.number })),
    };
  });
}
