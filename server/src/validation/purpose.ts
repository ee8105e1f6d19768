import { yup, validateYupSchema } from '@strapi/utils';
import { AUDIENCES, CHANNELS, LEGAL_BASES, SECTORS } from '../../../shared/contracts/domain';
import { LOCALE, locale, NO_UNKNOWN_ROOT, slug, uniqueItems } from './common';

const translations = yup
  .object()
  .test('translations', 'translations must map locales to { name, description? }', function test(value) {
    if (value == null) return true;
    for (const [code, t] of Object.entries(value as Record<string, unknown>)) {
      const path = `translations.${code}`;
      if (!LOCALE.test(code)) return this.createError({ path, message: `${path}: "${code}" is not a language code` });
      const entry = t as Record<string, unknown> | null;
      if (!entry || typeof entry !== 'object' || Array.isArray(entry))
        return this.createError({ path, message: `${path} must be { name, description? }` });
      const unknown = Object.keys(entry).filter((k) => k !== 'name' && k !== 'description');
      if (unknown.length)
        return this.createError({ path, message: `${path} has unknown field(s): ${unknown.join(', ')}` });
      if (typeof entry.name !== 'string' || !entry.name.trim())
        return this.createError({ path: `${path}.name`, message: `${path}.name is a required field` });
      if (entry.description != null && typeof entry.description !== 'string')
        return this.createError({ path: `${path}.description`, message: `${path}.description must be a string` });
    }
    return true;
  });

const fields = {
  key: slug(),
  name: yup.string().trim().max(255),
  description: yup.string().max(5000).nullable(),
  translations: translations.nullable(),
  legalBasis: yup.mixed().oneOf([...LEGAL_BASES]),
  channels: yup
    .array()
    .of(yup.mixed().oneOf([...CHANNELS]))
    .min(1, '${path} must list at least one channel')
    .test(uniqueItems('channel')),
  audience: yup.mixed().oneOf([...AUDIENCES]),
  doubleOptIn: yup.boolean(),
  softOptIn: yup.boolean(),
  honorGpc: yup.boolean(),
  directMarketing: yup.boolean(),
  balancingTest: yup.string().trim().max(500).nullable(),
  sector: yup
    .mixed()
    .oneOf([...SECTORS, null])
    .nullable(),
  minimumAge: yup.number().integer().min(13).max(21).nullable(),
  lifetimeDays: yup.number().integer().min(1).max(36500).nullable(),
  defaultLocale: locale(),
  active: yup.boolean(),
};

const createSchema = yup
  .object({
    ...fields,
    key: fields.key.required(),
    name: fields.name.required(),
    legalBasis: fields.legalBasis.required(),
    channels: fields.channels.required(),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const updateSchema = yup.object(fields).noUnknown(true, NO_UNKNOWN_ROOT);

export const validateCreatePurpose = validateYupSchema(createSchema);
export const validateUpdatePurpose = validateYupSchema(updateSchema);
