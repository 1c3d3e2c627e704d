/** A domain refusal: becomes `{error:{code,message}}` with its HTTP status. */
export class HubError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export const badRequest = (message: string, code = 'bad_request') => new HubError(400, code, message);
export const unauthorized = (message = 'Authentication required') => new HubError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HubError(403, 'forbidden', message);
export const notFound = (message: string) => new HubError(404, 'not_found', message);
export const conflict = (message: string, code = 'conflict') => new HubError(409, code, message);
