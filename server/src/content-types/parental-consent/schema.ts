import { defineContentType } from '../define';
import { linkRequestAttributes } from '../link-request';

/**
 * Requests to a holder of parental responsibility (G2, G4): one per mail sent because a child below the
 * age of digital consent ticked a consent box. Like double opt-in requests, the token is stored only as a
 * hash. The parent's address is kept only while the request is open (to send and resend the mail) and
 * cleared once it is answered or expired; the ledger keeps its keyed hash as proof of where the mail went.
 */
export default defineContentType({
  collectionName: 'consent_parental_consents',
  singularName: 'parental-consent',
  pluralName: 'parental-consents',
  displayName: 'Parental consent request',
  description: 'Confirmation mails to a parent for a child below the age of digital consent (token hashes only).',
  attributes: {
    ...linkRequestAttributes.request,
    parentEmail: { type: 'string', private: true },
    parentEmailHash: { type: 'string', required: true, maxLength: 64 },
    // The threshold applied and whose law it is (G1), for the proof the confirming event carries.
    threshold: { type: 'integer', required: true },
    country: { type: 'string', maxLength: 2 },
    ...linkRequestAttributes.times,
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_parental_consents_token_uq', columns: ['token_hash'], type: 'unique' },
    { name: 'consent_parental_consents_subject_idx', columns: ['subject'] },
  ],
});
