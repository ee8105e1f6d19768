import { defineContentType } from '../define';

/**
 * Every receipt issued, as signed. It holds the pseudonym, never an identifier, so erasure leaves it in
 * place; an export (Art. 15) or a person asking for their receipt again (J3) reads it from here.
 */
export default defineContentType({
  collectionName: 'consent_receipts',
  singularName: 'receipt',
  pluralName: 'receipts',
  displayName: 'Consent receipt',
  description: 'Signed consent receipts (ISO/IEC TS 27560, Kantara CR 1.1 fields).',
  attributes: {
    receiptId: { type: 'string', required: true, maxLength: 64 },
    subject: { type: 'string', required: true, maxLength: 64 },
    formKey: { type: 'string', maxLength: 64 },
    issuedAt: { type: 'datetime', required: true },
    body: { type: 'json', required: true },
    jws: { type: 'text', required: true },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_receipts_receipt_id_uq', columns: ['receipt_id'], type: 'unique' },
    { name: 'consent_receipts_subject_idx', columns: ['subject'] },
  ],
});
