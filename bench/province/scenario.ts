/**
 * The provincial centre and its compressed day: 20 departments, 40 services, 60 counters, and 5,000
 * arrivals following a real day's curve (morning peak, lunch lull, afternoon peak). Deterministic
 * (seeded), so two runs put the same load on the hub.
 */

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export const normal = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

export interface DepartmentSpec {
  name: string;
  en: string;
  /** Relative share of the day's tickets. */
  weight: number;
  services: { name: string; en: string; minutes: number }[];
}

/** A provincial Public Administration Service Centre: 20 agencies, two fields (services) each. */
export const departments: DepartmentSpec[] = [
  { name: 'Sở Tài nguyên và Môi trường', en: 'Natural Resources and Environment', weight: 14, services: [{ name: 'Đất đai', en: 'Land', minutes: 6 }, { name: 'Môi trường', en: 'Environment', minutes: 5 }] },
  { name: 'Sở Kế hoạch và Đầu tư', en: 'Planning and Investment', weight: 10, services: [{ name: 'Đăng ký doanh nghiệp', en: 'Business registration', minutes: 4 }, { name: 'Đầu tư', en: 'Investment', minutes: 5 }] },
  { name: 'Sở Tư pháp', en: 'Justice', weight: 9, services: [{ name: 'Lý lịch tư pháp', en: 'Criminal records', minutes: 3 }, { name: 'Quốc tịch – Hộ tịch có yếu tố nước ngoài', en: 'Nationality and civil status', minutes: 4 }] },
  { name: 'Sở Giao thông vận tải', en: 'Transport', weight: 9, services: [{ name: 'Giấy phép lái xe', en: 'Driving licences', minutes: 3 }, { name: 'Đăng kiểm – Vận tải', en: 'Vehicles and transport', minutes: 4 }] },
  { name: 'Công an tỉnh – Quản lý xuất nhập cảnh', en: 'Provincial Police – Immigration', weight: 8, services: [{ name: 'Hộ chiếu', en: 'Passports', minutes: 3 }, { name: 'Thị thực – Tạm trú', en: 'Visas and residence', minutes: 4 }] },
  { name: 'Cục Thuế tỉnh', en: 'Provincial Tax Department', weight: 7, services: [{ name: 'Đăng ký thuế', en: 'Tax registration', minutes: 3 }, { name: 'Kê khai – Hoàn thuế', en: 'Tax returns and refunds', minutes: 4 }] },
  { name: 'Bảo hiểm xã hội tỉnh', en: 'Provincial Social Insurance', weight: 7, services: [{ name: 'Bảo hiểm xã hội', en: 'Social insurance', minutes: 3 }, { name: 'Bảo hiểm y tế', en: 'Health insurance', minutes: 3 }] },
  { name: 'Sở Lao động – Thương binh và Xã hội', en: 'Labour, Invalids and Social Affairs', weight: 6, services: [{ name: 'Lao động – Việc làm', en: 'Labour and employment', minutes: 4 }, { name: 'Người có công', en: 'Veterans and martyrs', minutes: 4 }] },
  { name: 'Sở Xây dựng', en: 'Construction', weight: 5, services: [{ name: 'Cấp phép xây dựng', en: 'Building permits', minutes: 5 }, { name: 'Nhà ở – Bất động sản', en: 'Housing and real estate', minutes: 4 }] },
  { name: 'Sở Y tế', en: 'Health', weight: 5, services: [{ name: 'Hành nghề khám chữa bệnh', en: 'Medical practice', minutes: 4 }, { name: 'Dược – Mỹ phẩm', en: 'Pharmacy and cosmetics', minutes: 4 }] },
  { name: 'Sở Giáo dục và Đào tạo', en: 'Education and Training', weight: 3, services: [{ name: 'Văn bằng – Chứng chỉ', en: 'Diplomas and certificates', minutes: 3 }, { name: 'Cơ sở giáo dục', en: 'Schools', minutes: 4 }] },
  { name: 'Sở Công Thương', en: 'Industry and Trade', weight: 3, services: [{ name: 'Thương mại', en: 'Trade', minutes: 3 }, { name: 'Năng lượng – An toàn thực phẩm', en: 'Energy and food safety', minutes: 4 }] },
  { name: 'Sở Nông nghiệp và Phát triển nông thôn', en: 'Agriculture and Rural Development', weight: 3, services: [{ name: 'Thú y – Bảo vệ thực vật', en: 'Veterinary and plant protection', minutes: 3 }, { name: 'Lâm nghiệp – Thủy sản', en: 'Forestry and fisheries', minutes: 4 }] },
  { name: 'Sở Tài chính', en: 'Finance', weight: 2, services: [{ name: 'Giá – Công sản', en: 'Prices and public assets', minutes: 3 }, { name: 'Mã số ngân sách', en: 'Budget codes', minutes: 3 }] },
  { name: 'Sở Nội vụ', en: 'Home Affairs', weight: 2, services: [{ name: 'Tổ chức – Biên chế', en: 'Organisation and staffing', minutes: 3 }, { name: 'Tôn giáo – Thi đua khen thưởng', en: 'Religion and awards', minutes: 3 }] },
  { name: 'Sở Văn hóa, Thể thao và Du lịch', en: 'Culture, Sports and Tourism', weight: 2, services: [{ name: 'Văn hóa – Gia đình', en: 'Culture and family', minutes: 3 }, { name: 'Du lịch – Lữ hành', en: 'Tourism and travel', minutes: 3 }] },
  { name: 'Sở Thông tin và Truyền thông', en: 'Information and Communications', weight: 1.5, services: [{ name: 'Báo chí – Xuất bản', en: 'Press and publishing', minutes: 3 }, { name: 'Bưu chính – Viễn thông', en: 'Post and telecoms', minutes: 3 }] },
  { name: 'Ban Quản lý các khu công nghiệp', en: 'Industrial Zones Authority', weight: 1.5, services: [{ name: 'Đầu tư trong khu công nghiệp', en: 'Investment in industrial zones', minutes: 4 }, { name: 'Lao động trong khu công nghiệp', en: 'Labour in industrial zones', minutes: 3 }] },
  { name: 'Sở Khoa học và Công nghệ', en: 'Science and Technology', weight: 1, services: [{ name: 'Tiêu chuẩn – Đo lường – Chất lượng', en: 'Standards and metrology', minutes: 3 }, { name: 'Sở hữu trí tuệ', en: 'Intellectual property', minutes: 3 }] },
  { name: 'Sở Ngoại vụ', en: 'Foreign Affairs', weight: 1, services: [{ name: 'Lãnh sự', en: 'Consular affairs', minutes: 3 }, { name: 'Hội nghị – Hội thảo quốc tế', en: 'International events', minutes: 3 }] },
];

