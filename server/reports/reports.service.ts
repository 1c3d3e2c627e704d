import type { Db } from '../db/pool.js';
import { notFound } from '../errors.js';
import { ratingLevels, type Report, type ReportBy, type ReportFigures, type ReportsQuery } from '../../protocol/index.js';
import { resolveRange } from '../rankings/period.js';
import { minutes, percent, toCsv } from '../rankings/csv.js';
import * as repo from './reports.repo.js';

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

function figuresOf(f: repo.FiguresRow, r: repo.RatedRow | undefined, by: ReportBy | 'total'): ReportFigures {
  const rated = r?.rated ?? 0;
  return {
    issued: by === 'service' || by === 'total' ? f.issued : null,
    called: f.called,
    served: f.served,
    noShow: f.no_show,
    notServed: f.not_served,
    transferred: f.transferred,
    waitAvgSeconds: round1(f.wait_avg),
    waitMedianSeconds: round1(f.wait_median),
    waitP90Seconds: round1(f.wait_p90),
    serviceAvgSeconds: round1(f.service_avg),
    serviceMedianSeconds: round1(f.service_median),
    serviceP90Seconds: round1(f.service_p90),
    ratings: rated,
    satisfactionMean: rated > 0 ? round4(r!.level_sum / rated) : null,
    satisfiedShare: rated > 0 ? round4((r!.n3 + r!.n4) / rated) : null,
    levels: { 1: r?.n1 ?? 0, 2: r?.n2 ?? 0, 3: r?.n3 ?? 0, 4: r?.n4 ?? 0 },
  };
}

/** Managers' reports: queue figures (medians and 90th percentiles) and satisfaction per service, counter or staff member. */
export class ReportsService {
  constructor(private readonly db: Db) {}

  async report(hallId: number, q: ReportsQuery): Promise<Report> {
    const by: ReportBy = q.by ?? 'service';
    const today = await repo.hallToday(this.db, hallId);
    if (!today) throw notFound(`Không có trung tâm số ${hallId}`);
    const range = resolveRange(q, today, 'day');
    const [rows, total, rated] = await Promise.all([
      repo.figuresBy(this.db, by, hallId, range.from, range.to),
      repo.figuresTotal(this.db, hallId, range.from, range.to),
      repo.ratedBy(this.db, by, hallId, range.from, range.to),
    ]);
    const ratedById = new Map(rated.filter((r) => r.id !== null).map((r) => [r.id!, r]));
    const ratedTotal = rated.find((r) => r.id === null);
    return {
      by,
      from: range.from,
      to: range.to,
      items: rows.map((f) => ({ id: f.id!, name: f.name ?? '', ...figuresOf(f, ratedById.get(f.id!), by) })),
      total: figuresOf(total, ratedTotal && ratedTotal.rated !== null ? ratedTotal : undefined, 'total'),
      at: new Date().toISOString(),
    };
  }

  async reportCsv(hallId: number, q: ReportsQuery): Promise<{ filename: string; csv: string }> {
    const r = await this.report(hallId, q);
    const subject: Record<ReportBy, string> = { service: 'Lĩnh vực / dịch vụ', counter: 'Quầy', staff: 'Cán bộ' };
    const header = [
      subject[r.by],
      'Số phát ra',
      'Số đã gọi',
      'Đã phục vụ',
      'Vắng mặt',
      'Chưa phục vụ (hết ngày)',
      'Chuyển tiếp',
      'Chờ TB (phút)',
      'Chờ trung vị (phút)',
      'Chờ P90 (phút)',
      'Phục vụ TB (phút)',
      'Phục vụ trung vị (phút)',
      'Phục vụ P90 (phút)',
      'Lượt đánh giá',
      'Điểm hài lòng TB (1–4)',
      'Tỷ lệ hài lòng (%)',
      ...ratingLevels.map((l) => l.vi),
    ];
    const line = (name: string, f: ReportFigures) => [
      name,
      f.issued,
      f.called,
      f.served,
      f.noShow,
      f.notServed,
      f.transferred,
      minutes(f.waitAvgSeconds),
      minutes(f.waitMedianSeconds),
      minutes(f.waitP90Seconds),
      minutes(f.serviceAvgSeconds),
      minutes(f.serviceMedianSeconds),
      minutes(f.serviceP90Seconds),
      f.ratings,
      f.satisfactionMean,
      percent(f.satisfiedShare),
      ...ratingLevels.map((l) => f.levels[l.level]),
    ];
    const rows = [...r.items.map((i) => line(i.name, i)), line('Toàn trung tâm', r.total)];
    return { filename: `bao-cao-${r.by}-${r.from}_${r.to}.csv`, csv: toCsv(header, rows) };
  }
}
