import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/pool.js';
import { insertAuditEntries, type AuditEntry } from './audit.repo.js';
import type { Principal } from '../auth/principal.js';

/**
 * Records every state-changing API request (POST/PUT/PATCH/DELETE under /api/v1 that succeeded, and
 * refusals of authenticated callers) after its response. Entries are written in batches every 200 ms
 * so the audit costs one INSERT per burst, not one per request. A batch the database refuses (it is away)
 * stays buffered, in order, and is written again with back-off until it is stored.
 */
export class AuditLog {
  private buffer: AuditEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private failures = 0;
  private stopped = false;
  /** Entries kept while the database is away; past this many the oldest go (logged), so memory stays bounded. */
  static readonly maxBuffered = 100_000;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  onResponse = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!req.url.startsWith('/api/v1/')) return;
    const status = reply.statusCode;
    const p = req.principal;
    if (status >= 400 && !p) return;
    const route = req.routeOptions.url ?? req.url.split('?')[0]!;
    // Logins are recorded by the auth service, in the account's hall, failures and locks included.
    if (route === '/api/v1/auth/login') return;
    this.record({
      hallId: p?.hallId ?? null,
      ...(p ? actorOf(p) : { actorType: 'anonymous', actorId: null, actorName: null }),
      action: `${req.method} ${route}`,
      target: Object.keys((req.params as object) ?? {}).length ? JSON.stringify(req.params) : null,
      status,
      ip: req.ip,
    });
  };

  /** Records a state change that did not come through the HTTP API (a keypad press, an agent's report). */
  record(entry: Omit<AuditEntry, 'at'>): void {
    this.buffer.push({ ...entry, at: new Date() });
    this.flushSoon(this.buffer.length >= 200 ? 0 : 200);
  }

  private flushSoon(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  /** Writes what is buffered; never throws (a failed batch goes back to the front of the buffer and is retried). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.buffer;
      this.buffer = [];
      if (!batch.length) return;
      try {
        await insertAuditEntries(this.db, batch);
        if (this.failures) this.log.info({ entries: batch.length }, 'audit entries kept while the database was away are written');
        this.failures = 0;
      } catch (err) {
        this.buffer = batch.concat(this.buffer);
        const over = this.buffer.length - AuditLog.maxBuffered;
        if (over > 0) {
          this.buffer.splice(0, over);
          this.log.error({ entries: over }, 'audit buffer full while the database is away: oldest entries dropped');
        }
        this.failures++;
        if (this.failures === 1 || this.failures % 10 === 0) this.log.error({ err, entries: this.buffer.length }, 'audit entries not written yet: kept and retried');
        if (!this.stopped) this.flushSoon(Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6)));
      }
    });
    return this.flushing;
  }

  /** Entries recorded and not yet stored. */
  pending(): number {
    return this.buffer.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    if (this.buffer.length) this.log.error({ entries: this.buffer.length }, 'hub stopping while the database is away: audit entries not written');
  }
}

/** The audit log's actor fields for a signed-in user or a device. */
export function actorOf(p: Principal): Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName'> {
  return p.type === 'user'
    ? { actorType: 'user', actorId: p.user.id, actorName: p.user.username }
    : { actorType: 'device', actorId: p.device.id, actorName: p.device.name };
}

/** The HTTP-like status of a socket command's ack, for the audit log (the error codes the hub's acks use). */
export function ackStatus(reply: unknown): number {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) return 500;
  if (reply.ok === true) return 200;
  const code = 'error' in reply && typeof reply.error === 'object' && reply.error !== null && 'code' in reply.error ? reply.error.code : null;
  switch (code) {
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    default:
      return 400;
  }
}
