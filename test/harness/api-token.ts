import type { Core } from '@strapi/strapi';

/** A Strapi API token (full access, or custom with `permissions: ['plugin::consent.…']`); answers its key. */
export const createApiToken = async (
  strapi: Core.Strapi,
  name: string,
  attributes: Record<string, unknown> = { type: 'full-access' }
) => {
  // `admin::api-token` is the deprecated alias of this service in Strapi 5.
  const token = await strapi
    .service('admin::api-token-content-api')
    .create({ name, description: '', lifespan: null, ...attributes });
  return token.accessKey as string;
};
