import { JURISDICTIONS } from '../../../../shared/contracts/domain';
import { hiddenFromEditors } from '../visibility';

export default {
  kind: 'collectionType',
  collectionName: 'consent_forms',
  info: {
    singularName: 'form',
    pluralName: 'forms',
    displayName: 'Consent form',
    description: 'A collection point: the purposes a web form offers.',
  },
  options: { draftAndPublish: false },
  pluginOptions: hiddenFromEditors,
  attributes: {
    key: { type: 'string', required: true, unique: true, maxLength: 64 },
    name: { type: 'string', required: true },
    purposes: { type: 'json', required: true },
    allowedOrigins: { type: 'json' },
    successUrl: { type: 'string' },
    privacyPolicyUrl: { type: 'string' },
    doubleOptIn: { type: 'boolean', default: false, required: true },
    // Who the form collects (recorded on the person, C2): null means the submission says, else consumer.
    audience: { type: 'enumeration', enum: ['consumer', 'professional'] },
    // Whose law the form serves (recorded on the person, C2): null means the site's configured jurisdiction.
    jurisdiction: { type: 'enumeration', enum: [...JURISDICTIONS] },
    active: { type: 'boolean', default: true, required: true },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [{ name: 'consent_forms_key_uq', columns: ['key'], type: 'unique' }],
} as const;
