import { checkNode } from './node-check.mjs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from './config.js';
import { createPool } from './db/pool.js';
import { EmbeddedDatabaseError, startEmbeddedPostgres, type EmbeddedDatabase, type EmbeddedEvent } from './db/embedded.js';
import { acquireHubPid, HubPidError } from './hub-pid.js';
import { hallIds } from './voice/voice.repo.js';
import { migrate } from './db/migrate.js';
import { firstHall, insertHall } from './admin/setup.repo.js';
import { seedDemoHall, DEMO_STAFF_PASSWORD, type DemoHall } from './demo/seed.js';
import { AuthService } from './auth/auth.service.js';
import { buildApp } from './app.js';
import { redactUrl } from './http/log.js';

const nodeCheck = checkNode();
if (!nodeCheck.ok) {
  process.stderr.write(`${nodeCheck.message}
`);
  process.exit(1);
}
const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    process.stderr.write(`Hall Hub cannot start: ${(err as Error).message}
`);
    process.exit(1);
  }
})();
const log = pino({ level: config.logLevel });
if (nodeCheck.warning) log.warn(nodeCheck.warning);

process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

/** A start-up problem the operator fixes: one line on stderr and in the log, no stack trace. */
function refuse(err: unknown): never {
  if (err instanceof EmbeddedDatabaseError || err instanceof HubPidError) {
    log.fatal(err.message);
    process.stderr.write(`Hall Hub cannot start: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

if (process.getuid?.() === 0) {
  log.warn('the hub runs as root: a fault in it or in a library it uses can do anything on this PC. Run it as a user of its own (README, Deployment: User=hallhub)');
}

const hubPid = await acquireHubPid(config.dataDir).catch(refuse);
process.on('exit', () => hubPid.release());

function onEmbeddedEvent(e: EmbeddedEvent): void {
  switch (e.type) {
    case 'down':
      log.error({ code: e.code, signal: e.signal, lastLog: e.lastLog }, `embedded PostgreSQL stopped unexpectedly (${e.signal ?? `exit code ${e.code}`}): restarting it in ${e.retryInMs} ms; requests answer 503 meanwhile`);
      break;
    case 'retry-failed':
      log.error({ attempt: e.attempt }, `embedded PostgreSQL did not start again (attempt ${e.attempt}): ${e.message}; next try in ${e.retryInMs} ms`);
      break;
    case 'up':
      log.warn({ downForMs: e.downForMs, attempts: e.attempts }, `embedded PostgreSQL is running again after ${(e.downForMs / 1000).toFixed(1)} s`);
      reportRestart(e.downForMs);
      break;
    case 'stale-cluster-stopped':
      log.warn({ postmasterPid: e.pid }, `stopped the embedded PostgreSQL (process ${e.pid}) that a previous hub on this DATA_DIR left running`);
      break;
    case 'stale-lock-removed':
      log.warn({ file: e.file }, `embedded PostgreSQL: ${e.reason}; moved to ${e.file}`);
      break;
    case 'converted':
      log.warn(`embedded PostgreSQL converted: ${e.what}`);
      break;
    case 'binaries-copied':
      log.info(`PostgreSQL binaries linked into ${e.to} (the postgres user cannot reach node_modules)`);
      break;
    default: {
      const never: never = e;
      throw new Error(`unknown embedded event ${JSON.stringify(never)}`);
    }
  }
}

/** The board's alarm for a restart of the embedded PostgreSQL: a fault of the `database` driver for a while. */
let onRestart: (downForMs: number) => void = () => undefined;
function reportRestart(downForMs: number): void {
  onRestart(downForMs);
}

let embedded: EmbeddedDatabase | null = null;
let url = config.databaseUrl;
if (!url) {
  log.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
  embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: (line) => log.debug({ pg: line }), onEvent: onEmbeddedEvent }).catch(refuse);
  url = embedded.url;
}
const db = createPool(url, 30, config.dbLimits);
const applied = await migrate(db);
if (applied.length) log.info({ applied }, 'migrations applied');

const demoFile = path.join(config.dataDir, 'demo-devices.json');
let hall = await firstHall(db);
if (!hall) {
  if (config.demo) {
    const demo = await seedDemoHall(db);
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(demoFile, JSON.stringify(demo, null, 2));
    await chmod(demoFile, 0o600);
    log.info('demo hall created');
  } else {
    await insertHall(db, { code: 'HALL', name: 'Trung tâm Phục vụ hành chính công' });
  }
  hall = (await firstHall(db))!;
}
const admin = await new AuthService(db, config.sessionHours).ensureAdmin(hall.id, config.adminPassword);

const { app, hub } = await buildApp({ config, db, logger: log, ...(embedded ? { embeddedDatabase: embedded } : {}) });
let clearAlarm: NodeJS.Timeout | null = null;
onRestart = (downForMs) => {
  const at = new Date().toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });
  const seconds = Math.max(1, Math.round(downForMs / 1000));
  const message = `Cơ sở dữ liệu (PostgreSQL nhúng) bị dừng và đã tự khởi động lại lúc ${at}, gián đoạn ${seconds} giây / embedded PostgreSQL restarted after ${seconds} s`;
  const report = (faults: { code: string; message: string }[]) =>
    hallIds(db).then(
      (ids) => {
        for (const hallId of ids) hub.bus.emit('driver.health', { hallId, driver: 'database', kind: 'database', path: null, counterNumber: null, online: true, faults });
      },
      (err: unknown) => log.warn({ err }, 'database restart not reported to the board'),
    );
  void report([{ code: 'database_restarted', message }]);
  if (clearAlarm) clearTimeout(clearAlarm);
  clearAlarm = setTimeout(() => void report([]), 15 * 60_000);
  clearAlarm.unref();
};
await app.listen({ host: config.host, port: config.port });

const base = config.publicUrl;
const lines = [`Hall Hub is running: ${base}  (API docs ${base}/docs)`];
if (admin.created) lines.push(`Admin account: admin / ${admin.password}${config.adminPassword ? ' (from HUB_ADMIN_PASSWORD)' : '  ← shown once, write it down'}`);
const demo = await readFile(demoFile, 'utf8').then((s) => JSON.parse(s) as DemoHall, () => null);
if (demo) {
  lines.push(
    `Demo hall "${hall.name}":`,
    `  ticket kiosk   ${base}/kiosk/?token=${demo.kioskToken}`,
    `  hall display   ${base}/display/?token=${demo.displayToken}`,
    ...Object.entries(demo.tabletTokens ?? {}).map(([counter, token]) => `  rating tablet  ${base}/tablet/?token=${token}   (quầy ${counter})`),
    ...(demo.lookupToken ? [`  lookup kiosk   ${base}/kiosk/lookup?token=${demo.lookupToken}   (public lookup ${base}/lookup/)`] : []),
    `  live board     ${base}/display/board   rankings ${base}/display/rankings`,
    `  staff console  ${base}/staff/   staff: ${demo.staff.map((s) => `${s.username} (quầy ${s.counterNumber})`).join(', ')}, manager: quanly — password ${DEMO_STAFF_PASSWORD}`,
  );
}
log.info(redactUrl(lines.join('\n')));
process.stdout.write(`\n${lines.join('\n')}\n\n`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await app.close().catch((err: unknown) => log.error({ err }, 'close failed'));
  await db.end().catch(() => undefined);
  await embedded?.stop().catch((err: unknown) => log.error({ err }, 'embedded PostgreSQL stop failed'));
  hubPid.release();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