/** Each service's share of tickets within its department (first, second). */
const SERVICE_SPLIT = [0.6, 0.4] as const;

export interface ServicePlan {
  /** Index into the flat list of 40 services. */
  index: number;
  department: number;
  name: string;
  en: string;
  minutes: number;
  /** Share of the day's tickets. */
  share: number;
}

export interface CounterPlan {
  number: number;
  name: string;
  department: number;
  /** Indexes of the services it serves (1–3). */
  services: number[];
}

export interface HallPlan {
  services: ServicePlan[];
  counters: CounterPlan[];
}

/** 40 services; 60 counters shared out to the departments by their workload (weight × minutes), at least one each. */
export function hallPlan(counterCount = 60): HallPlan {
  const totalWeight = departments.reduce((s, d) => s + d.weight, 0);
  const services: ServicePlan[] = [];
  departments.forEach((d, di) =>
    d.services.forEach((s, si) => services.push({ index: services.length, department: di, name: s.name, en: s.en, minutes: s.minutes, share: (d.weight / totalWeight) * SERVICE_SPLIT[si as 0 | 1] })),
  );
  const load = departments.map((d, di) => services.filter((s) => s.department === di).reduce((sum, s) => sum + s.share * s.minutes, 0));
  const totalLoad = load.reduce((a, b) => a + b, 0);
  const free = counterCount - departments.length;
  const exact = load.map((l) => (l / totalLoad) * free);
  const seats = exact.map((x) => 1 + Math.floor(x));
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0, left = counterCount - seats.reduce((a, b) => a + b, 0); k < left; k++) seats[byRemainder[k]![1]]! += 1;

  const counters: CounterPlan[] = [];
  departments.forEach((d, di) => {
    const own = services.filter((s) => s.department === di).map((s) => s.index);
    for (let k = 0; k < seats[di]!; k++) {
      let served: number[];
      if (seats[di]! >= 3 && k === 0) served = [own[0]!]; // a specialised desk for the busiest field
      else if (seats[di]! <= 2 && k === seats[di]! - 1 && di % 2 === 1) served = [...own, services.find((s) => s.department === (di + 1) % departments.length)!.index]; // a small agency's desk also takes a neighbour's field
      else served = own;
      counters.push({ number: counters.length + 1, name: `Quầy ${counters.length + 1} – ${d.name}`, department: di, services: served });
    }
  });
  return { services, counters };
}

/** The real day the run compresses: 7:30–17:00, lunch 11:30–13:30 (hours as decimals). */
export const REAL_DAY = { start: 7.5, end: 17, lunchStart: 11.5, lunchEnd: 13.5 } as const;
export const REAL_DAY_SECONDS = (REAL_DAY.end - REAL_DAY.start) * 3600;

/** Arrivals per real minute, relative: a morning peak around 8:45, a lunch lull, an afternoon peak around 14:30. */
export function arrivalWeight(hour: number): number {
  if (hour < REAL_DAY.lunchStart) return 0.5 + 2.0 * Math.exp(-(((hour - 8.75) / 0.75) ** 2));
  if (hour < REAL_DAY.lunchEnd) return 0.15;
  return (hour > 16.5 ? 0.2 : 0.4) + 1.5 * Math.exp(-(((hour - 14.5) / 0.6) ** 2));
}

export interface Arrival {
  /** Seconds into the compressed day. */
  at: number;
  service: number;
  priority: boolean;
  kiosk: number;
}

/** `count` arrivals over `daySeconds`, drawn from arrivalWeight by inverse CDF over real minutes, sorted. */
export function arrivals(plan: HallPlan, count: number, daySeconds: number, kiosks: number, random: () => number): Arrival[] {
  const minutes = Math.round(REAL_DAY_SECONDS / 60);
  const cdf: number[] = [];
  let acc = 0;
  for (let m = 0; m < minutes; m++) cdf.push((acc += arrivalWeight(REAL_DAY.start + (m + 0.5) / 60)));
  const serviceCdf: number[] = [];
  let sacc = 0;
  for (const s of plan.services) serviceCdf.push((sacc += s.share));
  const pick = (table: number[], x: number) => {
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (table[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const out: Arrival[] = [];
  for (let i = 0; i < count; i++) {
    const m = pick(cdf, random() * acc);
    const realSeconds = (m + random()) * 60;
    out.push({
      at: (realSeconds / REAL_DAY_SECONDS) * daySeconds,
      service: pick(serviceCdf, random() * sacc),
      priority: random() < 0.07,
      kiosk: Math.floor(random() * kiosks),
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Compressed seconds of a real duration in seconds. */
export const compress = (realSeconds: number, daySeconds: number) => (realSeconds / REAL_DAY_SECONDS) * daySeconds;
