import { defineContentType } from '../define';

/**
 * Hit counters of the public routes' rate limits, one row per bucket and time window. They live in the
 * database, not in process memory, so every Strapi instance behind a load balancer counts the same hits.
 */
export default defineContentType({
  collectionName: 'consent_rate_limits',
  singularName: 'rate-limit',
  pluralName: 'rate-limits',
  displayName: 'Rate limit window',
  description: 'Hit counters of the public routes (shared by every instance).',
  attributes: {
    // `<scope>:<keyed hash of the client or identifier>:<window number>`; 191 keeps it indexable on MySQL.
    bucket: { type: 'string', required: true, maxLength: 191 },
    hits: { type: 'integer', required: true },
    expiresAt: { type: 'datetime', required: true },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_rate_limits_bucket_uq', columns: ['bucket'], type: 'unique' },
    { name: 'consent_rate_limits_expiry_idx', columns: ['expires_at'] },
  ],
});
