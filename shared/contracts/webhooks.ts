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
