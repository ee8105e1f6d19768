import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/** Runs before Strapi closes the database: the webhook worker lets go of what it holds first. */
const destroy = async (_: { strapi: Core.Strapi }) => {
  await getService('webhook-outbox').stop();
};

export default destroy;
