import { createAdapter } from '@socket.io/postgres-adapter';
import type { Pool } from 'pg';
import { Adapter, MessageType, type BroadcastOptions } from 'socket.io-adapter';

/**
 * socket.io's PostgreSQL adapter, delivering each broadcast to this process's own clients at once and then publishing
 * it to the other hub processes. The stock cluster adapter delivers locally only after its NOTIFY has returned (to
 * number packets for connection-state recovery, which the hub does not use), so on a busy hub every emit — a call to
 * the displays included — waited its turn in PostgreSQL's serialised NOTIFY queue.
 */
export function localFirstAdapter(pool: Pool, opts: Parameters<typeof createAdapter>[1]): ReturnType<typeof createAdapter> {
  const make = createAdapter(pool, opts);
  // socket.io calls it with `new`: a function (not an arrow) that returns the adapter.
  return function (nsp: unknown) {
    const adapter = make(nsp);
    const viaCluster = adapter.broadcast.bind(adapter);
    adapter.broadcast = async (packet: unknown, o: BroadcastOptions): Promise<void> => {
      if (o.flags?.local) return viaCluster(packet, o);
      Adapter.prototype.broadcast.call(adapter, packet, o);
      adapter.publish({ type: MessageType.BROADCAST, data: { packet, opts: { rooms: [...o.rooms], except: [...(o.except ?? [])], flags: o.flags ?? {} } } });
    };
    return adapter;
  };
}
