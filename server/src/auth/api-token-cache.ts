import type { Core } from '@strapi/strapi';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';

/** The service Strapi 5's `content-api-token` strategy asks for a token by its key's hash on every request. */
const SERVICE = 'admin::api-token-content-api';
/** Strapi writes `lastUsedAt` again once it is an hour old (strategies/api-token-utils `updateLastUsedAt`). */
const LAST_USED_HOUR = 3600_000;
/** Tokens are few (an admin makes each); past this many entries the expired ones are swept. */
const SWEEP_AT = 1000;

interface TokenRecord {
  lastUsedAt?: string | number | Date | null;
  permissions?: unknown;
  [key: string]: unknown;
}

type TokenService = {
  getByAccessKey: (hash: string, options?: { includeDecryptedKey?: boolean }) => Promise<TokenRecord | null>;
  [key: string]: unknown;
};

/**
 * A cache of the API tokens Strapi has read by key, kept `ttlMs` (under a second) on each instance.
 *
 * Strapi's token strategy reads the token with its permissions (four query-engine reads) on every request,
 * which costs a server-to-server route more than its own work. The cache replaces only that read: Strapi's
 * strategy still checks the kind, the expiry against the clock (so a token passing its `expiresAt` is
 * refused at once), the custom token's scopes, and writes `lastUsedAt`. What the cache can hide is a change
 * made in the database — a token deleted, regenerated, given another `expiresAt`, or other permissions, on
 * this instance or another — and it hides it for at most `ttlMs` from the start of the read it keeps, on
 * every instance, with no message between instances and whatever made the change (admin panel, API, SQL).
 *
 * Not kept: a key no token has (a caller guessing keys grows nothing, and a new token works at once), a read
 * with the decrypted key, and a token whose `lastUsedAt` Strapi is about to write (unset, or an hour old by
 * the time the entry would expire): those are read every time until the database shows the new value, so
 * `lastUsedAt` moves exactly as without the cache.
 *
 * `scope: 'plugin'` (the default) caches only for this plugin's routes (the server-to-server ones; the
 * public ones take no token), leaving the host's own content API as Strapi made it; `'content-api'` for
 * every content-API route. `ttlMs: 0` turns it off.
 */
export const cacheApiTokens = (strapi: Core.Strapi) => {
  const { tokenCache } = strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
  if (!tokenCache.ttlMs) return;
  const registry = strapi.get('services') as {
    get(uid: string): unknown;
    extend(uid: string, fn: (service: TokenService) => TokenService): unknown;
  };
  const service = registry.get(SERVICE) as TokenService | undefined;
  if (typeof service?.getByAccessKey !== 'function') {
    strapi.log.warn(`[consent] tokenCache: Strapi has no ${SERVICE}.getByAccessKey; API tokens are not cached`);
    return;
  }

  const inScope = (): boolean => {
    if (tokenCache.scope === 'content-api') return true;
    const ctx = strapi.requestContext.get() as { state?: { route?: { info?: { pluginName?: string } } } } | undefined;
    return ctx?.state?.route?.info?.pluginName === PLUGIN_ID;
  };
  const cache = new Map<string, { token: TokenRecord; until: number }>();
  const sweep = (now: number) => {
    for (const [key, entry] of cache) if (entry.until <= now) cache.delete(key);
  };
  // A copy per request: nothing a caller does to its credentials reaches the next request's.
  const copy = (token: TokenRecord): TokenRecord => ({
    ...token,
    ...(Array.isArray(token.permissions) ? { permissions: [...token.permissions] } : {}),
  });

  registry.extend(SERVICE, (original) => ({
    ...original,
    async getByAccessKey(hash, options) {
      if (options?.includeDecryptedKey || !inScope()) return original.getByAccessKey(hash, options);
      const started = Date.now();
      const hit = cache.get(hash);
      if (hit && hit.until > started) return copy(hit.token);
      const token = await original.getByAccessKey(hash, options);
      const until = started + tokenCache.ttlMs;
      const lastUsed = token?.lastUsedAt == null ? NaN : new Date(token.lastUsedAt).getTime();
      if (token && lastUsed + LAST_USED_HOUR > until) {
        if (cache.size >= SWEEP_AT) sweep(started);
        cache.set(hash, { token: copy(token), until });
      } else {
        cache.delete(hash);
      }
      return token;
    },
  }));
};
