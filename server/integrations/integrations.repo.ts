/** SQL of outside systems' keys. */
import type { Queryable } from '../db/pool.js';

export interface IntegrationKeyRow {
  id: number;
  hall_id: number;
  name: string;
  key_prefix: string;
  webhook_url: string | null;
  webhook_secret: string;
  created_at: Date;
  revoked_at: Date | null;
}

export async function insertKey(
  db: Queryable,
  k: { hallId: number; name: string; keyHash: string; keyPrefix: string; webhookUrl: string | null; webhookSecret: string },
): Promise<IntegrationKeyRow> {
  const { rows } = await db.query<IntegrationKeyRow>(
    `INSERT INTO integration_keys (hall_id, name, key_hash, key_prefix, webhook_url, webhook_secret)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [k.hallId, k.name, k.keyHash, k.keyPrefix, k.webhookUrl, k.webhookSecret],
  );
  return rows[0]!;
}

export async function listKeys(db: Queryable, hallId: number): Promise<IntegrationKeyRow[]> {
  const { rows } = await db.query<IntegrationKeyRow>('SELECT * FROM integration_keys WHERE hall_id = $1 ORDER BY id', [hallId]);
  return rows;
}

/** The active key with this hash, or null. */
export async function findActiveKey(db: Queryable, keyHash: string): Promise<IntegrationKeyRow | null> {
  const { rows } = await db.query<IntegrationKeyRow>('SELECT * FROM integration_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
  return rows[0] ?? null;
}

export async function revokeKey(db: Queryable, hallId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE integration_keys SET revoked_at = now() WHERE hall_id = $1 AND id = $2 AND revoked_at IS NULL', [hallId, id]);
  return (rowCount ?? 0) > 0;
}

/** The hall's active keys that want webhooks. */
export async function webhookTargets(db: Queryable, hallId: number): Promise<{ id: number; webhook_url: string }[]> {
  const { rows } = await db.query<{ id: number; webhook_url: string }>(
    'SELECT id, webhook_url FROM integration_keys WHERE hall_id = $1 AND revoked_at IS NULL AND webhook_url IS NOT NULL ORDER BY id',
    [hallId],
  );
  return rows;
}
