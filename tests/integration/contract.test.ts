import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { AuthService } from '../../server/auth/auth.service.js';
import type { DemoHall } from '../../server/demo/seed.js';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;
interface Operation {
  operationId?: string;
  summary?: string;
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

describe('the contract tells the truth', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let admin: string;
  let staff: string;
  let doc: Doc;

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-pass-123');
    hub = await startTestHub({ url: dbh.url });
    admin = await login(hub, 'admin', 'admin-pass-123');
    staff = await login(hub, 'canbo1');
    doc = (await api<Doc>(hub, 'GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  const operations = () => Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));

  it('validates bodies without type coercion: a boolean is no number, a string is no integer', async () => {
    const sla = await api(hub, 'PUT', '/board/sla/1', admin, { maxWaitMinutes: true });
    expect(sla.status).toBe(400);
    expect((sla.body as { error: { code: string } }).error.code).toBe('bad_request');
    expect((await api(hub, 'PUT', '/board/sla/1', admin, { maxWaitMinutes: '15' })).status).toBe(400);
    expect((await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: '1' })).status).toBe(400);
    expect((await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1, priority: 'true' })).status).toBe(400);
    const { rows } = await dbh.db.query('SELECT count(*)::int AS n FROM tickets');
    expect(rows[0].n).toBe(0);
    expect((await api(hub, 'PUT', '/board/sla/1', admin, { maxWaitMinutes: 15 })).status).toBe(204);
  });

  it('takes path and query ids only as plain decimal digits', async () => {
    for (const id of ['0x1', '1e0', '+1', '01', '1.0', '%201', '1%20']) {
      const r = await api(hub, 'POST', `/counters/${id}/open`, staff);
      expect(r.status, id).toBe(400);
    }
    const { rows } = await dbh.db.query(`SELECT status FROM counters WHERE id = 1`);
    expect(rows[0].status).toBe('closed');
    expect((await api(hub, 'GET', '/audit?limit=0x10', admin)).status).toBe(400);
    expect((await api(hub, 'GET', '/audit?limit=1e1', admin)).status).toBe(400);
    expect((await api(hub, 'GET', '/audit?limit=10', admin)).status).toBe(200);
    expect((await api(hub, 'POST', '/counters/1/open', staff)).status).toBe(200);
  });

  it('names every operation (unique operationId, a summary) and lists every error status it can answer', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(60);
    expect(ops.filter(({ op }) => !op.operationId).map((o) => o.key)).toEqual([]);
    expect(ops.filter(({ op }) => !op.summary?.trim()).map((o) => o.key)).toEqual([]);
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, op } of ops) {
      for (const status of ['400', '404', '503']) expect(op.responses, `${key} ${status}`).toHaveProperty(status);
      if (op.requestBody) for (const status of ['413', '415']) expect(op.responses, `${key} ${status}`).toHaveProperty(status);
    }
    const byKey = new Map(ops.map((o) => [o.key, o.op]));
    expect(byKey.get('POST /api/v1/auth/login')!.responses).toHaveProperty('429');
    expect(byKey.get('POST /api/v1/tickets')!.responses).toHaveProperty('429');
    expect(byKey.get('POST /api/v1/counters/{id}/open')!.responses).toHaveProperty('401');
    expect(byKey.get('POST /api/v1/counters/{id}/open')!.responses).toHaveProperty('403');
    expect(byKey.get('POST /api/v1/counters/{id}/open')!.operationId).toBe('postCountersByIdOpen');
    expect(byKey.get('POST /api/v1/counters/{id}/pause')!.operationId).toBe('postCountersByIdPause');
  });

  it('answers 413 and 415 as documented', async () => {
    const big = await fetch(`${hub.url}/api/v1/services`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(300_000), prefix: 'Q' }) });
    expect(big.status).toBe(413);
    const text = await fetch(`${hub.url}/api/v1/services`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, body: 'name,prefix' });
    expect(text.status).toBe(415);
  });

  it("passes Redocly's recommended lint rules", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(doc));
      const cli = path.resolve('node_modules/@redocly/cli/bin/cli.js');
      const run = promisify(execFile);
      const result = await run(process.execPath, [cli, 'lint', '--extends=recommended', '--format=stylish', file], {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((err: { code?: number; stdout?: string; stderr?: string }) => ({ failed: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
      expect('failed' in result ? `${result.stdout}\n${result.stderr}` : '').toBe('');
      expect(result.stdout + result.stderr).toMatch(/valid/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
