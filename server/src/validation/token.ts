import { validateYupSchema, yup } from '@strapi/utils';

/** Link tokens are base64url payload and signature; the signature decides, this only bounds the size. */
export const validateTokenParam = validateYupSchema(
  yup.object({
    token: yup
      .string()
      .max(2048)
      .matches(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'token is not a valid link token')
      .required(),
  })
) as (params: unknown) => Promise<{ token: string }>;
