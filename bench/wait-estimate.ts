/**
 * Waiting-time estimate, replayed: `npm run bench -- wait-estimate` (or `tsx bench/wait-estimate.ts`).
 *
 * Simulates working days of a district hall second by second — arrivals by hour (a morning peak), eight
 * services on ten counters that share them, two counters opening late, 8 % priority tickets under the
 * hub's own priority rule (interleave, ageing), 5 % no-shows, service times that differ from the configured
 * ones per service (log-normal, with outliers: a few seconds-long "served" tickets and some very long ones).
 * At every ticket issued, the hub's estimator (server/queue/estimate.ts, fed what the hub's queries would
 * give) and the naive one (people ahead × the day's average time ÷ counters, the hub's formula before)
 * are compared with the ticket's real wait until it is called: mean absolute error, and the share of real
 * waits inside the shown range (goal ≥ 80 %).
 */
import { estimateWait, naiveWait, type EstimateQueueGroup } from '../server/queue/estimate.js';
import { choosePriority } from '../server/queue/priority-policy.js';
import type { BenchContext } from './lib/context.js';
import type { PartResult } from './lib/report.js';
import { rng } from './province/scenario.js';

interface Service {
  id: number;
  configured: number;
  /** How the real times differ from the configured one (unknown to the estimators). */
  factor: number;
}
interface Counter {
  services: number[];
  opensAt: number;
  busyUntil: number | null;
  callStart: number;
  current: Ticket | null;
  streak: number;
}
interface Ticket {
  id: number;
  serviceId: number;
  priority: boolean;
  issuedAt: number;
  calledAt: number | null;
  noShow: boolean;
}
interface Sample {
  real: number;
  estimate: number;
  low: number;
  high: number;
  naive: number;
}

const DAY_SECONDS = 4 * 3600;
/** Tickets per hour over the morning (8:00–12:00). */
const ARRIVALS_PER_HOUR = [70, 120, 95, 60];

