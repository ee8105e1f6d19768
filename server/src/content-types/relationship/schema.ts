import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_relationships',
  singularName: 'relationship',
  pluralName: 'relationships',
  displayName: 'Consent relationship',
  description: 'Evidence of a contract with a person: what a contract-basis purpose rests on.',
  attributes: {
    subject: { type: 'string', required: true, maxLength: 64 },
    reference: { type: 'string', required: true, maxLength: 128 },
    startedAt: { type: 'datetime', required: true },
    endedAt: { type: 'datetime' },
    source: { type: 'string', required: true, maxLength: 64 },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [{ name: 'consent_relationships_subject_ref_uq', columns: ['subject', 'reference'], type: 'unique' }],
});
