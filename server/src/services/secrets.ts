import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../constants';
import { ringSecrets, type KeyRing } from '../domain/key-ring';

const STORE_KEY = 'generated-secret';

/**
 * The key material for signed tokens and keyed hashes of identifiers. In production it comes from
 * configuration (the validator refuses to start without it). In development a random secret is generated
 * once and kept in Strapi's core store, so keyed hashes stay stable across restarts and every instance
 * on the same database agrees on it. `previousSecrets` (newest first) complete the ring: they recognise
 * what was made before a rotation and make nothing new.
 */
const secrets = ({ strapi }: { strapi: Core.Strapi }) => {
  let current: { value: string; source: 'config' | 'generated' } | undefined;
  let previous: string[] = [];
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });

  return {
    async load() {
      const configuredPrevious = strapi.config.get<string[] | undefined>(`plugin::${PLUGIN_ID}.previousSecrets`) ?? [];
      const configured = strapi.config.get<string | undefined>(`plugin::${PLUGIN_ID}.secret`);
      if (configured) {
        current = { value: configured, source: 'config' };
        previous = [...configuredPrevious];
        return;
      }
      let value = (await store().get({ key: STORE_KEY })) as string | null;
      if (!value) {
        await store().set({ key: STORE_KEY, value: randomBytes(48).toString('base64url') });
        // Read back: if two instances raced, both continue with whichever value was stored last.
        value = (await store().get({ key: STORE_KEY })) as string;
      }
      current = { value, source: 'generated' };
      previous = configuredPrevious.filter((secret) => secret !== value);
      strapi.log.warn(
        '[consent] no `secret` configured: using a generated development secret kept in the database. ' +
          'Set CONSENT_SECRET (32+ characters) before going to production.'
      );
    },

    get(): string {
      if (!current) throw new Error('[consent] the secret is read before the plugin bootstrap loaded it');
      return current.value;
    },

    /** The current secret and the previous ones, newest first. */
    ring(): KeyRing {
      return { current: this.get(), previous: [...previous] };
    },

    /** Every secret, the current one first: the order lookups and checks try them in. */
    all(): string[] {
      return ringSecrets(this.ring());
    },

    source() {
      return current?.source;
    },
  };
};

export default secrets;
export type SecretsService = ReturnType<typeof secrets>;
