import type { Queryable } from '../db/pool.js';
import type { DeviceKind } from '../../protocol/index.js';

export interface DeviceRow {
  id: number;
  hall_id: number;
  kind: DeviceKind;
  name: string;
  counter_id: number | null;
  printer: string | null;
  created_at: Date;
  last_seen_at: Date | null;
  online_until: Date | null;
  faults: { code: string; message: string; since: string }[];
  revoked_at: Date | null;
}

export async function insertDevice(
  db: Queryable,
  d: { hallId: number; kind: DeviceKind; name: string; counterId: number | null; printer: string | null; tokenHash: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO devices (hall_id, kind, name, counter_id, printer, token_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [d.hallId, d.kind, d.name, d.counterId, d.printer, d.tokenHash],
  );
  return rows[0]!.id;
}

export async function listDevices(db: Queryable, hallId: number): Promise<DeviceRow[]> {
  const { rows } = await db.query<DeviceRow>('SELECT * FROM devices WHERE hall_id = $1 ORDER BY id', [hallId]);
  return rows;
}

export async function findDevice(db: Queryable, id: number): Promise<DeviceRow | null> {
  const { rows } = await db.query<DeviceRow>('SELECT * FROM devices WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Marks a device seen; `onlineForSeconds` extends its online window (heartbeats come more often than that). */
export async function touchDevice(db: Queryable, id: number, onlineForSeconds: number): Promise<void> {
  await db.query('UPDATE devices SET last_seen_at = now(), online_until = now() + make_interval(secs => $2) WHERE id = $1', [id, onlineForSeconds]);
}

export async function markOffline(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE devices SET online_until = now() WHERE id = $1', [id]);
}

/** Applies an admin's change to a live device of the hall; false when there is none. */
export async function updateDevice(
  db: Queryable,
  hallId: number,
  id: number,
  d: { name?: string; counterId?: number | null; printer?: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE devices SET name = coalesce($3, name),
        counter_id = CASE WHEN $4 THEN $5::integer ELSE counter_id END,
        printer = CASE WHEN $6 THEN $7::text ELSE printer END
      WHERE hall_id = $1 AND id = $2 AND revoked_at IS NULL`,
    [hallId, id, d.name ?? null, d.counterId !== undefined, d.counterId ?? null, d.printer !== undefined, d.printer ?? null],
  );
  return (rowCount ?? 0) > 0;
}

export async function revokeDevice(db: Queryable, hallId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE devices SET revoked_at = now() WHERE hall_id = $1 AND id = $2 AND revoked_at IS NULL', [hallId, id]);
  return (rowCount ?? 0) > 0;
}
