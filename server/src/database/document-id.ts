import type { Core } from '@strapi/strapi';

/**
 * Strapi gives every row a document id (a cuid2) through the model's `documentId` default when the query
 * engine creates it. Rows the plugin writes with knex, to skip the engine's read-back, get one the same
 * way, so they look exactly like the rows written before and by any other path. Looked up on first use:
 * services can be created before the database's metadata exists.
 */
export const documentIds = (strapi: Core.Strapi, uid: string): (() => string | null) => {
  let create: (() => string | null) | undefined;
  return () => {
    if (!create) {
      const model = strapi.db.metadata.get(uid) as { attributes: Record<string, { default?: unknown }> };
      const fromModel = model.attributes.documentId?.default;
      create = typeof fromModel === 'function' ? (fromModel as () => string) : () => null;
    }
    return create();
  };
};
