import { describe, expect, it } from 'vitest';
import { ApiError, createApi, newIdempotencyKey } from '../../ui-kit/api.js';

describe('ui-kit api.action: an Idempotency-Key per action, retried with the same key', () => {
  it('sends one key and keeps it across retries after a lost answer or a 503', async () => {
    const seen: (string | null)[] = [];
    let calls = 0;
    const api = createApi({
      retryDelaysMs: [1, 1, 1],
      fetch: async (_url, init) => {
        seen.push(new Headers(init?.headers).get('idempotency-key'));
        calls++;
        if (calls === 1) throw new TypeError('connection reset');
        if (calls === 2) return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'x' } }), { status: 503 });
        return new Response(JSON.stringify({ id: 7 }), { status: 201, headers: { 'content-type': 'application/json' } });
      },
    });
    expect(await api.action<{ id: number }>('/tickets', { serviceId: 1 })).toEqual({ id: 7 });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(seen).size).toBe(1);
    // the next action has a key of its own
    await api.action('/tickets', { serviceId: 1 });
    expect(seen[3]).not.toBe(seen[0]);
  });

  it('does not retry a refusal, and gives up after its retries', async () => {
    let calls = 0;
    const refusing = createApi({
      retryDelaysMs: [1, 1],
      fetch: async () => {
        calls++;
        return new Response(JSON.stringify({ error: { code: 'service_closed', message: 'đóng' } }), { status: 409 });
      },
    });
    await expect(refusing.action('/tickets', {})).rejects.toMatchObject({ status: 409, code: 'service_closed' });
    expect(calls).toBe(1);
    calls = 0;
    const down = createApi({
      retryDelaysMs: [1, 1],
      fetch: async () => {
        calls++;
        throw new TypeError('down');
      },
    });
    await expect(down.action('/counters/1/next')).rejects.toBeInstanceOf(ApiError);
    expect(calls).toBe(3);
  });

  it('makes distinct v4 UUIDs', () => {
    const keys = new Set(Array.from({ length: 200 }, newIdempotencyKey));
    expect(keys.size).toBe(200);
  });
});
