import type { DisplaySnapshot } from '../../protocol/index.js';
import type { Hub } from '../context.js';
import * as queueRepo from '../queue/queue.repo.js';
import { findHall, listCounters } from '../admin/setup.repo.js';
import { audioUrlFor } from '../voice/audio-url.js';
import { hallSettingsOf } from '../admin/setup.service.js';

const withAudio = (url: string | undefined) => (url ? { audioUrl: url } : {});

/**
 * What a hall display shows: the hall's name, its counters with the ticket each has in progress now (not the
 * last one called: a served or absent number is not shown as served), and today's last calls with their audio.
 */
export async function displaySnapshot(hub: Hub, hallId: number): Promise<DisplaySnapshot> {
  const [hall, since] = await Promise.all([findHall(hub.db, hallId), queueRepo.dayStart(hub.db, hallId)]);
  const [counters, last, calls] = await Promise.all([
    listCounters(hub.db, hallId),
    queueRepo.inProgressPerCounter(hub.db, hallId),
    queueRepo.recentCalls(hub.db, hallId, since, 12),
  ]);
  return {
    hallName: hall?.name ?? '',
    counters: counters.map((c) => ({ id: c.id, number: c.number, name: c.name, status: c.status, currentNumber: last.get(c.id) ?? null })),
    recentCalls: calls.map((c) => ({
      ticketId: c.ticket_id,
      number: c.number,
      counterId: c.counter_id,
      counterNumber: c.counter_number,
      counterName: c.counter_name,
      serviceId: c.service_id,
      serviceName: c.service_name,
      recall: c.recall,
      at: c.at.toISOString(),
      ...withAudio(audioUrlFor(hall?.settings, c.ticket_id, c.nth)),
    })),
    languages: hallSettingsOf(hall?.settings).displayLanguages,
    at: new Date().toISOString(),
  };
}

