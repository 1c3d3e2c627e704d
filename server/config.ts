import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Public base URL printed in QR codes and logs. */
  publicUrl: string;
  dataDir: string;
  /** A PostgreSQL server; when absent the hub runs an embedded PostgreSQL in `dataDir/pg`. */
  databaseUrl: string | null;
  adminPassword: string | null;
  /** Seed the demo hall on first start. */
  demo: boolean;
  logLevel: string;
  sessionHours: number;
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int('PORT', env.PORT, 8080, 0, 65535);
  const host = env.HOST ?? '0.0.0.0';
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new Error(`LOG_LEVEL "${logLevel}" is not a pino level`);
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must start with postgres://');
  return {
    host,
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl,
    adminPassword: env.HUB_ADMIN_PASSWORD || null,
    demo: env.HUB_DEMO !== '0',
    logLevel,
    sessionHours: int('SESSION_HOURS', env.SESSION_HOURS, 12, 1, 24 * 30),
  };
}
