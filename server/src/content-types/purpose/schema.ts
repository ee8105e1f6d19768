import { AUDIENCES, LEGAL_BASES, SECTORS } from '../../../../shared/contracts/domain';
import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_purposes',
  singularName: 'purpose',
  pluralName: 'purposes',
  displayName: 'Consent purpose',
  description: 'A reason for processing or contacting a person.',
  attributes: {
    key: { type: 'string', required: true, unique: true, maxLength: 64 },
    name: { type: 'string', required: true },
    description: { type: 'text' },
    translations: { type: 'json' },
    legalBasis: { type: 'enumeration', enum: [...LEGAL_BASES], required: true },
    channels: { type: 'json', required: true },
    audience: { type: 'enumeration', enum: [...AUDIENCES], default: 'any', required: true },
    doubleOptIn: { type: 'boolean', default: false, required: true },
    softOptIn: { type: 'boolean', default: false, required: true },
    honorGpc: { type: 'boolean', default: false, required: true },
    // Null for purposes stored before the flag existed: read through domain/direct-marketing (contract: no).
    directMarketing: { type: 'boolean' },
    balancingTest: { type: 'string', maxLength: 500 },
    sector: { type: 'enumeration', enum: [...SECTORS] },
    minimumAge: { type: 'integer', min: 0 },
    lifetimeDays: { type: 'integer', min: 1 },
    defaultLanguage: { type: 'string', default: 'en', required: true, maxLength: 16 },
    active: { type: 'boolean', default: true, required: true },
    archivedAt: { type: 'datetime' },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [{ name: 'consent_purposes_key_uq', columns: ['key'], type: 'unique' }],
});
