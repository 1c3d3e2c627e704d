/**
 * The waiting-time estimate shown to a citizen (kiosk, printed ticket, follow page, display): pure, so the
 * hub and the replay bench (bench/wait-estimate.ts) run the same code.
 *
 * Model: the open counters that serve the ticket's service are parallel servers. Each starts free after the
 * rest of its ticket in progress; the work ahead (waiting tickets of every service those counters serve,
 * before this ticket in queue order, priority interleave included) is shared among them, a ticket of a
 * service also served elsewhere counting only for its share of these counters. The time per ticket is the
 * median of the service's recent service times (robust to outliers), floored by half the configured time and
 * blended with the configured time while there are few samples. The range adds the spread of the service
 * times (MAD) and a margin for what the model cannot see (no-shows, late priority arrivals).
 */

/** One open (or paused) counter: the services it serves and, when busy, the seconds since its current call. */
export interface EstimateCounter {
  serviceIds: readonly number[];
  busySeconds: number | null;
}

/** Waiting tickets of one service and class: how many come before the ticket in queue order, how many in all. */
export interface EstimateQueueGroup {
  serviceId: number;
  priority: boolean;
  before: number;
  total: number;
}

export interface EstimateInput {
  serviceId: number;
  priority: boolean;
  /** Counters of the hall that are not closed. */
  counters: readonly EstimateCounter[];
  /** Waiting tickets of the hall today, by service and class (the ticket itself excluded). */
  queue: readonly EstimateQueueGroup[];
  /** Recent service times (seconds) per service, any order. */
  samples: ReadonlyMap<number, readonly number[]>;
  /** Configured service time (seconds) per service. */
  configuredSeconds: ReadonlyMap<number, number>;
  /** Priority tickets in a row before a normal one goes (hall setting). */
  interleave: number;
}

export interface WaitEstimate {
  minutes: number;
  low: number;
  high: number;
}

const FULL_TRUST_SAMPLES = 8;
const Z = 1.0;
const MARGIN_LOW = 0.2;
const MARGIN_HIGH = 0.2;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Robust centre and spread (seconds) of one service's time per ticket. */
export function serviceTime(samples: readonly number[] | undefined, configured: number): { mean: number; sd: number } {
  const xs = (samples ?? []).filter((x) => Number.isFinite(x) && x >= 0);
  if (xs.length === 0) return { mean: configured, sd: configured * 0.5 };
  const med = median(xs);
  const mad = median(xs.map((x) => Math.abs(x - med))) * 1.4826;
  const trust = Math.min(1, xs.length / FULL_TRUST_SAMPLES);
  const mean = Math.max(configured * 0.5, trust * med + (1 - trust) * configured);
  const sd = trust * Math.max(mad, mean * 0.2) + (1 - trust) * configured * 0.5;
  return { mean, sd };
}

/** Time until `work` seconds are done by servers that become free after `free[i]` seconds. */
function waterFill(free: number[], work: number): number {
  const r = [...free].sort((a, b) => a - b);
  let t = r[0] ?? 0;
  let acc = 0;
  for (let k = 1; k <= r.length; k++) {
    const next = k < r.length ? r[k]! : Infinity;
    const room = (next - t) * k;
    if (acc + room >= work) return t + (work - acc) / k;
    acc += room;
    t = next;
  }
  return t;
}

/** The estimate for a waiting ticket, or null when no counter that serves its service is open. */
export function estimateWait(input: EstimateInput): WaitEstimate | null {
  const mine = input.counters.filter((c) => c.serviceIds.includes(input.serviceId));
  if (mine.length === 0) return null;
  const times = new Map<number, { mean: number; sd: number }>();
  const timeOf = (serviceId: number) => {
    let v = times.get(serviceId);
    if (!v) {
      v = serviceTime(input.samples.get(serviceId), input.configuredSeconds.get(serviceId) ?? 300);
      times.set(serviceId, v);
    }
    return v;
  };
  // Share of a service's tickets that these counters take: the counters of the service that are among mine.
  const share = (serviceId: number) => {
    const all = input.counters.filter((c) => c.serviceIds.includes(serviceId)).length;
    const here = mine.filter((c) => c.serviceIds.includes(serviceId)).length;
    return all === 0 ? 0 : here / all;
  };
  const servedHere = input.queue.filter((g) => share(g.serviceId) > 0);
  const sameClassBefore = servedHere.filter((g) => g.priority === input.priority).reduce((n, g) => n + g.before * share(g.serviceId), 0);
  const otherClass = servedHere.filter((g) => g.priority !== input.priority).reduce((n, g) => n + g.total * share(g.serviceId), 0);
  const interleave = Math.max(1, input.interleave);
  // How much of the other class goes first: every priority ticket goes before a normal one, but after
  // `interleave` priority calls in a row a normal ticket goes; a priority ticket lets one normal through per `interleave`.
  const otherFirst = input.priority ? Math.min(otherClass, Math.floor(sameClassBefore / interleave)) : Math.min(otherClass, interleave * (sameClassBefore + 1));
  const otherFraction = otherClass > 0 ? otherFirst / otherClass : 0;

  let work = 0;
  let variance = 0;
  for (const g of servedHere) {
    const n = (g.priority === input.priority ? g.before : g.total * otherFraction) * share(g.serviceId);
    if (n <= 0) continue;
    const t = timeOf(g.serviceId);
    work += n * t.mean;
    variance += n * t.sd * t.sd;
  }
  const free = mine.map((c) => {
    if (c.busySeconds === null) return 0;
    const t = timeOf(c.serviceIds.includes(input.serviceId) ? input.serviceId : c.serviceIds[0]!);
    return Math.max(t.mean * 0.15, t.mean - c.busySeconds);
  });
  const busy = free.filter((f) => f > 0);
  const seconds = waterFill(free, work);
  const freeSpread = busy.length ? timeOf(input.serviceId).sd / Math.sqrt(busy.length) : 0;
  const sd = Math.sqrt(variance) / mine.length + freeSpread;
  const low = Math.max(0, seconds - Z * sd - MARGIN_LOW * seconds);
  const high = seconds + Z * sd + MARGIN_HIGH * seconds;
  const lowMin = Math.floor(low / 60);
  return { minutes: Math.round(seconds / 60), low: lowMin, high: Math.max(lowMin + 1, Math.ceil(high / 60)) };
}

/** The estimate a hall used before: people ahead × average time ÷ counters (bench comparison). */
export function naiveWait(ahead: number, averageSeconds: number, counters: number): number {
  return (ahead * averageSeconds) / Math.max(1, counters) / 60;
}
