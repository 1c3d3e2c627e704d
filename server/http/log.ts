import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** Query parameters that carry a credential (`?token=` of a screen's first open, follow and lookup keys). */
const SECRET_PARAMS = /([?&](?:token|key|access_token)=)[^&#]*/gi;

/** A URL fit for a log line: credentials in the query are replaced by `***`. */
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1***');

/** What a request log line says about the request: no credential from its URL. */
function requestForLog(req: FastifyRequest | IncomingMessage) {
  const r = req as FastifyRequest;
  return { method: req.method, url: redactUrl(req.url ?? ''), host: r.host, remoteAddress: r.ip, remotePort: req.socket?.remotePort };
}

/** Fastify's `childLoggerFactory`: request loggers serialise `req` without the URL's credentials. */
export function childLoggerFactory(logger: FastifyBaseLogger, bindings: Record<string, unknown>, opts: object): FastifyBaseLogger {
  const options = opts as { serializers?: Record<string, (v: unknown) => unknown> };
  return logger.child(bindings, { ...options, serializers: { ...options.serializers, req: requestForLog as (v: unknown) => unknown } });
}
