import type { Queryable } from '../db/pool.js';

/**
 * A fault in `devices.faults`. Entries marked `by` are faults the hub observed itself (`printing`: printer faults;
 * `pace`: a kiosk over its ticket pace); the others are what the device reported in its last heartbeat.
 */
export interface StoredFault {
  code: string;
  message: string;
  since: string;
  by?: string;
}

/**
 * The only writes to `devices.faults`. A heartbeat replaces the device's reported faults and keeps the hub's own
 * entries (marked `by`; a reported fault with the code of a kept one is dropped); the printing
 * feature replaces its own entries and any `printer_*` entry a heartbeat brought, keeping the others.
 */
export async function setReportedFaults(db: Queryable, deviceId: number, faults: StoredFault[]): Promise<void> {
  await db.query(
    `UPDATE devices SET faults = coalesce((
        SELECT jsonb_agg(f) FROM jsonb_array_elements($2::jsonb) f
         WHERE coalesce(f->>'by', '') = ''
           AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(devices.faults) k WHERE coalesce(k->>'by', '') <> '' AND k->>'code' = f->>'code')
      ), '[]'::jsonb) || coalesce((SELECT jsonb_agg(k) FROM jsonb_array_elements(devices.faults) k WHERE coalesce(k->>'by', '') <> ''), '[]'::jsonb)
      WHERE id = $1`,
    [deviceId, JSON.stringify(faults)],
  );
}

export async function setPrintingFaults(db: Queryable, deviceId: number, faults: StoredFault[]): Promise<void> {
  await db.query(
    `UPDATE devices SET faults = coalesce((SELECT jsonb_agg(f) FROM jsonb_array_elements(faults) f
                                            WHERE coalesce(f->>'by', '') <> 'printing' AND NOT starts_with(coalesce(f->>'code', ''), 'printer_')), '[]'::jsonb) || $2::jsonb
      WHERE id = $1`,
    [deviceId, JSON.stringify(faults.map((f) => ({ ...f, by: 'printing' })))],
  );
}

/** Replaces the kiosk pace's own entry (`by: 'pace'`), keeping every other; returns the device's faults. */
export async function setPaceFaults(db: Queryable, deviceId: number, faults: StoredFault[]): Promise<StoredFault[]> {
  const { rows } = await db.query<{ faults: StoredFault[] }>(
    `UPDATE devices SET faults = coalesce((SELECT jsonb_agg(f) FROM jsonb_array_elements(faults) f WHERE coalesce(f->>'by', '') <> 'pace'), '[]'::jsonb) || $2::jsonb
      WHERE id = $1 RETURNING faults`,
    [deviceId, JSON.stringify(faults.map((f) => ({ ...f, by: 'pace' })))],
  );
  return rows[0]?.faults ?? [];
}
