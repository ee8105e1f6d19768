import { yup, validateYupSchema } from '@strapi/utils';
import { JURISDICTIONS } from '../../../shared/contracts/domain';
import { absoluteUrl, locale, NO_UNKNOWN_ROOT, origin, slug, uniqueItems } from './common';

/**
 * No field can pre-tick a box: there is none, and unknown fields such as `defaultChecked` are refused (A2).
 */
const fields = {
  key: slug(),
  name: yup.string().trim().max(255),
  purposes: yup
    .array()
    .of(slug().required())
    .min(1, '${path} must offer at least one purpose')
    .max(50)
    .test(uniqueItems('purpose')),
  doubleOptIn: yup.boolean(),
  audience: yup.mixed().oneOf(['consumer', 'professional', null]).nullable(),
  jurisdiction: yup
    .mixed()
    .oneOf([...JURISDICTIONS, null])
    .nullable(),
  allowedOrigins: yup.array().of(origin().required()).max(50).test(uniqueItems('origin')),
  successUrl: absoluteUrl().nullable(),
  privacyPolicyUrl: absoluteUrl().nullable(),
  offeredToChildren: yup.boolean(),
  childrenCountry: yup
    .string()
    .matches(/^[A-Z]{2}$/, '${path} must be an ISO 3166-1 alpha-2 country code in upper case (e.g. DE, FR)')
    .nullable(),
  active: yup.boolean(),
};

const createSchema = yup
  .object({ ...fields, key: fields.key.required(), name: fields.name.required(), purposes: fields.purposes.required() })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const updateSchema = yup.object(fields).noUnknown(true, NO_UNKNOWN_ROOT);

const previewSchema = yup.object({ form: updateSchema.required(), locale: locale() }).noUnknown(true, NO_UNKNOWN_ROOT);

export const validateFormPreview = validateYupSchema(previewSchema) as (
  body: unknown
) => Promise<{ form: Partial<import('../../../shared/contracts/forms').FormInput>; locale?: string }>;
export const validateCreateForm = validateYupSchema(createSchema);
export const validateUpdateForm = validateYupSchema(updateSchema);
export const validatePublicFormQuery = validateYupSchema(
  yup.object({ locale: locale() }).noUnknown(true, NO_UNKNOWN_ROOT)
);
export const validateKeyParam = validateYupSchema(yup.object({ key: slug().required() }));
