import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * Checks a JWS compact serialisation (RFC 7515) against a JWK set with node:crypto alone, so a receipt can
 * be verified where neither the plugin nor a JOSE library runs. Receipts are EdDSA (jws.ts); ES256 is
 * accepted too, for a key set that also publishes one. Any other `alg`, `none` above all, is refused.
 */
export interface Jwk extends JsonWebKey {
  kid?: string;
  alg?: string;
}

export type JwsCheck = { ok: true; payload: unknown; kid: string | null } | { ok: false; problem: string };

// Each algorithm with the key type it needs and node's digest (Ed25519 hashes internally).
const ALGORITHMS: Record<string, { kty: string; crv: string; digest: string | null }> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519', digest: null },
  ES256: { kty: 'EC', crv: 'P-256', digest: 'sha256' },
};

// Importing a JWK costs more than the signature check: a verifier checking many seals with one key set
// (the ledger's pruned events, its checkpoints) imports each key once.
const imported = new WeakMap<Jwk, KeyObject>();
const keyObjectOf = (jwk: Jwk): KeyObject => {
  let key = imported.get(jwk);
  if (!key) {
    key = createPublicKey({ key: jwk, format: 'jwk' });
    imported.set(jwk, key);
  }
  return key;
};

/** What a JWS's protected header says (unchecked: only a verified signature makes it true). */
export interface JwsHeader {
  alg?: unknown;
  kid?: unknown;
  typ?: unknown;
}

const decodeJson = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The protected header of a JWS compact serialisation, or null when it is not one. */
export const jwsHeader = (jws: string): JwsHeader | null => {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  if (parts.length !== 3) return null;
  try {
    const header = decodeJson(parts[0]);
    return header && typeof header === 'object' && !Array.isArray(header) ? (header as JwsHeader) : null;
  } catch {
    return null;
  }
};

export const verifyCompactJws = (jws: string, keys: Jwk[]): JwsCheck => {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  if (parts.length !== 3) return { ok: false, problem: 'is not a JWS compact serialisation' };
  const [header, body, signature] = parts;
  const protectedHeader = jwsHeader(jws);
  let payload: unknown;
  try {
    payload = decodeJson(body);
  } catch {
    return { ok: false, problem: 'header or payload is not base64url JSON' };
  }
  if (!protectedHeader) return { ok: false, problem: 'header or payload is not base64url JSON' };
  const alg = ALGORITHMS[String(protectedHeader.alg)];
  if (!alg) return { ok: false, problem: `algorithm ${String(protectedHeader.alg)} is not accepted` };
  const kid = typeof protectedHeader.kid === 'string' ? protectedHeader.kid : null;
  // Without a kid, any key of the right type may have signed it; with one, only that key.
  const candidates = keys.filter(
    (k) =>
      k.kty === alg.kty &&
      k.crv === alg.crv &&
      (k.alg === undefined || k.alg === protectedHeader.alg) &&
      (kid === null || k.kid === kid)
  );
  if (candidates.length === 0)
    return { ok: false, problem: `no key${kid ? ` ${kid}` : ''} for ${String(protectedHeader.alg)} in the JWK set` };
  const data = Buffer.from(`${header}.${body}`);
  const sig = Buffer.from(signature, 'base64url');
  for (const jwk of candidates) {
    try {
      const key = keyObjectOf(jwk);
      if (verify(alg.digest, data, { key, dsaEncoding: 'ieee-p1363' }, sig))
        return { ok: true, payload, kid: jwk.kid ?? null };
    } catch {
      // A malformed key verifies nothing; the next candidate may.
    }
  }
  return { ok: false, problem: 'signature does not verify' };
};
