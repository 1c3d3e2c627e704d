import type { Db } from '../db/pool.js';
import { notFound } from '../errors.js';
import type { CounterOnBoard, ServiceOnBoard, BoardSnapshot, Device, WaitChart } from '../../protocol/index.js';
import * as repo from './board.repo.js';
import { boardAlerts, DEFAULT_IDLE_ALERT_MINUTES } from './alerts.js';

export const CHART_BUCKET_MINUTES = 15;

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

const EMPTY: repo.FiguresRow = {
  service_id: null,
  issued: 0,
  waiting: 0,
  served: 0,
  no_show: 0,
  in_progress: 0,
  oldest_waiting: null,
  avg_wait: null,
  median_wait: null,
  p90_wait: null,
  avg_service: null,
};

const toMinutes = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 6) / 10);

/**
 * Waits across the day: every bucket from the one of the first issue to the one containing `now`, with
 * the mean and longest wait (minutes) of the tickets called in it and how many were waiting at its end
 * (issued − called so far).
 */
export function waitChart(rows: readonly repo.ChartRow[], nowMs: number, bucketMinutes: number): WaitChart {
  const chart: WaitChart = { bucketMinutes, t: [], avgWaitMinutes: [], maxWaitMinutes: [], waiting: [] };
  const issuedRows = rows.filter((r) => r.issued > 0);
  if (issuedRows.length === 0) return chart;
  const step = bucketMinutes * 60;
  const first = Math.min(...issuedRows.map((r) => r.t));
  const byStart = new Map(rows.map((r) => [Math.round(r.t), r]));
  let issued = 0;
  let called = 0;
  for (let t = first; t * 1000 <= nowMs; t += step) {
    const r = byStart.get(Math.round(t));
    issued += r?.issued ?? 0;
    called += r?.called ?? 0;
    chart.t.push(t);
    chart.avgWaitMinutes.push(toMinutes(r?.avg_wait ?? null));
    chart.maxWaitMinutes.push(toMinutes(r?.max_wait ?? null));
    chart.waiting.push(Math.max(0, issued - called));
  }
  return chart;
}

/** The managers' live board: one snapshot of a hall's floor, computed from the database in a few queries. */
export class BoardService {
  constructor(
    private readonly db: Db,
    /** The device list with live health (the devices feature's service). */
    private readonly devices: (hallId: number) => Promise<Device[]>,
  ) {}

