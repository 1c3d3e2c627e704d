import type { Queryable } from '../db/pool.js';
import { setPaceFaults } from '../devices/faults.repo.js';

/**
 * Takes one ticket from a kiosk's bucket (`burst` tickets, refilled at `perSecond`), in one statement so every hub
 * process shares it. False when the bucket is empty: the refusal time is recorded instead.
 */
export async function takeKioskToken(db: Queryable, deviceId: number, burst: number, perSecond: number): Promise<{ ok: boolean; refusedAt: Date | null }> {
  const { rows } = await db.query<{ refused_at: Date | null }>(
    `INSERT INTO kiosk_pace AS p (device_id, tokens, updated_at) VALUES ($1, $2 - 1, now())
     ON CONFLICT (device_id) DO UPDATE
        SET tokens = least($2::float8, p.tokens + extract(epoch FROM now() - p.updated_at) * $3::float8) - 1, updated_at = now()
      WHERE least($2::float8, p.tokens + extract(epoch FROM now() - p.updated_at) * $3::float8) >= 1
     RETURNING p.refused_at`,
    [deviceId, burst, perSecond],
  );
  if (rows[0]) return { ok: true, refusedAt: rows[0].refused_at };
  const refused = await db.query<{ refused_at: Date }>('UPDATE kiosk_pace SET refused_at = now() WHERE device_id = $1 RETURNING refused_at', [deviceId]);
  return { ok: false, refusedAt: refused.rows[0]?.refused_at ?? null };
}

/** Sets (or with `fault` null clears) the device's `kiosk_over_pace` fault, kept apart from the faults it reports itself. */
export async function setPaceFault(db: Queryable, deviceId: number, fault: { code: string; message: string; since: string } | null): Promise<{ code: string; message: string; since: string }[]> {
  const faults = await setPaceFaults(db, deviceId, fault ? [fault] : []);
  if (fault === null) await db.query('UPDATE kiosk_pace SET refused_at = NULL WHERE device_id = $1', [deviceId]);
  return faults;
}

export async function hallKioskPace(db: Queryable, hallId: number): Promise<unknown> {
  const { rows } = await db.query<{ v: unknown }>(`SELECT settings->'kioskTicketsPerMinute' AS v FROM halls WHERE id = $1`, [hallId]);
  return rows[0]?.v;
}

export async function hasPaceFault(db: Queryable, deviceId: number): Promise<boolean> {
  const { rows } = await db.query<{ has: boolean }>(`SELECT faults @> '[{"code":"kiosk_over_pace"}]'::jsonb AS has FROM devices WHERE id = $1`, [deviceId]);
  return rows[0]?.has === true;
}
