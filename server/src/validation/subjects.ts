import { errors, validateYupSchema, yup } from '@strapi/utils';
import type { SubjectLookup } from '../../../shared/contracts/subjects';
import { NO_UNKNOWN_ROOT } from './common';
import { rejectPrototypeKeys } from './submission';

const PSEUDONYM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const pseudonym = () => yup.string().strict().matches(PSEUDONYM, '${path} must be a subject id (a UUID)');

const KEYS = ['email', 'phone', 'externalId', 'subject'] as const;

// Exactly one: a request about "this address and that number" could name two different people, and
// erasing or exporting the wrong one is not undone by a second call.
const lookupSchema = yup
  .object({
    email: yup.string().strict().max(254),
    phone: yup.string().strict().max(32),
    externalId: yup.string().strict().max(128),
    subject: pseudonym(),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT)
  .test(
    'one-identifier',
    'needs exactly one of email, phone, externalId or subject',
    (v) => !!v && KEYS.filter((k) => v[k] !== undefined && v[k] !== '').length === 1
  );

const validateLookupSchema = validateYupSchema(lookupSchema);

const toLookup = (v: Partial<Record<(typeof KEYS)[number], string>>): SubjectLookup => {
  const key = KEYS.find((k) => v[k] !== undefined && v[k] !== '')!;
  return { [key]: v[key] } as SubjectLookup;
};

/** `GET /api/consent/subjects/export?email=` (or `phone`, `externalId`, `subject`). */
export const validateSubjectQuery = async (query: unknown): Promise<SubjectLookup> =>
  toLookup((await validateLookupSchema(query)) as Record<string, string>);

/** `POST /api/consent/subjects/erase` with `{ email }` (or `phone`, `externalId`, `subject`). */
export const validateSubjectBody = async (body: unknown): Promise<SubjectLookup> => {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new errors.ValidationError('The body must be an object');
  rejectPrototypeKeys(body);
  return toLookup((await validateLookupSchema(body)) as Record<string, string>);
};

/** Admin routes: `/consent/subjects/:pseudonym/…`. */
export const validatePseudonymParam = validateYupSchema(yup.object({ pseudonym: pseudonym().required() })) as (
  params: unknown
) => Promise<{ pseudonym: string }>;
