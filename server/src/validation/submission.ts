import { errors, validateYupSchema, yup } from '@strapi/utils';
import { AUDIENCES, CHANNELS, JURISDICTIONS } from '../../../shared/contracts/domain';
import type { CreateSubmission } from '../../../shared/contracts/submissions';
import { identifierFields, locale, NO_UNKNOWN_ROOT, noUnknownMessage, objectBody, slug, oneOf } from './common';

const HASH = /^[0-9a-f]{64}$/;

/**
 * Purpose key → value, where every key is a purpose slug and every value passes `value`. `passes`, when
 * given, accepts the common valid value without yup (a yup validation per purpose was most of a
 * submission's validation time); it must accept nothing `value` refuses, and anything it does not accept
 * goes to `value`, so every refusal is yup's own.
 */
const byPurpose = (value: yup.AnySchema, what: string, passes?: (item: unknown) => boolean) =>
  yup
    .object()
    .test('purpose-keys', '${path} keys must be purpose keys (lowercase slugs)', (v) =>
      Object.keys(v ?? {}).every((k) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(k) && k.length <= 64)
    )
    .test('purpose-count', '${path} has more than 50 purposes', (v) => Object.keys(v ?? {}).length <= 50)
    .test('purpose-values', `\${path} values must be ${what}`, function test(v) {
      for (const [key, item] of Object.entries(v ?? {})) {
        if (passes?.(item)) continue;
        try {
          value.validateSync(item, { strict: true });
        } catch (error) {
          return this.createError({
            path: `${this.path}.${key}`,
            message: `${this.path}.${key} ${(error as yup.ValidationError).errors[0]?.replace(/^this\s*/, '') ?? `must be ${what}`}`,
          });
        }
      }
      return true;
    });

/**
 * One purpose's answer: `true`/`false` for the whole purpose, or, for a purpose offered box by box, an
 * object `{ "<channel>": true | false }` (A4). Channel keys are strict: anything else is named in the 400.
 */
const choiceAnswer = (key: string, value: unknown): { path: string; message: string } | null => {
  if (typeof value === 'boolean') return null;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { path: key, message: 'must be true or false, or { "<channel>": true | false }' };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { path: key, message: 'must answer at least one channel' };
  for (const [channel, ticked] of entries) {
    if (!(CHANNELS as readonly string[]).includes(channel)) {
      return { path: `${key}.${channel}`, message: `is not a channel (${CHANNELS.join(', ')})` };
    }
    if (typeof ticked !== 'boolean') return { path: `${key}.${channel}`, message: 'must be true or false' };
  }
  return null;
};

// yup.mixed() without tests accepts every value: the answers themselves are checked by 'choice-values'.
const choicesSchema = byPurpose(yup.mixed(), 'true or false', () => true).test('choice-values', '', function test(v) {
  for (const [key, value] of Object.entries((v ?? {}) as Record<string, unknown>)) {
    const problem = choiceAnswer(key, value);
    if (problem) {
      const path = `${this.path}.${problem.path}`;
      return this.createError({ path, message: `${path} ${problem.message}` });
    }
  }
  return true;
});

const noticeShown = yup
  .object({
    version: yup.number().strict().integer().min(1).required(),
    hash: yup.string().strict().matches(HASH, 'hash must be the 64 hex characters of the notice hash').required(),
  })
  .noUnknown(true, 'has unknown field(s): ${unknown}')
  .required();

/** `{ version, hash }` exactly as `noticeShown` accepts it, checked directly (a narrower test than yup's). */
const isNoticeShown = (item: unknown): boolean => {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return false;
  const keys = Object.keys(item);
  if (keys.length !== 2 || !keys.includes('version') || !keys.includes('hash')) return false;
  const { version, hash } = item as { version: unknown; hash: unknown };
  return Number.isInteger(version) && (version as number) >= 1 && typeof hash === 'string' && HASH.test(hash);
};

/**
 * Strict: in JSON only `true` ticks a box; "yes", "on", 1 and every other non-boolean are refused rather
 * than guessed at (A1). Urlencoded forms are translated to this shape first (`fromUrlencoded`).
 */
