import { NOTICE_STATUSES } from '../../../../shared/contracts/domain';
import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_notices',
  singularName: 'notice',
  pluralName: 'notices',
  displayName: 'Consent notice',
  description: 'One version of the text shown for a purpose in one language.',
  attributes: {
    purpose: { type: 'string', required: true, maxLength: 64 },
    language: { type: 'string', required: true, maxLength: 16 },
    version: { type: 'integer', required: true, min: 1 },
    status: { type: 'enumeration', enum: [...NOTICE_STATUSES], default: 'draft', required: true },
    title: { type: 'string', required: true },
    body: { type: 'text', required: true },
    dataCategories: { type: 'json' },
    recipients: { type: 'json' },
    privacyPolicyUrl: { type: 'string' },
    withdrawalText: { type: 'text' },
    material: { type: 'boolean', default: false, required: true },
    contentHash: { type: 'string', maxLength: 64 },
    effectiveAt: { type: 'datetime' },
    retiredAt: { type: 'datetime' },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_notices_version_uq', columns: ['purpose', 'language', 'version'], type: 'unique' },
    { name: 'consent_notices_status_idx', columns: ['purpose', 'language', 'status'] },
  ],
});
