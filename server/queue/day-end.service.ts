import type { FastifyBaseLogger } from 'fastify';
import { type Db, transaction } from '../db/pool.js';
import type { EventBus } from '../events.js';
import type { QueueService } from './queue.service.js';
import * as repo from './day-end.repo.js';

/**
 * The hall's day ends: tickets of a day that is over and still waiting or called are closed as `not_served`
 * (counted in reports), so no queue, counter or screen shows them the next morning.
 */
export class DayEndService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly queue: QueueService,
    private readonly log: FastifyBaseLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Closes what the days that are over left open; returns how many tickets it closed. */
  async run(): Promise<number> {
    const now = this.clock();
    const closed = await transaction(this.db, async (tx) => {
      const rows = await repo.closePastDays(tx, now);
      await repo.purgePastKeys(tx, now);
      return rows;
    });
    if (!closed.length) return 0;
    const halls = new Map<number, Set<number>>();
    for (const t of closed) {
      const counters = halls.get(t.hall_id) ?? new Set<number>();
      if (t.counter_id !== null) counters.add(t.counter_id);
      halls.set(t.hall_id, counters);
      this.bus.emit('ticket.changed', {
        hallId: t.hall_id,
        update: { id: t.id, number: t.number, serviceId: t.service_id, status: t.status, counterId: t.counter_id, at: now.toISOString() },
      });
    }
    for (const [hallId, counters] of halls) {
      this.log.info({ hallId, tickets: closed.filter((t) => t.hall_id === hallId).length }, 'day ended: open tickets closed as not served');
      for (const counterId of counters) {
        const counter = await this.queue.counterView(this.db, hallId, counterId);
        this.bus.emit('counter.changed', { hallId, counter, statusChanged: false });
      }
      this.queue.refreshWaiting(hallId);
    }
    return closed.length;
  }
}
