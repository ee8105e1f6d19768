import { errors, yup } from '@strapi/utils';
import { JURISDICTIONS } from '../../../shared/contracts/domain';
import { fieldErrors } from '../errors';
import { rejectDeepBody } from '../utils/body-depth';

/** An ISO 8601 instant with a time zone: "2024-03-01T10:00" means a different instant in Paris and in Berlin. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
// Clocks of the caller and of this server differ a little: a minute ahead is still "now".
const CLOCK_SKEW_MS = 60_000;

/** An ISO 8601 instant with a time zone; with `past`, not in the future (what was recorded has happened). */
export const instant = ({ past = false }: { past?: boolean } = {}) => {
  const schema = yup
    .string()
    .strict()
    .test(
      'instant',
      '${path} must be an ISO 8601 date and time with a time zone',
      (v) => v == null || (ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v)))
    );
  return past
    ? schema.test(
        'past',
        '${path} must not be in the future',
        (v) => v == null || !(Date.parse(v) > Date.now() + CLOCK_SKEW_MS)
      )
    : schema;
};

// Control and format characters (zero-width, bidi) have no place in text that ends up in the ledger.
export const PRINTABLE = /^[^\p{Cc}\p{Cf}]+$/u;

/** A caller's own reference (an order number, a verification id): printable, 1 to 128 characters. */
export const reference = () =>
  yup.string().strict().trim().min(1).max(128).matches(PRINTABLE, '${path} must be printable text');

/** One of a fixed list of codes (a channel, a jurisdiction, an action), as a string: no coercion. */
export const oneOf = <T extends string>(values: readonly T[]) =>
  yup
    .string()
    .strict()
    .oneOf([...values]);

/** Stable machine keys (purposes, forms): lowercase words joined by hyphens, as used in URLs and form fields. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slug = () =>
  yup
    .string()
    .max(64)
    .matches(SLUG, '${path} must be lowercase letters, digits and single hyphens (e.g. "partner-offers")');

/** A person's pseudonym (`piiPrincipalId` of a receipt): a UUID. */
export const PSEUDONYM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const pseudonym = () => yup.string().strict().matches(PSEUDONYM, '${path} must be a subject id (a UUID)');

/** A BCP 47 language tag of the common forms: `de`, `fr`, `de-AT`. */
export const LOCALE = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;
export const locale = () =>
  yup.string().matches(LOCALE, '${path} must be a language code such as "en", "de" or "de-AT"');

const isUrl = (value: string, protocols: string[]) => {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

export const absoluteUrl = () =>
  yup
    .string()
    .max(2000)
    .test('absolute-url', '${path} must be an absolute http(s) URL', (v) => v == null || isUrl(v, ['http:', 'https:']));

/** An origin as browsers send it in the Origin header: scheme, host and optional port, nothing else. */
export const origin = () =>
  yup.string().test('origin', '${path} must be an origin such as "https://www.example.com" (no path)', (v) => {
    if (v == null) return true;
    try {
      const url = new URL(v);
      return ['http:', 'https:'].includes(url.protocol) && url.origin === v;
    } catch {
      return false;
    }
  });

export const uniqueItems = (label: string) => ({
  name: 'unique',
  message: `\${path} must not list the same ${label} twice`,
  test: (v: unknown[] | undefined) => !v || new Set(v).size === v.length,
});

export const noUnknownMessage = '${path} has unknown field(s): ${unknown}';
export const NO_UNKNOWN_ROOT = 'unknown field(s): ${unknown}';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `__proto__`, `constructor` and `prototype` keys anywhere in a body are refused before anything reads it. */
export const rejectPrototypeKeys = (value: unknown, path: string[] = []): void => {
  if (!value || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      const at = [...path, key].join('.');
      throw new errors.ValidationError(`${at}: this key is not allowed`, {
        errors: [{ path: [...path, key], message: `${at}: this key is not allowed` }],
      });
    }
    rejectPrototypeKeys((value as Record<string, unknown>)[key], [...path, key]);
  }
};

/**
 * Every JSON body route starts here: an object (not an array, not a scalar), nested at most
 * MAX_BODY_DEPTH levels, without prototype keys.
 */
export const objectBody = <T extends object = Record<string, unknown>>(body: unknown): T => {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new errors.ValidationError(
      'The body must be an object',
      fieldErrors([{ path: 'body', message: 'must be an object' }])
    );
  rejectDeepBody(body);
  rejectPrototypeKeys(body);
  return body as T;
};

/** The identifiers a server-to-server caller names a person by (the same limits as a submission's). */
export const identifierFields = () => ({
  email: yup.string().strict().max(254),
  phone: yup.string().strict().max(32),
  externalId: yup.string().strict().max(128),
});

/**
 * `subject: { email | phone | externalId }`: at least one given. With `profile`, the caller may also state
 * the person's audience and jurisdiction, recorded on them (C2).
 */
export const identifiedSubject = (options: { profile?: boolean } = {}): yup.AnyObjectSchema =>
  yup
    .object({
      ...identifierFields(),
      ...(options.profile
        ? {
            audience: yup.string().strict().oneOf(['consumer', 'professional']),
            jurisdiction: oneOf(JURISDICTIONS),
          }
        : {}),
    })
    .noUnknown(true, noUnknownMessage)
    .test(
      'one',
      '${path} needs an email, a phone or an externalId',
      (v) => !!v && !!(v.email || v.phone || v.externalId)
    )
    .required();
