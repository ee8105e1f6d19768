import { defineContentType } from '../define';

/**
 * Imports already recorded under a client reference (`POST /api/consent/events` with `reference`): a
 * retried call with the same source and reference writes nothing again and gets the first answer back
 * (J2, N7). Written in the same transaction as the import's events, under the ledger lock.
 */
export default defineContentType({
  collectionName: 'consent_import_batches',
  singularName: 'import-batch',
  pluralName: 'import-batches',
  displayName: 'Import batch',
  description: 'Client references of recorded imports and their answers (idempotent retries).',
  attributes: {
    source: { type: 'string', required: true, maxLength: 64 },
    reference: { type: 'string', required: true, maxLength: 128 },
    /** SHA-256 of the canonical JSON of the request body: the same reference with another body is a 409. */
    requestHash: { type: 'string', required: true, maxLength: 64 },
    response: { type: 'json', required: true },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [{ name: 'consent_import_batches_ref_uq', columns: ['source', 'reference'], type: 'unique' }],
});
