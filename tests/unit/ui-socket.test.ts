/**
 * The ui-kit socket store against the real hub (real PostgreSQL, real socket.io): it connects with a
 * device token, says when it is offline, comes back by itself after a hub restart on the same port, and
 * gets its snapshot again. Runs in Node: socket.io-client is the same code as in the browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effect, signal } from '@preact/signals';
import type { DemoHall } from '../../server/demo/seed.js';
import { createSocketStore, type SocketStore } from '../../ui-kit/socket.js';
import { createTestDatabase, seedHall, startTestHub, type TestHub } from '../helpers/hub.js';
import { restartHubOn } from '../helpers/browser.js';

/** Resolves when `check` is true, re-checked on every signal change it reads (no polling, no sleeps). */
function until(check: () => boolean, what: string, ms = 25_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let dispose: (() => void) | null = null;
    const timer = setTimeout(() => {
      dispose?.();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    dispose = effect(() => {
      if (check()) {
        clearTimeout(timer);
        queueMicrotask(() => dispose?.());
        resolve();
      }
    });
  });
}

describe('ui-kit socket store', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  const stores: SocketStore[] = [];

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    hub = await startTestHub({ url: dbh.url });
  });
  afterAll(async () => {
    for (const s of stores) s.close();
    await hub?.close().catch(() => undefined);
    await dbh?.drop();
  });

  it('refuses an unknown token without pretending to be online', async () => {
    const store = createSocketStore({ url: hub.url, token: 'd_not-a-device' });
    stores.push(store);
    await until(() => store.status.value === 'unauthorized', 'unauthorized');
    expect(store.online.value).toBe(false);
    expect(store.offline.value).toBe(true);
    store.close();
  });

  it('connects, reconnects after a hub restart and gets the snapshot again', async () => {
    const store = createSocketStore({ url: hub.url, token: demo.displayToken, heartbeat: true, heartbeatMs: 60_000 });
    stores.push(store);
    const snapshots = signal(0);
    store.on('display:snapshot', () => snapshots.value++);
    await until(() => store.online.value, 'online');
    expect(store.connections.value).toBe(1);
    await until(() => snapshots.value >= 1, 'first snapshot');
    expect(store.latest('display:snapshot')?.hallName).toBe('Trung tâm Phục vụ hành chính công xã Minh Hòa');

    const port = Number(new URL(hub.url).port);
    await hub.close();
    await until(() => store.offline.value, 'offline after the hub closed');

    const again = await restartHubOn(dbh.url, port);
    try {
      await until(() => store.online.value && store.connections.value === 2, 'back online');
      await until(() => snapshots.value >= 2, 'snapshot after the reconnect');
      expect(store.offline.value).toBe(false);
    } finally {
      store.close();
      await again.close();
    }
  });
});
