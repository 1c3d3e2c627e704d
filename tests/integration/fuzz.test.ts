import { beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import AjvModule, { type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

type Dbh = Awaited<ReturnType<typeof createTestDatabase>>;

/** A deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const hostileStrings = [
  "'; DROP TABLE tickets; --",
  "1 OR 1=1",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u202Eevil\u202C',
  'a\u0000b',
  '\uD800',
  '🧧🎉'.repeat(50),
  'Nguyễn Văn A\u0301\u0301\u0301',
  ' ',
  '',
  '../../etc/passwd',
  '%00',
  'x'.repeat(70_000),
  '${7*7}{{7*7}}',
];
const hostileValues: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 63),
  Number.MAX_VALUE,
  [],
  [1, 2, 3],
  {},
  { $ne: 1 },
  { __proto__: { admin: true } },
  ...hostileStrings,
];

function hostileBody(random: () => number, fields: string[], maxString = Infinity): unknown {
  const values = hostileValues.filter((v) => typeof v !== 'string' || v.length <= maxString);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const r = random();
  if (r < 0.1) return pick(values);
  if (r < 0.15) {
    let deep: unknown = { a: 1 };
    for (let i = 0; i < 500; i++) deep = { a: deep };
    return deep;
  }
  const body: Record<string, unknown> = {};
  for (const f of fields) if (random() < 0.8) body[f] = pick(values);
  if (random() < 0.3) body[pick(hostileStrings).slice(0, 20) || 'extra'] = pick(values);
  return body;
}

/** Tables whose content is the hall's state; background bookkeeping tables are left out. */
async function fingerprint(dbh: Dbh): Promise<string> {
  const { rows: tables } = await dbh.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        AND table_name NOT IN ('audit_log', 'login_failures', 'socket_io_attachments', 'schema_migrations', 'devices', 'sessions')
        AND table_name !~ '(outbox|webhook|notification|rate|limit|print_job|attempt|health|fault|heartbeat)'
      ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const t of tables) {
    const { rows } = await dbh.db.query<{ h: string | null }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${t.name} x`);
    parts.push(`${t.name}:${rows[0]!.h ?? '-'}`);
  }
  return parts.join(',');
}

describe('hostile input', () => {
  let dbh: Dbh;
  let hub: TestHub;
  let demo: DemoHall;
  let callers: { who: string; token: string | null }[];

  const seeded = useSeededHub({ adminPassword: 'admin-pass-123' });
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    const staff = await login(hub, 'canbo1');
    await api(hub, 'POST', '/counters/1/open', staff);
    for (let i = 0; i < 3; i++) await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 });
    await api(hub, 'POST', '/counters/1/next', staff);
    callers = [
      { who: 'anonymous', token: null },
      { who: 'admin', token: await login(hub, 'admin', 'admin-pass-123') },
      { who: 'staff', token: staff },
      { who: 'kiosk', token: demo.kioskToken },
      { who: 'display', token: demo.displayToken },
    ];
  });

  it('never answers 5xx and never changes anything on a 4xx, on every API route', async () => {
    const random = rng(20261121);
    const skip = new Set(['POST /api/v1/auth/logout']);
    const problems: string[] = [];
    const schemaFields = (url: string, method: string): string[] => {
      const doc = hub.app.swagger() as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
      const p = doc.paths?.[url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
      return Object.keys(p?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
    };
    // Every reply is checked against the OpenAPI document: its status is listed, and a JSON body matches its schema.
    const doc = (await api<{ paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> }>(hub, 'GET', '/openapi.json')).body;
    const ajv = formatsModule.default(new AjvModule.default({ strict: false, validateSchema: false, allErrors: false }));
    ajv.addSchema(doc, 'openapi');
    const validators = new Map<string, ValidateFunction | null>();
    const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    const checkReply = (key: string, url: string, method: string, status: number, body: unknown, contentType: string | null) => {
      const docPath = url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[docPath]?.[method.toLowerCase()];
      if (!op) return url === '/api/v1/openapi.json' ? undefined : problems.push(`${key}: not in the OpenAPI document`);
      const listed = op.responses[String(status)];
      if (!listed) return problems.push(`${key}: answered ${status}, which the document does not list`);
      if (!contentType?.includes('json') || !listed.content?.['application/json']) return;
      const id = `${docPath} ${method} ${status}`;
      if (!validators.has(id)) validators.set(id, ajv.compile({ $ref: `openapi#/${pointer('paths', docPath, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}` }));
      const validate = validators.get(id)!;
      if (validate && !validate(body)) problems.push(`${key}: ${status} body does not match the document: ${ajv.errorsText(validate.errors)}`);
    };
    let before = await fingerprint(dbh);
    let sent = 0;
    for (const route of hub.routes) {
      const key = `${route.method} ${route.url}`;
      if (skip.has(key)) continue;
      const fields = schemaFields(route.url, route.method);
      for (let round = 0; round < 6; round++) {
        for (const { who, token } of callers) {
          const params = route.url.replace(/:[A-Za-z]+/g, () => {
            const raw = String(hostileValues[Math.floor(random() * hostileValues.length)] ?? '1');
            try {
              return encodeURIComponent(raw).slice(0, 200) || '1';
            } catch {
              return '%ED%A0%80';
            }
          });
          const path = params.replace(/^\/api\/v1/, '');
          const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
          let status: number;
          try {
            const r = await api(hub, route.method, path, token, hasBody ? hostileBody(random, fields) : undefined);
            status = r.status;
            checkReply(`${key} ${who}`, route.url, route.method, status, r.body, typeof r.body === 'string' || r.body === null ? null : 'application/json');
            if (status >= 400 && status < 500 && !(r.body as { error?: { message?: string } })?.error?.message) problems.push(`${key} ${who}: ${status} without {error:{message}}`);
          } catch (err) {
            problems.push(`${key} ${who}: request failed ${String(err)}`);
            continue;
          }
          sent++;
          if (status >= 500) problems.push(`${key} ${who}: ${status}`);
          if (status >= 400) {
            const after = await fingerprint(dbh);
            if (after !== before) {
              const was = new Set(before.split(','));
              const changed = after.split(',').filter((t) => !was.has(t)).map((t) => t.split(':')[0]);
              problems.push(`${key} ${who}: ${status} but ${changed.join(', ')} changed`);
            }
            before = after;
          } else {
            before = await fingerprint(dbh);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(hub.routes.length * 20);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  }, 240_000);

  it('survives hostile socket payloads on every event and keeps the connection usable', async () => {
    const random = rng(7);
    for (const { who, token } of callers) {
      if (!token) continue;
      const socket = await connectSocket(hub, token);
      const serverSide = [...hub.io.sockets.sockets.values()].find((s) => s.id === socket.id)!;
      const events = serverSide.eventNames().filter((e): e is string => typeof e === 'string' && !['disconnect', 'disconnecting', 'error'].includes(e));
      expect(events.length).toBeGreaterThanOrEqual(2);
      for (const event of events) {
        for (let i = 0; i < 12; i++) {
          const payload = hostileBody(random, ['code', 'faults', 'ticketId', 'level', 'jobId'], 10_000);
          const args: unknown[] = random() < 0.5 ? [payload, () => undefined] : [payload];
          (socket.emit as (e: string, ...a: unknown[]) => void)(event, ...args);
          if (random() < 0.2) (socket.emit as (e: string, ...a: unknown[]) => void)(event);
        }
      }
      const ack = await socket.timeout(10_000).emitWithAck('snapshot:get');
      expect(ack, `${who} still served after hostile events`).toEqual({ ok: true });
      expect(socket.connected).toBe(true);
      socket.close();
    }
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  });

  it('drops a socket that sends an oversized message, and keeps serving everyone else', async () => {
    const bystander = await connectSocket(hub, demo.displayToken);
    const flooder = await connectSocket(hub, demo.kioskToken);
    const gone = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    flooder.emit('device:heartbeat', { faults: [{ code: 'x', message: 'x'.repeat(200_000) }] });
    expect(await gone).toMatch(/transport (close|error)/);
    expect(await bystander.timeout(10_000).emitWithAck('snapshot:get')).toEqual({ ok: true });
    bystander.close();
    const again = await connectSocket(hub, demo.kioskToken);
    expect(await again.timeout(10_000).emitWithAck('device:heartbeat', {})).toEqual({ ok: true });
    again.close();
  });
});
