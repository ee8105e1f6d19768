import { yup, validateYupSchema } from '@strapi/utils';
import { absoluteUrl, locale, NO_UNKNOWN_ROOT, slug } from './common';

const stringList = (label: string) =>
  yup
    .array()
    .of(yup.string().trim().min(1, `\${path} must not be empty`).max(500))
    .max(100, `\${path} lists too many ${label}`);

const fields = {
  title: yup.string().trim().max(255),
  body: yup.string().max(20000),
  dataCategories: stringList('data categories'),
  recipients: stringList('recipients'),
  // A draft may not have its link yet: null (or no field) leaves it to the A7 checklist, which blocks publishing.
  privacyPolicyUrl: absoluteUrl().nullable(),
  withdrawalText: yup.string().max(2000).nullable(),
  material: yup.boolean(),
};

const createSchema = yup
  .object({ purpose: slug().required(), locale: locale().required(), ...fields, title: fields.title.required() })
  .noUnknown(true, NO_UNKNOWN_ROOT);

/** A draft can be edited field by field; purpose and locale are fixed when it is created. */
const updateSchema = yup.object(fields).noUnknown(true, NO_UNKNOWN_ROOT);

const listQuery = yup.object({ purpose: slug(), locale: locale() }).noUnknown(true, NO_UNKNOWN_ROOT);

export const validateCreateNotice = validateYupSchema(createSchema);
export const validateUpdateNotice = validateYupSchema(updateSchema);
export const validateListNotices = validateYupSchema(listQuery);
export const validateNoticeId = validateYupSchema(
  yup.object({ id: yup.string().matches(/^[1-9][0-9]{0,15}$/, 'id must be a positive integer') })
);
