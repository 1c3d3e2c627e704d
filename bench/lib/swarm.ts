import { Child } from './child.js';
import type { AbuseSocketResult, ClientsCommand, ConnectResult, IssueLoadResult, ReceivedEvent } from './messages.js';
import { epochNow } from './stats.js';

/**
 * The parent's handle on bench/clients.ts: connects display clients, runs HTTP issue load, and
 * delivers, per ticket id, when every client received its `call` (in this process's clock).
 */
export class Swarm {
  private readonly child: Child<ClientsCommand>;
  private readonly arrived = new Map<number, number[]>();
  private readonly waiters = new Map<number, (times: number[]) => void>();
  /** child clock − parent clock, ms (from the IPC round trip with the smallest delay). */
  clockOffset = 0;
  clockRttMs = 0;

  constructor() {
    this.child = Child.start<ClientsCommand>('clients', 'bench/clients.ts');
    this.child.onEvent((e) => {
      if (e.event !== 'received') return;
      const times = (e as ReceivedEvent).times.map((t) => t - this.clockOffset);
      const waiter = this.waiters.get(e.key);
      if (waiter) {
        this.waiters.delete(e.key);
        waiter(times);
      } else this.arrived.set(e.key, times);
    });
  }

  connect(url: string, token: string, count: number, batch = 50): Promise<ConnectResult> {
    return this.child.request<ConnectResult>({ cmd: 'connect', url, token, count, batch }, 180_000);
  }

  disconnect(): Promise<{ closed: number }> {
    return this.child.request({ cmd: 'disconnect' });
  }

  issue(url: string, token: string, serviceIds: number[], total: number, concurrency: number, priorityEvery = 10, maxMs = 120_000): Promise<IssueLoadResult> {
    return this.child.request<IssueLoadResult>({ cmd: 'issue', url, token, serviceIds, total, concurrency, priorityEvery, maxMs }, maxMs + 60_000);
  }

  /** Opens one socket per entry, each sending its commands at once; resolves when each socket is answered, cut or timed out. */
  abuse(url: string, sockets: Extract<ClientsCommand, { cmd: 'abuse' }>['sockets'], maxMs: number): Promise<AbuseSocketResult[]> {
    return this.child.request<AbuseSocketResult[]>({ cmd: 'abuse', url, sockets, maxMs }, maxMs + 30_000);
  }

  /** Estimates the child's clock offset: both use performance.timeOrigin + now(), which can drift apart slightly. */
  async calibrateClock(samples = 25): Promise<void> {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < samples; i++) {
      const t0 = epochNow();
      const { now } = await this.child.request<{ now: number }>({ cmd: 'clock' });
      const t1 = epochNow();
      if (t1 - t0 < best) {
        best = t1 - t0;
        this.clockOffset = now - (t0 + t1) / 2;
      }
    }
    this.clockRttMs = best;
  }

  /**
   * Receipt times (parent clock) of the `call` for `key` once every client has it; after `ms`,
   * whatever arrived so far (fewer times than clients means some never got it).
   */
  async received(key: number, ms = 10_000): Promise<{ times: number[]; complete: boolean }> {
    const ready = this.arrived.get(key);
    if (ready) {
      this.arrived.delete(key);
      return { times: ready, complete: true };
    }
    const times = await new Promise<number[] | null>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve(null);
      }, ms);
      this.waiters.set(key, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
    if (times) return { times, complete: true };
    const partial = await this.child.request<{ times: number[] }>({ cmd: 'collect', key });
    return { times: partial.times.map((t) => t - this.clockOffset), complete: false };
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
