import type { DbLimits } from '../db/pool.js';

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

export interface RequestsConfig {
  /** No change of a request commits later than this after it arrived, ms (REQUEST_DEADLINE_MS, default 10000, below a kiosk's 15 s). */
  requestDeadlineMs: number;
  /** The database pool's waits (DB_STATEMENT_TIMEOUT_MS, DB_CONNECT_TIMEOUT_MS, DB_POOL_QUEUE_MAX). */
  dbLimits: DbLimits;
  /** How long `/health` waits for the database before it answers 503, ms (HEALTH_DB_TIMEOUT_MS, default 800). */
  healthDbTimeoutMs: number;
  /** How often the day-end check runs, ms (DAY_END_CHECK_MS, default 60000). */
  dayEndCheckMs: number;
}

export function requestsConfig(env: NodeJS.ProcessEnv): RequestsConfig {
  const statementTimeoutMs = int('DB_STATEMENT_TIMEOUT_MS', env.DB_STATEMENT_TIMEOUT_MS, 8000, 100, 600_000);
  return {
    requestDeadlineMs: int('REQUEST_DEADLINE_MS', env.REQUEST_DEADLINE_MS, 10_000, 100, 600_000),
    dbLimits: {
      statementTimeoutMs,
      connectTimeoutMs: int('DB_CONNECT_TIMEOUT_MS', env.DB_CONNECT_TIMEOUT_MS, 1500, 100, 60_000),
      poolQueueMax: int('DB_POOL_QUEUE_MAX', env.DB_POOL_QUEUE_MAX, 30, 0, 10_000),
    },
    healthDbTimeoutMs: int('HEALTH_DB_TIMEOUT_MS', env.HEALTH_DB_TIMEOUT_MS, 800, 50, 10_000),
    dayEndCheckMs: int('DAY_END_CHECK_MS', env.DAY_END_CHECK_MS, 60_000, 50, 3_600_000),
  };
}
