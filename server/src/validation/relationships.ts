import { validateYupSchema, yup } from '@strapi/utils';
import type { UpsertRelationship } from '../../../shared/contracts/relationships';
import { identifiedSubject, instant, NO_UNKNOWN_ROOT, noUnknownMessage, objectBody, reference } from './common';

/** At most this many relationships per request (`{ relationships: [...] }`). */
export const MAX_RELATIONSHIPS = 1000;

const relationship = () =>
  yup.object({
    subject: identifiedSubject({ profile: true }),
    reference: reference().required(),
    startedAt: instant().required(),
    endedAt: instant()
      .nullable()
      .test('after-start', '${path} must not be before startedAt', function test(v) {
        return v == null || Date.parse(v) >= Date.parse(this.parent.startedAt ?? '');
      }),
  });

const single = validateYupSchema(relationship().noUnknown(true, NO_UNKNOWN_ROOT), { strict: true });
const many = validateYupSchema(
  yup
    .object({
      relationships: yup
        .array()
        .of(relationship().noUnknown(true, noUnknownMessage))
        .min(1)
        .max(MAX_RELATIONSHIPS)
        .required(),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT),
  { strict: true }
);

/** One relationship, or `{ relationships: [...] }` (an import from the site's customer system): always a list. */
export const validateRelationships = async (body: unknown): Promise<{ items: Relationship[]; batch: boolean }> => {
  const object = objectBody(body) as Record<string, unknown>;
  if ('relationships' in object)
    return { items: ((await many(object)) as { relationships: Relationship[] }).relationships, batch: true };
  return { items: [(await single(object)) as Relationship], batch: false };
};

type Relationship = UpsertRelationship.Request['body'];
