import type { Queryable } from '../db/pool.js';
import type { StoredFault } from '../devices/faults.repo.js';
import type { DeviceKind, PrintDocument, PrintJobKind, PrintJobStatus, PrintState } from '../../protocol/index.js';

export interface PrintJobRow {
  id: number;
  uid: string;
  hall_id: number;
  device_id: number | null;
  agent_id: number | null;
  source_device_id: number | null;
  kind: PrintJobKind;
  ref: string;
  ticket_id: number | null;
  counter_id: number | null;
  printer: string | null;
  document: PrintDocument;
  status: PrintJobStatus;
  state: PrintState | null;
  attempts: number;
  error: string | null;
  reprint_of: number | null;
  requested_by: number | null;
  created_at: Date;
  sent_at: Date | null;
  printed_at: Date | null;
}

export interface PrintDeviceRow {
  id: number;
  hall_id: number;
  kind: DeviceKind;
  name: string;
  counter_id: number | null;
  printer: string | null;
  online: boolean;
  faults: StoredFault[];
}

const deviceColumns = `id, hall_id, kind, name, counter_id, printer, faults,
  (revoked_at IS NULL AND online_until IS NOT NULL AND online_until > now()) AS online`;

export async function findDevice(db: Queryable, id: number, lock = false): Promise<PrintDeviceRow | null> {
  const { rows } = await db.query<PrintDeviceRow>(`SELECT ${deviceColumns} FROM devices WHERE id = $1 AND revoked_at IS NULL${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ?? null;
}

/**
 * The receipt printer of a counter: a device with that counter and a printer, an agent first (the counter
 * PC's agent), then a kiosk, then any other kind; the oldest device first.
 */
export async function counterPrinterDevice(db: Queryable, hallId: number, counterId: number): Promise<PrintDeviceRow | null> {
  const { rows } = await db.query<PrintDeviceRow>(
    `SELECT ${deviceColumns} FROM devices
      WHERE hall_id = $1 AND counter_id = $2 AND printer IS NOT NULL AND revoked_at IS NULL
      ORDER BY CASE kind WHEN 'agent' THEN 0 WHEN 'kiosk' THEN 1 ELSE 2 END, id LIMIT 1`,
    [hallId, counterId],
  );
  return rows[0] ?? null;
}

/** Lookup kiosks whose peripherals run on agent `agentId` (printer field `agent:<agentId>`). */
export async function pairedLookups(db: Queryable, hallId: number, agentId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM devices WHERE hall_id = $1 AND kind = 'lookup' AND revoked_at IS NULL
        AND (printer = $2 OR printer LIKE $2 || '?%') ORDER BY id`,
    [hallId, `agent:${agentId}`],
  );
  return rows.map((r) => r.id);
}

/** Devices whose printer the hub drives itself (for the periodic status check). */
export async function directPrinterDevices(db: Queryable): Promise<PrintDeviceRow[]> {
  const { rows } = await db.query<PrintDeviceRow>(
    `SELECT ${deviceColumns} FROM devices WHERE printer IS NOT NULL AND printer NOT LIKE 'agent%' AND revoked_at IS NULL ORDER BY id`,
  );
  return rows;
}

export interface TicketPrintRow {
  id: number;
  hall_id: number;
  number: string;
  priority: boolean;
  issued_at: Date;
  device_id: number | null;
  service_name: string;
  hall_name: string;
  timezone: string;
  footer: string | null;
}

export async function ticketPrintRow(db: Queryable, hallId: number | null, ticketId: number): Promise<TicketPrintRow | null> {
  const { rows } = await db.query<TicketPrintRow>(
    `SELECT t.id, t.hall_id, t.number, t.priority, t.issued_at, t.device_id, s.name AS service_name,
            h.name AS hall_name, h.timezone, h.settings->>'ticketFooter' AS footer
       FROM tickets t JOIN services s ON s.id = t.service_id JOIN halls h ON h.id = t.hall_id
      WHERE t.id = $1 AND ($2::int IS NULL OR t.hall_id = $2)`,
    [ticketId, hallId],
  );
  return rows[0] ?? null;
}

export async function hallTimezone(db: Queryable, hallId: number): Promise<string> {
  const { rows } = await db.query<{ timezone: string }>('SELECT timezone FROM halls WHERE id = $1', [hallId]);
  return rows[0]?.timezone ?? 'Asia/Ho_Chi_Minh';
}

export interface NewJob {
  hallId: number;
  deviceId: number | null;
  agentId: number | null;
  sourceDeviceId: number | null;
  kind: PrintJobKind;
  ref: string;
  ticketId: number | null;
  counterId: number | null;
  printer: string | null;
  document: PrintDocument;
  reprintOf?: number | null;
  requestedBy?: number | null;
  /** Record the job already failed (nothing will print it). */
  failed?: { state: PrintState; error: string } | null;
}

