import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, login, seedHall, type TestHub } from '../helpers/hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService } from '../../server/auth/auth.service.js';
import { verifySignature } from '../../server/integrations/webhook.js';
import type { CreatedIntegration, DossierDetail, Integration, WebhookPayload } from '../../protocol/index.js';
import { openCounter, startDossierHub, startRecorder, waitFor } from './dossier-support.js';

type Err = { error: { code: string; message: string } };

/** JSON over HTTP with an X-Api-Key. */
async function withKey<T>(hub: { url: string }, method: string, path: string, key: string | null, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['x-api-key'] = key;
  const res = await fetch(`${hub.url}/api/v1${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T, replay: res.headers.get('idempotent-replay') === 'true' };
}

describe('outside systems: API keys, idempotent events, signed webhooks', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let adminToken: string;
  let province: CreatedIntegration;
  /** Fails the first two deliveries it sees, then accepts. */
  let receiver: Awaited<ReturnType<typeof startRecorder>>;

  const counts = async () => {
    const { rows } = await dbh.db.query<{ d: number; e: number; r: number; statuses: string }>(
      `SELECT (SELECT count(*)::int FROM dossiers) AS d, (SELECT count(*)::int FROM dossier_events) AS e,
              (SELECT count(*)::int FROM dossier_requests) AS r, (SELECT coalesce(string_agg(code || '=' || status, ',' ORDER BY code), '') FROM dossiers) AS statuses`,
    );
    return rows[0]!;
  };

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, 'admin-secret-1');
    receiver = await startRecorder((_req, i) => (i < 2 ? 500 : 200));
    hub = await startDossierHub({ url: dbh.url });
    adminToken = await login(hub, 'admin', 'admin-secret-1');
    const created = await api<CreatedIntegration>(hub, 'POST', '/integrations', adminToken, { name: 'Hệ thống một cửa điện tử tỉnh', webhookUrl: `${receiver.url}/hooks/hallhub` });
    expect(created.status).toBe(201);
    province = created.body;
  });
  afterAll(async () => {
    await hub?.close();
    await receiver?.close();
    await dbh?.drop();
  });

  it('creates keys as admin only, shows each key once and keeps only its hash', async () => {
    expect(province.key).toMatch(/^ik_[A-Za-z0-9_-]{40,}$/);
    expect(province.webhookSecret).toMatch(/^whsec_/);
    const list = await api<Integration[]>(hub, 'GET', '/integrations', adminToken);
    expect(list.body).toEqual([expect.objectContaining({ id: province.id, name: 'Hệ thống một cửa điện tử tỉnh', keyPrefix: province.key.slice(0, 10), revoked: false })]);
    expect(JSON.stringify(list.body)).not.toContain(province.key);
    const { rows } = await dbh.db.query<{ key_hash: string }>('SELECT key_hash FROM integration_keys');
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(province.key);
    const staff = await login(hub, 'canbo1');
    expect((await api(hub, 'POST', '/integrations', staff, { name: 'Không được' })).status).toBe(403);
    expect((await api(hub, 'POST', '/integrations', adminToken, { name: 'URL sai', webhookUrl: 'ftp://example.vn' })).status).toBe(400);
  });

  it('refuses unknown, revoked and missing keys with 401 and changes nothing', async () => {
    const spare = (await api<CreatedIntegration>(hub, 'POST', '/integrations', adminToken, { name: 'Khóa sẽ thu hồi' })).body;
    expect((await api(hub, 'DELETE', `/integrations/${spare.id}`, adminToken)).status).toBe(204);
    const before = await counts();
    const body = { procedure: 'Đăng ký khai sinh', applicantName: 'Phan Văn Đức', eventId: 'evt-x' };
    for (const key of ['ik_unknownunknownunknownunknown', spare.key, '', 'x']) {
      const r = await withKey<Err>(hub, 'POST', '/dossiers', key, body);
      expect(r.status, key).toBe(401);
      expect(r.body.error.code).toBe('invalid_api_key');
    }
    expect((await withKey<Err>(hub, 'POST', '/dossiers', null, body)).status).toBe(401);
    expect((await withKey<Err>(hub, 'POST', '/dossiers/000.00.12.H40-261122-0001/events', 'ik_nope_nope_nope', { status: 'processing', eventId: 'e' })).status).toBe(401);
    // A key must say which event it sends.
    const noId = await withKey<Err>(hub, 'POST', '/dossiers', province.key, { procedure: 'Đăng ký khai sinh', applicantName: 'Phan Văn Đức' });
    expect(noId.status).toBe(400);
    expect(noId.body.error.code).toBe('event_id_required');
    expect(await counts()).toEqual(before);
  });

  it('creates a dossier and posts events idempotently by eventId', async () => {
    const before = await counts();
    const body = { procedure: 'Cấp giấy phép xây dựng nhà ở riêng lẻ', applicantName: 'Ngô Thị Phương', applicantEmail: 'phuong@example.vn', eventId: 'tinh-2026-000123' };
    const first = await withKey<DossierDetail>(hub, 'POST', '/dossiers', province.key, body);
    expect(first.status).toBe(201);
    expect(first.replay).toBe(false);
    expect(first.body).toMatchObject({ status: 'received', counterId: null, procedure: body.procedure });
    expect(first.body.timeline[0]).toMatchObject({ note: 'Tiếp nhận qua Hệ thống một cửa điện tử tỉnh', by: 'Hệ thống một cửa điện tử tỉnh' });
    const again = await withKey<DossierDetail>(hub, 'POST', '/dossiers', province.key, { ...body });
    expect(again.status).toBe(201);
    expect(again.replay).toBe(true);
    expect(again.body).toEqual(first.body);
    // Ten retries at once: still one dossier.
    const burst = await Promise.all(Array.from({ length: 10 }, () => withKey<DossierDetail>(hub, 'POST', '/dossiers', province.key, body)));
    expect(new Set(burst.map((r) => r.body.code))).toEqual(new Set([first.body.code]));
    expect((await counts()).d).toBe(before.d + 1);
    // The same eventId for another request is a conflict.
    const reused = await withKey<Err>(hub, 'POST', '/dossiers', province.key, { ...body, applicantName: 'Người khác' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('event_id_reused');

    const code = first.body.code;
    const ev = { status: 'processing', note: 'Chuyển phòng Kinh tế – Hạ tầng thẩm định', eventId: 'tinh-2026-000124' };
    const moved = await withKey<DossierDetail>(hub, 'POST', `/dossiers/${code}/events`, province.key, ev);
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('processing');
    const eventsAfter = (await counts()).e;
    const movedAgain = await Promise.all([1, 2, 3].map(() => withKey<DossierDetail>(hub, 'POST', `/dossiers/${code}/events`, province.key, ev)));
    expect(movedAgain.every((r) => r.status === 200 && r.replay && r.body.timeline.length === moved.body.timeline.length)).toBe(true);
    expect((await counts()).e).toBe(eventsAfter);

    // Out of order (the result handed back before it is ready): 409, nothing changed, and the eventId stays free.
    const snap = await counts();
    const early = await withKey<Err>(hub, 'POST', `/dossiers/${code}/events`, province.key, { status: 'returned', eventId: 'tinh-2026-000126' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('invalid_transition');
    expect(await counts()).toEqual(snap);
    expect((await withKey<DossierDetail>(hub, 'POST', `/dossiers/${code}/events`, province.key, { status: 'result_ready', eventId: 'tinh-2026-000125' })).status).toBe(200);
    expect((await withKey<DossierDetail>(hub, 'POST', `/dossiers/${code}/events`, province.key, { status: 'returned', eventId: 'tinh-2026-000126' })).body.status).toBe('returned');
    const detail = await withKey<DossierDetail>(hub, 'GET', `/dossiers/${code}/detail`, province.key);
    expect(detail.body.timeline.map((t) => t.status)).toEqual(['received', 'processing', 'result_ready', 'returned']);
    // A key sees its own hall only, and cannot list or report.
    expect((await withKey(hub, 'GET', '/dossiers', province.key)).status).toBe(401);
  });

  it('signs every change as a webhook and retries until a 2xx', async () => {
    const staff = await openCounter(hub, 'canbo2', 2);
    const r = await api<DossierDetail>(hub, 'POST', '/dossiers', staff.token, { procedure: 'Chứng thực bản sao từ bản chính', applicantName: 'Đỗ Minh Khang' });
    const code = r.body.code;
    await api(hub, 'POST', `/dossiers/${code}/events`, staff.token, { status: 'result_ready', note: 'Đã chứng thực' });

    const { rows: expected } = await dbh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_outbox');
    const ok = () => receiver.requests.filter((_, i) => i >= 2);
    const delivered = await waitFor('every webhook delivered', () => {
      const ids = new Set(ok().map((q) => q.headers['x-hallhub-delivery']));
      return ids.size >= expected[0]!.n ? ok() : undefined;
    });
    // Every request, failed or not, is signed with the integration's secret over the exact body.
    for (const q of receiver.requests) {
      expect(q.method).toBe('POST');
      expect(q.url).toBe('/hooks/hallhub');
      expect(q.headers['content-type']).toMatch(/^application\/json/);
      expect(verifySignature(province.webhookSecret, q.body, q.headers['x-hallhub-signature'] as string)).toBe(true);
      expect(verifySignature('whsec_wrong', q.body, q.headers['x-hallhub-signature'] as string)).toBe(false);
      expect((JSON.parse(q.body) as WebhookPayload).id).toBe(q.headers['x-hallhub-delivery']);
    }
    // The two refused attempts were retried with the same delivery id and body.
    const firstTwo = receiver.requests.slice(0, 2);
    for (const failed of firstTwo) expect(receiver.requests.slice(2).some((q) => q.headers['x-hallhub-delivery'] === failed.headers['x-hallhub-delivery'] && q.body === failed.body)).toBe(true);
    const payloads = delivered.map((q) => JSON.parse(q.body) as WebhookPayload);
    const mine = payloads.filter((p) => p.dossier.code === code);
    expect(mine.map((p) => [p.type, p.event.status, p.event.from])).toEqual([
      ['dossier.received', 'received', null],
      ['dossier.status_changed', 'result_ready', 'received'],
    ]);
    expect(mine[1]!.event.note).toBe('Đã chứng thực');
    expect(mine[1]!.dossier).toMatchObject({ code, status: 'result_ready', procedure: 'Chứng thực bản sao từ bản chính' });
    await waitFor('every delivery marked sent', async () => (await dbh.db.query(`SELECT 1 FROM dossier_outbox WHERE state <> 'sent'`)).rowCount === 0);
    const { rows } = await dbh.db.query<{ state: string; attempts: number }>(`SELECT state, attempts FROM dossier_outbox ORDER BY id`);
    expect(rows.every((x) => x.state === 'sent')).toBe(true);
    expect(rows.reduce((a, x) => a + x.attempts, 0)).toBe(receiver.requests.length);
  });

  it('loses no webhook across a hub restart and sends each once with several hub processes', async () => {
    let down = true;
    const second = await startRecorder(() => (down ? 503 : 200));
    const key = (await api<CreatedIntegration>(hub, 'POST', '/integrations', adminToken, { name: 'Cổng dịch vụ công', webhookUrl: second.url })).body;
    const staff = await openCounter(hub, 'canbo5', 5);
    const created = await api<DossierDetail>(hub, 'POST', '/dossiers', staff.token, { procedure: 'Đăng ký thành lập hộ kinh doanh', applicantName: 'Lý Thị Lan' });
    await waitFor('a refused attempt', () => second.requests.length > 0);
    await hub.close(); // the hub stops with the delivery still owed
    const refused = second.requests.length;
    expect(second.requests.every((q) => (JSON.parse(q.body) as WebhookPayload).dossier.code === created.body.code)).toBe(true);

    down = false;
    const hubA = await startDossierHub({ url: dbh.url });
    const hubB = await startDossierHub({ url: dbh.url });
    hub = hubA;
    try {
      const owed = await waitFor('the owed delivery after the restart', () => second.requests[refused]);
      expect((JSON.parse(owed.body) as WebhookPayload).dossier.code).toBe(created.body.code);
      expect(owed.headers['x-hallhub-delivery']).toBe(second.requests[0]!.headers['x-hallhub-delivery']);
      // Two hub processes share the outbox: 20 changes from both, each delivered once to each integration.
      const tokenA = (await openCounter(hubA, 'canbo4', 4)).token;
      const tokenB = (await openCounter(hubB, 'canbo6', 6)).token;
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api<DossierDetail>(i % 2 ? hubA : hubB, 'POST', '/dossiers', i % 2 ? tokenA : tokenB, { procedure: 'Đăng ký khai tử', applicantName: `Người thứ ${i + 1}` }),
        ),
      );
      expect(made.every((m) => m.status === 201)).toBe(true);
      const codes = new Set(made.map((m) => m.body.code));
      const okFor = (rec: typeof second, from: number) =>
        rec.requests.slice(from).filter((q) => codes.has((JSON.parse(q.body) as WebhookPayload).dossier.code));
      await waitFor('40 deliveries', () => okFor(second, 0).length >= 20 && okFor(receiver, 2).length >= 20);
      for (const rec of [second, receiver]) {
        const ids = okFor(rec, rec === receiver ? 2 : 0).map((q) => q.headers['x-hallhub-delivery']);
        expect(ids.length).toBe(20);
        expect(new Set(ids).size).toBe(20);
      }
      for (const q of second.requests) expect(verifySignature(key.webhookSecret, q.body, q.headers['x-hallhub-signature'] as string)).toBe(true);
      // Each delivery is marked sent once its answer is back.
      await waitFor('the outbox drained', async () => (await dbh.db.query(`SELECT 1 FROM dossier_outbox WHERE state <> 'sent'`)).rowCount === 0);
      const { rows } = await dbh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossier_outbox WHERE attempts <> 1 AND target = $1`, [second.url]);
      expect(rows[0]!.n).toBe(1); // only the delivery owed across the restart needed more than one attempt
    } finally {
      await hubB.close();
      await second.close();
    }
  });
});
