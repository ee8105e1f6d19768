import { validateYupSchema, yup } from '@strapi/utils';
import type { UpsertRelationship } from '../../../shared/contracts/relationships';
import { identifiedSubject, instant, NO_UNKNOWN_ROOT, objectBody, reference } from './common';

const schema = yup
  .object({
    subject: identifiedSubject({ profile: true }),
    reference: reference().required(),
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
