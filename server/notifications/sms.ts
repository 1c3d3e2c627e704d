/**
 * SMS through a pluggable HTTP gateway (SMS_GATEWAY_URL): `POST {to, text}` as JSON; any 2xx means accepted.
 * The `Idempotency-Key` header carries a stable id so a gateway can drop a repeat.
 */
export async function sendSms(gatewayUrl: string, m: { to: string; text: string; id: string }, timeoutMs: number): Promise<void> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': m.id },
    body: JSON.stringify({ to: m.to, text: m.text }),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.body?.cancel().catch(() => undefined);
  if (res.status < 200 || res.status > 299) throw new Error(`SMS gateway answered HTTP ${res.status}`);
}
