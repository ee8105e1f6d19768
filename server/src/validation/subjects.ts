import { validateYupSchema, yup } from '@strapi/utils';
import type { SubjectLookup } from '../../../shared/contracts/subjects';
import { identifierFields, NO_UNKNOWN_ROOT, objectBody, pseudonym } from './common';

const KEYS = ['email', 'phone', 'externalId', 'subject'] as const;

// Exactly one: a request about "this address and that number" could name two different people, and
// erasing or exporting the wrong one is not undone by a second call.
const lookupSchema = yup
  .object({
    ...identifierFields(),
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
  return toLookup((await validateLookupSchema(objectBody(body))) as Record<string, string>);
};

/** Admin routes: `/consent/subjects/:pseudonym/…`. */
export const validatePseudonymParam = validateYupSchema(yup.object({ pseudonym: pseudonym().required() })) as (
  params: unknown
) => Promise<{ pseudonym: string }>;
