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
    active: { type: 'boolean', default: true, required: true },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [{ name: 'consent_forms_key_uq', columns: ['key'], type: 'unique' }],
} as const;
