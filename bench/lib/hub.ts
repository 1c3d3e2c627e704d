import type { AddressInfo } from 'node:net';
import { buildApp, type BuiltApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createPool, type Db } from '../../server/db/pool.js';

export interface BenchHub extends BuiltApp {
  url: string;
  db: Db;
  /** Server-side time (Fastify's reply.elapsedTime, ms) of each request while `recording` is on. */
  serverTimes: number[];
  recording: boolean;
  close(): Promise<void>;
}

/** The hub as main.ts builds it (pool of 30, logger off) listening on a free loopback port. */
export async function startHub(url: string, dataDir: string): Promise<BenchHub> {
  const config = { ...loadConfig({}), databaseUrl: url, host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, demo: false };
  const db = createPool(url, 30);
  const built = await buildApp({ config, db, logger: false });
  const hub: BenchHub = {
    ...built,
    url: '',
    db,
    serverTimes: [],
    recording: false,
    async close() {
      await built.app.close().catch(() => undefined);
      await db.end().catch(() => undefined);
    },
  };
  built.app.addHook('onResponse', async (_req, reply) => {
    if (hub.recording) hub.serverTimes.push(reply.elapsedTime);
  });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  hub.url = `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}`;
  return hub;
}
