import { describe, expect, it } from 'vitest';
import { capacityOf, formatTicketNumber } from '../../server/queue/numbering.js';
import { choosePriority } from '../../server/queue/priority-policy.js';
import { EventBus } from '../../server/events.js';

describe('ticket numbers', () => {
  it('pads prefixed numbers to three digits and keeps ranges as plain numbers', () => {
    expect(formatTicketNumber({ prefix: 'A', number_start: 1, number_end: 999 }, 23)).toBe('A023');
    expect(formatTicketNumber({ prefix: 'B', number_start: 1, number_end: 999 }, 999)).toBe('B999');
    expect(formatTicketNumber({ prefix: 'C', number_start: 1, number_end: 9999 }, 7)).toBe('C0007');
    expect(formatTicketNumber({ prefix: '', number_start: 1000, number_end: 1999 }, 24)).toBe('1023');
    expect(capacityOf({ number_start: 1000, number_end: 1999 })).toBe(1000);
  });
});

describe('priority interleave and ageing', () => {
  const policy = { interleave: 2, ageingMinutes: 30 };
  const now = new Date('2026-11-21T09:00:00+07:00');
  const at = (minutesAgo: number) => ({ queued_at: new Date(now.getTime() - minutesAgo * 60_000) });

  it('calls priority first while the streak is under the interleave', () => {
    expect(choosePriority({ priority: at(1), normal: at(10) }, 0, policy, now)).toBe('priority');
    expect(choosePriority({ priority: at(1), normal: at(10) }, 1, policy, now)).toBe('priority');
  });
  it('lets a normal ticket through after N priority calls in a row', () => {
    expect(choosePriority({ priority: at(1), normal: at(10) }, 2, policy, now)).toBe('normal');
  });
  it('ages a long-waiting normal ticket ahead of a newer priority ticket', () => {
    expect(choosePriority({ priority: at(5), normal: at(31) }, 0, policy, now)).toBe('normal');
    expect(choosePriority({ priority: at(40), normal: at(31) }, 0, policy, now)).toBe('priority');
  });
  it('takes whatever queue has someone, and nothing when both are empty', () => {
    expect(choosePriority({ priority: null, normal: at(1) }, 5, policy, now)).toBe('normal');
    expect(choosePriority({ priority: at(1), normal: null }, 5, policy, now)).toBe('priority');
    expect(choosePriority({ priority: null, normal: null }, 0, policy, now)).toBeNull();
  });
});

describe('event bus', () => {
  it('keeps delivering when a listener throws or rejects, and reports both', async () => {
    const errors: unknown[] = [];
    const bus = new EventBus((err) => errors.push(err));
    const got: string[] = [];
    bus.on('ticket.issued', () => {
      throw new Error('sync boom');
    });
    bus.on('ticket.issued', async () => {
      throw new Error('async boom');
    });
    bus.on('ticket.issued', (e) => void got.push(e.number));
    bus.emit('ticket.issued', { hallId: 1, ticketId: 1, serviceId: 1, number: 'A001', priority: false, deviceId: null, ahead: 0, estimatedWaitMinutes: 0, estimatedWaitRange: null });
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['A001']);
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['async boom', 'sync boom']);
  });
});
