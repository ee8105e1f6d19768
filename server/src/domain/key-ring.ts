/**
 * The plugin's secrets as a ring: the current one makes every new hash, token and receipt; the previous
 * ones (newest first) are kept only to recognise what was made before a rotation. Every key derived from
 * a secret (identifier HMAC, link-token HMAC, receipt signing key) is derived per secret, so one secret
 * never keys two purposes.
 */
export interface KeyRing {
  current: string;
  previous: string[];
}

/** Every secret of the ring, the current one first: the order lookups try them in. */
export const ringSecrets = (ring: KeyRing): string[] => [ring.current, ...ring.previous];

/**
 * Why a ring cannot be used, or null: a previous secret equal to the current one or to another previous
 * one is a configuration mistake (a rotation copied twice), refused rather than silently ignored.
 */
export const ringProblem = (
  current: string | undefined,
  previous: readonly string[]
): { index: number; reason: string } | null => {
  const seen = new Set<string>(current ? [current] : []);
  for (const [index, secret] of previous.entries()) {
    if (current && secret === current)
      return { index, reason: 'is the current secret: remove it from previousSecrets' };
    if (seen.has(secret)) return { index, reason: 'appears twice in previousSecrets' };
    seen.add(secret);
  }
  return null;
};

/**
 * The rows a rehash must rewrite: for each identifier a row holds in clear, the hash under the current key
 * when the stored one differs. Rows without the identifier (erased, forgotten) have nothing to rehash.
 */
export const staleHashes = <T extends string>(
  stored: Partial<Record<T, string | null>>,
  current: Partial<Record<T, string | null>>
): Partial<Record<T, string>> => {
  const out: Partial<Record<T, string>> = {};
  for (const column of Object.keys(current) as T[]) {
    const hash = current[column];
    if (hash && stored[column] !== hash) out[column] = hash;
  }
  return out;
};
