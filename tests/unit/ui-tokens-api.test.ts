import { describe, expect, it } from 'vitest';
import { captureDeviceToken, getDeviceToken, loadStaffSession, saveStaffSession, type TokenEnv } from '../../ui-kit/tokens.js';
import { ApiError, createApi, errorMessage } from '../../ui-kit/api.js';

function memoryEnv(href: string): TokenEnv & { url: string; data: Map<string, string> } {
  const data = new Map<string, string>();
  const env = {
    href,
    url: href,
    data,
    replaceUrl(url: string) {
      env.url = url;
    },
    storage: {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    },
  };
  return env;
}

describe('ui-kit device and staff tokens', () => {
  it('takes ?token= once, remembers it per app and strips it from the address', () => {
    const env = memoryEnv('http://hub.local/kiosk/?token=d_abc&x=1#top');
    expect(captureDeviceToken('kiosk', env)).toBe('d_abc');
    expect(env.url).toBe('/kiosk/?x=1#top');
    expect(env.data.get('hallhub:kiosk:token')).toBe('d_abc');

    const later = { ...env, href: 'http://hub.local/kiosk/' };
    expect(captureDeviceToken('kiosk', later)).toBe('d_abc');
    expect(getDeviceToken('display', later)).toBeNull();
  });

  it('returns null for a device opened without a token', () => {
    const env = memoryEnv('http://hub.local/display/');
    expect(captureDeviceToken('display', env)).toBeNull();
    expect(env.url).toBe('http://hub.local/display/');
  });

  it('keeps a staff session until it expires', () => {
    const env = memoryEnv('http://hub.local/staff/');
    const session = { token: 's_1', expiresAt: '2030-01-01T00:00:00Z', user: { id: 3, name: 'Nguyễn Thị Lan', role: 'staff' as const } };
    saveStaffSession(session, env);
    expect(loadStaffSession(env, Date.parse('2029-12-31T00:00:00Z'))).toEqual(session);
    expect(loadStaffSession(env, Date.parse('2030-01-02T00:00:00Z'))).toBeNull();
    expect(env.data.has('hallhub:staff:session')).toBe(false);
    env.data.set('hallhub:staff:session', '{not json');
    expect(loadStaffSession(env)).toBeNull();
  });
});

describe('ui-kit api client', () => {
  type Call = { url: string; init: RequestInit };
  const fakeFetch = (calls: Call[], reply: () => Response | Promise<Response>): typeof fetch =>
    (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), init: init ?? {} });
      return reply();
    }) as typeof fetch;

  it('sends the bearer token, JSON only with a body, and parses the answer', async () => {
    const calls: Call[] = [];
    const api = createApi({ token: () => 'd_tok', fetch: fakeFetch(calls, () => new Response(JSON.stringify({ id: 7 }), { status: 201 })) });
    await expect(api.post<{ id: number }>('/tickets', { serviceId: 1 })).resolves.toEqual({ id: 7 });
    await api.post('/counters/1/open');
    const [withBody, withoutBody] = calls;
    expect(withBody!.url).toBe('/api/v1/tickets');
    expect((withBody!.init.headers as Record<string, string>).authorization).toBe('Bearer d_tok');
    expect((withBody!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(withBody!.init.body).toBe('{"serviceId":1}');
    expect((withoutBody!.init.headers as Record<string, string>)['content-type']).toBeUndefined();
    expect(withoutBody!.init.body).toBeNull();
  });

  it('answers null for 204', async () => {
    const api = createApi({ fetch: fakeFetch([], () => new Response(null, { status: 204 })) });
    await expect(api.post('/counters/1/next')).resolves.toBeNull();
  });

  it('turns the hub error body into an ApiError with its Vietnamese message', async () => {
    const body = { error: { code: 'service_closed', message: 'Dịch vụ "Đất đai" đang tạm ngừng nhận số' } };
    let unauthorized = 0;
    const api = createApi({ onUnauthorized: () => unauthorized++, fetch: fakeFetch([], () => new Response(JSON.stringify(body), { status: 409 })) });
    const err = await api.post('/tickets', { serviceId: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).code).toBe('service_closed');
    expect(errorMessage(err)).toBe('Dịch vụ "Đất đai" đang tạm ngừng nhận số');
    expect(unauthorized).toBe(0);

    const api401 = createApi({ onUnauthorized: () => unauthorized++, fetch: fakeFetch([], () => new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'Phiên hết hạn' } }), { status: 401 })) });
    await expect(api401.get('/counters')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(unauthorized).toBe(1);
  });

  it('reports a hub that cannot be reached, or answers no JSON, in Vietnamese', async () => {
    const down = createApi({
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    await expect(down.get('/hall')).rejects.toMatchObject({ status: 0, code: 'network', message: 'Không kết nối được với máy chủ. Vui lòng thử lại.' });
    const proxy = createApi({ fetch: fakeFetch([], () => new Response('<html>Bad gateway</html>', { status: 502 })) });
    await expect(proxy.get('/hall')).rejects.toMatchObject({ status: 502, code: 'http_502', message: 'Lỗi máy chủ (HTTP 502). Vui lòng thử lại.' });
  });
});
