import { performance } from 'node:perf_hooks';
import type { Db } from '../../server/db/pool.js';
import { sleep } from './stats.js';

/**
 * Waits until the in-process hub has finished the work a measurement left behind (print jobs, debounced
 * waiting counts and board snapshots, voice): this process's event loop nearly idle and no query running
 * in the database, three checks in a row, 100 ms apart. Returns how long that took (capped at `maxMs`).
 */
export async function waitIdle(db: Db, maxMs = 30_000, minMs = 0): Promise<number> {
  const t0 = performance.now();
  if (minMs) await sleep(minMs);
  let quiet = 0;
  let elu = performance.eventLoopUtilization();
  while (quiet < 3 && performance.now() - t0 < maxMs) {
    await sleep(100);
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, elu).utilization;
    elu = now;
    const { rows } = await db.query<{ n: number }>(
      `/* bench:untraced */ SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    quiet = busy < 0.05 && rows[0]!.n === 0 ? quiet + 1 : 0;
  }
  return Math.round(performance.now() - t0);
}
