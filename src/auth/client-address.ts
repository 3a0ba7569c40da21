/**
 * The client address that rate limits count by (issue 11 §1). Express gives `req.ip`: the socket's peer,
 * or with TRUST_PROXY the address the trusted proxies report in X-Forwarded-For (never otherwise, or any
 * client could pick its own). An IPv4-mapped IPv6 address counts as its IPv4 address, and an IPv6 address
 * by its /64, the block one subscriber is given.
 */
import net from 'node:net';

export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const bare = address.split('%')[0];
  if (bare.toLowerCase().startsWith('::ffff:') && net.isIPv4(bare.slice(7))) return bare.slice(7);
  if (net.isIPv6(bare)) return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
  return bare;
}

/** The eight 16-bit groups of an IPv6 address, `::` and a dotted IPv4 tail expanded. */
function ipv6Groups(address: string): string[] {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (net.isIPv4(tail)) {
    const [a, b, c, d] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const before = head ? head.split(':') : [];
  const after = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : new Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((group) => Number.parseInt(group, 16).toString(16));
}
