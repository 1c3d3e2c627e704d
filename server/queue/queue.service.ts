import type { FastifyBaseLogger } from 'fastify';
import { type Db, type Queryable, type Tx, transaction } from '../db/pool.js';
import { noteResult } from '../db/request-scope.js';
import type { EventBus } from '../events.js';
import { HubError, conflict, notFound } from '../errors.js';
import type { CallEvent, Counter, CounterQueue, IssuedTicket, Ticket, TicketUpdate } from '../../protocol/index.js';
import * as setup from '../admin/setup.repo.js';
import * as repo from './queue.repo.js';
import { audioUrlFor } from '../voice/audio-url.js';
import { hallSettingsOf } from '../admin/setup.service.js';
import { estimateWait } from './estimate.js';
import { capacityOf, formatTicketNumber } from './numbering.js';
import { choosePriority, policyOf } from './priority-policy.js';

type Actor = { hallId: number; userId: number };

interface CommittedCall {
  ticket: repo.CalledTicketRow;
  audioUrl: string | undefined;
  counter: setup.CounterRow;
  recall: boolean;
  at: Date;
}

/** The public follow page of a ticket: the link its QR carries. */
export const followUrlOf = (publicUrl: string, ticketId: number) => `${publicUrl.replace(/\/+$/, '')}/kiosk/t/${ticketId}`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class QueueService {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly log: FastifyBaseLogger,
    private readonly publicUrl = '',
  ) {}

  // ---- tickets ----

  async issue(hallId: number, serviceId: number, priority: boolean, deviceId: number | null): Promise<IssuedTicket> {
    const { ticket, service, ahead, wait } = await transaction(this.db, async (tx) => {
      const service = await setup.findService(tx, hallId, serviceId);
      if (!service) throw notFound(`Không có dịch vụ số ${serviceId}`);
      if (!service.active) throw conflict(`Dịch vụ "${service.name}" đang tạm ngừng nhận số`, 'service_closed');
      const day = await repo.hallDay(tx, hallId);
      const seq = await repo.nextSeq(tx, serviceId, day);
      if (seq > capacityOf(service)) throw conflict(`Dịch vụ "${service.name}" đã hết số hôm nay`, 'numbers_exhausted');
      const ticket = await repo.insertTicket(tx, { hallId, serviceId, day, seq, number: formatTicketNumber(service, seq), priority, deviceId });
      const ahead = await repo.countAhead(tx, ticket);
      const wait = await this.estimate(tx, ticket);
      noteResult(ticket.id);
      return { ticket, service, ahead, wait };
    });
    this.bus.emit('ticket.issued', {
      hallId,
      ticketId: ticket.id,
      serviceId,
      number: ticket.number,
      priority,
      deviceId,
      ahead,
      estimatedWaitMinutes: wait.estimatedWaitMinutes,
      estimatedWaitRange: wait.estimatedWaitRange,
    });
    this.queueChanged(hallId);
    return {
      id: ticket.id,
      number: ticket.number,
      serviceId,
      serviceName: service.name,
      status: 'waiting',
      priority,
      issuedAt: ticket.issued_at.toISOString(),
      ahead,
      ...wait,
      followUrl: followUrlOf(this.publicUrl, ticket.id),
    };
  }

  async getTicket(hallId: number | null, id: number): Promise<Ticket> {
    const t = await repo.findTicket(this.db, hallId, id);
    if (!t) throw notFound(`Không có phiếu số ${id}`);
    return this.ticketView(this.db, t);
  }

  private async ticketView(db: Queryable, t: repo.TicketRow): Promise<Ticket> {
    const service = await setup.findService(db, t.hall_id, t.service_id);
    const hall = await setup.findHall(db, t.hall_id);
    const waiting = t.status === 'waiting';
    const ahead = waiting ? await repo.countAhead(db, t) : 0;
    return {
      id: t.id,
      number: t.number,
      serviceId: t.service_id,
      serviceName: service?.name ?? '',
      status: t.status,
      priority: t.priority,
      issuedAt: t.issued_at.toISOString(),
      calledAt: iso(t.called_at),
      counterId: t.counter_id,
      counterNumber: t.counter_id ? await repo.counterNumber(db, t.counter_id) : null,
      ahead,
      ...(waiting ? await this.estimate(db, t) : { estimatedWaitMinutes: 0, estimatedWaitRange: null, hallOpensAt: null }),
      hallName: hall?.name ?? '',
      nowServing: await repo.lastCalledOfService(db, t.service_id, t.day),
    };
  }

  /** The one estimate every screen shows (see estimate.ts): null minutes when no counter that serves the service is open. */
  private async estimate(db: Queryable, t: repo.TicketRow): Promise<Pick<Ticket, 'estimatedWaitMinutes' | 'estimatedWaitRange' | 'hallOpensAt'>> {
    const inputs = await repo.estimateInputs(db, t);
    const hall = await setup.findHall(db, t.hall_id);
    const settings = hallSettingsOf(hall?.settings);
    const e = estimateWait({
      serviceId: t.service_id,
      priority: t.priority,
      counters: inputs.counters.map((c) => ({ serviceIds: c.service_ids, busySeconds: c.busy_seconds })),
      queue: inputs.queue.map((g) => ({ serviceId: g.service_id, priority: g.priority, before: g.before, total: g.total })),
      samples: new Map(inputs.services.map((s) => [s.id, s.samples ?? []])),
      configuredSeconds: new Map(inputs.services.map((s) => [s.id, s.default_service_seconds])),
      interleave: settings.priorityInterleave,
    });
    return {
      estimatedWaitMinutes: e ? e.minutes : null,
      estimatedWaitRange: e ? { low: e.low, high: e.high } : null,
      hallOpensAt: settings.openingTime,
    };
  }

  // ---- counters ----

  async open(actor: Actor, counterId: number): Promise<Counter> {
    await transaction(this.db, async (tx) => {
      const counter = await this.lockCounter(tx, actor.hallId, counterId);
      if (counter.staff_id !== null && counter.staff_id !== actor.userId) {
        throw conflict(`Quầy ${counter.number} đang do cán bộ khác mở`, 'counter_taken');
      }
      const mine = await setup.counterOfStaff(tx, actor.userId);
      if (mine && mine.id !== counterId) throw conflict(`Bạn đang mở quầy ${mine.number}: hãy đóng quầy đó trước`, 'already_at_counter');
      await setup.setCounterState(tx, counterId, { status: 'open', staffId: actor.userId, openedAt: counter.status === 'closed' ? 'now' : 'keep' });
    });
    return this.counterChanged(actor.hallId, counterId, true);
  }

  async pause(actor: Actor, counterId: number, paused: boolean): Promise<Counter> {
    await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      await setup.setCounterState(tx, counter.id, { status: paused ? 'paused' : 'open', staffId: actor.userId, openedAt: 'keep' });
    });
    return this.counterChanged(actor.hallId, counterId, true);
  }

  async close(actor: Actor, counterId: number): Promise<Counter> {
    await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      const current = await repo.inProgress(tx, counter.id);
      if (current) throw conflict(`Quầy còn đang phục vụ số ${current.number}: hãy kết thúc trước khi đóng quầy`, 'ticket_in_progress');
      await setup.setCounterState(tx, counter.id, { status: 'closed', staffId: null, openedAt: 'clear' });
    });
    this.queueChanged(actor.hallId);
    return this.counterChanged(actor.hallId, counterId, true);
  }

  /** Calls the next ticket for the counter (finishing the one in progress as served); null when nobody waits. */
  async next(actor: Actor, counterId: number): Promise<Ticket | null> {
    const result = await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      if (counter.status !== 'open') throw conflict(`Quầy ${counter.number} đang tạm dừng`, 'counter_paused');
      const finished = await this.finishCurrent(tx, counter.id);
      const policy = policyOf(hallSettingsOf(counter.hall_settings));
      const q = { hallId: actor.hallId, day: counter.hall_day, serviceIds: counter.service_ids, counterId: counter.id };
      const priority = await repo.claimHead(tx, { ...q, priority: true });
      const normal = await repo.claimHead(tx, { ...q, priority: false });
      const pick = choosePriority({ priority, normal }, counter.priority_streak, policy, new Date());
      noteResult(pick ? (pick === 'priority' ? priority! : normal!).id : null);
      if (!pick) return { finished, call: null };
      const chosen = pick === 'priority' ? priority! : normal!;
      await repo.setPriorityStreak(tx, counter.id, pick === 'priority' ? counter.priority_streak + 1 : 0);
      return { finished, call: await this.callTicket(tx, actor, counter, chosen.id, false) };
    });
    return this.afterCall(actor.hallId, counterId, result.call, result.finished);
  }

  /** Calls one chosen waiting ticket (e.g. someone who came back). */
  async callSpecific(actor: Actor, counterId: number, ticketId: number): Promise<Ticket> {
    const result = await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      if (counter.status !== 'open') throw conflict(`Quầy ${counter.number} đang tạm dừng`, 'counter_paused');
      const ticket = await repo.findTicket(tx, actor.hallId, ticketId, true);
      if (!ticket) throw notFound(`Không có phiếu số ${ticketId}`);
      if (ticket.status !== 'waiting') throw conflict(`Số ${ticket.number} không còn chờ (trạng thái: ${ticket.status})`, 'not_waiting');
      if (!counter.service_ids.includes(ticket.service_id)) throw conflict(`Quầy ${counter.number} không phục vụ dịch vụ của số ${ticket.number}`, 'wrong_service');
      if (ticket.reserved_counter_id !== null && ticket.reserved_counter_id !== counter.id) throw conflict(`Số ${ticket.number} đã được chuyển cho quầy khác`, 'reserved');
      const finished = await this.finishCurrent(tx, counter.id);
      noteResult(ticket.id);
      return { finished, call: await this.callTicket(tx, actor, counter, ticket.id, false) };
    });
    return (await this.afterCall(actor.hallId, counterId, result.call, result.finished))!;
  }

  async recall(actor: Actor, counterId: number): Promise<Ticket> {
    const call = await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      const current = await this.currentOf(tx, counter);
      noteResult(current.id);
      return this.callTicket(tx, actor, counter, current.id, true);
    });
    return (await this.afterCall(actor.hallId, counterId, call, null))!;
  }

  /** The citizen arrived at the counter: called → serving. */
  async serve(actor: Actor, counterId: number): Promise<Ticket> {
    const t = await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      const current = await this.currentOf(tx, counter);
      noteResult(current.id);
      return current.status === 'serving' ? current : repo.setStatus(tx, current.id, 'serving', { serving: true });
    });
    return this.afterTicketChange(actor.hallId, counterId, t);
  }

  async done(actor: Actor, counterId: number): Promise<Ticket> {
    const t = await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      const current = await this.currentOf(tx, counter);
      noteResult(current.id);
      return repo.setStatus(tx, current.id, 'done', { finish: true });
    });
    return this.afterTicketChange(actor.hallId, counterId, t);
  }

  async noShow(actor: Actor, counterId: number, requeue: boolean): Promise<Ticket> {
    const t = await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      const current = await this.currentOf(tx, counter);
      if (current.status === 'serving') throw conflict(`Số ${current.number} đang được phục vụ, không thể báo vắng`, 'already_serving');
      const { maxRequeue } = hallSettingsOf(counter.hall_settings);
      if (requeue && current.requeue_count >= maxRequeue) {
        throw conflict(`Số ${current.number} đã được xếp lại ${current.requeue_count} lần (tối đa ${maxRequeue})`, 'requeue_limit');
      }
      noteResult(current.id);
      return requeue ? repo.requeue(tx, current.id) : repo.setStatus(tx, current.id, 'no_show', { finish: true });
    });
    this.queueChanged(actor.hallId);
    return this.afterTicketChange(actor.hallId, counterId, t);
  }

  /** Ends the ticket here and queues it, with the same number, for another service (optionally one counter). */
  async transfer(actor: Actor, counterId: number, serviceId: number, toCounterId: number | null): Promise<Ticket> {
    const { old, created } = await transaction(this.db, async (tx) => {
      const counter = await this.myCounter(tx, actor, counterId);
      const current = await this.currentOf(tx, counter);
      const service = await setup.findService(tx, actor.hallId, serviceId);
      if (!service) throw notFound(`Không có dịch vụ số ${serviceId}`);
      if (!service.active) throw conflict(`Dịch vụ "${service.name}" đang tạm ngừng`, 'service_closed');
      if (toCounterId !== null) {
        const target = await setup.findCounter(tx, actor.hallId, toCounterId);
        if (!target) throw notFound(`Không có quầy số ${toCounterId}`);
        if (!target.service_ids.includes(serviceId)) throw conflict(`Quầy ${target.number} không phục vụ dịch vụ "${service.name}"`, 'wrong_service');
        if (target.id === counter.id) throw conflict('Không thể chuyển về chính quầy này', 'same_counter');
      } else if (serviceId === current.service_id) {
        throw conflict('Số đã thuộc dịch vụ này: hãy chọn dịch vụ hoặc quầy khác', 'same_service');
      }
      const old = await repo.setStatus(tx, current.id, 'transferred', { finish: true });
      const created = await repo.insertTicket(tx, {
        hallId: actor.hallId,
        serviceId,
        day: current.day,
        seq: current.seq,
        number: current.number,
        priority: current.priority,
        deviceId: null,
        queuedAt: current.issued_at,
        transferredFrom: current.id,
        reservedCounterId: toCounterId,
      });
      noteResult(created.id);
      return { old, created };
    });
    this.queueChanged(actor.hallId);
    this.ticketChanged(actor.hallId, created);
    await this.afterTicketChange(actor.hallId, counterId, old);
    return this.getTicket(actor.hallId, created.id);
  }

  async counterQueue(hallId: number, counterId: number, limit = 200): Promise<CounterQueue> {
    const counter = await setup.findCounter(this.db, hallId, counterId);
    if (!counter) throw notFound(`Không có quầy số ${counterId}`);
    const day = await repo.hallDay(this.db, hallId);
    const { rows, total } = await repo.waitingFor(this.db, hallId, day, counter.service_ids, counter.id, limit);
    const now = Date.now();
    return {
      total,
      waiting: rows.map((r) => ({
        id: r.id,
        number: r.number,
        serviceId: r.service_id,
        priority: r.priority,
        issuedAt: r.issued_at.toISOString(),
        waitedMinutes: Math.max(0, Math.floor((now - r.issued_at.getTime()) / 60_000)),
        transferred: r.transferred_from !== null,
      })),
    };
  }

  async counterView(db: Queryable, hallId: number, counterId: number): Promise<Counter> {
    const c = await setup.findCounter(db, hallId, counterId);
    if (!c) throw notFound(`Không có quầy số ${counterId}`);
    const staff = c.staff_id ? await setup.findUserBrief(db, c.staff_id) : null;
    const cur = await repo.currentTicketBrief(db, c.id);
    return {
      id: c.id,
      number: c.number,
      name: c.name,
      serviceIds: c.service_ids,
      status: c.status,
      staff: staff ? { id: staff.id, name: staff.name, title: staff.title } : null,
      currentTicket: cur ? { id: cur.id, number: cur.number, status: cur.status, serviceId: cur.service_id, calledAt: iso(cur.called_at) } : null,
    };
  }

  async listCounters(hallId: number): Promise<Counter[]> {
    const rows = await setup.listCounters(this.db, hallId);
    return Promise.all(rows.map((c) => this.counterView(this.db, hallId, c.id)));
  }

  // ---- helpers ----

  private async lockCounter(tx: Tx, hallId: number, counterId: number): Promise<setup.LockedCounterRow> {
    const counter = await setup.lockCounter(tx, hallId, counterId);
    if (!counter) throw notFound(`Không có quầy số ${counterId}`);
    return counter;
  }

  /** The counter, locked, if the actor is the one who opened it; 403 otherwise. */
  private async myCounter(tx: Tx, actor: Actor, counterId: number): Promise<setup.LockedCounterRow> {
    const counter = await this.lockCounter(tx, actor.hallId, counterId);
    if (counter.status === 'closed' || counter.staff_id !== actor.userId) {
      throw new HubError(403, 'not_your_counter', `Bạn chưa mở quầy ${counter.number}: hãy mở quầy trước`);
    }
    return counter;
  }

  private async currentOf(tx: Tx, counter: setup.CounterRow): Promise<repo.TicketRow> {
    const current = await repo.inProgress(tx, counter.id);
    if (!current) throw conflict(`Quầy ${counter.number} chưa gọi số nào`, 'no_current_ticket');
    return current;
  }

  private async finishCurrent(tx: Tx, counterId: number): Promise<repo.TicketRow | null> {
    const current = await repo.inProgress(tx, counterId);
    return current ? repo.setStatus(tx, current.id, 'done', { finish: true }) : null;
  }

  private async callTicket(tx: Tx, actor: Actor, counter: setup.LockedCounterRow, ticketId: number, recall: boolean): Promise<CommittedCall> {
    const ticket = recall ? await repo.markCalledAgain(tx, ticketId) : await repo.markCalled(tx, ticketId, counter.id, actor.userId);
    const at = await repo.insertCall(tx, actor.hallId, ticket.id, counter.id, recall);
    return { ticket, counter, recall, at, audioUrl: audioUrlFor(counter.hall_settings, ticket.id, ticket.call_count) };
  }

  /** The call goes out first: each broadcast waits for the one before it in PostgreSQL's NOTIFY queue, and displays wait for this one. */
  private async afterCall(hallId: number, counterId: number, call: CommittedCall | null, finished: repo.TicketRow | null): Promise<Ticket | null> {
    if (!call) {
      if (finished) {
        this.ticketChanged(hallId, finished);
        await this.counterChanged(hallId, counterId);
      }
      return null;
    }
    const event: CallEvent = {
      ticketId: call.ticket.id,
      number: call.ticket.number,
      counterId: call.counter.id,
      counterNumber: call.counter.number,
      counterName: call.counter.name,
      serviceId: call.ticket.service_id,
      serviceName: call.ticket.service_name,
      recall: call.recall,
      at: call.at.toISOString(),
      ...(call.audioUrl ? { audioUrl: call.audioUrl } : {}),
    };
    this.bus.emit('ticket.called', { hallId, call: event });
    if (finished) this.ticketChanged(hallId, finished);
    this.ticketChanged(hallId, call.ticket);
    if (!call.recall) this.queueChanged(hallId);
    await this.counterChanged(hallId, counterId);
    return this.ticketView(this.db, call.ticket);
  }

  private async afterTicketChange(hallId: number, counterId: number, t: repo.TicketRow): Promise<Ticket> {
    this.ticketChanged(hallId, t);
    await this.counterChanged(hallId, counterId);
    return this.ticketView(this.db, t);
  }

  private ticketChanged(hallId: number, t: repo.TicketRow): void {
    const update: TicketUpdate = { id: t.id, number: t.number, serviceId: t.service_id, status: t.status, counterId: t.counter_id, at: new Date().toISOString() };
    this.bus.emit('ticket.changed', { hallId, update });
  }

  /** `statusChanged`: opened, paused or closed (displays care); otherwise only its current ticket changed. */
  private async counterChanged(hallId: number, counterId: number, statusChanged = false): Promise<Counter> {
    const counter = await this.counterView(this.db, hallId, counterId);
    this.bus.emit('counter.changed', { hallId, counter, statusChanged });
    return counter;
  }

  private readonly pendingQueueUpdates = new Map<number, NodeJS.Timeout>();

  /** Waiting counts go out at most every 200 ms per hall: bursts of kiosks cost one count query. */
  private queueChanged(hallId: number): void {
    if (this.pendingQueueUpdates.has(hallId)) return;
    const timer = setTimeout(() => {
      this.pendingQueueUpdates.delete(hallId);
      repo
        .waitingCounts(this.db, hallId)
        .then((rows) =>
          this.bus.emit('queue.changed', {
            hallId,
            update: { services: rows.map((r) => ({ serviceId: r.service_id, waiting: r.waiting })), at: new Date().toISOString() },
          }),
        )
        .catch((err: unknown) => this.log.warn({ err, hallId }, 'waiting counts failed'));
    }, 200);
    timer.unref();
    this.pendingQueueUpdates.set(hallId, timer);
  }

  /** Sends the hall's waiting counts again (after a change made outside the counter actions). */
  refreshWaiting(hallId: number): void {
    this.queueChanged(hallId);
  }

  stop(): void {
    for (const t of this.pendingQueueUpdates.values()) clearTimeout(t);
    this.pendingQueueUpdates.clear();
  }
}
