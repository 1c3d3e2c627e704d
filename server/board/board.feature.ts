import { boardRoom, rooms, type BoardSnapshot } from '../../protocol/index.js';
import type { Feature, FeatureContext } from '../features.js';
import { command } from '../features.js';
import { access } from '../auth/access.js';
import type { Hub } from '../context.js';
import type { HubServer } from '../realtime/realtime.js';
import type { HubEventName } from '../events.js';
import { BoardService } from './board.service.js';
import { boardRoutes } from './board.routes.js';

/** `board:update` goes out at most this often per hall, however busy the floor. */
export const BOARD_MIN_INTERVAL_MS = 500;
/** Waits grow and devices drop off without events: boards with viewers on this process refresh this often. */
export const BOARD_REFRESH_MS = 10_000;

/** What changes the board: the queue, ratings, and device health (the health feature's events; a 10 s refresh covers the rest). */
const boardEvents = [
  'ticket.issued',
  'ticket.changed',
  'ticket.called',
  'counter.changed',
  'queue.changed',
  'rating.recorded',
  'device.health',
  'printer.fault',
  'printer.ok',
] as const satisfies readonly HubEventName[];

/**
 * Pushes the board to the managers room and to subscribed board displays: after any change, coalesced
 * to at most one snapshot per BOARD_MIN_INTERVAL_MS per hall; and every BOARD_REFRESH_MS to the viewers
 * connected to this process (local emit, so several hub processes do not repeat each other).
 */
class BoardPublisher {
  private readonly pending = new Map<number, NodeJS.Timeout>();
  private readonly lastSent = new Map<number, number>();
  private ticker: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly hub: Hub,
    private readonly io: HubServer,
    private readonly snapshot: (hallId: number) => Promise<BoardSnapshot>,
  ) {}

  start(): void {
    this.ticker = setInterval(() => this.refreshLocal(), BOARD_REFRESH_MS);
    this.ticker.unref();
  }

  changed(hallId: number): void {
    if (this.stopped || this.pending.has(hallId)) return;
    const wait = Math.max(0, BOARD_MIN_INTERVAL_MS - (Date.now() - (this.lastSent.get(hallId) ?? 0)));
    const timer = setTimeout(() => {
      this.pending.delete(hallId);
      this.lastSent.set(hallId, Date.now());
      this.snapshot(hallId)
        .then((snapshot) => this.io.to([rooms.managers(hallId), boardRoom(hallId)]).emit('board:update', snapshot))
        .catch((err: unknown) => this.hub.log.warn({ err, hallId }, 'board snapshot failed'));
    }, wait);
    timer.unref();
    this.pending.set(hallId, timer);
  }

  /** Halls with a board viewer on this process. */
  private localHalls(): Set<number> {
    const halls = new Set<number>();
    for (const [room, sockets] of this.io.of('/').adapter.rooms) {
      const m = /^hall:(\d+):(managers|board)$/.exec(room);
      if (m && sockets.size > 0) halls.add(Number(m[1]));
    }
    return halls;
  }

  private refreshLocal(): void {
    for (const hallId of this.localHalls()) {
      if (this.pending.has(hallId)) continue;
      this.snapshot(hallId)
        .then((snapshot) => this.io.local.to([rooms.managers(hallId), boardRoom(hallId)]).emit('board:update', snapshot))
        .catch((err: unknown) => this.hub.log.warn({ err, hallId }, 'board refresh failed'));
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}

/** The managers' live board: `GET /api/v1/board`, `PUT /api/v1/board/sla/:id`, `board:subscribe` and `board:update`. */
export function boardFeature({ hub, io }: FeatureContext): Feature {
  const service = new BoardService(hub.db, (hallId) => hub.devices.list(hallId));
  const snapshot = (hallId: number) => hub.snapshots.get('board', hallId, () => service.snapshot(hallId));
  const publisher = new BoardPublisher(hub, io, snapshot);
  const changed = ({ hallId }: { hallId: number }) => publisher.changed(hallId);
  return {
    name: 'board',
    routes: (api) =>
      boardRoutes(api, service, (hallId) => {
        hub.snapshots.invalidate(hallId);
        publisher.changed(hallId);
      }),
    handles: Object.fromEntries(boardEvents.map((e) => [e, changed])),
    commands: {
      'board:subscribe': command({
        access: access.board,
        payload: null,
        unavailableMessage: 'board snapshot failed, retry',
        handle: async (socket) => {
          const hallId = socket.data.principal.hallId;
          void socket.join(boardRoom(hallId));
          return snapshot(hallId);
        },
      }),
    },
    start: () => publisher.start(),
    stop: () => publisher.stop(),
  };
}
