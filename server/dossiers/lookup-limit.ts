/**
 * Limits the public dossier lookup so codes cannot be enumerated: per IP (or per lookup kiosk device, with higher
 * limits) so many lookups a minute, and — stricter — so many unknown codes an hour. Counters live in PostgreSQL,
 * so every hub process shares them. Staff and outside systems are not limited.
 */
import type { Db } from '../db/pool.js';
import type { Config } from '../config.js';
import { HubError } from '../errors.js';
import * as repo from './lookup.repo.js';

export type LookupSubject = { kind: 'ip'; ip: string } | { kind: 'device'; deviceId: number };

const key = (s: LookupSubject) => (s.kind === 'ip' ? `ip:${s.ip}` : `device:${s.deviceId}`);

export class RateLimited extends HubError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', message);
  }
}

export class LookupLimiter {
  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'lookupPerMinute' | 'lookupMissesPerHour' | 'lookupDevicePerMinute' | 'lookupDeviceMissesPerHour'>,
  ) {}

  /**
   * Counts a lookup and reserves a miss for it, in one statement; throws RateLimited (429) past a limit (the
   * reservation is then given back). The caller gives the miss back with `hit` when the lookup found its dossier,
   * so concurrent lookups can never use more misses than the limit.
   */
  async check(subject: LookupSubject): Promise<void> {
    const perMinute = subject.kind === 'ip' ? this.config.lookupPerMinute : this.config.lookupDevicePerMinute;
    const missesPerHour = subject.kind === 'ip' ? this.config.lookupMissesPerHour : this.config.lookupDeviceMissesPerHour;
    const c = await repo.countLookup(this.db, key(subject), missesPerHour);
    if (!c.reserved) {
      throw new RateLimited(
        `Đã tra cứu quá nhiều mã không tồn tại. Vui lòng thử lại sau ${Math.ceil(c.hour_left / 60)} phút / too many unknown codes, retry later`,
        c.hour_left,
      );
    }
    if (c.hits > perMinute) {
      await repo.releaseMiss(this.db, key(subject));
      throw new RateLimited(`Tra cứu quá nhiều lần. Vui lòng thử lại sau ${c.minute_left} giây / too many lookups, retry later`, c.minute_left);
    }
  }

  /** The lookup found its dossier (with no wrong key): gives its reserved miss back. */
  async hit(subject: LookupSubject): Promise<void> {
    await repo.releaseMiss(this.db, key(subject));
  }

  prune(): Promise<number> {
    return repo.pruneLookupLimits(this.db);
  }
}
