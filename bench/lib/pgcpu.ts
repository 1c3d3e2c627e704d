import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

/**
 * CPU time of a local PostgreSQL server (postmaster and all its children: backends, WAL writer,
 * checkpointer…) from /proc, so a figure can say how much of a ticket is the database's work.
 * Null when the server is not a local process (BENCH_DATABASE_URL on another machine, no /proc).
 */
export class PgCpu {
  private constructor(private readonly postmaster: number) {}

  static async open(url: string): Promise<PgCpu | null> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const stat = await readStat(rows[0]!.pid);
      return stat ? new PgCpu(stat.ppid) : null;
    } catch {
      return null;
    } finally {
      await c.end();
    }
  }

  /** Total CPU ms (user + system) of the server's live processes. Backends that exit take their time with them. */
  async sample(): Promise<number> {
    let ticks = 0;
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      const st = await readStat(pid);
      if (st && (pid === this.postmaster || st.ppid === this.postmaster)) ticks += st.cpuTicks;
    }
    return ticks * (1000 / CLOCK_TICKS);
  }
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

async function readStat(pid: number): Promise<{ ppid: number; cpuTicks: number } | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // f[0] state, f[1] ppid, ..., f[11] utime, f[12] stime
    return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}
