/**
 * The hub alone in a process, for a fair RSS figure: built with buildApp on the bench database
 * (BENCH_HUB_DATABASE_URL), listening on a free loopback port, reporting its memory over IPC.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool } from '../server/db/pool.js';
import { serveRequests, type HubCommand, type HubReadyEvent, type MemorySample } from './lib/messages.js';

const url = process.env.BENCH_HUB_DATABASE_URL;
if (!url) throw new Error('BENCH_HUB_DATABASE_URL is required');
const dataDir = process.env.BENCH_HUB_DATA_DIR ?? process.cwd();

let peakRss = process.memoryUsage.rss();
let peakSinceLast = peakRss;
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  peakSinceLast = Math.max(peakSinceLast, rss);
}, 100);
sampler.unref();

const db = createPool(url, 30);
const config = { ...loadConfig({}), databaseUrl: url, host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, demo: false };
const { app } = await buildApp({ config, db, logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });

async function stop(): Promise<void> {
  await app.close().catch(() => undefined);
  await db.end().catch(() => undefined);
  process.exit(0);
}

serveRequests<HubCommand>(async (cmd) => {
  switch (cmd.cmd) {
    case 'mem': {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      const peakRssSinceLast = Math.max(peakSinceLast, m.rss);
      peakSinceLast = m.rss;
      let afterGc: MemorySample['afterGc'] = null;
      const gc = (globalThis as { gc?: () => void }).gc;
      if (cmd.gc && gc) {
        gc();
        const g = process.memoryUsage();
        afterGc = { rss: g.rss, heapUsed: g.heapUsed, external: g.external };
      }
      return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, peakRss, peakRssSinceLast, afterGc } satisfies MemorySample;
    }
    case 'stop':
      setImmediate(() => void stop());
      return { stopping: true };
  }
});

process.send?.({ event: 'ready', url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` } satisfies HubReadyEvent);
