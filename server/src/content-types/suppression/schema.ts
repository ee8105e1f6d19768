import { IDENTIFIER_TYPES, SUPPRESSION_CHANNELS, SUPPRESSION_REASONS } from '../../../../shared/contracts/domain';
import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_suppressions',
  singularName: 'suppression',
  pluralName: 'suppressions',
  displayName: 'Suppression',
  description: 'Do-not-contact entries by keyed hash of an identifier.',
  attributes: {
    identifierHash: { type: 'string', required: true, maxLength: 64 },
    identifierType: { type: 'enumeration', enum: [...IDENTIFIER_TYPES], required: true },
    channel: { type: 'enumeration', enum: [...SUPPRESSION_CHANNELS], required: true },
    reason: { type: 'enumeration', enum: [...SUPPRESSION_REASONS], required: true },
    source: { type: 'string', required: true, maxLength: 64 },
    note: { type: 'text' },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    {
      name: 'consent_suppressions_entry_uq',
      columns: ['identifier_hash', 'channel', 'reason', 'source'],
      type: 'unique',
    },
  ],
});
