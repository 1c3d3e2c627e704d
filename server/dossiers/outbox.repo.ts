/** SQL of the dossier outbox: webhooks and applicant notices written with the change, delivered later. */
import type { Queryable } from '../db/pool.js';

export type OutboxChannel = 'webhook' | 'email' | 'sms';

export type OutboxPayload =
  | { channel: 'webhook'; body: string; deliveryId: string }
  | { channel: 'email'; subject: string; text: string; note: string }
  | { channel: 'sms'; text: string; note: string };

export interface OutboxRow {
  id: number;
  hall_id: number;
  dossier_id: number;
  trigger_event_id: number;
  channel: OutboxChannel;
  integration_key_id: number | null;
  target: string;
  payload: OutboxPayload;
  attempts: number;
  /** The key's current webhook secret, and whether the key was revoked since (webhooks only). */
  webhook_secret: string | null;
  key_revoked: boolean;
  trigger_status: string;
}

export async function enqueue(
  db: Queryable,
  o: { hallId: number; dossierId: number; triggerEventId: number; integrationKeyId: number | null; target: string; payload: OutboxPayload },
): Promise<void> {
  await db.query(
    `INSERT INTO dossier_outbox (hall_id, dossier_id, trigger_event_id, channel, integration_key_id, target, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (trigger_event_id, channel, target) DO NOTHING`,
    [o.hallId, o.dossierId, o.triggerEventId, o.payload.channel, o.integrationKeyId, o.target, JSON.stringify(o.payload)],
  );
}

/**
 * Claims up to `limit` due rows for this process: pending ones, and ones whose sender's lease ran out (a hub
 * that stopped mid-delivery). Rows another process is claiming are skipped, never waited for.
 */
export async function claim(db: Queryable, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<OutboxRow>(
    `WITH due AS (
       SELECT id FROM dossier_outbox
        WHERE state <> 'sent' AND next_attempt_at <= now() AND (state = 'pending' OR lease_until < now())
        ORDER BY next_attempt_at, id
        LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE dossier_outbox o SET state = 'sending', attempts = o.attempts + 1, lease_until = now() + make_interval(secs => $2::float8 / 1000)
       FROM due
      WHERE o.id = due.id
     RETURNING o.id, o.hall_id, o.dossier_id, o.trigger_event_id, o.channel, o.integration_key_id, o.target, o.payload, o.attempts,
       (SELECT webhook_secret FROM integration_keys WHERE id = o.integration_key_id) AS webhook_secret,
       coalesce((SELECT revoked_at IS NOT NULL FROM integration_keys WHERE id = o.integration_key_id), false) AS key_revoked,
       (SELECT status FROM dossier_events WHERE id = o.trigger_event_id) AS trigger_status`,
    [limit, leaseMs],
  );
  return rows;
}

/** Marks a delivery done; false when this process no longer holds it (its lease ran out and another took it). */
export async function markSent(db: Queryable, id: number, attempts: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE dossier_outbox SET state = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL
      WHERE id = $1 AND attempts = $2 AND state = 'sending'`,
    [id, attempts],
  );
  return (rowCount ?? 0) > 0;
}

/** Gives up a delivery nobody wants any more (its integration key was revoked). */
export async function markDropped(db: Queryable, id: number, attempts: number, reason: string): Promise<void> {
  await db.query(
    `UPDATE dossier_outbox SET state = 'sent', lease_until = NULL, last_error = $3 WHERE id = $1 AND attempts = $2 AND state = 'sending'`,
    [id, attempts, reason],
  );
}

export async function markFailed(db: Queryable, id: number, attempts: number, retryInMs: number, error: string): Promise<void> {
  await db.query(
    `UPDATE dossier_outbox SET state = 'pending', lease_until = NULL, last_error = $4,
        next_attempt_at = now() + make_interval(secs => $3::float8 / 1000)
      WHERE id = $1 AND attempts = $2 AND state = 'sending'`,
    [id, attempts, retryInMs, error.slice(0, 500)],
  );
}

/** When the next row falls due (to sleep until then), or null when nothing waits. */
export async function nextDue(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT min(CASE WHEN state = 'pending' THEN next_attempt_at ELSE greatest(next_attempt_at, lease_until) END) AS at
       FROM dossier_outbox WHERE state <> 'sent'`,
  );
  return rows[0]?.at ?? null;
}
