import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Addresses a webhook never reaches unless its host is listed in `WEBHOOK_ALLOW_HOSTS`. */
const refused = new BlockList();
refused.addSubnet('127.0.0.0', 8, 'ipv4');
refused.addSubnet('169.254.0.0', 16, 'ipv4');
refused.addSubnet('0.0.0.0', 8, 'ipv4');
refused.addAddress('::1', 'ipv6');
refused.addAddress('::', 'ipv6');
refused.addSubnet('fe80::', 10, 'ipv6');

const bare = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '');
const unmapped = (address: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;

/** Why an address is refused for a webhook (loopback, link-local, unspecified, one of the hub's own), or null. */
export function refusedAddress(address: string): string | null {
  const a = unmapped(address);
  const family = isIP(a) === 4 ? 'ipv4' : 'ipv6';
  if (refused.check(a, family)) return `${a} là địa chỉ nội bộ của máy (loopback/link-local) / is a loopback or link-local address`;
  const own = Object.values(networkInterfaces())
    .flat()
    .some((i) => i && unmapped(i.address).toLowerCase() === a.toLowerCase());
  return own ? `${a} là địa chỉ của chính máy chủ Hall Hub / is one of the hub's own addresses` : null;
}

/**
 * Checks where a webhook URL leads: its host must not be, nor resolve to, a loopback, link-local or unspecified
 * address or one of the hub's own, unless the host is in `allowHosts`. Returns the reason it is refused, or null.
 * A host that does not resolve (yet) is not refused here; each delivery checks again.
 */
export async function webhookHostProblem(url: string, allowHosts: readonly string[]): Promise<string | null> {
  let host: string;
  try {
    host = bare(new URL(url).hostname);
  } catch {
    return 'địa chỉ webhook không hợp lệ / invalid webhook URL';
  }
  if (allowHosts.map(bare).includes(host)) return null;
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host}: máy cục bộ / the local machine`;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return null;
    }
  }
  for (const address of addresses) {
    const why = refusedAddress(address);
    if (why) return `${host}: ${why}`;
  }
  return null;
}
