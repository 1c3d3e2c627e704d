import { rooms } from '../../protocol/index.js';
import type { Hub } from '../context.js';
import * as queueRepo from '../queue/queue.repo.js';
import type { HubServer } from './realtime.js';
import { displaySnapshot } from './display-snapshot.js';

/** The halls that have sockets on this hub process. */
function localHalls(io: HubServer): number[] {
  const halls: number[] = [];
  for (const room of io.of('/').adapter.rooms.keys()) {
    const m = /^hall:(\d+)$/.exec(room);
    if (m) halls.push(Number(m[1]));
  }
  return halls;
}

/**
 * Brings every screen connected to THIS hub process up to date, for when it may have missed broadcasts from the
 * other hubs (its adapter lost and regained its LISTEN link to PostgreSQL): displays get a fresh snapshot built
 * once per hall, kiosks and consoles the waiting counts and a `setup:update` (they re-read over HTTP).
 * Emitted to local sockets only: the other hubs' screens did not miss anything.
 */
export async function resyncLocalScreens(hub: Hub, io: HubServer): Promise<void> {
  for (const hallId of localHalls(io)) {
    hub.snapshots.invalidate(hallId);
    const [snapshot, counts] = await Promise.all([displaySnapshot(hub, hallId), queueRepo.waitingCounts(hub.db, hallId)]);
    const at = new Date().toISOString();
    io.local.to(rooms.displays(hallId)).emit('display:snapshot', snapshot);
    io.local.to([rooms.kiosks(hallId), rooms.staff(hallId)]).emit('queue:update', { services: counts.map((c: { service_id: number; waiting: number }) => ({ serviceId: c.service_id, waiting: c.waiting })), at });
    io.local.to(rooms.hall(hallId)).emit('setup:update', { at });
  }
}
