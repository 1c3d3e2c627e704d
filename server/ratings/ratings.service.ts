import { HALL_SETTING_DEFAULTS } from '../../protocol/setup.js';
import { type Db, transaction } from '../db/pool.js';
import type { EventBus } from '../events.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { CreateRatingBody, Rating, RatingLevel, RatingRequest, TabletState } from '../../protocol/index.js';
import * as repo from './ratings.repo.js';

/** The tablet of one counter, as the hub knows it from its token. */
export interface TabletActor {
  hallId: number;
  deviceId: number;
  counterId: number | null;
}

export const DEFAULT_RATING_WINDOW_MINUTES = HALL_SETTING_DEFAULTS.ratingWindowMinutes;
export const DEFAULT_OFFLINE_GRACE_HOURS = HALL_SETTING_DEFAULTS.ratingOfflineGraceHours;
/** A tablet that (re)connects still asks about a ticket served this recently. */
export const PENDING_PROMPT_MINUTES = 3;

const intSetting = (value: unknown, fallback: number, min: number, max: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;

export function ratingView(r: repo.RatingRow): Rating {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    number: r.number,
    level: r.level as RatingLevel,
    reasons: r.reasons,
    comment: r.comment,
    clientId: r.client_id,
    ratedAt: r.rated_at.toISOString(),
    createdAt: r.created_at.toISOString(),
  };
}

function requestView(r: repo.RequestRow, windowMinutes: number): RatingRequest {
  return {
    ticketId: r.ticket_id,
    number: r.number,
    counterId: r.counter_id,
    staffName: r.staff_name,
    serviceName: r.service_name,
    expiresAt: new Date(r.finished_at.getTime() + windowMinutes * 60_000).toISOString(),
  };
}

export class RatingsService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  private async settings(hallId: number) {
    const s = await repo.ratingSettings(this.db, hallId);
    return {
      hallName: s?.name ?? '',
      windowMinutes: intSetting(s?.window, DEFAULT_RATING_WINDOW_MINUTES, 1, 7 * 24 * 60),
      graceHours: intSetting(s?.grace, DEFAULT_OFFLINE_GRACE_HOURS, 0, 7 * 24),
    };
  }

  /**
   * Records a citizen's rating of a served ticket. Only the tablet of the counter that served it (403),
   * once per ticket (409), within the hall's rating window counted at the moment the citizen rated (409).
   * A repeat of the same clientId returns the original rating (`replay`), whatever happened since.
   */
  async rate(actor: TabletActor, body: CreateRatingBody): Promise<{ rating: Rating; replay: boolean }> {
    if (actor.counterId === null) throw forbidden('Máy tính bảng này chưa được gắn với quầy nào / this tablet is not paired to a counter');
    const counterId = actor.counterId;
    const settings = await this.settings(actor.hallId);
    const result = await transaction(this.db, async (tx) => {
      const ticket = await repo.lockTicket(tx, actor.hallId, body.ticketId);
      if (!ticket) throw notFound(`Không có phiếu số ${body.ticketId}`);
      if (ticket.counter_id !== counterId) {
        throw forbidden(`Số ${ticket.number} không do quầy của máy tính bảng này phục vụ / not served at this tablet's counter`);
      }
      if (body.clientId !== undefined) {
        const earlier = await repo.findByClientId(tx, actor.hallId, body.clientId);
        if (earlier) {
          if (earlier.ticket_id !== ticket.id) throw conflict('clientId này đã dùng cho một phiếu khác / clientId already used for another ticket', 'client_id_reused');
          return { row: earlier, replay: true, staffId: null };
        }
      }
      if (ticket.status !== 'done' || ticket.finished_at === null || ticket.staff_id === null || ticket.counter_id === null) {
        throw conflict(`Số ${ticket.number} chưa được phục vụ xong / the ticket is not served yet`, 'not_served');
      }
      if (await repo.findByTicket(tx, ticket.id)) throw conflict(`Số ${ticket.number} đã được đánh giá / already rated`, 'already_rated');

      const now = Date.now();
      const delayMs = (body.delaySeconds ?? 0) * 1000;
      const ratedAt = Math.max(now - delayMs, ticket.finished_at.getTime());
      const closesAt = ticket.finished_at.getTime() + settings.windowMinutes * 60_000;
      if (ratedAt > closesAt || delayMs > settings.graceHours * 3600_000) {
        throw conflict(`Đã hết thời gian đánh giá số ${ticket.number} (${settings.windowMinutes} phút) / the rating window is closed`, 'rating_window_closed');
      }
      const row = await repo.insertRating(tx, {
        ticket: { ...ticket, counter_id: ticket.counter_id, staff_id: ticket.staff_id },
        deviceId: actor.deviceId,
        level: body.level,
        reasons: body.reasons ?? [],
        comment: body.comment?.trim() ? body.comment.trim() : null,
        clientId: body.clientId ?? null,
        ratedAt: new Date(ratedAt),
      });
      return { row, replay: false, staffId: ticket.staff_id as number | null };
    });
    if (!result.replay && result.staffId !== null) {
      this.bus.emit('rating.recorded', {
        hallId: actor.hallId,
        ratingId: result.row.id,
        ticketId: result.row.ticket_id,
        counterId,
        staffId: result.staffId,
        level: result.row.level,
      });
    }
    return { rating: ratingView(result.row), replay: result.replay };
  }

  /** The rating request for a ticket just served, or null when it cannot be rated. */
  async requestFor(hallId: number, ticketId: number): Promise<RatingRequest | null> {
    const [row, settings] = await Promise.all([repo.requestOf(this.db, hallId, ticketId), this.settings(hallId)]);
    return row ? requestView(row, settings.windowMinutes) : null;
  }

  /** Everything the tablet shows, for its first paint and after every reconnect. */
  async tabletState(actor: TabletActor): Promise<TabletState> {
    if (actor.counterId === null) throw forbidden('Máy tính bảng này chưa được gắn với quầy nào / this tablet is not paired to a counter');
    const settings = await this.settings(actor.hallId);
    const c = await repo.tabletCounter(this.db, actor.hallId, actor.counterId);
    if (!c) throw notFound(`Không có quầy số ${actor.counterId}`);
    const since = new Date(Date.now() - Math.min(PENDING_PROMPT_MINUTES, settings.windowMinutes) * 60_000);
    const pending = await repo.lastUnrated(this.db, c.id, since);
    return {
      hallName: settings.hallName,
      counter: { id: c.id, number: c.number, name: c.name, status: c.status },
      staff: c.staff_id !== null ? { id: c.staff_id, name: c.staff_name ?? '', title: c.staff_title, photoUrl: c.staff_photo_url } : null,
      currentTicket: c.ticket_id !== null ? { id: c.ticket_id, number: c.ticket_number ?? '', status: c.ticket_status ?? '' } : null,
      pending: pending ? requestView(pending, settings.windowMinutes) : null,
      ratingWindowMinutes: settings.windowMinutes,
      at: new Date().toISOString(),
    };
  }
}
