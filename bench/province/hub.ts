/**
 * One hub process of the provincial-centre run: buildApp on the bench database (BENCH_HUB_DATABASE_URL),
 * pool of 30 as main.ts sizes it, listening on a free loopback port. Samples its RSS every second and
 * records Fastify's own time per route group; reports both over IPC.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createPool } from '../../server/db/pool.js';
import { serveRequests } from '../lib/messages.js';
import type { HubStats, ProvinceHubCommand } from './messages.js';

const url = process.env.BENCH_HUB_DATABASE_URL;
if (!url) throw new Error('BENCH_HUB_DATABASE_URL is required');
const dataDir = process.env.BENCH_HUB_DATA_DIR ?? process.cwd();
const MB = 1024 * 1024;

const db = createPool(url, 30);
const config = { ...loadConfig({}), databaseUrl: url, host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, demo: false };
const { app, io } = await buildApp({ config, db, logger: false });

// Bench-side instrumentation (no server code changed): how long each broadcast waits for the PostgreSQL
// adapter's publish (SELECT pg_notify through the adapter's own pool) before socket.io writes it locally.
const publish = { times: [] as number[], byEvent: {} as Record<string, number>, failed: 0, firstError: null as string | null };
const adapter = io.of('/').adapter as unknown as { doPublish?: (message: unknown) => Promise<unknown> };
const doPublish = adapter.doPublish?.bind(adapter);
if (doPublish) {
  adapter.doPublish = async (message: unknown) => {
    const m = message as { type?: number; data?: { packet?: { data?: unknown[] } } };
    const name = typeof m.data?.packet?.data?.[0] === 'string' ? (m.data.packet.data[0] as string) : `type ${m.type ?? '?'}`;
    publish.byEvent[name] = (publish.byEvent[name] ?? 0) + 1;
    const s = performance.now();
    try {
      return await doPublish(message);
    } catch (err) {
      // socket.io's cluster adapter swallows this and writes locally only: the other hub never gets the event.
      publish.failed++;
      publish.firstError ??= err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      publish.times.push(performance.now() - s);
    }
  };
}

const server: HubStats['server'] = {};
const groupOf = (method: string, url: string): string | null => {
  const path = url.split('?')[0]!;
  if (method === 'POST' && path === '/api/v1/tickets') return 'issue';
  if (method === 'POST' && path === '/api/v1/ratings') return 'rating';
  const m = /^\/api\/v1\/counters\/\d+\/([a-z-]+)$/.exec(path);
  return method === 'POST' && m ? m[1]! : null;
};
app.addHook('onResponse', async (req, reply) => {
  const g = groupOf(req.method, req.url);
  if (!g) return;
  const s = (server[g] ??= { times: [], statuses: {} });
  s.times.push(reply.elapsedTime);
  s.statuses[reply.statusCode] = (s.statuses[reply.statusCode] ?? 0) + 1;
});

await app.listen({ host: '127.0.0.1', port: 0 });

const t0 = performance.now();
const elu0 = performance.eventLoopUtilization();
const cpu0 = process.cpuUsage();
const rssSeries: [number, number][] = [];
let peakRss = process.memoryUsage.rss();
const sample = () => {
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  rssSeries.push([Math.round((performance.now() - t0) / 1000), Math.round((rss / MB) * 10) / 10]);
};
sample();
const sampler = setInterval(sample, 1000);
sampler.unref();

async function stop(): Promise<void> {
  clearInterval(sampler);
  await app.close().catch(() => undefined);
  await db.end().catch(() => undefined);
  process.exit(0);
}

serveRequests<ProvinceHubCommand>(async (cmd) => {
  switch (cmd.cmd) {
    case 'clock':
      return { now: performance.timeOrigin + performance.now() };
    case 'stats': {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      const cpu = process.cpuUsage(cpu0);
      return {
        rssSeries,
        peakRssMB: Math.round((peakRss / MB) * 10) / 10,
        finalRssMB: Math.round((m.rss / MB) * 10) / 10,
        heapUsedMB: Math.round((m.heapUsed / MB) * 10) / 10,
        cpuUserMs: Math.round(cpu.user / 1000),
        cpuSystemMs: Math.round(cpu.system / 1000),
        elu: Math.round(performance.eventLoopUtilization(elu0).utilization * 1000) / 1000,
        server,
        publish,
      } satisfies HubStats;
    }
    case 'stop':
      setImmediate(() => void stop());
      return { stopping: true };
  }
});

process.send?.({ event: 'ready', url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
