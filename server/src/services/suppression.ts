import type { Core } from '@strapi/strapi';
import type { Channel, IdentifierType, SuppressionChannel, SuppressionReason } from '../../../shared/contracts/domain';
import { TABLE } from '../constants';

export interface SuppressionEntry {
  identifierHash: string;
  identifierType: IdentifierType;
  channel: SuppressionChannel;
  reason: SuppressionReason;
  source: string;
  note?: string | null;
}

const CHUNK = 500;

/**
 * Do-not-contact entries keyed by the HMAC of a normalised identifier (`subjects.hash`), per channel or
 * `all`. They are not personal data in clear and outlive erasure (I2): a person who objected and then had
 * their data erased must still never be contacted again. Inserts are idempotent (unique index on hash,
 * channel, reason and source).
 */
const suppression = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  return {
    /** Adds entries, ignoring those already present; answers how many were new. */
    async add(entries: SuppressionEntry[]): Promise<number> {
      let added = 0;
      const now = new Date();
      for (let i = 0; i < entries.length; i += CHUNK) {
        const rows = entries.slice(i, i + CHUNK).map((e) => ({
          identifier_hash: e.identifierHash,
          identifier_type: e.identifierType,
          channel: e.channel,
          reason: e.reason,
          source: e.source,
          note: e.note ?? null,
          created_at: now,
          updated_at: now,
        }));
        const before = await this.count();
        await knex()(TABLE.suppression).insert(rows).onConflict(['identifier_hash', 'channel', 'reason', 'source']).ignore();
        added += (await this.count()) - before;
      }
      return added;
    },

    async count(): Promise<number> {
      const [{ n }] = (await knex()(TABLE.suppression).count({ n: '*' })) as { n: number | string }[];
      return Number(n);
    },

    /**
     * The entries that block contacting any of these identifier hashes on `channel` (entries for that
     * channel or for `all`).
     */
    async matching(hashes: string[], channel: Channel): Promise<{ identifierHash: string; reason: SuppressionReason; source: string }[]> {
      if (hashes.length === 0) return [];
      const out: { identifierHash: string; reason: SuppressionReason; source: string }[] = [];
      for (let i = 0; i < hashes.length; i += CHUNK) {
        const rows = await knex()(TABLE.suppression)
          .select('identifier_hash', 'reason', 'source')
          .whereIn('identifier_hash', hashes.slice(i, i + CHUNK))
          .whereIn('channel', [channel, 'all']);
        for (const r of rows) out.push({ identifierHash: r.identifier_hash, reason: r.reason, source: r.source });
      }
      return out;
    },
  };
};

export default suppression;
export type SuppressionService = ReturnType<typeof suppression>;
