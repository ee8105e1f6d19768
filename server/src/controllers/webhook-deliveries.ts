import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { validateDeliveryId, validateListDeliveries } from '../validation/webhook-deliveries';

/** The outbox's deliveries in the admin's webhooks panel: failures, and retrying one (D7). */
const webhookDeliveries = () => ({
  async find(ctx: Context) {
    ctx.body = { data: await getService('webhook-outbox').list(await validateListDeliveries(ctx.query)) };
  },

  async retry(ctx: Context) {
    await getService('webhook-outbox').retry(await validateDeliveryId(ctx.params));
    ctx.body = { data: { status: 'pending' } };
  },
});

export default webhookDeliveries;
