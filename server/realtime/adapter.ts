import { createAdapter } from '@socket.io/postgres-adapter';
import type { Pool } from 'pg';
import { Adapter, MessageType, type BroadcastOptions } from 'socket.io-adapter';

/**
 * socket.io's PostgreSQL adapter, delivering each broadcast to this process's own clients at once and then publishing
 * it to the other hub processes. The stock cluster adapter delivers locally only after its NOTIFY has returned (to
 * number packets for connection-state recovery, which the hub does not use), so on a busy hub every emit — a call to
 * the displays included — waited its turn in PostgreSQL's serialised NOTIFY queue.
 */
export function localFirstAdapter(
  pool: Pool,
  opts: Parameters<typeof createAdapter>[1],
  /** Called each time the adapter's LISTEN connection is back after it was lost: broadcasts of the other hubs may have been missed meanwhile. */
  onRelink?: () => void,
): ReturnType<typeof createAdapter> {
  const make = createAdapter(pool, opts);
  let watched = false;
  // socket.io calls it with `new`: a function (not an arrow) that returns the adapter.
  return function (nsp: unknown) {
    const adapter = make(nsp);
    if (onRelink && !watched) {
      watched = true;
      watchRelinks(adapter as unknown as { client?: PubSub }, onRelink);
    }
    const viaCluster = adapter.broadcast.bind(adapter);
    adapter.broadcast = async (packet: unknown, o: BroadcastOptions): Promise<void> => {
      if (o.flags?.local) return viaCluster(packet, o);
      Adapter.prototype.broadcast.call(adapter, packet, o);
      adapter.publish({ type: MessageType.BROADCAST, data: { packet, opts: { rooms: [...o.rooms], except: [...(o.except ?? [])], flags: o.flags ?? {} } } });
    };
    return adapter;
  };
}

/** The adapter's LISTEN client (`PubSubClient` of @socket.io/postgres-adapter 0.x; not exported as a type). */
interface PubSub {
  client?: unknown;
  initClient(): Promise<void>;
}

/** Every later (re)connection of the LISTEN client after the first one calls `onRelink` once it listens. */
function watchRelinks(adapter: { client?: PubSub }, onRelink: () => void): void {
  const pubsub = adapter.client;
  if (!pubsub || typeof pubsub.initClient !== 'function') return;
  const init = pubsub.initClient.bind(pubsub);
  pubsub.initClient = async () => {
    await init();
    if (pubsub.client) onRelink();
  };
}