function simulateDay(seed: number): { samples: Sample[]; noCounter: number } {
  const rand = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const services: Service[] = [6, 3, 12, 8, 10, 8, 7, 6].map((min, i) => ({ id: i + 1, configured: min * 60, factor: 0.7 + rand() * 0.6 }));
  const counters: Counter[] = [
    [1, 2],
    [2, 1],
    [1],
    [3, 4],
    [3],
    [5],
    [6, 8],
    [7],
    [6, 7, 8],
    [4, 5],
  ].map((s, i) => ({ services: s, opensAt: i >= 8 ? 3600 : 0, busyUntil: null, callStart: 0, current: null, streak: 0 }));
  const weights = [0.22, 0.16, 0.12, 0.06, 0.08, 0.14, 0.14, 0.08];
  const pickService = () => {
    let x = rand();
    for (let i = 0; i < weights.length; i++) if ((x -= weights[i]!) <= 0) return i + 1;
    return 1;
  };
  const serviceTime = (s: Service) => {
    const r = rand();
    if (r < 0.03) return 5 + rand() * 25; // "served" in seconds: a mistaken call
    const base = s.configured * s.factor * Math.exp(0.45 * normal());
    return r > 0.98 ? base * 3 : base;
  };

  const arrivals: number[] = [];
  for (let h = 0; h < ARRIVALS_PER_HOUR.length; h++) {
    let t = h * 3600 - 7; // start a touch early: tickets taken before the counters open
    for (;;) {
      t += -Math.log(1 - rand()) * (3600 / ARRIVALS_PER_HOUR[h]!);
      if (t >= (h + 1) * 3600) break;
      arrivals.push(Math.round(t));
    }
  }
  arrivals.sort((a, b) => a - b);

  const waiting: Ticket[] = [];
  const done = new Map<number, number[]>();
  const issued: { ticket: Ticket; estimate: ReturnType<typeof estimateWait>; naive: number }[] = [];
  let noCounter = 0;
  let nextId = 1;
  let ai = 0;
  const policy = { interleave: 2, ageingMinutes: 30 };

  for (let t = -10; t < DAY_SECONDS * 3 && (ai < arrivals.length || waiting.length || counters.some((c) => c.current)); t++) {
    while (ai < arrivals.length && arrivals[ai]! <= t) {
      ai++;
      const ticket: Ticket = { id: nextId++, serviceId: pickService(), priority: rand() < 0.08, issuedAt: t, calledAt: null, noShow: rand() < 0.05 };
      waiting.push(ticket);
      const open = counters.filter((c) => t >= c.opensAt);
      const groups = new Map<string, EstimateQueueGroup>();
      for (const w of waiting) {
        if (w === ticket) continue;
        const key = `${w.serviceId}|${w.priority}`;
        const g = groups.get(key) ?? { serviceId: w.serviceId, priority: w.priority, before: 0, total: 0 };
        g.total++;
        if (w.issuedAt < ticket.issuedAt || (w.issuedAt === ticket.issuedAt && w.id < ticket.id)) g.before++;
        groups.set(key, g);
      }
      const samples = new Map([...done].map(([id, xs]) => [id, xs.slice(-20)] as const));
      const estimate = estimateWait({
        serviceId: ticket.serviceId,
        priority: ticket.priority,
        counters: open.map((c) => ({ serviceIds: c.services, busySeconds: c.current ? t - c.callStart : null })),
        queue: [...groups.values()],
        samples,
        configuredSeconds: new Map(services.map((s) => [s.id, s.configured])),
        interleave: policy.interleave,
      });
      // the hub's formula before: same-service people ahead × today's mean time ÷ open counters of the service
      const ahead = waiting.filter((w) => w !== ticket && w.serviceId === ticket.serviceId && (ticket.priority ? w.priority && w.id < ticket.id : w.priority || w.id < ticket.id)).length;
      const times = done.get(ticket.serviceId);
      const avg = times?.length ? times.reduce((a, b) => a + b, 0) / times.length : services[ticket.serviceId - 1]!.configured;
      const naive = naiveWait(ahead, avg, open.filter((c) => c.services.includes(ticket.serviceId)).length);
      if (!estimate) noCounter++;
      issued.push({ ticket, estimate, naive });
    }
    for (const c of counters) {
      if (t < c.opensAt) continue;
      if (c.current && c.busyUntil !== null && t >= c.busyUntil) {
        if (!c.current.noShow) {
          const list = done.get(c.current.serviceId) ?? [];
          list.push(t - c.callStart);
          done.set(c.current.serviceId, list);
        }
        c.current = null;
        c.busyUntil = null;
      }
      if (c.current) continue;
      const mine = waiting.filter((w) => c.services.includes(w.serviceId));
      const head = (p: boolean) => mine.filter((w) => w.priority === p).sort((a, b) => a.issuedAt - b.issuedAt || a.id - b.id)[0] ?? null;
      const ph = head(true);
      const nh = head(false);
      const now = new Date(t * 1000);
      const which = choosePriority(
        { priority: ph ? { queued_at: new Date(ph.issuedAt * 1000) } : null, normal: nh ? { queued_at: new Date(nh.issuedAt * 1000) } : null },
        c.streak,
        policy,
        now,
      );
      if (!which) continue;
      const next = which === 'priority' ? ph! : nh!;
      c.streak = which === 'priority' ? c.streak + 1 : 0;
      waiting.splice(waiting.indexOf(next), 1);
      next.calledAt = t;
      c.current = next;
      c.callStart = t;
      c.busyUntil = t + Math.max(1, Math.round(next.noShow ? 60 : serviceTime(services[next.serviceId - 1]!)));
    }
  }

  const samples: Sample[] = [];
  for (const { ticket, estimate, naive } of issued) {
    if (!estimate || ticket.calledAt === null) continue;
    samples.push({ real: (ticket.calledAt - ticket.issuedAt) / 60, estimate: estimate.minutes, low: estimate.low, high: estimate.high, naive });
  }
  return { samples, noCounter };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function replayWaitEstimates(days = 8) {
  const all: Sample[] = [];
  let noCounter = 0;
  for (let d = 0; d < days; d++) {
    const r = simulateDay(1000 + d);
    all.push(...r.samples);
    noCounter += r.noCounter;
  }
  const mae = (f: (s: Sample) => number) => all.reduce((a, s) => a + Math.abs(f(s) - s.real), 0) / all.length;
  const inside = all.filter((s) => s.real >= s.low && s.real <= s.high).length / all.length;
  const within5 = (f: (s: Sample) => number) => all.filter((s) => Math.abs(f(s) - s.real) <= 5).length / all.length;
  const meanReal = all.reduce((a, s) => a + s.real, 0) / all.length;
  const width = all.reduce((a, s) => a + (s.high - s.low), 0) / all.length;
  const figures = {
    days,
    tickets: all.length,
    ticketsWithNoOpenCounter: noCounter,
    meanRealWaitMinutes: round(meanReal),
    hubMaeMinutes: round(mae((s) => s.estimate)),
    hubBiasMinutes: round(all.reduce((a, s) => a + s.estimate - s.real, 0) / all.length),
    naiveMaeMinutes: round(mae((s) => s.naive)),
    hubInsideRangeShare: round(inside, 3),
    hubMeanRangeWidthMinutes: round(width),
    hubWithin5MinShare: round(within5((s) => s.estimate), 3),
    naiveWithin5MinShare: round(within5((s) => s.naive), 3),
  };
  const lines = [
    `${days} simulated mornings, ${all.length} tickets with an estimate (${noCounter} issued while no counter served them: null), mean real wait ${figures.meanRealWaitMinutes} min`,
    `hub estimate:   MAE ${figures.hubMaeMinutes} min, real wait inside the shown range ${(inside * 100).toFixed(1)} % (mean width ${figures.hubMeanRangeWidthMinutes} min), within ±5 min ${(figures.hubWithin5MinShare * 100).toFixed(1)} %`,
    `naive estimate: MAE ${figures.naiveMaeMinutes} min, within ±5 min ${(figures.naiveWithin5MinShare * 100).toFixed(1)} % (no range)`,
  ];
  return { figures, lines };
}

/** The bench part (bench/run.ts). */
export async function waitEstimatePart(ctx: BenchContext): Promise<PartResult> {
  const t0 = Date.now();
  const { figures, lines } = replayWaitEstimates();
  for (const l of lines) ctx.log(l);
  return {
    part: 'wait-estimate',
    measuredAt: new Date().toISOString(),
    durationMs: Date.now() - t0,
    figures,
    targets: [
      { name: 'real waits inside the shown range', value: figures.hubInsideRangeShare, target: '≥ 0.8', pass: figures.hubInsideRangeShare >= 0.8 },
      { name: 'estimate MAE ÷ naive MAE', value: round(figures.hubMaeMinutes / figures.naiveMaeMinutes, 3), target: '< 1', pass: figures.hubMaeMinutes < figures.naiveMaeMinutes },
    ],
    notes: [
      'Replayed in process (no database): the hub estimator of server/queue/estimate.ts fed what its queries give at each issue, against the real wait from issue to call.',
      ...lines,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const l of replayWaitEstimates().lines) console.log(l);
}
