import { transaction } from '../db/pool.js';
import { HALL_SETTING_DEFAULTS } from '../../protocol/setup.js';
import { HubError } from '../errors.js';
import type { Hub } from '../context.js';
import type { DevicePrincipal } from '../auth/principal.js';
import * as repo from './pace.repo.js';

export const DEFAULT_KIOSK_TICKETS_PER_MINUTE = HALL_SETTING_DEFAULTS.kioskTicketsPerMinute;
/** The board's alarm for a kiosk over its pace clears when the kiosk has issued again this long after its last refusal. */
const ALARM_CLEARS_AFTER_MS = 60_000;
const SETTING_CACHE_MS = 5_000;

/** Tickets a kiosk may issue in a row before the pace applies: a family at the kiosk, or a quick second try. */
export const burstOf = (perMinute: number): number => Math.max(3, Math.ceil(perMinute / 4));

/**
 * The pace of each kiosk (hall setting `kioskTicketsPerMinute`): a token bucket per device in the database, so a
 * leaked kiosk token or a ghost-tapping touch screen cannot drain the day's numbers. Over the pace: 429
 * `kiosk_over_pace` and a `kiosk_over_pace` fault on the device, which the board shows as an alarm naming it.
 */
export class KioskPace {
  private readonly settings = new Map<number, { perMinute: number; until: number }>();

  constructor(private readonly hub: Hub) {}

  private async perMinute(hallId: number): Promise<number> {
    const hit = this.settings.get(hallId);
    if (hit && hit.until > Date.now()) return hit.perMinute;
    const raw = await repo.hallKioskPace(this.hub.db, hallId);
    const perMinute = Number.isInteger(raw) && (raw as number) >= 0 && (raw as number) <= 600 ? (raw as number) : DEFAULT_KIOSK_TICKETS_PER_MINUTE;
    this.settings.set(hallId, { perMinute, until: Date.now() + SETTING_CACHE_MS });
    return perMinute;
  }

  /** Takes one ticket from the kiosk's pace; throws 429 (after raising the alarm) when it is over. */
  async take(p: DevicePrincipal): Promise<void> {
    if (p.device.kind !== 'kiosk') return;
    const perMinute = await this.perMinute(p.hallId);
    if (perMinute === 0) return;
    const result = await repo.takeKioskToken(this.hub.db, p.device.id, burstOf(perMinute), perMinute / 60);
    if (result.ok) {
      if (result.refusedAt && Date.now() - result.refusedAt.getTime() >= ALARM_CLEARS_AFTER_MS) await this.alarm(p, null);
      return;
    }
    if (!(await repo.hasPaceFault(this.hub.db, p.device.id))) await this.alarm(p, perMinute);
    throw new HubError(
      429,
      'kiosk_over_pace',
      `Máy đang cấp số nhanh hơn mức cho phép (${perMinute} phiếu/phút): xin vui lòng chờ giây lát rồi chạm lại / this kiosk is issuing tickets faster than allowed, please wait a moment`,
    );
  }

  private async alarm(p: DevicePrincipal, perMinute: number | null): Promise<void> {
    const fault =
      perMinute === null
        ? null
        : {
            code: 'kiosk_over_pace',
            message: `máy lấy số "${p.device.name}" cấp số quá nhanh (hơn ${perMinute} phiếu/phút): kiểm tra màn hình cảm ứng hoặc mã thiết bị bị lộ`,
            since: new Date().toISOString(),
          };
    const faults = await transaction(this.hub.db, (tx) => repo.setPaceFault(tx, p.device.id, fault));
    this.hub.bus.emit('device.health', {
      hallId: p.hallId,
      deviceId: p.device.id,
      online: true,
      faults: faults.map((f) => ({ code: f.code, message: f.message, since: f.since })),
      at: new Date().toISOString(),
    });
  }
}
