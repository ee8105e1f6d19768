import type { Core } from '@strapi/strapi';
import { releaseBootLock } from './database/boot-lock';
import { getService } from './utils/get-service';

/**
 * Strapi calls this first on SIGTERM, SIGINT or `strapi.destroy()`, while its HTTP server still takes
 * requests and before it closes the connections and the database: the plugin stops taking work, finishes
 * what it acknowledged (services/shutdown), and lets go of its boot lock if the boot never finished.
 */
const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService('shutdown').drain();
  await releaseBootLock(strapi);
};

export default destroy;
