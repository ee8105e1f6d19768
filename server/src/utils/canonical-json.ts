import * as crypto from 'node:crypto';

// Printable ASCII is its own NFC form: most strings skip `normalize`, which dominated the ledger's verification;
// anything else (control characters included) is normalised as before.
const NON_ASCII = /[^\x20-\x7e\t\n\r]/;
const nfc = (s: string) => (NON_ASCII.test(s) ? s.normalize('NFC') : s);
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Printable ASCII without a quote or a backslash: JSON.stringify would only add the quotes.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A canonical JSON string: the string NFC-normalised, then JSON-quoted. */
export const canonicalString = (value: string): string =>
  PLAIN.test(value) ? `"${value}"` : JSON.stringify(nfc(value));

/**
 * A canonical JSON form, so that the same content always hashes to the same value whatever the key order,
 * the database or the Unicode composition: object keys sorted by code point, strings NFC-normalised,
 * `undefined` members dropped, no whitespace. (The JSON Canonicalization Scheme, RFC 8785, restricted to
 * the values we hash: strings, integers, booleans, null, arrays and plain objects.)
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'string') return canonicalString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i] === undefined ? null : value[i]);
    }
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const members: Array<[string, unknown]> = [];
    for (const key of Object.keys(object)) {
      if (object[key] !== undefined) members.push([nfc(key), object[key]]);
    }
    members.sort(([a], [b]) => byCodeUnit(a, b));
    let out = '{';
    for (let i = 0; i < members.length; i++) {
      if (i > 0) out += ',';
      out += `${JSON.stringify(members[i][0])}:${canonicalJson(members[i][1])}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
};

// The one-shot `crypto.hash` (Node ≥ 20.12) skips building a Hash object per call: the ledger's verification
// hashes every event.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
export const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
