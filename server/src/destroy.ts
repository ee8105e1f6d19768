import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './constants';
import { releaseBootLock } from './database/boot-lock';
import type { MessagesService } from './services/messages';
import type { ShutdownService } from './services/shutdown';

/**
 * Strapi calls this first on SIGTERM, SIGINT or `strapi.destroy()`, while its HTTP server still takes
 * requests and before it closes the connections and the database: the plugin stops taking work, finishes
 * what it acknowledged (services/shutdown), stops the message worker after the batch in hand (so no timer
 * outlives Strapi and calls into a torn-down instance: the cron-after-destroy trap), and lets go of its
 * boot lock if the boot never finished. The instance is the one given, not the global: a test process may
 * hold several over its life.
 */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  const plugin = strapi.plugin(PLUGIN_ID);
  await (plugin.service('shutdown') as ShutdownService).drain();
  await (plugin.service('messages') as MessagesService).stop();
  await releaseBootLock(strapi);
};

export default destroy;