const schema = yup
  .object({
    form: slug().strict().required(),
    locale: locale().strict(),
    subject: yup
      .object({
        ...identifierFields(),
        audience: yup
          .string()
          .strict()
          .oneOf(AUDIENCES.filter((a) => a !== 'any')),
        jurisdiction: oneOf(JURISDICTIONS),
      })
      .noUnknown(true, noUnknownMessage)
      .required(),
    choices: choicesSchema,
    notices: byPurpose(noticeShown, '{ version, hash }', isNoticeShown),
    context: yup.object({ url: yup.string().strict().max(2000) }).noUnknown(true, noUnknownMessage),
    // G1: a number, never guessed from text ("12 years" is refused, naming the field).
    age: yup
      .mixed()
      .test(
        'age',
        '${path} must be a number: the age in whole years (0 to 120)',
        (v) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 120)
      ),
    birthYear: yup
      .mixed()
      .test(
        'birth-year',
        '${path} must be a number: a year from 1900 to this year',
        (v) =>
          v === undefined ||
          (typeof v === 'number' && Number.isInteger(v) && v >= 1900 && v <= new Date().getUTCFullYear())
      ),
    parentEmail: yup.string().strict().max(254),
    fields: yup
      .object()
      .test('fields-size', '${path} may hold at most 100 fields', (v) => Object.keys(v ?? {}).length <= 100),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const TICKED = new Set(['on', 'true']);
const UNTICKED = new Set(['off', 'false', '0', '']);

/**
 * An HTML form without JavaScript sends strings: a ticked box sends `on` (or the `value` it was given,
 * `true` here), an unticked one sends nothing. Version numbers arrive as text. Anything else stays as it
 * is, so the strict schema names it.
 */
export const fromUrlencoded = (body: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...body };
  if (body.choices && typeof body.choices === 'object' && !Array.isArray(body.choices)) {
    const box = (v: unknown) =>
      typeof v === 'string' && TICKED.has(v) ? true : typeof v === 'string' && UNTICKED.has(v) ? false : v;
    // `choices[purpose][channel]=on`: one box per channel (A4).
    out.choices = Object.fromEntries(
      Object.entries(body.choices as Record<string, unknown>).map(([k, v]) => [
        k,
        v && typeof v === 'object' && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([c, t]) => [c, box(t)]))
          : box(v),
      ])
    );
  }
  if (body.notices && typeof body.notices === 'object' && !Array.isArray(body.notices)) {
    out.notices = Object.fromEntries(
      Object.entries(body.notices as Record<string, unknown>).map(([k, v]) => {
        if (!v || typeof v !== 'object') return [k, v];
        const { version, ...rest } = v as Record<string, unknown>;
        return [
          k,
          { ...rest, version: typeof version === 'string' && /^\d{1,9}$/.test(version) ? Number(version) : version },
        ];
      })
    );
  }
  // A number field sends text: digits become the number; anything else stays text, so the schema names it.
  for (const key of ['age', 'birthYear'] as const) {
    const v = body[key];
    if (v === '') delete out[key];
    else if (typeof v === 'string' && /^\s*\d{1,4}\s*$/.test(v)) out[key] = Number(v);
  }
  if (body.parentEmail === '') delete out.parentEmail;
  // Empty text inputs (an optional phone left blank) mean "not given".
  if (body.subject && typeof body.subject === 'object' && !Array.isArray(body.subject)) {
    out.subject = Object.fromEntries(
      Object.entries(body.subject as Record<string, unknown>).filter(([, v]) => v !== '')
    );
  }
  return out;
};

const validate = validateYupSchema(schema, { strict: true });

/**
 * A contract is evidence only the site's server can give (C4–C7): a visitor who could send one would make
 * every contract purpose eligible for themselves or anyone else. Named in the 400 rather than left to the
 * generic "unknown field".
 */
export const refuseRelationship = (body: Record<string, unknown>, path: string[] = []): void => {
  if (!('relationship' in body)) return;
  const at = [...path, 'relationship'];
  const message = `${at.join('.')}: a contract cannot be sent by a visitor; the site's server records it (the form hook's relationship option or POST /api/consent/relationships)`;
  throw new errors.ValidationError(message, { errors: [{ path: at, message }] });
};

export const validateSubmission = async (body: unknown): Promise<CreateSubmission.Request['body']> => {
  const object = objectBody(body) as Record<string, unknown>;
  refuseRelationship(object);
  return (await validate(object)) as CreateSubmission.Request['body'];
};
