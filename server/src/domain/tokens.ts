import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Signed link tokens (confirmation, unsubscribe, preference-centre and re-permission links): a base64url JSON payload
 * and an HMAC-SHA-256 over it with a key derived from the plugin secret. Whoever holds a link can act on
 * it, nobody can make one up or change what it covers (a purpose, a person, an expiry), and the server
 * keeps only a hash of each token it issued.
 */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences' | 'renew' | 'parental';

export interface TokenPayload {
  /** What the token is for: a confirmation token never unsubscribes anyone, and vice versa. */
  use: TokenPurpose;
  /** Subject pseudonym. */
  sub: string;
  /** Purpose keys covered. */
  purposes: string[];
  /** The channel a link acts on (an unsubscribe link in an email acts on `email`). */
  channel?: string;
  /** The request it belongs to (a receipt id, for confirmations). */
  ref?: string;
  /** Expiry, seconds since the epoch; absent for links that must keep working (RFC 8058 unsubscribe). */
  exp?: number;
  /** Random, so two tokens for the same request differ. */
  nonce: string;
}

export type TokenCheck =
  { ok: true; payload: TokenPayload; expired: boolean } | { ok: false; reason: 'malformed' | 'signature' | 'use' };

export const tokenKey = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'strapi-plugin-consent', 'link-token-hmac-v1', 32));

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('base64url');

export const signToken = (key: Buffer, payload: TokenPayload): string => {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body)}`;
};

/** Checks the signature first: nothing in an unsigned payload is read, not even its expiry. */
export const verifyToken = (key: Buffer, token: string, use: TokenPurpose, now = Date.now()): TokenCheck => {
  if (typeof token !== 'string' || token.length > 2048 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(token)) {
    return { ok: false, reason: 'malformed' };
  }
  const [body, signature] = token.split('.');
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature' };
  let payload: TokenPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!payload || payload.use !== use || typeof payload.sub !== 'string' || !Array.isArray(payload.purposes)) {
    return { ok: false, reason: 'use' };
  }
  return { ok: true, payload, expired: payload.exp !== undefined && payload.exp * 1000 <= now };
};

/**
 * `verifyToken` against a key ring, the current key first: a link mailed before a secret rotation keeps
 * working while its secret is among the previous ones. Only a bad signature moves on to the next key; a
 * token signed by one key answers that key's verdict (malformed, wrong use, expired).
 */
export const verifyTokenWithRing = (
  keys: readonly Buffer[],
  token: string,
  use: TokenPurpose,
  now = Date.now()
): TokenCheck => {
  let check: TokenCheck = { ok: false, reason: 'signature' };
  for (const key of keys) {
    check = verifyToken(key, token, use, now);
    if (check.ok || check.reason !== 'signature') return check;
  }
  return check;
};

/** What is stored instead of a token (B3): its SHA-256, hex. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
