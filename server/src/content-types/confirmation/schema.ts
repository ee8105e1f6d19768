import { defineContentType } from '../define';
import { linkRequestAttributes } from '../link-request';

/**
 * Double opt-in requests (B1–B4): one per confirmation mail. The token itself is never stored, only its
 * hash; the row keeps the times the ledger's `confirmed` event will carry (request, mail sent,
 * confirmation) and which purposes and notices the person asked for.
 */
export default defineContentType({
  collectionName: 'consent_confirmations',
  singularName: 'confirmation',
  pluralName: 'confirmations',
  displayName: 'Double opt-in request',
  description: 'Pending and answered confirmation mails (token hashes only).',
  attributes: { ...linkRequestAttributes.request, ...linkRequestAttributes.times },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_confirmations_token_uq', columns: ['token_hash'], type: 'unique' },
    { name: 'consent_confirmations_subject_idx', columns: ['subject'] },
    { name: 'consent_confirmations_requested_idx', columns: ['requested_at'] },
  ],
});
