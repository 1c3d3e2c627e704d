import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../server/config.js';
import type { Drivers } from '../../server/features.js';
import type { Db } from '../../server/db/pool.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { AuthService } from '../../server/auth/auth.service.js';
import { connectSocket, createTestDatabase, login, seedHall, startTestHub, type ClientSocket, type TestHub } from './hub.js';

export interface SeededHub {
  /** The hub, listening on loopback. */
  readonly hub: TestHub;
  /** The test file's own database. */
  readonly dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  readonly db: Db;
  /** The seeded demo hall: its ids and device tokens. */
  readonly demo: DemoHall;
  /** Logs in over HTTP (demo staff password unless given). */
  login(username: string, password?: string): Promise<string>;
  /** A socket.io client with `token`, disconnected when the file's tests are done. */
  connect(token: string): Promise<ClientSocket>;
}

/**
 * The hub most test files need, built in `beforeAll` and torn down in `afterAll` by itself: a fresh migrated
 * database of the file's own, the demo hall seeded (and an admin with `adminPassword` when given), the whole hub
 * on loopback with `config` and `drivers`. Call it at the top of a `describe` (or file); read its fields in tests
 * or in the file's own `beforeAll`, which runs after this one.
 */
export function useSeededHub(opts: { config?: Partial<Config>; drivers?: Drivers; adminPassword?: string } = {}): SeededHub {
  let state: { hub: TestHub; dbh: Awaited<ReturnType<typeof createTestDatabase>>; demo: DemoHall } | null = null;
  let dbh: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  let hub: TestHub | null = null;
  const sockets: ClientSocket[] = [];
  const ready = () => {
    if (!state) throw new Error('useSeededHub: the hub is built in beforeAll; read it inside a hook or a test');
    return state;
  };

  beforeAll(async () => {
    dbh = await createTestDatabase();
    const demo = await seedHall(dbh.db);
    if (opts.adminPassword) await new AuthService(dbh.db, 12).ensureAdmin(demo.hallId, opts.adminPassword);
    hub = await startTestHub({ url: dbh.url, ...(opts.config ? { config: opts.config } : {}), ...(opts.drivers ? { drivers: opts.drivers } : {}) });
    state = { hub, dbh, demo };
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await hub?.close();
    await dbh?.drop();
    state = null;
  });

  return {
    get hub() {
      return ready().hub;
    },
    get dbh() {
      return ready().dbh;
    },
    get db() {
      return ready().dbh.db;
    },
    get demo() {
      return ready().demo;
    },
    login: (username, password) => login(ready().hub, username, password),
    async connect(token) {
      const socket = await connectSocket(ready().hub, token);
      sockets.push(socket);
      return socket;
    },
  };
}
