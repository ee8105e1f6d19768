import { CHANNELS, LEGAL_BASES, STATES } from '../../../../shared/contracts/domain';
import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_states',
  singularName: 'consent-state',
  pluralName: 'consent-states',
  displayName: 'Consent state',
  description: 'Current state per subject, purpose and channel, derived from the ledger.',
  attributes: {
    subject: { type: 'string', required: true, maxLength: 64 },
    purpose: { type: 'string', required: true, maxLength: 64 },
    channel: { type: 'enumeration', enum: [...CHANNELS], required: true },
    state: { type: 'enumeration', enum: [...STATES], required: true },
    legalBasis: { type: 'enumeration', enum: [...LEGAL_BASES], required: true },
    noticeId: { type: 'integer' },
    noticeVersion: { type: 'integer' },
    lastEventSeq: { type: 'biginteger', required: true },
    changedAt: { type: 'datetime', required: true },
    grantedAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    // No longer written (0.3.0): re-consent is derived from the notices when read (domain/reconsent.ts), so
    // the states stay a replay of the ledger. Kept so that no schema sync drops a column holding data.
    reconsentRequired: { type: 'boolean' },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_states_key_uq', columns: ['subject', 'purpose', 'channel'], type: 'unique' },
    // Audiences page through one purpose, channel and state by id. The id is not listed: Strapi's schema
    // inspector leaves `id` out of the indexes it reads, so an index naming it would be rebuilt at every
    // start. InnoDB and SQLite carry the key in every index anyway.
    { name: 'consent_states_purpose_idx', columns: ['purpose', 'channel', 'state'] },
  ],
});
