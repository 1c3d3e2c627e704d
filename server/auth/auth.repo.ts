import type { Queryable } from '../db/pool.js';
import type { Role } from '../../protocol/index.js';

export interface UserRow {
  id: number;
  hall_id: number;
  username: string;
  password_hash: string;
  name: string;
  title: string | null;
  role: Role;
  active: boolean;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  return rows[0] ?? null;
}

export async function insertSession(db: Queryable, tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, userId, expiresAt]);
}

export async function findSessionUser(db: Queryable, tokenHash: string): Promise<(UserRow & { session_expires_at: Date }) | null> {
  const { rows } = await db.query<UserRow & { session_expires_at: Date }>(
    `SELECT u.*, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function revokeSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
}

export async function insertUser(
  db: Queryable,
  u: { hallId: number; username: string; passwordHash: string; name: string; role: Role; title?: string | null },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (hall_id, username, password_hash, name, role, title) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [u.hallId, u.username, u.passwordHash, u.name, u.role, u.title ?? null],
  );
  return rows[0]!;
}

export async function listUsers(db: Queryable, hallId: number): Promise<UserRow[]> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE hall_id = $1 ORDER BY id', [hallId]);
  return rows;
}

export interface DeviceAuthRow {
  id: number;
  hall_id: number;
  kind: 'kiosk' | 'lookup' | 'display' | 'tablet' | 'agent';
  name: string;
  counter_id: number | null;
}

export async function findDeviceByTokenHash(db: Queryable, tokenHash: string): Promise<DeviceAuthRow | null> {
  const { rows } = await db.query<DeviceAuthRow>(
    'SELECT id, hall_id, kind, name, counter_id FROM devices WHERE token_hash = $1 AND revoked_at IS NULL',
    [tokenHash],
  );
  return rows[0] ?? null;
}

/** Failed logins within the last `minutes`: of this account from this address, of this account from anywhere, and of this address for any account. */
export async function recentLoginFailures(db: Queryable, username: string, ip: string, minutes: number): Promise<{ pair: number; account: number; ip: number }> {
  const { rows } = await db.query<{ pair: number; account: number; ip: number }>(
    `SELECT count(*) FILTER (WHERE username = $1 AND ip = $2)::int AS pair,
            count(*) FILTER (WHERE username = $1)::int AS account,
            count(*) FILTER (WHERE ip = $2)::int AS ip
       FROM login_failures WHERE (username = $1 OR ip = $2) AND at > now() - make_interval(mins => $3)`,
    [username.slice(0, 64), ip, minutes],
  );
  return rows[0]!;
}

export async function insertLoginFailure(db: Queryable, username: string, ip: string): Promise<void> {
  await db.query('INSERT INTO login_failures (username, ip) VALUES ($1, $2)', [username.slice(0, 64), ip]);
}

/** Forgets the failures of an account from one address (after a right password from there). */
export async function clearLoginFailures(db: Queryable, username: string, ip: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE username = $1 AND ip = $2', [username, ip]);
}

/** Forgets every failure of an account (an admin clearing its lock); returns how many. */
export async function clearAccountFailures(db: Queryable, username: string): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM login_failures WHERE username = $1', [username]);
  return rowCount ?? 0;
}

/** The accounts of a hall with an address locked out now (`threshold` failures from one address within `minutes`). */
export async function lockedUsernames(db: Queryable, hallId: number, threshold: number, minutes: number): Promise<Set<string>> {
  const { rows } = await db.query<{ username: string }>(
    `SELECT DISTINCT f.username FROM login_failures f JOIN users u ON u.username = f.username AND u.hall_id = $1
      WHERE f.at > now() - make_interval(mins => $3)
      GROUP BY f.username, f.ip HAVING count(*) >= $2`,
    [hallId, threshold, minutes],
  );
  return new Set(rows.map((r) => r.username));
}

/** A user of the hall by id. */
export async function findUser(db: Queryable, hallId: number, id: number): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE hall_id = $1 AND id = $2', [hallId, id]);
  return rows[0] ?? null;
}

/** Revokes all live sessions of a user of the hall; null when the user is not in that hall. */
export async function revokeUserSessions(db: Queryable, hallId: number, userId: number): Promise<number | null> {
  const { rowCount: exists } = await db.query('SELECT 1 FROM users WHERE id = $1 AND hall_id = $2', [userId, hallId]);
  if (!exists) return null;
  const { rowCount } = await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  return rowCount ?? 0;
}

/** The user row of the hall, locked for the rest of the transaction. */
export async function lockUser(db: Queryable, hallId: number, id: number): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE hall_id = $1 AND id = $2 FOR NO KEY UPDATE', [hallId, id]);
  return rows[0] ?? null;
}

/** Locks the hall's active admins (in id order, so concurrent changes queue up instead of deadlocking); returns their ids. */
export async function lockActiveAdmins(db: Queryable, hallId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(`SELECT id FROM users WHERE hall_id = $1 AND role = 'admin' AND active ORDER BY id FOR NO KEY UPDATE`, [hallId]);
  return rows.map((r) => r.id);
}

export async function updateUser(
  db: Queryable,
  id: number,
  patch: { name?: string; title?: string | null; role?: Role; active?: boolean; passwordHash?: string },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET name = coalesce($2, name), title = CASE WHEN $3 THEN $4 ELSE title END, role = coalesce($5, role),
        active = coalesce($6, active), password_hash = coalesce($7, password_hash)
      WHERE id = $1 RETURNING *`,
    [id, patch.name ?? null, patch.title !== undefined, patch.title ?? null, patch.role ?? null, patch.active ?? null, patch.passwordHash ?? null],
  );
  return rows[0]!;
}

/** Revokes a user's live sessions but the one with `keepTokenHash` (null: all of them); returns how many. */
export async function revokeSessionsOf(db: Queryable, userId: number, keepTokenHash: string | null): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR token_hash <> $2)',
    [userId, keepTokenHash],
  );
  return rowCount ?? 0;
}

/** The counter a user has open or paused, if any. */
export async function openCounterOfUser(db: Queryable, userId: number): Promise<{ id: number; number: number } | null> {
  const { rows } = await db.query<{ id: number; number: number }>(`SELECT id, number FROM counters WHERE staff_id = $1 AND status <> 'closed'`, [userId]);
  return rows[0] ?? null;
}