  /** The board at `now` (tests pass a fixed instant; the hub passes the clock). */
  async snapshot(hallId: number, now: Date = new Date()): Promise<BoardSnapshot> {
    const [day, devices] = await Promise.all([repo.boardDay(this.db, hallId, now, CHART_BUCKET_MINUTES), this.devices(hallId)]);
    if (!day) throw notFound(`Không có trung tâm số ${hallId}`);
    const { hall, satisfaction: sat } = day;
    const serviceRows = day.services;
    const counterRows = day.counters;
    const nowMs = now.getTime();
    const byService = new Map(day.figures.filter((f) => f.service_id !== null).map((f) => [f.service_id!, f]));
    const total = day.figures.find((f) => f.service_id === null) ?? EMPTY;
        const since = (ms: number | null) => (ms === null ? null : Math.max(0, (nowMs - ms) / 1000));
    const isoMs = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

    const openCounters = new Map<number, number>();
    for (const c of counterRows) {
      if (c.status !== 'open') continue;
      for (const s of c.service_ids) openCounters.set(s, (openCounters.get(s) ?? 0) + 1);
    }
    const services: ServiceOnBoard[] = serviceRows.map((s) => {
      const f = byService.get(s.id) ?? EMPTY;
      const longest = since(f.oldest_waiting);
      return {
        id: s.id,
        name: s.name,
        nameEn: s.name_en,
        prefix: s.prefix,
        active: s.active,
        waiting: f.waiting,
        oldestWaitingSince: isoMs(f.oldest_waiting),
        longestWaitSeconds: round1(longest),
        avgWaitSeconds: round1(f.avg_wait),
        medianWaitSeconds: round1(f.median_wait),
        p90WaitSeconds: round1(f.p90_wait),
        avgServiceSeconds: round1(f.avg_service),
        issued: f.issued,
        served: f.served,
        noShow: f.no_show,
        openCounters: openCounters.get(s.id) ?? 0,
        maxWaitMinutes: s.max_wait_minutes,
        breached: s.max_wait_minutes !== null && longest !== null && longest > s.max_wait_minutes * 60,
      };
    });
    const waitingByService = new Map(services.map((s) => [s.id, s.waiting]));

    const counters: CounterOnBoard[] = counterRows.map((c) => {
      const busy = c.ticket_id !== null;
      const idleFrom = Math.max(c.opened_at ?? -Infinity, c.last_finished ?? -Infinity);
      return {
        id: c.id,
        number: c.number,
        name: c.name,
        status: c.status,
        serviceIds: c.service_ids,
        staff: c.staff_id !== null ? { id: c.staff_id, name: c.staff_name ?? '', title: c.staff_title } : null,
        currentTicket: busy
          ? {
              id: c.ticket_id!,
              number: c.ticket_number ?? '',
              status: c.ticket_status ?? '',
              serviceId: c.ticket_service_id!,
              calledAt: isoMs(c.called_at),
              servingAt: isoMs(c.serving_at),
            }
          : null,
        currentSeconds: busy ? round1(since(c.called_at)) : null,
        served: c.served,
        idleSince: c.status === 'open' && !busy && Number.isFinite(idleFrom) ? new Date(idleFrom).toISOString() : null,
        waitingForIt: c.service_ids.reduce((n, s) => n + (waitingByService.get(s) ?? 0), 0),
      };
    });

    const boardDevices = devices
      .filter((d) => !d.revoked)
      .map((d) => ({ id: d.id, kind: d.kind, name: d.name, counterId: d.counterId, online: d.health.online, lastSeenAt: d.health.lastSeenAt, faults: d.health.faults }));

    const idleSetting = hall.idle_alert_minutes;
    const idleAlertMinutes = typeof idleSetting === 'number' && idleSetting > 0 ? idleSetting : DEFAULT_IDLE_ALERT_MINUTES;
    const levels = { 1: sat.n1, 2: sat.n2, 3: sat.n3, 4: sat.n4 };

    return {
      hall: { id: hall.id, name: hall.name, day: hall.day },
      at: now.toISOString(),
      totals: {
        issued: total.issued,
        served: total.served,
        noShow: total.no_show,
        waiting: total.waiting,
        inProgress: total.in_progress,
        longestWaitSeconds: round1(since(total.oldest_waiting)),
        avgWaitSeconds: round1(total.avg_wait),
        medianWaitSeconds: round1(total.median_wait),
        p90WaitSeconds: round1(total.p90_wait),
        avgServiceSeconds: round1(total.avg_service),
      },
      services,
      counters,
      devices: boardDevices,
      satisfaction: {
        ratings: sat.ratings,
        mean: sat.ratings > 0 && sat.level_sum !== null ? Math.round((sat.level_sum / sat.ratings) * 1000) / 1000 : null,
        satisfiedShare: sat.ratings > 0 ? Math.round(((sat.n3 + sat.n4) / sat.ratings) * 1000) / 1000 : null,
        ratedShare: total.served > 0 ? Math.round(Math.min(1, sat.ratings / total.served) * 1000) / 1000 : null,
        levels,
      },
      alerts: boardAlerts({ services, counters, devices: boardDevices, now, idleAlertMinutes }),
      chart: waitChart(day.chart, nowMs, CHART_BUCKET_MINUTES),
    };
  }

  async setMaxWait(hallId: number, serviceId: number, minutes: number | null): Promise<void> {
    if (!(await repo.setMaxWait(this.db, hallId, serviceId, minutes))) throw notFound(`Không có dịch vụ số ${serviceId}`);
  }
}
