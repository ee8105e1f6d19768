import { validateYupSchema, yup } from '@strapi/utils';
import { CHANNELS } from '../../../shared/contracts/domain';
import { CONTACT_KINDS, type ContactKind } from '../domain/retention-rules';
import type { Identifiers } from '../services/subjects';
import { identifiedSubject, NO_UNKNOWN_ROOT, noUnknownMessage, objectBody, slug } from './common';

export interface ContactInput {
  subject: Identifiers;
  purpose: string;
  channel: (typeof CHANNELS)[number];
  occurredAt: string;
  kind: ContactKind;
}

/** At most this many contacts per request (`{ contacts: [...] }`). */
export const MAX_CONTACTS = 1000;

// A time zone is required: "2026-12-01T10:00" is a different instant in Paris and Berlin.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
// Clocks of the caller and of this server differ a little: a minute ahead is still "now".
const SKEW_MS = 60_000;

const contact = () =>
  yup
    .object({
      subject: identifiedSubject(),
      purpose: slug().strict().required(),
      channel: yup.string().strict().oneOf([...CHANNELS]).required(),
      occurredAt: yup
        .string()
        .strict()
        .required()
        .test('instant', '${path} must be an ISO 8601 date and time with a time zone', (v) => v == null || (ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v))))
        .test('past', '${path} must not be in the future', (v) => v == null || !Number.isFinite(Date.parse(v)) || Date.parse(v) <= Date.now() + SKEW_MS),
      kind: yup.string().strict().oneOf([...CONTACT_KINDS]),
    })
    .noUnknown(true, noUnknownMessage);

const single = validateYupSchema(contact().noUnknown(true, NO_UNKNOWN_ROOT), { strict: true });
const many = validateYupSchema(
  yup
    .object({ contacts: yup.array().of(contact()).min(1).max(MAX_CONTACTS).required() })
    .noUnknown(true, NO_UNKNOWN_ROOT),
  { strict: true }
);

/** `{ subject, purpose, channel, occurredAt, kind? }` or `{ contacts: [...] }`; `kind` defaults to `sent`. */
export const validateContacts = async (body: unknown): Promise<{ batch: boolean; contacts: ContactInput[] }> => {
  const input = objectBody(body);
  const batch = 'contacts' in input;
  const list = batch
    ? ((await many(input)) as { contacts: ContactInput[] }).contacts
    : [(await single(input)) as ContactInput];
  return { batch, contacts: list.map((c) => ({ ...c, kind: c.kind ?? 'sent' })) };
};
