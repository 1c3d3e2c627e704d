/** Helpers of the dossier tests: a hub with its own config (SMTP, SMS gateway, fast retries), counters opened by staff. */
import http from 'node:http';
import type { Config } from '../../server/config.js';
import type { Db } from '../../server/db/pool.js';
import { api, login, startTestHub, type TestHub } from '../helpers/hub.js';

/** The whole hub with fast outbox retries and the given config overrides (e.g. smtpUrl). */
export function startDossierHub(opts: { url: string; db?: Db; config?: Partial<Config> }): Promise<TestHub> {
  return startTestHub({ ...opts, config: { webhookAllowHosts: ['127.0.0.1'], outboxPollMs: 50, outboxRetryBaseMs: 50, outboxRetryMaxMs: 400, ...opts.config } });
}

/** Logs `username` in and opens the counter with that number; returns the token and the counter id. */
export async function openCounter(hub: { url: string }, username: string, counterNumber: number): Promise<{ token: string; counterId: number }> {
  const token = await login(hub, username);
  const counters = await api<{ id: number; number: number }[]>(hub, 'GET', '/counters', token);
  const counter = counters.body.find((c) => c.number === counterNumber);
  if (!counter) throw new Error(`no counter number ${counterNumber}`);
  const r = await api(hub, 'POST', `/counters/${counter.id}/open`, token);
  if (r.status !== 200) throw new Error(`open counter ${counterNumber}: ${r.status} ${JSON.stringify(r.body)}`);
  return { token, counterId: counter.id };
}

/** Polls `check` until it returns a value (not undefined/false), or fails with `what` after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server recording requests; `answer` decides each status (e.g. fail the first attempts). */
export async function startRecorder(answer: (req: Received, index: number) => number = () => 200) {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const status = answer(r, requests.length);
      requests.push(r);
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
