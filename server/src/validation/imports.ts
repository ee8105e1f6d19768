import { errors, validateYupSchema, yup } from '@strapi/utils';
import { CHANNELS } from '../../../shared/contracts/domain';
import {
  IMPORT_ACTIONS,
  IMPORT_MAX_EVENTS,
  IMPORT_METHODS,
  IMPORT_REFERENCE_MAX,
  IMPORT_SOURCE_TYPES,
  type ImportEvents,
} from '../../../shared/contracts/subjects';
import { PHONE_VERIFICATION_METHODS } from '../../../shared/contracts/phone-verifications';
import {
  identifiedSubject,
  instant as anyInstant,
  NO_UNKNOWN_ROOT,
  noUnknownMessage,
  objectBody,
  PRINTABLE,
  reference,
  slug,
  oneOf,
} from './common';

const instant = () => anyInstant({ past: true });

const text = (max: number) => yup.string().strict().max(max).matches(PRINTABLE, '${path} must be printable text');

const softOptInSchema = yup
  .object({
    // (a) the sale: an order reference, or `true`.
    sale: yup
      .mixed()
      .test(
        'sale',
        '${path} must be an order reference (1 to 200 characters) or true',
        (v) => v === undefined || v === true || (typeof v === 'string' && v.trim().length > 0 && v.length <= 200)
      ),
    similarProducts: yup.boolean().strict(),
    objectionOffered: yup.boolean().strict(),
  })
  .noUnknown(true, noUnknownMessage)
  .default(undefined);

const proofSchema = yup
  .object({
    formVersion: text(256),
    screenshot: text(2000),
    timestamp: instant(),
    recipients: yup.array().of(text(200).required()).max(100),
    uiEvidence: text(2000),
    noticeId: yup.number().strict().integer().positive(),
    noticeVersion: yup.number().strict().integer().positive(),
    noticeHash: yup
      .string()
      .strict()
      .matches(/^[0-9a-f]{64}$/, '${path} must be a notice hash (64 hex digits)'),
    softOptIn: softOptInSchema,
  })
  .noUnknown(true, noUnknownMessage)
  .default(undefined);

const eventSchema = yup
  .object({
    subject: identifiedSubject({ profile: true }),
    purpose: slug().strict().required(),
    channel: oneOf(CHANNELS).required(),
    action: oneOf(IMPORT_ACTIONS).required(),
    occurredAt: instant().required(),
    method: oneOf(IMPORT_METHODS).required(),
    proof: proofSchema,
    // The number was verified before the import (B5, N16): the same facts the phone-verifications route takes.
    phoneVerification: yup
      .object({
        method: oneOf(PHONE_VERIFICATION_METHODS).required(),
        reference: reference().required(),
        verifiedAt: instant().required(),
      })
      .noUnknown(true, noUnknownMessage)
      .default(undefined),
  })
  .noUnknown(true, noUnknownMessage);

const importSchema = yup
  .object({
    source: yup
      .object({
        type: oneOf(IMPORT_SOURCE_TYPES).required(),
        name: text(64)
          .test('name', '${path} must not be blank', (v) => v === undefined || v.trim().length > 0)
          .required(),
      })
      .noUnknown(true, noUnknownMessage)
      .required(),
    // The client's own name for this batch (a file name, a job id): a retry with it writes nothing twice.
    reference: text(IMPORT_REFERENCE_MAX).test(
      'reference',
      '${path} must not be blank',
      (v) => v === undefined || v.trim().length > 0
    ),
    events: yup.array().of(eventSchema).min(1).max(IMPORT_MAX_EVENTS).required(),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validateImportSchema = validateYupSchema(importSchema);

/** `POST /api/consent/events`: the shape of every event; what needs the database is checked by the service. */
export const validateImport = async (body: unknown): Promise<ImportEvents.Request['body']> => {
  objectBody(body);
  // Refused before a thousand-odd items are checked one by one.
  const events = (body as { events?: unknown }).events;
  if (Array.isArray(events) && events.length > IMPORT_MAX_EVENTS) {
    const message = `events holds at most ${IMPORT_MAX_EVENTS} events per call`;
    throw new errors.ValidationError(message, { errors: [{ path: ['events'], message }] });
  }
  return (await validateImportSchema(body)) as ImportEvents.Request['body'];
};
