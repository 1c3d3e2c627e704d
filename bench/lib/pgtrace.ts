import pg from 'pg';

/**
 * Per-statement timing of every query sent through node-postgres in this process (the hub's pool and
 * the bench's): time from `client.query()` to its result, grouped by statement text. Off unless
 * started; a diagnostic, not part of a timed figure.
 */
interface Stat {
  n: number;
  totalMs: number;
  maxMs: number;
  text: string;
  lastValues: unknown[] | null;
}

const stats = new Map<string, Stat>();
/** Individual durations of statements whose text contains one of these needles. */
const sampled = new Map<string, number[]>();
let enabled = false;
let installed = false;

const keyOf = (text: string) => text.replace(/\s+/g, ' ').trim();

function install(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function tracedQuery(this: unknown, ...args: unknown[]): unknown {
    if (!enabled) return original.apply(this, args);
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first !== null && 'text' in first ? String((first as { text: unknown }).text) : null;
    const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : null;
    const t0 = performance.now();
    const done = () => {
      if (!text || text.startsWith('/* bench:untraced */')) return;
      const ms = performance.now() - t0;
      const key = keyOf(text);
      const s = stats.get(key) ?? { n: 0, totalMs: 0, maxMs: 0, text, lastValues: null };
      s.n++;
      s.totalMs += ms;
      s.maxMs = Math.max(s.maxMs, ms);
      s.lastValues = values;
      stats.set(key, s);
      for (const [needle, list] of sampled) if (text.includes(needle)) list.push(ms);
    };
    // pg-pool's pool.query() passes a callback; a client's query() without one returns a promise.
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (...a: unknown[]) => unknown;
      args[args.length - 1] = (...a: unknown[]) => {
        done();
        return callback(...a);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
    return result;
  };
}

export const pgTrace = {
  start(): void {
    install();
    stats.clear();
    enabled = true;
  },
  stop(): void {
    enabled = false;
  },
  /** Enables tracing again without clearing what was recorded. */
  resume(): void {
    install();
    enabled = true;
  },
  reset(): void {
    stats.clear();
    for (const list of sampled.values()) list.length = 0;
  },
  /** Keeps every duration of statements containing `needle` (see `samples`). */
  sample(needle: string): void {
    if (!sampled.has(needle)) sampled.set(needle, []);
  },
  /** The durations kept for `needle`, taken out (the list starts empty again). */
  samples(needle: string): number[] {
    const list = sampled.get(needle) ?? [];
    sampled.set(needle, []);
    return list;
  },
  /** Statements by total time, with mean and count; `perUnit` divides the count (e.g. per request). */
  report(perUnit = 1, limit = 20): { statement: string; calls: number; perUnit: number; meanMs: number; maxMs: number; totalMs: number }[] {
    return [...stats.entries()]
      .map(([key, s]) => ({
        statement: key.length > 110 ? `${key.slice(0, 107)}...` : key,
        calls: s.n,
        perUnit: Math.round((s.n / perUnit) * 100) / 100,
        meanMs: Math.round((s.totalMs / s.n) * 1000) / 1000,
        maxMs: Math.round(s.maxMs * 100) / 100,
        totalMs: Math.round(s.totalMs),
      }))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, limit);
  },
  /** The exact text and last parameters of the first traced statement whose text contains every needle. */
  find(...needles: string[]): { text: string; values: unknown[] | null } | null {
    for (const s of stats.values()) if (needles.every((n) => s.text.includes(n))) return { text: s.text, values: s.lastValues };
    return null;
  },
};
