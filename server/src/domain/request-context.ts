import { isIPv4, isIPv6 } from 'node:net';
import type { IpStorage } from '../../../shared/contracts/domain';

/**
 * What the ledger keeps about the request that carried a consent act: enough to show how it was made,
 * no more (A10; EDPB 05/2020 §106). The IP is dropped, truncated or kept as configured; the page URL
 * loses its query and fragment, which often carry identifiers (tracking ids, even email addresses).
 */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
  /** The GPC signal as received (F6): name and value. */
  signal?: { name: 'Sec-GPC'; value: '1' };
}

/** The eight 16-bit groups of an IPv6 address, whatever its spelling (`::`, embedded IPv4, case). */
const ipv6Groups = (ip: string): number[] => {
  let text = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g, 16));
};

/** IPv4 keeps its /24 network, IPv6 its /48: the provider and region, not the household. */
export const truncateIp = (ip: string): string | undefined => {
  if (isIPv4(ip)) return ip.split('.').slice(0, 3).concat('0').join('.');
  if (!isIPv6(ip)) return undefined;
  const groups = ipv6Groups(ip);
  // An IPv4-mapped address (::ffff:a.b.c.d, however written) is an IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, 0].join('.');
  }
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(':')}::`;
};

export const storedIp = (ip: string | undefined, storage: IpStorage): string | undefined => {
  if (!ip || storage === 'none') return undefined;
  return storage === 'full' ? ip : truncateIp(ip);
};

/** Scheme, host, port and path; at most 2,000 characters. Anything that is not an http(s) URL is dropped. */
export const minimisePageUrl = (url: string | undefined | null): string | null => {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:'].includes(parsed.protocol)) return null;
    return `${parsed.origin}${parsed.pathname}`.slice(0, 2000);
  } catch {
    return null;
  }
};

/** F1: a request carries GPC only when a `Sec-GPC` header is exactly "1"; with several, any "1" counts. */
export const hasGpc = (header: string | string[] | undefined): boolean => {
  if (header === undefined) return false;
  const values = (Array.isArray(header) ? header : header.split(',')).map((v) => v.trim());
  return values.includes('1');
};

export const requestContext = (
  request: { ip?: string; userAgent?: string; gpc: boolean },
  ipStorage: IpStorage
): RequestContext => {
  const context: RequestContext = {};
  const ip = storedIp(request.ip, ipStorage);
  if (ip) context.ip = ip;
  if (request.userAgent) context.userAgent = request.userAgent.slice(0, 256);
  if (request.gpc) context.signal = { name: 'Sec-GPC', value: '1' };
  return context;
};
