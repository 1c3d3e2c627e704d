import type { FastifyError } from 'fastify';
import type { App } from '../context.js';
import { HubError } from '../errors.js';
import { POOL_FULL } from '../db/pool.js';

/** Postgres error codes that mean the request itself was wrong, not the hub. */
const clientPgCodes: Record<string, [number, string]> = {
  '22P02': [400, 'bad_request'],
  '22003': [400, 'bad_request'],
  '22021': [400, 'bad_request'],
  '22P05': [400, 'bad_request'],
  '54000': [400, 'bad_request'],
  '22001': [400, 'bad_request'],
  '23503': [409, 'conflict'],
  '23505': [409, 'conflict'],
};
// 57014/25P03: statement or idle-in-transaction timeout; HUB_CLIENT_GONE: the client left before the commit (rolled back).
const unavailablePgCodes = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57014', '25P03', 'HUB_CLIENT_GONE']);

/** Every HTTP error as `{error:{code,message}}`: domain refusals, validation, database codes; 500s are logged. */
export function registerErrorHandlers(app: App): void {
  app.setErrorHandler((err: FastifyError | HubError, req, reply) => {
    let status = 500;
    let code = 'internal';
    let message = 'Lỗi hệ thống / internal error';
    const pgCode = (err as { code?: string }).code;
    if (err instanceof HubError) {
      status = err.statusCode;
      code = err.code;
      message = err.message;
    } else if ('validation' in err && err.validation) {
      status = 400;
      code = 'bad_request';
      message = `${err.validationContext ?? 'request'}${err.message.replace(/^(body|params|querystring|headers)/, '')}`;
    } else if (pgCode && clientPgCodes[pgCode]) {
      [status, code] = clientPgCodes[pgCode];
      message = 'Dữ liệu không hợp lệ / invalid data';
    } else if (pgCode === POOL_FULL) {
      status = 503;
      code = 'busy';
      message = 'Hệ thống đang bận, mọi kết nối cơ sở dữ liệu đang được dùng: hãy thử lại / the hub is busy, retry shortly';
    } else if (pgCode && (unavailablePgCodes.has(pgCode) || (pgCode === 'ENOENT' && (err as { syscall?: string }).syscall === 'connect'))) {
      status = 503;
      code = 'unavailable';
      message = 'Cơ sở dữ liệu tạm thời không trả lời / database unavailable, retry shortly';
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
      message = err.message;
    } else if (/connect|terminat|Connection|timeout/i.test(err.message)) {
      status = 503;
      code = 'unavailable';
      message = 'Cơ sở dữ liệu tạm thời không trả lời / database unavailable, retry shortly';
    }
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `Không có đường dẫn ${req.method} ${req.url.split('?')[0]}` } }),
  );

}
