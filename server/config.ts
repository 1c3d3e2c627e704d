import path from 'node:path';
import { voiceConfig, type VoiceConfig } from './voice/voice.config.js';
import { serialConfig, type SerialConfig } from './serial/serial.config.js';
import { healthConfig, type HealthConfig } from './devices/health.config.js';
import { requestsConfig, type RequestsConfig } from './requests/requests.config.js';
import { parseTrustProxy, type ProxyEntry } from './http/proxy.js';

/** Voice, serial devices and device health add their fields from their own modules. */
export interface Config extends VoiceConfig, SerialConfig, HealthConfig, RequestsConfig {
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
  /** How long a hub process reuses a token's answer (kiosk bursts stay off the database); revocations clear it in every process. */
  tokenCacheMs: number;
  /** Printing: connect and status-query timeout of a printer the hub drives, ms (a job's confirmation waits 3×). */
  printerTimeoutMs: number;
  /** A print job not printed within this many seconds fails as expired (agent offline, hub restarted mid-job). */
  printJobTtlSeconds: number;
  /** How often the hub checks the printers it drives itself, seconds (0: only at each print and status request). */
  printerPollSeconds: number;
  /** Dossier notices by e-mail: SMTP server (smtp://user:pass@host:587, smtps://…:465); none when null. */
  smtpUrl: string | null;
  /** Sender of dossier notices. */
  mailFrom: string;
  /** Dossier notices by SMS: an HTTP gateway taking `POST {to, text}`; none when null. */
  smsGatewayUrl: string | null;
  /** Dossier outbox (webhooks, notices): poll period, first retry delay (doubling per attempt) and its cap. */
  outboxPollMs: number;
  outboxRetryBaseMs: number;
  outboxRetryMaxMs: number;
  /** Public dossier lookup limits per IP, and (higher) per lookup kiosk device. */
  lookupPerMinute: number;
  lookupMissesPerHour: number;
  lookupDevicePerMinute: number;
  lookupDeviceMissesPerHour: number;
  /** `TRUST_PROXY`: the reverse proxies whose `X-Forwarded-For` gives the client's address (none by default). */
  trustProxy: ProxyEntry[];
  /** `WEBHOOK_ALLOW_HOSTS`: hosts or addresses a webhook may reach although they are loopback, link-local or the hub's own. */
  webhookAllowHosts: string[];
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

function url(name: string, value: string | undefined, scheme: RegExp): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (!scheme.test(v)) throw new Error(`${name} must match ${scheme.source}, got "${v}"`);
  return v;
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
    tokenCacheMs: int('TOKEN_CACHE_MS', env.TOKEN_CACHE_MS, 3000, 0, 600_000),
    ...voiceConfig(env),
    ...serialConfig(env),
    ...healthConfig(env),
    ...requestsConfig(env),
    printerTimeoutMs: int('PRINTER_TIMEOUT_MS', env.PRINTER_TIMEOUT_MS, 3000, 50, 60_000),
    printJobTtlSeconds: int('PRINT_JOB_TTL_SECONDS', env.PRINT_JOB_TTL_SECONDS, 120, 1, 86_400),
    printerPollSeconds: int('PRINTER_POLL_SECONDS', env.PRINTER_POLL_SECONDS, 30, 0, 86_400),
    smtpUrl: url('SMTP_URL', env.SMTP_URL, /^smtps?:\/\//),
    mailFrom: env.MAIL_FROM?.trim() || 'Bộ phận Một cửa <no-reply@hallhub.local>',
    smsGatewayUrl: url('SMS_GATEWAY_URL', env.SMS_GATEWAY_URL, /^https?:\/\//),
    outboxPollMs: int('OUTBOX_POLL_MS', env.OUTBOX_POLL_MS, 2000, 10, 600_000),
    outboxRetryBaseMs: int('OUTBOX_RETRY_BASE_MS', env.OUTBOX_RETRY_BASE_MS, 10_000, 10, 3_600_000),
    outboxRetryMaxMs: int('OUTBOX_RETRY_MAX_MS', env.OUTBOX_RETRY_MAX_MS, 3_600_000, 10, 86_400_000),
    lookupPerMinute: int('LOOKUP_PER_MINUTE', env.LOOKUP_PER_MINUTE, 30, 1, 1_000_000),
    lookupMissesPerHour: int('LOOKUP_MISSES_PER_HOUR', env.LOOKUP_MISSES_PER_HOUR, 20, 1, 1_000_000),
    lookupDevicePerMinute: int('LOOKUP_DEVICE_PER_MINUTE', env.LOOKUP_DEVICE_PER_MINUTE, 600, 1, 1_000_000),
    lookupDeviceMissesPerHour: int('LOOKUP_DEVICE_MISSES_PER_HOUR', env.LOOKUP_DEVICE_MISSES_PER_HOUR, 300, 1, 1_000_000),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    webhookAllowHosts: (env.WEBHOOK_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, '')).filter(Boolean),
  };
}