export async function insertJob(db: Queryable, j: NewJob): Promise<PrintJobRow> {
  const { rows } = await db.query<PrintJobRow>(
    `INSERT INTO print_jobs (hall_id, device_id, agent_id, source_device_id, kind, ref, ticket_id, counter_id, printer, document,
                             reprint_of, requested_by, status, state, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
    [
      j.hallId,
      j.deviceId,
      j.agentId,
      j.sourceDeviceId,
      j.kind,
      j.ref,
      j.ticketId,
      j.counterId,
      j.printer,
      JSON.stringify(j.document),
      j.reprintOf ?? null,
      j.requestedBy ?? null,
      j.failed ? 'failed' : 'queued',
      j.failed?.state ?? null,
      j.failed?.error ?? null,
    ],
  );
  return rows[0]!;
}

export async function markSent(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE print_jobs SET attempts = attempts + 1, sent_at = now(), updated_at = now() WHERE id = $1', [id]);
}

/** Counts an attempt of a direct print, unless the job is no longer queued or is past its time-to-live. */
export async function claimForPrinting(db: Queryable, id: number, ttlSeconds: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE print_jobs SET attempts = attempts + 1, sent_at = now(), updated_at = now()
      WHERE id = $1 AND status = 'queued' AND created_at > now() - make_interval(secs => $2)`,
    [id, ttlSeconds],
  );
  return (rowCount ?? 0) > 0;
}

export async function lockJob(db: Queryable, id: number): Promise<PrintJobRow | null> {
  const { rows } = await db.query<PrintJobRow>('SELECT * FROM print_jobs WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ?? null;
}

export async function finishJob(db: Queryable, id: number, outcome: { printed: boolean; state: PrintState; error: string | null }): Promise<PrintJobRow> {
  const { rows } = await db.query<PrintJobRow>(
    `UPDATE print_jobs SET status = $2, state = $3, error = $4, updated_at = now(),
        printed_at = CASE WHEN $2 = 'printed' THEN now() ELSE printed_at END
      WHERE id = $1 RETURNING *`,
    [id, outcome.printed ? 'printed' : 'failed', outcome.state, outcome.error],
  );
  return rows[0]!;
}

/** Jobs an agent still has to answer, oldest first, younger than the time-to-live. */
export async function queuedForAgent(db: Queryable, agentId: number, ttlSeconds: number): Promise<PrintJobRow[]> {
  const { rows } = await db.query<PrintJobRow>(
    `SELECT * FROM print_jobs WHERE agent_id = $1 AND status = 'queued' AND created_at > now() - make_interval(secs => $2) ORDER BY id`,
    [agentId, ttlSeconds],
  );
  return rows;
}

/** Fails every queued job older than the time-to-live; returns them. */
export async function expireJobs(db: Queryable, ttlSeconds: number): Promise<PrintJobRow[]> {
  const { rows } = await db.query<PrintJobRow>(
    `UPDATE print_jobs SET status = 'failed', state = 'expired', updated_at = now(),
        error = CASE WHEN agent_id IS NULL THEN 'Không in được trong thời hạn (hub dừng giữa chừng?)'
                     ELSE 'Ki-ốt không xác nhận đã in trong thời hạn (agent mất kết nối)' END
      WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1) RETURNING *`,
    [ttlSeconds],
  );
  return rows;
}

export async function findJob(db: Queryable, hallId: number, id: number): Promise<PrintJobRow | null> {
  const { rows } = await db.query<PrintJobRow>('SELECT * FROM print_jobs WHERE id = $1 AND hall_id = $2', [id, hallId]);
  return rows[0] ?? null;
}

export async function lastJobOfTicket(db: Queryable, ticketId: number): Promise<PrintJobRow | null> {
  const { rows } = await db.query<PrintJobRow>(`SELECT * FROM print_jobs WHERE ticket_id = $1 AND kind = 'ticket' ORDER BY id DESC LIMIT 1`, [ticketId]);
  return rows[0] ?? null;
}

export async function listJobs(
  db: Queryable,
  hallId: number,
  f: { status: PrintJobStatus | null; deviceId: number | null; limit: number },
): Promise<PrintJobRow[]> {
  const { rows } = await db.query<PrintJobRow>(
    `SELECT * FROM print_jobs WHERE hall_id = $1 AND ($2::text IS NULL OR status = $2)
        AND ($3::int IS NULL OR device_id = $3 OR agent_id = $3 OR source_device_id = $3)
      ORDER BY id DESC LIMIT $4`,
    [hallId, f.status, f.deviceId, f.limit],
  );
  return rows;
}
