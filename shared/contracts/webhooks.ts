import { ACTIONS } from './domain';

/** `consent.granted`, `consent.withdrawn`, …: the webhook events the plugin registers, one per ledger action (spec 5). */
export const WEBHOOK_EVENT_NAMES = ACTIONS.map((action) => `consent.${action}` as const);

/** A webhook as Strapi's own admin API (`/admin/webhooks`) answers it; the settings page subscribes them. */
export interface Webhook {
  id: number | string;
  name: string;
  url: string;
  headers: Record<string, string>;
  events: string[];
  isEnabled: boolean;
}

/** The outbox's deliveries as the admin's webhooks panel lists them (`GET /consent/webhook-deliveries`). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export declare namespace WebhookDeliveries {
  export type Status = (typeof DELIVERY_STATUSES)[number];

  export interface ListQuery {
    /** `failing`: failed deliveries and pending ones that have failed before (the default view). */
    status?: Status | 'failing';
    limit?: number;
  }

  export interface Delivery {
    id: number;
    /** Sent as `X-Consent-Delivery`, the same on every attempt. */
    deliveryId: string;
    webhookId: string;
    /** null once the webhook was deleted. */
    webhookName: string | null;
    event: string;
    eventId: string;
    status: Status;
    attempts: number;
    /** When a pending delivery is tried next. */
    nextAttemptAt: string | null;
    /** The receiver's last HTTP status, null when it could not be reached. */
    lastStatus: number | null;
    lastError: string | null;
    deliveredAt: string | null;
    createdAt: string;
  }

  export interface ListResponse {
    data: { deliveries: Delivery[]; counts: Partial<Record<Status, number>> };
  }
}
