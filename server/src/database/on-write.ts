import type { Core } from '@strapi/strapi';

const WRITES = ['Create', 'CreateMany', 'Update', 'UpdateMany', 'Delete', 'DeleteMany'] as const;

/**
 * Calls `listener` after every write of `uid` by any Strapi path (query-engine lifecycles), inside the
 * writer's transaction. Owners offer it as `onWrite`, so a cache of their rows (services/catalogue.ts)
 * hears of each change without naming their table.
 */
export const onWrite = (strapi: Core.Strapi, uid: string, listener: () => Promise<void>): void => {
  strapi.db.lifecycles.subscribe({
    models: [uid],
    ...Object.fromEntries(WRITES.map((w) => [`after${w}`, listener])),
  });
};
