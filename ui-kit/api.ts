/**
 * The HTTP client of every screen: `/api/v1` JSON with the bearer token, and one error type.
 *
 * Any non-2xx answer becomes an `ApiError` carrying the hub's `{ error: { code, message } }` (the hub's
 * messages are Vietnamese already, so screens show `err.message` as is). A failed connection or a timeout
 * is an `ApiError` with status 0 and code `network` / `timeout`, with a message in the current language.
 */
import { common } from './i18n.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the hub could not be reached. */
    readonly status: number,
    /** The hub's machine-readable code (e.g. `service_closed`), or `network`, `timeout`, `http_<status>`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** True when the request never got an answer (worth retrying). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

/** The message to show for any error thrown by a request or by the screen's own code. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return common('networkError');
}

export interface ApiOptions {
  /** The bearer token to send, read at every request (null: no Authorization header). */
  token?: () => string | null;
  /** Prefix of every path; default `/api/v1`. */
  base?: string;
  /** Milliseconds before a request is abandoned with code `timeout`; default 15 s. */
  timeoutMs?: number;
  /** Called on every 401 answer (e.g. to drop an expired staff session). */
  onUnauthorized?: (err: ApiError) => void;
  fetch?: typeof fetch;
  /** Waits before each retry of an `action` (one entry per retry); default 0.5 s then 1.5 s. */
  retryDelaysMs?: number[];
}

/** A random UUID v4 (crypto.getRandomValues works on plain-http hall networks, where randomUUID does not). */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface RequestOptions {
  /** Sent as the `Idempotency-Key` header. */
  idempotencyKey?: string;
}

export interface ApiClient {
  request<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  /**
   * A state-changing action the hub may have done even if its reply was lost (`POST /tickets`, the counter
   * actions): sent with a fresh `Idempotency-Key` and retried with the same key when no answer came or the hub
   * answered 503, so a retry never issues a second ticket or calls a second citizen.
   */
  action<T>(path: string, body?: unknown): Promise<T>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

function isErrorBody(v: unknown): v is { error: { code: string; message: string } } {
  if (!v || typeof v !== 'object' || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { message?: unknown }).message === 'string';
}

export function createApi(opts: ApiOptions = {}): ApiClient {
  const base = opts.base ?? '/api/v1';
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const token = opts.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    // No content-type without a body: the hub rejects an empty JSON body.
    if (body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: controller.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw controller.signal.aborted ? new ApiError(0, 'timeout', common('timeout')) : new ApiError(0, 'network', common('networkError'));
    } finally {
      clearTimeout(timer);
    }
    let text = '';
    try {
      text = await res.text();
    } catch {
      throw new ApiError(0, 'network', common('networkError'));
    }
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!res.ok) {
      const err = isErrorBody(parsed)
        ? new ApiError(res.status, parsed.error.code, parsed.error.message)
        : new ApiError(res.status, `http_${res.status}`, common('serverError', { status: res.status }));
      if (res.status === 401) opts.onUnauthorized?.(err);
      throw err;
    }
    return (res.status === 204 ? null : parsed) as T;
  }

  const retryDelays = opts.retryDelaysMs ?? [500, 1500];
  async function action<T>(path: string, body?: unknown): Promise<T> {
    const idempotencyKey = newIdempotencyKey();
    for (let attempt = 0; ; attempt++) {
      try {
        return await request<T>('POST', path, body, { idempotencyKey });
      } catch (err) {
        const retryable = err instanceof ApiError && (err.isNetwork || err.status === 503);
        const delay = retryDelays[attempt];
        if (!retryable || delay === undefined) throw err;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  return {
    request,
    action,
    get: <T,>(path: string) => request<T>('GET', path),
    post: <T,>(path: string, body?: unknown) => request<T>('POST', path, body),
    patch: <T,>(path: string, body?: unknown) => request<T>('PATCH', path, body),
    delete: <T,>(path: string) => request<T>('DELETE', path),
  };
}
