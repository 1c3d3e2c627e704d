import { BlockList, isIP } from 'node:net';

/** One entry of `TRUST_PROXY`: an address (`10.0.0.5`, `::1`) or a CIDR block (`10.0.0.0/24`, `fd00::/8`). */
export interface ProxyEntry {
  address: string;
  prefix: number | null;
  family: 'ipv4' | 'ipv6';
}

/**
 * Parses `TRUST_PROXY`: a comma list of proxy addresses or CIDRs whose `X-Forwarded-For` the hub believes
 * (empty: none, every client is the address that connected). Throws an Error naming the entry that is neither.
 */
export function parseTrustProxy(value: string | undefined): ProxyEntry[] {
  const entries: ProxyEntry[] = [];
  for (const raw of (value ?? '').split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const [address = '', prefix, extra] = item.split('/');
    const version = isIP(address);
    const max = version === 4 ? 32 : 128;
    const bits = prefix === undefined ? null : /^[0-9]{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!version || extra !== undefined || (bits !== null && !(bits >= 0 && bits <= max))) {
      throw new Error(`TRUST_PROXY: "${item}" is not an IP address or CIDR block (e.g. 127.0.0.1, 10.0.0.0/24, ::1)`);
    }
    entries.push({ address, prefix: bits, family: version === 4 ? 'ipv4' : 'ipv6' });
  }
  return entries;
}

/**
 * The client's address behind trusted proxies, as Fastify computes `req.ip`: from the connecting address, walk
 * `X-Forwarded-For` from the right while the hop is a trusted proxy. For sockets, whose handshake Fastify does not see.
 */
export function clientAddress(remote: string, forwardedFor: string | string[] | undefined, trust: false | ((address: string, hop: number) => boolean)): string {
  if (!trust || !forwardedFor) return remote;
  const hops = [remote, ...[forwardedFor].flat().join(',').split(',').map((a) => a.trim()).filter(Boolean).reverse()];
  for (let i = 0; i < hops.length - 1; i++) if (!trust(hops[i]!, i)) return hops[i]!;
  return hops[hops.length - 1]!;
}

/** Fastify's `trustProxy`: false without entries, else a function telling whether a hop's address is a listed proxy. */
export function trustProxyOption(entries: ProxyEntry[]): false | ((address: string, hop: number) => boolean) {
  if (!entries.length) return false;
  const list = new BlockList();
  for (const e of entries) {
    if (e.prefix === null) list.addAddress(e.address, e.family);
    else list.addSubnet(e.address, e.prefix, e.family);
  }
  return (address: string) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const plain = mapped ?? address;
    const version = isIP(plain);
    return version !== 0 && list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  };
}
