import type { Core } from '@strapi/strapi';

type Knex = Core.Strapi['db']['connection'];
export type QueryBuilder = ReturnType<Knex>;

/**
 * Runs a knex query on `table` inside the caller's transaction when there is one, else on its own. A
 * plain `strapi.db.connection(table)` inside a transaction would wait for SQLite's single connection,
 * which that transaction holds, forever.
 */
export const onTable = async <T>(
  strapi: Core.Strapi,
  table: string,
  build: (query: QueryBuilder) => PromiseLike<T>
): Promise<T> =>
  strapi.db.inTransaction()
    ? strapi.db.transaction(({ trx }) => build(strapi.db.connection(table).transacting(trx)))
    : build(strapi.db.connection(table));
