/** Demo data of the dossiers feature: a commune/ward centre's procedure catalogue and the public-holiday calendar. */
import type { Queryable } from '../db/pool.js';
import * as repo from './dossiers.repo.js';
import { knownHolidayYears, vnHolidays } from './workdays.js';

/** Procedures by the demo hall's service names (see server/demo/seed.ts); processing times in working days, fees in VND. */
type P = { name: string; originals: number; copies: number; certifiedCopies?: number };
const paper = (name: string, originals: number, copies = 0, certifiedCopies?: number): P => ({ name, originals, copies, ...(certifiedCopies !== undefined ? { certifiedCopies } : {}) });

/** Thành phần hồ sơ of the demo procedures (as the national catalogue lists them, shortened). */
const papers: Record<string, P[]> = {
  'Đăng ký khai sinh': [paper('Tờ khai đăng ký khai sinh', 1), paper('Giấy chứng sinh', 1), paper('Văn bản ủy quyền (nếu có)', 1)],
  'Đăng ký kết hôn': [paper('Tờ khai đăng ký kết hôn', 1), paper('Giấy xác nhận tình trạng hôn nhân', 1)],
  'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch': [
    paper('Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', 1),
    paper('Giấy khai sinh', 1, 1, 1),
    paper('Giấy tờ làm căn cứ cải chính', 0, 1, 1),
  ],
  'Cấp giấy phép xây dựng nhà ở riêng lẻ': [
    paper('Đơn đề nghị cấp giấy phép xây dựng', 1),
    paper('Giấy chứng nhận quyền sử dụng đất', 0, 1, 1),
    paper('Bản vẽ thiết kế xây dựng', 2),
  ],
  'Đăng ký thành lập hộ kinh doanh': [paper('Giấy đề nghị đăng ký hộ kinh doanh', 1), paper('Bản sao giấy tờ pháp lý của chủ hộ', 0, 1)],
};

const catalogue: { service: string; name: string; en: string; days: number; fee: number; hours?: number; cutoff?: string }[] = [
  { service: 'Tư pháp – Hộ tịch', name: 'Đăng ký khai sinh', en: 'Birth registration', days: 0, fee: 0 },
  { service: 'Tư pháp – Hộ tịch', name: 'Đăng ký kết hôn', en: 'Marriage registration', days: 0, fee: 0 },
  { service: 'Tư pháp – Hộ tịch', name: 'Đăng ký khai tử', en: 'Death registration', days: 0, fee: 0 },
  { service: 'Tư pháp – Hộ tịch', name: 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', en: 'Change or correction of civil status', days: 3, fee: 15_000 },
  { service: 'Tư pháp – Hộ tịch', name: 'Cấp Giấy xác nhận tình trạng hôn nhân', en: 'Certificate of marital status', days: 3, fee: 0 },
  { service: 'Chứng thực bản sao', name: 'Chứng thực bản sao từ bản chính', en: 'Certified copy from the original', days: 0, fee: 2_000 },
  { service: 'Chứng thực bản sao', name: 'Chứng thực chữ ký trong giấy tờ, văn bản', en: 'Authentication of a signature', days: 0, fee: 10_000, hours: 4, cutoff: '15:00' },
  { service: 'Đất đai', name: 'Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất', en: 'Registration of land-use right changes', days: 10, fee: 30_000 },
  { service: 'Đất đai', name: 'Cấp Giấy chứng nhận quyền sử dụng đất lần đầu', en: 'First land-use right certificate', days: 20, fee: 100_000 },
  { service: 'Môi trường', name: 'Xác nhận kế hoạch bảo vệ môi trường', en: 'Environmental protection plan confirmation', days: 10, fee: 0 },
  { service: 'Xây dựng', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ', en: 'Building permit for a private house', days: 15, fee: 75_000 },
  { service: 'Đăng ký kinh doanh', name: 'Đăng ký thành lập hộ kinh doanh', en: 'Household business registration', days: 3, fee: 100_000 },
  { service: 'Lao động – Thương binh và Xã hội', name: 'Giải quyết trợ cấp xã hội hằng tháng', en: 'Monthly social allowance', days: 20, fee: 0 },
  { service: 'Văn hóa – Thông tin', name: 'Công nhận gia đình văn hóa', en: 'Recognition as a cultured family', days: 5, fee: 0 },
];

/** Adds the catalogue and the public holidays of this year and the next (the years the hub knows) to a hall. */
export async function seedDossierCatalogue(db: Queryable, hallId: number): Promise<void> {
  const { rows: services } = await db.query<{ id: number; name: string; department_id: number | null }>(
    'SELECT id, name, department_id FROM services WHERE hall_id = $1',
    [hallId],
  );
  for (const p of catalogue) {
    const service = services.find((s) => s.name === p.service);
    await repo.insertProcedure(db, {
      hallId,
      departmentId: service?.department_id ?? null,
      serviceId: service?.id ?? null,
      name: p.name,
      nameEn: p.en,
      processingDays: p.days,
      fee: p.fee,
      active: true,
      papers: papers[p.name] ?? [],
      cutoffTime: p.cutoff ?? null,
      processingHours: p.hours ?? null,
    });
  }
  const hall = await repo.hallInfo(db, hallId);
  const year = Number((hall?.day ?? new Date().toISOString()).slice(0, 4));
  for (const y of [year, year + 1].filter((y) => knownHolidayYears().includes(y))) {
    for (const h of vnHolidays(y)) await repo.insertHoliday(db, hallId, h);
  }
}
