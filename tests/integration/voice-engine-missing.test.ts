import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, startTestHub, type ClientSocket } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { HardwareHealthReply } from '../../protocol/index.js';
import type { Config } from '../../server/config.js';
import pino from 'pino';

const logs: { level: number; msg: string }[] = [];

/** The hub on `url` with config overrides (the shared helper takes none). */
const startHub = (url: string, overrides: Partial<Config>) =>
  startTestHub({ url, config: { logLevel: 'info', ...overrides }, logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) }) });

describe('voice engine missing', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: Awaited<ReturnType<typeof startHub>>;
  let demo: DemoHall;
  let display: ClientSocket;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startHub(dbh.url, { voiceCommand: '/nonexistent/espeak-ng' });
    display = await connectSocket(hub, demo.displayToken);
  });
  afterAll(async () => {
    display?.disconnect();
    await hub?.close();
    await dbh?.drop();
  });

  it('records a visible fault, keeps serving calls, and answers the audio URL with 503', async () => {
    const manager = await login(hub, 'quanly');
    const health = await waitFor(async () => {
      const r = await api<HardwareHealthReply>(hub, 'GET', '/hardware/health', manager);
      return r.body.drivers.find((d) => d.driver === 'voice');
    });
    expect(health).toMatchObject({ kind: 'voice', online: false, path: '/nonexistent/espeak-ng' });
    expect(health.faults[0]).toMatchObject({ code: 'voice_engine' });
    expect(health.faults[0]!.message).toMatch(/could not start.*ENOENT.*\/nonexistent\/espeak-ng/);
    expect((await api(hub, 'GET', '/hardware/health', await login(hub, 'canbo2'))).status).toBe(403);
    // The log says what is wrong and what it means, at error level.
    const line = logs.find((l) => l.msg.startsWith('voice engine check failed at start'));
    expect(line?.level).toBe(50);
    expect(line?.msg).toMatch(/ENOENT.*is espeak-ng installed\? not found: \/nonexistent\/espeak-ng/);

    const staff = await login(hub, 'canbo1');
    const { rows } = await dbh.db.query<{ id: number }>('SELECT id FROM counters WHERE number = 1');
    const counterId = rows[0]!.id;
    expect((await api(hub, 'POST', `/counters/${counterId}/open`, staff)).status).toBe(200);
    expect((await api(hub, 'POST', '/tickets', staff, { serviceId: 1 })).status).toBe(201);
    const call = nextEvent(display, 'call');
    expect((await api(hub, 'POST', `/counters/${counterId}/next`, staff)).status).toBe(200);
    const event = await call;
    expect(event.audioUrl).toBeDefined();
    const res = await fetch(`${hub.url}${event.audioUrl}`, { headers: { authorization: `Bearer ${demo.displayToken}` } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('voice_unavailable');
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    expect((await api(hub, 'POST', `/counters/${counterId}/done`, staff)).status).toBe(200);
    expect(logs.some((l) => l.level === 50 && l.msg.startsWith('voice engine failed: calls go on without audio'))).toBe(false); // same fault: logged once
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('not seen in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
