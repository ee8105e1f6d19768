import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of a webhook delivery (D7): `X-Consent-Signature: t=<unix seconds>,v1=<hex>`, the hex an
 * HMAC-SHA256 of `<t>.<body>` under the signing secret. The time is signed with the body so a captured
 * request cannot be replayed later than the receiver's tolerance; the scheme is the one Stripe and others
 * use, so receivers know it (docs/back-ends.md).
 */
export const SIGNATURE_HEADER = 'X-Consent-Signature';

const mac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeader = (secret: string, body: string, at: Date): string => {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
};

/**
 * A receiver's check, also used by the tests: true when one `v1` of the header matches and `t` is within
 * `toleranceSeconds` of `now`. Several `v1` are allowed so a sender can sign with an old and a new secret
 * while receivers switch.
 */
export const verifySignature = (
  header: string | undefined,
  secret: string,
  body: string,
  now: Date = new Date(),
  toleranceSeconds = 300
): boolean => {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(mac(secret, t, body), 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v, 'hex'), expected));
};
