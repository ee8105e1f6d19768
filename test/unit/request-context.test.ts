/**
 * What the ledger keeps about the request behind a consent act (A10, F1, F6): the IP dropped, truncated or
 * kept; the page URL without query or fragment; GPC only for `Sec-GPC: 1`.
 */
import { hasGpc, minimisePageUrl, requestContext, storedIp, truncateIp } from '../../server/src/domain/request-context';

describe('truncateIp', () => {
  it.each([
    // IPv4 keeps its /24.
    ['203.0.113.77', '203.0.113.0'],
    ['10.0.0.1', '10.0.0.0'],
    ['255.255.255.255', '255.255.255.0'],
    // IPv6 keeps its /48 (the first three groups).
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8:85a3::'],
    ['2001:db8::1', '2001:db8:0::'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::'],
    ['::1', '0:0:0::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
    // IPv4-mapped IPv6 (as Node reports IPv4 clients on a dual-stack socket) is truncated as IPv4.
    ['::ffff:203.0.113.77', '203.0.113.0'],
  ])('%s → %s', (ip, expected) => {
    expect(truncateIp(ip)).toBe(expected);
  });

  it('never keeps more than the network, even for unusual spellings', () => {
    // Every spelling of an IPv4-mapped address is an IPv4 client: its /24.
    for (const ip of ['::FFFF:203.0.113.77', '::ffff:cb00:714d', '0:0:0:0:0:ffff:203.0.113.77']) {
      expect(truncateIp(ip)).toBe('203.0.113.0');
    }
    // NAT64 (64:ff9b::/96) is an IPv6 network like any other: its /48.
    expect(truncateIp('64:ff9b::203.0.113.77')).toBe('64:ff9b:0::');
  });

  it.each(['', 'not-an-ip', '203.0.113', '203.0.113.256', '::ffff:999.0.0.1'])(
    '%j is not an address → nothing',
    (ip) => {
      expect(truncateIp(ip)).toBeUndefined();
    }
  );
});

describe('storedIp (the ipStorage setting)', () => {
  it('none keeps nothing', () => {
    expect(storedIp('203.0.113.77', 'none')).toBeUndefined();
  });
  it('truncated keeps the network', () => {
    expect(storedIp('203.0.113.77', 'truncated')).toBe('203.0.113.0');
    expect(storedIp('2001:db8:85a3:8d3::1', 'truncated')).toBe('2001:db8:85a3::');
    expect(storedIp('::ffff:203.0.113.77', 'truncated')).toBe('203.0.113.0');
  });
  it('full keeps the address as received', () => {
    expect(storedIp('203.0.113.77', 'full')).toBe('203.0.113.77');
  });
  it('no address → nothing, whatever the setting', () => {
    for (const storage of ['none', 'truncated', 'full'] as const) expect(storedIp(undefined, storage)).toBeUndefined();
  });
});

describe('minimisePageUrl', () => {
  it.each([
    ['https://shop.example/join?email=alice@example.com#top', 'https://shop.example/join'],
    ['https://shop.example/join#newsletter', 'https://shop.example/join'],
    ['https://shop.example', 'https://shop.example/'],
    ['http://localhost:1337/demo?utm_source=x', 'http://localhost:1337/demo'],
    ['https://user:password@shop.example/p', 'https://shop.example/p'],
    ['HTTPS://SHOP.EXAMPLE/Join', 'https://shop.example/Join'],
  ])('%s → %s', (url, expected) => {
    expect(minimisePageUrl(url)).toBe(expected);
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'mailto:alice@example.com',
    '/relative/path',
    'not a url',
    '',
  ])('drops %j', (url) => {
    expect(minimisePageUrl(url)).toBeNull();
  });

  it('drops null and undefined', () => {
    expect(minimisePageUrl(null)).toBeNull();
    expect(minimisePageUrl(undefined)).toBeNull();
  });

  it('keeps at most 2,000 characters', () => {
    expect(minimisePageUrl(`https://shop.example/${'a'.repeat(3000)}`)).toHaveLength(2000);
  });
});

describe('hasGpc (F1: GPC only when Sec-GPC is "1")', () => {
  it.each([
    ['1', true],
    // Node joins repeated headers with ", ": any "1" among them counts.
    ['1, 1', true],
    ['0, 1', true],
    ['1, 0', true],
    [['0', '1'], true],
    // Leading and trailing whitespace is not part of an HTTP field value (RFC 9110, 5.5).
    [' 1 ', true],
    ['0', false],
    ['true', false],
    ['TRUE', false],
    ['yes', false],
    ['11', false],
    ['1.0', false],
    ['01', false],
    ['1;q=1', false],
    ['', false],
    [[], false],
    [undefined, false],
  ] as const)('%j → %s', (header, expected) => {
    expect(hasGpc(header as string | string[] | undefined)).toBe(expected);
  });
});

describe('requestContext (A10, F6)', () => {
  it('keeps the truncated IP, the user agent (at most 256 characters) and the GPC signal as received', () => {
    expect(
      requestContext({ ip: '203.0.113.77', userAgent: `Mozilla/5.0 ${'x'.repeat(400)}`, gpc: true }, 'truncated')
    ).toEqual({
      ip: '203.0.113.0',
      userAgent: `Mozilla/5.0 ${'x'.repeat(244)}`,
      signal: { name: 'Sec-GPC', value: '1' },
    });
  });

  it('holds only what there is', () => {
    expect(requestContext({ gpc: false }, 'full')).toEqual({});
    expect(requestContext({ ip: '203.0.113.77', gpc: false }, 'none')).toEqual({});
    expect(requestContext({ ip: '203.0.113.77', gpc: false }, 'full')).toEqual({ ip: '203.0.113.77' });
  });
});
