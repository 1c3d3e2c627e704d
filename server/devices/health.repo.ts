import type { Queryable } from '../db/pool.js';
import type { DriverKind } from '../../protocol/voice.js';

export type Fault = { code: string; message: string; since: string };

export interface HardwareHealthRow {
  node: string;
  driver: string;
  hall_id: number;
  kind: DriverKind;
  path: string | null;
  counter_number: number | null;
  online: boolean;
  faults: Fault[];
  updated_at: Date;
}

export async function upsertDriver(
  db: Queryable,
  d: { node: string; driver: string; hallId: number; kind: DriverKind; path: string | null; counterNumber: number | null; online: boolean; faults: Fault[] },
): Promise<void> {
  await db.query(
    `INSERT INTO hardware_health (node, driver, hall_id, kind, path, counter_number, online, faults, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, now())
     ON CONFLICT (hall_id, node, driver) DO UPDATE SET kind = EXCLUDED.kind, path = EXCLUDED.path,
       counter_number = EXCLUDED.counter_number, online = EXCLUDED.online, faults = EXCLUDED.faults, updated_at = now()`,
    [d.node, d.driver, d.hallId, d.kind, d.path, d.counterNumber, d.online, JSON.stringify(d.faults)],
  );
}

export async function deleteNode(db: Queryable, node: string): Promise<void> {
  await db.query('DELETE FROM hardware_health WHERE node = $1', [node]);
}

/** The drivers serving a hall, on every hub process. */
export async function driversOfHall(db: Queryable, hallId: number): Promise<HardwareHealthRow[]> {
  const { rows } = await db.query<HardwareHealthRow>(
    'SELECT * FROM hardware_health WHERE hall_id = $1 ORDER BY kind, counter_number NULLS FIRST, node, driver',
    [hallId],
  );
  return rows;
}

export interface DeviceHealthChange {
  device_id: number;
  hall_id: number;
  online: boolean;
  faults: Fault[];
  first: boolean;
}

/**
 * Records the current health of every device whose online state or faults differ from what was last reported,
 * and returns those changes. Concurrent sweeps (several hub processes) each get a change at most once: the
 * conditional upsert re-checks the row after waiting for the other's lock.
 */
export async function sweepDeviceHealth(db: Queryable): Promise<DeviceHealthChange[]> {
  const { rows } = await db.query<DeviceHealthChange>(
    `WITH cur AS (
       SELECT d.id, d.hall_id, (d.revoked_at IS NULL AND coalesce(d.online_until > now(), false)) AS online, d.faults
         FROM devices d
     ), changed AS (
       INSERT INTO device_health_reports AS r (device_id, online, faults)
       SELECT cur.id, cur.online, cur.faults FROM cur LEFT JOIN device_health_reports old ON old.device_id = cur.id
        WHERE old.device_id IS NULL OR old.online IS DISTINCT FROM cur.online OR old.faults IS DISTINCT FROM cur.faults
       ON CONFLICT (device_id) DO UPDATE SET online = EXCLUDED.online, faults = EXCLUDED.faults, reported_at = now()
         WHERE r.online IS DISTINCT FROM EXCLUDED.online OR r.faults IS DISTINCT FROM EXCLUDED.faults
       RETURNING device_id, online, faults, (xmax = 0) AS first
     )
     SELECT c.device_id, cur.hall_id, c.online, c.faults, c.first FROM changed c JOIN cur ON cur.id = c.device_id
      ORDER BY c.device_id`,
  );
  return rows;
}
