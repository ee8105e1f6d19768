import { createHash } from 'node:crypto';

/**
 * A canonical JSON form, so that the same content always hashes to the same value whatever the key order,
 * the database or the Unicode composition: object keys sorted by code point, strings NFC-normalised,
 * `undefined` members dropped, no whitespace. (The JSON Canonicalization Scheme, RFC 8785, restricted to
 * the values we hash: strings, integers, booleans, null, arrays and plain objects.)
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.normalize('NFC'), v] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
