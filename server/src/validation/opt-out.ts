import { errors, validateYupSchema, yup } from '@strapi/utils';
import { CHANNELS } from '../../../shared/contracts/domain';
import { identifiedSubject, locale, NO_UNKNOWN_ROOT, objectBody, slug, oneOf } from './common';

const withdrawalSchema = yup
  .object({
    subject: identifiedSubject(),
    purposes: yup
      .mixed()
      .test('purposes', '${path} must be "all" or a list of 1 to 50 purpose keys', (v) => {
        if (v === 'all') return true;
        return (
          Array.isArray(v) &&
          v.length >= 1 &&
          v.length <= 50 &&
          v.every((k) => typeof k === 'string' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(k))
        );
      })
      .required(),
    channel: oneOf(CHANNELS),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validateWithdrawalSchema = validateYupSchema(withdrawalSchema);
export const validateWithdrawal = async (body: unknown) =>
  (await validateWithdrawalSchema(objectBody(body))) as {
    subject: { email?: string; phone?: string; externalId?: string };
    purposes: string[] | 'all';
    channel?: (typeof CHANNELS)[number];
  };

const preferencesSchema = yup
  .object({
    locale: locale().strict(),
    choices: yup
      .object()
      .test('choices', '${path} must map purpose keys to true or false', (v) =>
        Object.entries(v ?? {}).every(([k, x]) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(k) && typeof x === 'boolean')
      )
      .required(),
    notices: yup
      .object()
      .test('notices', '${path} must map purpose keys to { version, hash }', (v) =>
        Object.values(v ?? {}).every(
          (n) =>
            !!n &&
            typeof n === 'object' &&
            Number.isInteger((n as { version: unknown }).version) &&
            typeof (n as { hash: unknown }).hash === 'string' &&
            /^[0-9a-f]{64}$/.test((n as { hash: string }).hash) &&
            Object.keys(n).length === 2
        )
      ),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validatePreferencesSchema = validateYupSchema(preferencesSchema);
export const validatePreferences = async (body: unknown) =>
  (await validatePreferencesSchema(objectBody(body))) as {
    locale?: string;
    choices: Record<string, boolean>;
    notices?: Record<string, { version: number; hash: string }>;
  };

/** RFC 8058: the one-click POST carries exactly `List-Unsubscribe=One-Click` (urlencoded or multipart). */
export const validateOneClick = (body: unknown) => {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)['List-Unsubscribe'] : undefined;
  if (value !== 'One-Click') {
    throw new errors.ValidationError('The body must be List-Unsubscribe=One-Click', {
      errors: [{ path: ['List-Unsubscribe'], message: 'must be One-Click' }],
    });
  }
};

export const validateHeadersQuery = validateYupSchema(
  yup
    .object({
      purpose: slug().required(),
      channel: yup.string().oneOf([...CHANNELS]),
      email: yup.string().max(254),
      phone: yup.string().max(32),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT)
    .test('one', 'the query needs an email or a phone', (v) => !!v && (!!v.email || !!v.phone))
) as (
  query: unknown
) => Promise<{ purpose: string; channel?: (typeof CHANNELS)[number]; email?: string; phone?: string }>;
