import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, type KeyObject } from 'node:crypto';

/**
 * Ed25519 signing for receipts, as JWS compact serialisation (RFC 7515) with `alg: EdDSA` (RFC 8037),
 * using only node:crypto. The key pair is derived from the plugin secret (HKDF-SHA-256), so every instance
 * signs with the same key without storing a private key anywhere.
 */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface SigningKey {
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

// The fixed ASN.1 prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order. */
const thumbprint = (jwk: { crv: string; kty: string; x: string }) =>
  base64url(
    createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
      .digest()
  );

export const deriveSigningKey = (secret: string): SigningKey => {
  const seed = Buffer.from(hkdfSync('sha256', secret, 'strapi-plugin-consent', 'receipt-signing-key-v1', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const { x } = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const base = { kty: 'OKP' as const, crv: 'Ed25519' as const, x };
  return { privateKey, publicJwk: { ...base, kid: thumbprint(base), alg: 'EdDSA', use: 'sig' } };
};

/** Signs a payload already serialised as JSON text, byte for byte. */
export const signCompactJson = (json: string, key: SigningKey, typ = 'JWT'): string => {
  const header = base64url(JSON.stringify({ alg: 'EdDSA', kid: key.publicJwk.kid, typ }));
  const body = base64url(json);
  const signature = sign(null, Buffer.from(`${header}.${body}`), key.privateKey);
  return `${header}.${body}.${base64url(signature)}`;
};

export const signCompact = (payload: unknown, key: SigningKey, typ = 'JWT'): string =>
  signCompactJson(JSON.stringify(payload), key, typ);
