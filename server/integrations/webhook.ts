/** Signed webhooks: `X-HallHub-Signature: sha256=<hex HMAC-SHA256 of the raw body with the integration's secret>`. */
import { webhookHostProblem } from './webhook-hosts.js';
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hallhub-signature';

export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/** Checks a signature header (what a receiver does). */
export function verifySignature(secret: string, body: string, header: string | undefined | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** POSTs one delivery; resolves on a 2xx, rejects with the reason otherwise. */
export async function deliverWebhook(d: { url: string; secret: string; body: string; deliveryId: string; event: string; timeoutMs: number; allowHosts: readonly string[] }): Promise<void> {
  const problem = await webhookHostProblem(d.url, d.allowHosts);
  if (problem) throw new Error(`webhook host refused: ${problem}`);
  const res = await fetch(d.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'HallHub-Webhook/1',
      [SIGNATURE_HEADER]: signBody(d.secret, d.body),
      'x-hallhub-delivery': d.deliveryId,
      'x-hallhub-event': d.event,
    },
    body: d.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(d.timeoutMs),
  });
  await res.body?.cancel().catch(() => undefined);
  if (res.status < 200 || res.status > 299) throw new Error(`webhook answered HTTP ${res.status}`);
}
