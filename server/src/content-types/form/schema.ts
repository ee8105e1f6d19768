import { JURISDICTIONS } from '../../../../shared/contracts/domain';
import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_forms',
  singularName: 'form',
  pluralName: 'forms',
  displayName: 'Consent form',
  description: 'A collection point: the purposes a web form offers.',
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
    // Offered directly to children (G1): the form asks for age before the choices.
    offeredToChildren: { type: 'boolean', default: false },
    // Whose age of digital consent applies (ISO 3166-1 alpha-2); null: the country of the form's (else
    // the site's) jurisdiction, else the GDPR default of 16 (docs/editors.md).
    childrenCountry: { type: 'string', maxLength: 2 },
    active: { type: 'boolean', default: true, required: true },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [{ name: 'consent_forms_key_uq', columns: ['key'], type: 'unique' }],
});
