import { validateYupSchema, yup } from '@strapi/utils';
import {
  PHONE_VERIFICATION_METHODS,
  type CreatePhoneVerification,
} from '../../../shared/contracts/phone-verifications';
import { instant, noUnknownMessage, NO_UNKNOWN_ROOT, objectBody, reference, oneOf } from './common';

const schema = yup
  .object({
    subject: yup
      .object({ phone: yup.string().strict().trim().min(3).max(32).required() })
      .noUnknown(true, noUnknownMessage)
      .required(),
    method: oneOf(PHONE_VERIFICATION_METHODS).required(),
    reference: reference().required(),
    occurredAt: instant({ past: true }),
  })
  .noUnknown(true, NO_UNKNOWN_ROOT);

const validate = validateYupSchema(schema, { strict: true });

export const validatePhoneVerification = async (body: unknown): Promise<CreatePhoneVerification.Request['body']> =>
  (await validate(objectBody(body))) as CreatePhoneVerification.Request['body'];
