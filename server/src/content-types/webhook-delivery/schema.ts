import { defineContentType } from '../define';

/**
 * The webhook outbox (D6, D7): one row per committed ledger event and webhook subscribed to its
 * `consent.*` name, written in the ledger's transaction (so an event never exists without its deliveries,
 * nor a delivery without its event) and worked off after commit by services/webhook-outbox. It holds no
 * identifier: the body is built from the ledger and the subject at delivery time, so an erasure needs
 * nothing here.
 */
export default defineContentType({
  collectionName: 'consent_webhook_deliveries',
  singularName: 'webhook-delivery',
  pluralName: 'webhook-deliveries',
  displayName: 'Webhook delivery',
  description: 'Outbox of consent webhook deliveries: pending, delivered or failed, with their attempts.',
  attributes: {
    /** Sent as `X-Consent-Delivery`, the same on every attempt: receivers dedupe on it (at-least-once). */
    deliveryId: { type: 'string', required: true, maxLength: 36 },
    /** Strapi's webhook (`strapi_webhooks.id`); a deleted webhook's rows fail with that reason. */
    webhookId: { type: 'string', required: true, maxLength: 64 },
    /** `consent.granted`, … */
    event: { type: 'string', required: true, maxLength: 64 },
    eventId: { type: 'string', required: true, maxLength: 36 },
    /** `pending` (to deliver at `nextAttemptAt`), `delivered`, `failed` (given up; an admin may retry). */
    status: { type: 'string', required: true, maxLength: 16 },
    attempts: { type: 'integer', required: true, default: 0 },
    nextAttemptAt: { type: 'datetime' },
    /** The worker that holds the row until `claimedUntil`; an instance that died lets it go then. */
    claimToken: { type: 'string', maxLength: 36 },
    claimedUntil: { type: 'datetime' },
    lastStatus: { type: 'integer' },
    lastError: { type: 'text' },
    deliveredAt: { type: 'datetime' },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_webhook_deliveries_due_idx', columns: ['status', 'next_attempt_at'] },
    { name: 'consent_webhook_deliveries_uq', columns: ['webhook_id', 'event_id'], type: 'unique' },
    { name: 'consent_webhook_deliveries_claim_idx', columns: ['claim_token'] },
  ],
});
