import type { Queryable } from '../db/pool.js';

export interface IdempotencyRow {
  request_hash: string;
  result_ref: number | null;
  reply_status: number | null;
  reply: unknown;
}

/** The key as recorded today in the hall, if it was. */
export async function findKey(db: Queryable, hallId: number, key: string): Promise<IdempotencyRow | null> {
  const { rows } = await db.query<IdempotencyRow>(
    `SELECT request_hash, result_ref, reply_status, reply FROM idempotency_keys
      WHERE hall_id = $1 AND key = $2 AND day = (SELECT (now() AT TIME ZONE timezone)::date FROM halls WHERE id = $1)`,
    [hallId, key],
  );
  return rows[0] ?? null;
}

/** Records the key in the change's transaction; false when it is already there (waits for a concurrent holder). */
export async function claimKey(db: Queryable, hallId: number, key: string, hash: string, ref: number | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO idempotency_keys (hall_id, day, key, request_hash, result_ref)
     SELECT $1, (now() AT TIME ZONE timezone)::date, $2, $3, $4 FROM halls WHERE id = $1
     ON CONFLICT DO NOTHING`,
    [hallId, key, hash, ref],
  );
  return rowCount === 1;
}

export async function storeReply(db: Queryable, hallId: number, key: string, status: number, reply: unknown): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET reply_status = $3, reply = $4::jsonb
      WHERE hall_id = $1 AND key = $2 AND day = (SELECT (now() AT TIME ZONE timezone)::date FROM halls WHERE id = $1)`,
    [hallId, key, status, JSON.stringify(reply ?? null)],
  );
}
