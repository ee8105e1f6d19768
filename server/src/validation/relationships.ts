import { validateYupSchema, yup } from '@strapi/utils';
import type { UpsertRelationship } from '../../../shared/contracts/relationships';
import { identifiedSubject, ISO_INSTANT, NO_UNKNOWN_ROOT, objectBody } from './common';

const instant = () =>
  yup
    .string()
    .strict()
    .test('instant', '${path} must be an ISO 8601 date and time with a time zone', (v) => v == null || (ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v))));

const schema = yup
  .object({
    subject: identifiedSubject({ profile: true }),
    reference: yup
      .string()
      .strict()
      .trim()
      .min(1)
      .max(128)
      .matches(/^[^\p{Cc}\p{Cf}]+$/u, '${path} must be printable text')
      .required(),
    startedAt: instant().required(),
    endedAt: instant()
      .nullable()
      .test('after-start', '${path} must not be before startedAt', function test(v) {
        return v == null || Date.parse(v) >= Date.parse(this.parent.startedAt ?? '');
      }),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validate = validateYupSchema(schema, { strict: true });

export const validateRelationship = async (body: unknown): Promise<UpsertRelationship.Request['body']> =>
  (await validate(objectBody(body))) as UpsertRelationship.Request['body'];
