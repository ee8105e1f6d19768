import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './constants';
import { releaseBootLock } from './database/boot-lock';
import type { MessagesService } from './services/messages';
import type { ShutdownService } from './services/shutdown';
import type { WebhookOutboxService } from './services/webhook-outbox';

/**
 * Strapi calls this first on SIGTERM, SIGINT or `strapi.destroy()`, while its HTTP server still takes
 * requests and before it closes the connections and the database: the plugin stops taking work, finishes
 * what it acknowledged (services/shutdown), stops its workers (the message sender after the batch in hand;
 * the webhook outbox lets go of the deliveries it holds, which go back to pending) so no timer outlives
 * Strapi and calls into a torn-down instance (the cron-after-destroy trap), and lets go of its boot lock if
 * the boot never finished. The instance is the one given, not the global: a test process may hold several
 * over its life.
 */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  const plugin = strapi.plugin(PLUGIN_ID);
  await (plugin.service('shutdown') as ShutdownService).drain();
  await (plugin.service('messages') as MessagesService).stop();
  await (plugin.service('webhook-outbox') as WebhookOutboxService).stop();
  await releaseBootLock(strapi);
};

export default destroy;
