import type { Db } from '../db/pool.js';
import { notFound } from '../errors.js';
import { ratingLevels, type RankingBy, type Rankings, type RankingsQuery } from '../../protocol/index.js';
import * as repo from './rankings.repo.js';
import { resolveRange } from './period.js';
import { DEFAULT_MIN_RATINGS, DEFAULT_PRIOR_WEIGHT, NEUTRAL_MEAN, RANKING_METHOD, rankTallies, sumTallies, type Tally } from './ranking.js';
import { percent, toCsv } from './csv.js';

const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

export class RankingsService {
  constructor(private readonly db: Db) {}

  /** The hall a rankings request is about: `?hall=CODE`, else the caller's hall, else the first hall. */
  async hallFor(code: string | undefined, principalHallId: number | null): Promise<repo.HallBrief> {
    const hall = code
      ? await repo.hallByCode(this.db, code)
      : principalHallId !== null
        ? await repo.hallById(this.db, principalHallId)
        : await repo.firstHall(this.db);
    if (!hall) throw notFound(code ? `Không có trung tâm mã "${code}"` : 'Chưa có trung tâm nào');
    return hall;
  }

  async rankings(q: RankingsQuery, principalHallId: number | null): Promise<Rankings> {
    const by: RankingBy = q.by ?? 'staff';
    const hall = await this.hallFor(q.hall, principalHallId);
    const range = resolveRange(q, hall.today, 'month');
    const configured = await repo.hallSetting(this.db, hall.id, 'rankingMinRatings');
    const minRatings = q.minRatings ?? (typeof configured === 'number' && Number.isInteger(configured) && configured >= 1 ? configured : DEFAULT_MIN_RATINGS);

    const rows = await repo.tallies(this.db, by, hall.id, range.from, range.to);
    const tallies: Tally[] = rows.map((r) => ({
      id: r.id,
      name: r.name,
      nameEn: r.name_en,
      title: r.title,
      served: Number(r.served),
      ratings: Number(r.rated),
      levelSum: Number(r.level_sum),
      levels: { 1: Number(r.n1), 2: Number(r.n2), 3: Number(r.n3), 4: Number(r.n4) },
    }));
    // Everything rated in the period sets the prior, including services outside any department.
    const totals = sumTallies(tallies);
    const priorMean = totals.mean ?? NEUTRAL_MEAN;
    const items = rankTallies(
      tallies.filter((t) => t.id > 0),
      { priorMean, priorWeight: DEFAULT_PRIOR_WEIGHT, minRatings },
    );
    return {
      hall: { id: hall.id, code: hall.code, name: hall.name },
      by,
      period: range.period,
      from: range.from,
      to: range.to,
      prior: { mean: round4(priorMean)!, weight: DEFAULT_PRIOR_WEIGHT, source: totals.mean === null ? 'default' : 'period_mean' },
      minRatings,
      method: RANKING_METHOD,
      totals: {
        ratings: totals.ratings,
        served: totals.served,
        mean: round4(totals.mean),
        satisfiedShare: round4(totals.satisfiedShare),
        ratedShare: round4(totals.ratedShare),
        levels: totals.levels,
      },
      items,
      at: new Date().toISOString(),
    };
  }

  /** The same rankings as a spreadsheet (UTF-8 with BOM). */
  async rankingsCsv(q: RankingsQuery, principalHallId: number | null): Promise<{ filename: string; csv: string }> {
    const { filename, header, rows } = await this.rankingsTable(q, principalHallId);
    return { filename: `${filename}.csv`, csv: toCsv(header, rows) };
  }

  /** The same rankings as an Excel workbook (.xlsx): one sheet, a bold frozen header, the period in the title. */
  async rankingsXlsx(q: RankingsQuery, principalHallId: number | null): Promise<{ filename: string; xlsx: Buffer }> {
    const { filename, header, rows, title } = await this.rankingsTable(q, principalHallId);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    book.creator = 'Hall Hub';
    const sheet = book.addWorksheet('Xếp hạng', { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.addRow([title]).font = { bold: true, size: 14 };
    sheet.addRow(header).font = { bold: true };
    for (const row of rows) sheet.addRow(row.map((c) => c ?? ''));
    sheet.columns.forEach((col, i) => {
      col.width = i === 1 ? 36 : i === 2 ? 28 : 16;
    });
    return { filename: `${filename}.xlsx`, xlsx: Buffer.from(await book.xlsx.writeBuffer()) };
  }

  private async rankingsTable(q: RankingsQuery, principalHallId: number | null) {
    const r = await this.rankings(q, principalHallId);
    const subject: Record<RankingBy, string> = { staff: 'Cán bộ', counter: 'Quầy', department: 'Phòng ban / lĩnh vực', hall: 'Trung tâm' };
    const header = [
      'Hạng',
      subject[r.by],
      'Chức danh',
      'Số lượt đánh giá',
      `Điểm xếp hạng (Bayes, m=${r.prior.weight}, C=${r.prior.mean})`,
      'Điểm trung bình',
      ...ratingLevels.map((l) => l.vi),
      'Tỷ lệ hài lòng (%)',
      'Số lượt phục vụ',
      'Tỷ lệ được đánh giá (%)',
    ];
    const rows = r.items.map((i) => [
      i.rank ?? 'Chưa xếp hạng',
      i.name,
      i.title,
      i.ratings,
      i.score,
      i.mean,
      ...ratingLevels.map((l) => i.levels[l.level]),
      percent(i.satisfiedShare),
      i.served,
      percent(i.ratedShare),
    ]);
    const title = `${r.hall?.name ?? ''} – Kết quả đánh giá mức độ hài lòng, từ ${r.from} đến ${r.to}`;
    return { filename: `xep-hang-${r.by}-${r.from}_${r.to}`, header, rows, title };
  }
}
