import { AUDIENCES, JURISDICTIONS } from '../../../../shared/contracts/domain';
import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_subjects',
  singularName: 'subject',
  pluralName: 'subjects',
  displayName: 'Consent subject',
  description: 'A person known to the ledger, by pseudonym.',
  attributes: {
    pseudonym: { type: 'string', required: true, unique: true, maxLength: 64 },
    emailHash: { type: 'string', maxLength: 64 },
    email: { type: 'string', private: true },
    phoneHash: { type: 'string', maxLength: 64 },
    phone: { type: 'string', private: true },
    externalIdHash: { type: 'string', maxLength: 64 },
    externalId: { type: 'string', private: true },
    language: { type: 'string', maxLength: 16 },
    audience: { type: 'enumeration', enum: [...AUDIENCES], default: 'any' },
    jurisdiction: { type: 'enumeration', enum: [...JURISDICTIONS] },
    // G1, minimised: below the age of digital consent when asked, and the day that ends (at the latest).
    // Never the age or a birth date.
    child: { type: 'boolean' },
    childUntil: { type: 'datetime' },
    erasedAt: { type: 'datetime' },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_subjects_pseudonym_uq', columns: ['pseudonym'], type: 'unique' },
    { name: 'consent_subjects_email_idx', columns: ['email_hash'] },
    { name: 'consent_subjects_phone_idx', columns: ['phone_hash'] },
    { name: 'consent_subjects_external_idx', columns: ['external_id_hash'] },
  ],
});
