import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hubNodeFlags } from '../../server/build.mjs';
import { createTestDatabase } from '../helpers/hub.js';

const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the hub as `npm start` does (the bundle in dist/hub, built by the global setup; no UI build step), optionally as another user. */
function startHub(env: Record<string, string>, asUser?: { uid: number; gid: number }): Running {
  const child = spawn(process.execPath, [...hubNodeFlags, 'dist/hub/main.js'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...asUser });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(run: Running, text: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = run.output().match(text);
    if (m) return m;
    if (run.child.exitCode !== null) throw new Error(`hub exited (${run.child.exitCode}):\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${text} within ${ms} ms:\n${run.output()}`);
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'hallhub-main-'));
  await chmod(d, 0o777);
  dirs.push(d);
  return path.join(d, 'data');
}

async function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('the hub process (npm start)', () => {
  it('starts a demo hall on an embedded PostgreSQL, stops cleanly, and keeps what was committed', async () => {
    const DATA_DIR = await dataDir();
    const PORT = String(await freePort());
    const env = { DATA_DIR, PORT, HUB_ADMIN_PASSWORD: 'first-boot-pass' };
    const first = startHub(env);
    const kiosk = await waitFor(first, /ticket kiosk\s+(\S+)/);
    expect(first.output()).toContain('Admin account: admin / first-boot-pass');
    expect(first.output()).toMatch(/staff console\s+http:\/\/localhost:\d+\/staff\//);
    const base = `http://127.0.0.1:${PORT}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const token = new URL(kiosk[1]!).searchParams.get('token')!;
    const issue = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"serviceId":1}' });
    expect(issue.status).toBe(201);
    expect(((await issue.json()) as { number: string }).number).toBe('A001');
    const pgPort = Number(execFileSync('sh', ['-c', `grep -h '^port' ${DATA_DIR}/pg/postmaster.opts 2>/dev/null || sed -n 4p ${DATA_DIR}/pg/postmaster.pid`]).toString().trim());

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await portClosed(pgPort)).toBe(true);

    const second = startHub(env);
    await waitFor(second, /Hall Hub is running/);
    expect(second.output()).not.toContain('Admin account');
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'first-boot-pass' }) });
    expect(login.status).toBe(200);
    const again = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"serviceId":1}' });
    expect(((await again.json()) as { number: string }).number).toBe('A002');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 120_000); // two cold starts (initdb, migrations, seed): 59 s here with the machine at load 20

  it('prints the demo kiosk\'s tickets through the sim printer, a child process that ends with the hub even on SIGKILL', async () => {
    const dbh = await createTestDatabase();
    const DATA_DIR = await dataDir();
    const PORT = String(await freePort());
    const run = startHub({ DATA_DIR, PORT, DATABASE_URL: dbh.url, HUB_ADMIN_PASSWORD: 'sim-printer-pass' });
    try {
      const kiosk = await waitFor(run, /ticket kiosk\s+(\S+)/);
      const token = new URL(kiosk[1]!).searchParams.get('token')!;
      const issue = await fetch(`http://127.0.0.1:${PORT}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"serviceId":1}' });
      expect(issue.status).toBe(201);
      const prints = path.join(DATA_DIR, 'prints');
      let text = '';
      for (let i = 0; i < 100 && !text; i++) {
        const txt = (await readdir(prints).catch(() => [] as string[])).find((f) => f.endsWith('.txt'));
        if (txt && (await readdir(prints)).includes(txt.replace(/\.txt$/, '.png'))) text = await readFile(path.join(prints, txt), 'utf8');
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(text).toMatch(/\[raster 576x\d+\]/);
      const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(run.child.pid)]).toString();
      const printer = children.split('\n').find((l) => l.includes('dist/hub/printer-child.js'));
      expect(printer, children).toBeDefined();
      const printerPid = Number(printer!.trim().split(/\s+/)[0]);
      run.child.kill('SIGKILL');
      await run.exited;
      let alive = true;
      for (let i = 0; i < 100 && alive; i++) {
        try {
          process.kill(printerPid, 0);
          await new Promise((r) => setTimeout(r, 50));
        } catch {
          alive = false;
        }
      }
      expect(alive).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
      await dbh.drop();
    }
  });

  it('runs the embedded PostgreSQL as a normal user too', async () => {
    const isRoot = process.getuid?.() === 0;
    let user: { uid: number; gid: number } | undefined;
    if (isRoot) {
      try {
        execFileSync('id', ['-u', 'hallhub-test'], { stdio: 'ignore' });
      } catch {
        execFileSync('useradd', ['--system', '--no-create-home', 'hallhub-test']);
      }
      const id = (flag: string) => Number(execFileSync('id', [flag, 'hallhub-test']).toString().trim());
      user = { uid: id('-u'), gid: id('-g') };
    }
    const DATA_DIR = await dataDir();
    const PORT = String(await freePort());
    const run = startHub({ DATA_DIR, PORT, HUB_ADMIN_PASSWORD: 'normal-user-pass', HOME: os.tmpdir() }, user);
    await waitFor(run, /Hall Hub is running/);
    expect((await fetch(`http://127.0.0.1:${PORT}/health`)).status).toBe(200);
    const owner = execFileSync('stat', ['-c', '%U', path.join(DATA_DIR, 'pg', 'PG_VERSION')]).toString().trim();
    expect(owner).toBe(user ? 'hallhub-test' : os.userInfo().username);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(existsSync(path.join(DATA_DIR, 'pg', 'postmaster.pid'))).toBe(false);
  });
});
