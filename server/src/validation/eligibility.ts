import { errors, validateYupSchema, yup } from '@strapi/utils';
import { CHANNELS } from '../../../shared/contracts/domain';
import { BULK_ELIGIBILITY_MAX, type SubjectRef } from '../../../shared/contracts/eligibility';
import { NO_UNKNOWN_ROOT, slug } from './common';
import { rejectPrototypeKeys } from './submission';

const PSEUDONYM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const identifier = {
  email: yup.string().strict().max(254),
  phone: yup.string().strict().max(32),
  subject: yup.string().strict().matches(PSEUDONYM, '${path} must be a subject id (a UUID)'),
};

const exactlyOne = (path: string) => ({
  name: 'one-identifier',
  message: `${path} needs exactly one of email, phone or subject`,
  test: (v: Record<string, unknown> | undefined) =>
    !!v && ['email', 'phone', 'subject'].filter((k) => v[k] !== undefined).length === 1,
});

const querySchema = yup
  .object({ purpose: slug().required(), channel: yup.string().oneOf([...CHANNELS]), ...identifier })
  .noUnknown(true, NO_UNKNOWN_ROOT)
  .test(exactlyOne('the query'));

const bulkSchema = yup
  .object({
    purpose: slug().strict().required(),
    channel: yup.string().strict().oneOf([...CHANNELS]),
    subjects: yup
      .array()
      .of(yup.object(identifier).noUnknown(true, '${path} has unknown field(s): ${unknown}').test(exactlyOne('each subject')))
      .min(1)
      .max(BULK_ELIGIBILITY_MAX, `\${path} holds at most ${BULK_ELIGIBILITY_MAX} subjects per call`)
      .required(),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validateQuery = validateYupSchema(querySchema);
const validateBulk = validateYupSchema(bulkSchema);

const toRef = (v: Record<string, string | undefined>): SubjectRef =>
  v.email !== undefined ? { email: v.email } : v.phone !== undefined ? { phone: v.phone } : { subject: v.subject! };

export const validateEligibilityQuery = async (query: unknown) => {
  const v = (await validateQuery(query)) as Record<string, string | undefined>;
  return { purpose: v.purpose!, channel: v.channel as never, ref: toRef(v) };
};

export const validateEligibilityBulk = async (body: unknown) => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new errors.ValidationError('The body must be an object');
  rejectPrototypeKeys(body);
  const v = (await validateBulk(body)) as { purpose: string; channel?: string; subjects: Record<string, string>[] };
  return { purpose: v.purpose, channel: v.channel as never, refs: v.subjects.map(toRef) };
};
