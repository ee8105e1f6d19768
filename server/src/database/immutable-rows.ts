import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

/**
 * Refuses every update and delete of a content type's rows on every Strapi path, with a clear 403
 * instead of a database error: the Document Service, the Content Manager and `strapi.db.query()` all go
 * through the query engine's lifecycles. The ledger, its checkpoints and the compliance reports use it;
 * their own guards add database triggers below Strapi where they need them.
 */
export const refuseChanges = (strapi: Core.Strapi, uid: string, message: string) => {
  const refuse = () => {
    throw new errors.ForbiddenError(message);
  };
  strapi.db.lifecycles.subscribe({
    models: [uid],
    beforeUpdate: refuse,
    beforeUpdateMany: refuse,
    beforeDelete: refuse,
    beforeDeleteMany: refuse,
  });
};
