import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, seedHall } from '../helpers/hub.js';
import { addDevice, startPrintingHub, type PrintingHub } from './printing-helpers.js';
import { AuthService } from '../../server/auth/auth.service.js';
import { isPrinterDevicePath } from '../../hardware/printer/index.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { Device } from '../../protocol/index.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;
const SECRET = 'khóa bí mật 0600\n';

describe('a printer path is a printer', () => {
  let dbh: Dbh;
  let hub: PrintingHub;
  let demo: DemoHall;
  let admin: string;
  const tag = randomBytes(4).toString('hex');
  const shmFile = `/dev/shm/hallhub-secret-${tag}`;
  const byIdDir = '/dev/serial/by-id';
  const byIdLink = `${byIdDir}/usb-hallhub-test-${tag}-if00`;
  const createdSerialDir = !existsSync('/dev/serial');

  beforeAll(async () => {
    await writeFile(shmFile, SECRET, { mode: 0o600 });
    await mkdir(byIdDir, { recursive: true });
    await symlink(shmFile, byIdLink);
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startPrintingHub({ url: dbh.url, config: { printerPollSeconds: 1, printerTimeoutMs: 500 } });
    admin = await login(hub, 'admin', 'admin-pass-123');
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
    await rm(byIdLink, { force: true });
    if (createdSerialDir) {
      await rmdir(byIdDir).catch(() => undefined);
      await rmdir('/dev/serial').catch(() => undefined);
    }
    await rm(shmFile, { force: true });
  });

  it('takes only the printer device paths (usb/lp, lp, ttyUSB, ttyACM, ttyS, serial/by-id)', async () => {
    const before = (await dbh.db.query('SELECT count(*)::int AS n FROM devices')).rows[0].n;
    for (const printer of [shmFile, '/dev/sda', '/dev/mem', '/dev/pts/3', '/dev/usb/../sda', '/dev/usb/lp0/../../sda', '/dev/serial/by-id/../../sda', '/dev/ttyUSB', '/dev/lpx', '/dev/null']) {
      const r = await api(hub, 'POST', '/devices', admin, { kind: 'kiosk', name: 'Máy lấy số thử', printer });
      expect(r.status, printer).toBe(400);
    }
    expect((await dbh.db.query('SELECT count(*)::int AS n FROM devices')).rows[0].n).toBe(before);
    for (const printer of ['/dev/usb/lp97', '/dev/lp97?type=star', '/dev/ttyUSB97', '/dev/ttyACM97', '/dev/ttyS97?text=cp1258', '/dev/serial/by-id/usb-EPSON_TM-T82III-if00']) {
      expect((await api(hub, 'POST', '/devices', admin, { kind: 'kiosk', name: 'Máy lấy số thử', printer })).status, printer).toBe(201);
    }
    expect(['/dev/usb/lp0', '/dev/serial/by-id/usb-X:1.0-port0'].every(isPrinterDevicePath)).toBe(true);
    expect(['/dev/shm/x', '/dev/sda1', '/dev/serial/by-id/a/b', '/dev/usb/lp0/..'].some(isPrinterDevicePath)).toBe(false);
  });

  it('never opens nor writes a path outside the list, stored before the upgrade: the print fails as a printer fault', async () => {
    const legacy = await addDevice(dbh.db, demo.hallId, { kind: 'kiosk', name: 'Ki-ốt cũ', printer: shmFile });
    const before = await stat(shmFile);
    const issued = await api<{ number: string }>(hub, 'POST', '/tickets', legacy.token, { serviceId: 1 });
    expect(issued.status).toBe(201);
    await expect
      .poll(async () => ((await api<Device[]>(hub, 'GET', '/devices', admin)).body.find((d) => d.id === legacy.id)?.health.faults ?? []).map((f) => f.code), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/^printer_/)]);
    // The health poll (every second here) leaves it alone too.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await readFile(shmFile, 'utf8')).toBe(SECRET);
    expect((await stat(shmFile)).mtimeMs).toBe(before.mtimeMs);
  });

  it('follows symlinks: a /dev/serial/by-id name that leads to anything but a printer is refused when opened', async () => {
    const created = await api<{ id: number; token: string }>(hub, 'POST', '/devices', admin, { kind: 'kiosk', name: 'Ki-ốt by-id', printer: byIdLink });
    expect(created.status).toBe(201);
    expect((await api(hub, 'POST', '/tickets', created.body.token, { serviceId: 1 })).status).toBe(201);
    await expect
      .poll(async () => ((await api<Device[]>(hub, 'GET', '/devices', admin)).body.find((d) => d.id === created.body.id)?.health.faults ?? []).map((f) => f.message).join(' '), { timeout: 10_000 })
      .toMatch(/không phải máy in|not a printer/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await readFile(shmFile, 'utf8')).toBe(SECRET);
  });
});
