import { validateYupSchema, yup } from '@strapi/utils';
import { DELIVERY_STATUSES, type WebhookDeliveries } from '../../../shared/contracts/webhooks';
import { NO_UNKNOWN_ROOT } from './common';

/** Query and path of the admin's delivery routes; Koa hands numbers over as text. */
const POSITIVE = /^[1-9]\d{0,8}$/;
export const DELIVERIES_LIMIT_MAX = 200;

const validateListQuery = validateYupSchema(
  yup
    .object({
      status: yup.string().oneOf([...DELIVERY_STATUSES, 'failing']),
      limit: yup
        .string()
        .matches(POSITIVE, '${path} must be a positive whole number')
        .test(
          'max',
          `\${path} must be at most ${DELIVERIES_LIMIT_MAX}`,
          (v) => v == null || Number(v) <= DELIVERIES_LIMIT_MAX
        ),
    })
    .noUnknown(true, NO_UNKNOWN_ROOT)
);

export const validateListDeliveries = async (query: unknown): Promise<WebhookDeliveries.ListQuery> => {
  const { status, limit } = (await validateListQuery(query)) as {
    status?: WebhookDeliveries.ListQuery['status'];
    limit?: string;
  };
  return { status: status ?? 'failing', limit: limit == null ? undefined : Number(limit) };
};

const validateIdParams = validateYupSchema(
  yup.object({
    id: yup.string().required().matches(POSITIVE, '${path} must be a delivery id (a positive whole number)'),
  })
);

export const validateDeliveryId = async (params: unknown): Promise<number> =>
  Number(((await validateIdParams(params)) as { id: string }).id);
