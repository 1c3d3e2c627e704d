import { randomBytes } from 'node:crypto';
import { DisplaySnapshot, rooms } from '../../protocol/index.js';
import type { Feature, FeatureContext } from '../features.js';
import { command } from '../features.js';
import type { HubEventName } from '../events.js';
import { access, ANY_PRINCIPAL } from '../auth/access.js';
import { guard } from '../auth/auth.plugin.js';
import * as queueRepo from '../queue/queue.repo.js';
import { displaySnapshot } from './display-snapshot.js';
import { roomsOf, type HubSocket } from './realtime.js';

/** Every committed change of a hall: the shared snapshots of that hall are computed afresh after it. */
const hallChanges = [
  'ticket.issued',
  'ticket.changed',
  'ticket.called',
  'counter.changed',
  'queue.changed',
  'setup.changed',
  'rating.recorded',
  'dossier.changed',
  'printer.fault',
  'printer.ok',
  'device.health',
] as const satisfies readonly HubEventName[];

/**
 * The real-time fan-out: a socket joins its rooms and gets its snapshot on connect (and on `snapshot:get`);
 * committed queue, set-up and dossier changes go to the rooms that care; `GET /display/snapshot`.
 */
export function realtimeFeature({ hub, io }: FeatureContext): Feature {
  const queueSnapshot = async (hallId: number) => {
    const counts = await hub.snapshots.get('queue', hallId, () => queueRepo.waitingCounts(hub.db, hallId));
    return { services: counts.map((c) => ({ serviceId: c.service_id, waiting: c.waiting })), at: new Date().toISOString() };
  };
  const display = (hallId: number) => hub.snapshots.get('display', hallId, () => displaySnapshot(hub, hallId));
  const sendSnapshot = async (socket: HubSocket) => {
    const p = socket.data.principal;
    socket.emit('queue:update', await queueSnapshot(p.hallId));
    if (p.type === 'device' && p.device.kind !== 'display') return;
    socket.emit('display:snapshot', await display(p.hallId));
  };

  const invalidate = ({ hallId }: { hallId: number }) => hub.snapshots.invalidate(hallId);
  // Each hall's calls from this process are numbered 1, 2, 3…: a screen that sees a gap asks for a snapshot.
  const origin = randomBytes(6).toString('hex');
  const sequences = new Map<number, number>();
  const nextSeq = (hallId: number) => {
    const n = (sequences.get(hallId) ?? 0) + 1;
    sequences.set(hallId, n);
    return { origin, n };
  };
  return {
    name: 'realtime',
    async routes(api) {
      api.get('/display/snapshot', { schema: { tags: ['display'], response: { 200: DisplaySnapshot } }, preHandler: guard(access.display) }, async (req) =>
        displaySnapshot(hub, req.principal!.hallId),
      );
    },
    handles: {
      ...Object.fromEntries(hallChanges.map((e) => [e, invalidate])),
      'ticket.called': ({ hallId, call }) => {
        invalidate({ hallId });
        io.to([rooms.displays(hallId), rooms.staff(hallId), rooms.counter(call.counterId)]).emit('call', { ...call, seq: nextSeq(hallId) });
      },
      // Displays take a counter's number from `call`; they need counter updates only when it opens, pauses or closes.
      'counter.changed': ({ hallId, counter, statusChanged }) => {
        invalidate({ hallId });
        const to = [rooms.staff(hallId), rooms.counter(counter.id)];
        io.to(statusChanged ? [rooms.displays(hallId), ...to] : to).emit('counter:update', counter);
      },
      'ticket.changed': ({ hallId, update }) => {
        invalidate({ hallId });
        io.to(rooms.staff(hallId)).emit('ticket:update', update);
      },
      'queue.changed': ({ hallId, update }) => {
        invalidate({ hallId });
        io.to([rooms.kiosks(hallId), rooms.staff(hallId)]).emit('queue:update', update);
      },
      // Screens re-read the set-up over HTTP; displays get their new snapshot (hall name, counters) built once here.
      'setup.changed': async ({ hallId }) => {
        invalidate({ hallId });
        io.to(rooms.hall(hallId)).emit('setup:update', { at: new Date().toISOString() });
        io.to(rooms.displays(hallId)).emit('display:snapshot', await display(hallId));
      },
      'dossier.changed': ({ hallId, code, status, counterId, at }) => {
        invalidate({ hallId });
        io.to(rooms.staff(hallId)).emit('dossier:update', { code, status, counterId, at });
      },
    },
    commands: {
      'snapshot:get': command({
        access: ANY_PRINCIPAL,
        payload: null,
        unavailableMessage: 'snapshot failed',
        handle: (socket) => sendSnapshot(socket),
      }),
    },
    onConnect(socket) {
      void socket.join(roomsOf(socket.data.principal));
      sendSnapshot(socket).catch((err: unknown) => hub.log.warn({ err, socket: socket.id }, 'snapshot failed'));
    },
  };
}
