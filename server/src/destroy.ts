import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './constants';
import type { MessagesService } from './services/messages';

/**
 * Stops what the plugin started itself: the message worker finishes the batch in hand and takes no more,
 * so no timer outlives Strapi and calls into a torn-down instance (the cron-after-destroy trap). The
 * instance is the one given, not the global: a test process may hold several over its life.
 */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await (strapi.plugin(PLUGIN_ID).service('messages') as MessagesService).stop();
};

export default destroy;
