import { validateYupSchema, yup } from '@strapi/utils';
import { PHONE_VERIFICATION_METHODS, type CreatePhoneVerification } from '../../../shared/contracts/phone-verifications';
import { noUnknownMessage, NO_UNKNOWN_ROOT, objectBody } from './common';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const schema = yup
  .object({
    subject: yup
      .object({ phone: yup.string().strict().trim().min(3).max(32).required() })
      .noUnknown(true, noUnknownMessage)
      .required(),
    method: yup.string().strict().oneOf([...PHONE_VERIFICATION_METHODS]).required(),
    reference: yup
      .string()
      .strict()
      .trim()
      .min(1)
      .max(128)
      .matches(/^[^\p{Cc}\p{Cf}]+$/u, '${path} must be printable text')
      .required(),
    occurredAt: yup
      .string()
      .strict()
      .test(
        'instant',
        '${path} must be an ISO 8601 date and time with a time zone, not in the future',
        (v) => v == null || (ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v)) && Date.parse(v) <= Date.now() + 60_000)
      ),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validate = validateYupSchema(schema, { strict: true });

export const validatePhoneVerification = async (body: unknown): Promise<CreatePhoneVerification.Request['body']> =>
  (await validate(objectBody(body))) as CreatePhoneVerification.Request['body'];
