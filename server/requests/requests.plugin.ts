import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { App, Hub } from '../context.js';
import { requestScope, type RequestScope } from '../db/request-scope.js';
import { HubError } from '../errors.js';
import { claimKey, findKey, storeReply } from './idempotency.repo.js';

/** What a replay of a key whose reply was never recorded answers: rebuilt from the row the change produced. */
export type RebuildReply = (hub: Hub, req: FastifyRequest, ref: number | null) => Promise<{ status: number; body: unknown }>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes an `Idempotency-Key` header (DESIGN §4 "Faults"). */
    idempotent?: RebuildReply;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown inside the transaction when a concurrent request with the same key committed first. */
class KeyTaken extends Error {}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

function requestHash(req: FastifyRequest): string {
  const p = req.principal;
  const actor = p ? (p.type === 'user' ? `u${p.user.id}` : `d${p.device.id}`) : 'anon';
  return createHash('sha256')
    .update(stable({ actor, method: req.method, route: req.routeOptions.url, params: req.params ?? null, body: req.body ?? null }))
    .digest('hex');
}

interface Claim {
  hallId: number;
  key: string;
  committed: boolean;
}
const claims = new WeakMap<FastifyRequest, Claim>();

/**
 * Every route handler runs in a request scope (server/db/request-scope.ts): its transactions do not commit once
 * the client has gone or after `requestDeadlineMs`. Routes with `config.idempotent` take an `Idempotency-Key`:
 * the same key (today, in the hall) answers the same reply without a second change; the key with another
 * request (body, route or caller) answers 409.
 */
export function installRequestScopes(app: App, hub: Hub): void {
  const deadlineMs = hub.config.requestDeadlineMs;

  const replay = async (req: FastifyRequest, reply: FastifyReply, hallId: number, key: string, hash: string, rebuild: RebuildReply) => {
    const row = await findKey(hub.db, hallId, key);
    if (!row) return false;
    if (row.request_hash !== hash) {
      throw new HubError(409, 'idempotency_key_reused', 'Mã Idempotency-Key này đã dùng cho một yêu cầu khác / this Idempotency-Key was used for another request');
    }
    const { status, body } = row.reply_status !== null ? { status: row.reply_status, body: row.reply } : await rebuild(hub, req, row.result_ref);
    void reply.header('idempotent-replay', 'true');
    await reply.code(status).send(status === 204 ? null : body);
    return true;
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const handler = route.handler;
    const rebuild = route.config?.idempotent;
    route.handler = async function scoped(this: unknown, req: FastifyRequest, reply: FastifyReply) {
      const controller = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableEnded) controller.abort();
      };
      reply.raw.once('close', onClose);
      const scope: RequestScope = { signal: controller.signal, deadline: Date.now() - reply.elapsedTime + deadlineMs, result: null };
      const key = rebuild ? req.headers['idempotency-key'] : undefined;
      const hallId = req.principal?.hallId;
      if (rebuild && key !== undefined && hallId !== undefined) {
        if (typeof key !== 'string' || !UUID.test(key)) {
          throw new HubError(400, 'bad_idempotency_key', 'Idempotency-Key phải là một UUID / Idempotency-Key must be a UUID');
        }
        const hash = requestHash(req);
        if (await replay(req, reply, hallId, key, hash, rebuild)) return reply;
        const claim: Claim = { hallId, key, committed: false };
        claims.set(req, claim);
        scope.beforeCommit = async (tx) => {
          if (!(await claimKey(tx, hallId, key, hash, scope.result))) throw new KeyTaken();
          claim.committed = true;
        };
        try {
          return await requestScope.run(scope, () => handler.call(this as never, req, reply));
        } catch (err) {
          if (err instanceof KeyTaken && (await replay(req, reply, hallId, key, hash, rebuild))) return reply;
          throw err;
        }
      }
      return requestScope.run(scope, () => handler.call(this as never, req, reply));
    };
    if (rebuild) {
      const store = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        const claim = claims.get(req);
        if (claim?.committed && reply.statusCode < 300) {
          let body: unknown = null;
          try {
            body = typeof payload === 'string' && payload ? JSON.parse(payload) : null;
          } catch {
            body = null;
          }
          // Not awaited: the reply does not wait for it (a replay without it is rebuilt from the recorded row).
          storeReply(hub.db, claim.hallId, claim.key, reply.statusCode, body).catch((err: unknown) => req.log.warn({ err }, 'idempotent reply not stored'));
        }
        return payload;
      };
      route.onSend = [...[route.onSend ?? []].flat(), store] as RouteOptions['onSend'];
    }
  });
}
