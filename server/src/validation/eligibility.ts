import { errors, validateYupSchema, yup } from '@strapi/utils';
import { CHANNELS, JURISDICTIONS, type Jurisdiction } from '../../../shared/contracts/domain';
import { BULK_ELIGIBILITY_MAX, type SubjectRef } from '../../../shared/contracts/eligibility';
import { NO_UNKNOWN_ROOT, objectBody, PSEUDONYM, pseudonym, slug, oneOf } from './common';

const identifier = {
  email: yup.string().strict().max(254),
  phone: yup.string().strict().max(32),
  subject: pseudonym(),
};

const exactlyOne = (path: string) => ({
  name: 'one-identifier',
  message: `${path} needs exactly one of email, phone or subject`,
  test: (v: Record<string, unknown> | undefined) =>
    !!v && ['email', 'phone', 'subject'].filter((k) => v[k] !== undefined).length === 1,
});

// Per-check override of the person's and the site's jurisdiction (contact-rules.ts).
const jurisdiction = () => oneOf(JURISDICTIONS);

const querySchema = yup
  .object({
    purpose: slug().required(),
    channel: yup.string().oneOf([...CHANNELS]),
    jurisdiction: jurisdiction(),
    ...identifier,
  })
  .noUnknown(true, NO_UNKNOWN_ROOT)
  .test(exactlyOne('the query'));

// The GET's question in a body (spec 4.2): the same fields, typed as JSON, so no identifier is in the URL;
// one person's (by identifier) or a list's (bulk, by `subjects`).
const bodyQuestion = {
  purpose: slug().strict().required(),
  channel: oneOf(CHANNELS),
  jurisdiction: jurisdiction(),
};

const oneSchema = yup
  .object({ ...bodyQuestion, ...identifier })
  .noUnknown(true, NO_UNKNOWN_ROOT)
  .test({
    ...exactlyOne('the body'),
    message: 'the body needs exactly one of email, phone or subject, or a list in subjects',
  });

const bulkSchema = yup.object({ ...bodyQuestion, subjects: yup.array().required() }).noUnknown(true, NO_UNKNOWN_ROOT);

const IDENTIFIER_MAX: Record<string, number> = { email: 254, phone: 32, subject: 36 };

/**
 * The 10,000 items of a bulk call are checked by hand: a yup schema per item takes over a second for a
 * full batch, longer than answering it. Same rules as the single check, first problem named by path.
 */
const checkSubjects = (subjects: unknown[]) => {
  const fail = (path: (string | number)[], message: string): never => {
    const at = path.join('.');
    throw new errors.ValidationError(`${at} ${message}`, {
      errors: [{ path: path.map(String), message: `${at} ${message}` }],
    });
  };
  if (subjects.length === 0) fail(['subjects'], 'must hold at least 1 subject');
  if (subjects.length > BULK_ELIGIBILITY_MAX)
    fail(['subjects'], `holds at most ${BULK_ELIGIBILITY_MAX} subjects per call`);
  subjects.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return fail(['subjects', i], 'must be an object');
    const keys = Object.keys(item);
    // Named, as the single check and yup's noUnknown do: "needs exactly one of …" would hide a typo'd key.
    const unknown = keys.filter((k) => !Object.prototype.hasOwnProperty.call(IDENTIFIER_MAX, k));
    if (unknown.length) return fail(['subjects', i], `has unknown field(s): ${unknown.join(', ')}`);
    if (keys.length !== 1) return fail(['subjects', i], 'needs exactly one of email, phone or subject');
    const value = (item as Record<string, unknown>)[keys[0]];
    if (typeof value !== 'string') return fail(['subjects', i, keys[0]], 'must be a string');
    if (value.length > IDENTIFIER_MAX[keys[0]])
      fail(['subjects', i, keys[0]], `must be at most ${IDENTIFIER_MAX[keys[0]]} characters`);
    if (keys[0] === 'subject' && !PSEUDONYM.test(value))
      fail(['subjects', i, 'subject'], 'must be a subject id (a UUID)');
  });
};

const validateQuery = validateYupSchema(querySchema);
const validateBulk = validateYupSchema(bulkSchema);
const validateOne = validateYupSchema(oneSchema);

const toRef = (v: Record<string, string | undefined>): SubjectRef =>
  v.email !== undefined ? { email: v.email } : v.phone !== undefined ? { phone: v.phone } : { subject: v.subject! };

export const validateEligibilityQuery = async (query: unknown) => {
  const v = (await validateQuery(query)) as Record<string, string | undefined>;
  return {
    purpose: v.purpose!,
    channel: v.channel as never,
    ref: toRef(v),
    jurisdiction: v.jurisdiction as Jurisdiction | undefined,
  };
};

export const validateEligibilityBulk = async (body: unknown) => {
  const v = (await validateBulk(objectBody(body))) as {
    purpose: string;
    channel?: string;
    jurisdiction?: Jurisdiction;
    subjects: Record<string, string>[];
  };
  checkSubjects(v.subjects);
  return { purpose: v.purpose, channel: v.channel as never, refs: v.subjects.map(toRef), jurisdiction: v.jurisdiction };
};

/**
 * `POST /eligibility` asks about one person (`email`, `phone` or `subject` beside `purpose`) or a list
 * (`subjects`); which one the body holds decides the answer's shape, and holding both is a 400.
 */
export const validateEligibilityBody = async (body: unknown) => {
  const object = objectBody(body);
  if (!Object.prototype.hasOwnProperty.call(object, 'subjects')) {
    const v = (await validateOne(object)) as Record<string, string | undefined>;
    return {
      one: {
        purpose: v.purpose!,
        channel: v.channel as never,
        ref: toRef(v),
        jurisdiction: v.jurisdiction as Jurisdiction | undefined,
      },
    };
  }
  const mixed = Object.keys(identifier).filter((k) => Object.prototype.hasOwnProperty.call(object, k));
  if (mixed.length) {
    const message = `give either subjects (a list) or one of email, phone or subject, not both: ${mixed.join(', ')}`;
    throw new errors.ValidationError(message, {
      errors: [
        { path: [mixed[0]], message },
        { path: ['subjects'], message },
      ],
    });
  }
  return { many: await validateEligibilityBulk(object) };
};
