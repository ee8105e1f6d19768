import { validateYupSchema, yup } from '@strapi/utils';
import { CHANNELS } from '../../../shared/contracts/domain';
import { CONTACT_KINDS, type ContactKind } from '../domain/retention-rules';
import type { Identifiers } from '../services/subjects';
import { identifiedSubject, instant, NO_UNKNOWN_ROOT, noUnknownMessage, objectBody, slug, oneOf } from './common';

export interface ContactInput {
  subject: Identifiers;
  purpose: string;
  channel: (typeof CHANNELS)[number];
  occurredAt: string;
  kind: ContactKind;
}

/** At most this many contacts per request (`{ contacts: [...] }`). */
export const MAX_CONTACTS = 1000;

const contact = () =>
  yup
    .object({
      subject: identifiedSubject(),
      purpose: slug().strict().required(),
      channel: oneOf(CHANNELS).required(),
      occurredAt: instant({ past: true }).required(),
      kind: oneOf(CONTACT_KINDS),
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
