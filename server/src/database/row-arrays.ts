import type { Core } from '@strapi/strapi';
import type { QueryBuilder } from './in-transaction';

/**
 * A select's rows as arrays, in the order of its columns, for reads of many rows (audiences): the drivers
 * build an object per row slowly (better-sqlite3 sets each column as a property of a new object, about a
 * third of a 200,000-row read on SQLite), where the caller builds the one object it needs from an array
 * at a fraction of that. PostgreSQL (`rowMode`) and MySQL (`rowsAsArray`) take the option through knex;
 * better-sqlite3's `raw` is a statement's, which knex does not set, so on SQLite the query runs on a
 * connection taken from knex's pool for the time of that one statement, as knex itself would.
 */
export const rowArrays = async (strapi: Core.Strapi, query: QueryBuilder): Promise<unknown[][]> => {
  if (strapi.db.dialect.client !== 'sqlite') {
    return (await query.options({ rowMode: 'array', rowsAsArray: true })) as unknown as unknown[][];
  }
  const { sql, bindings } = query.toSQL().toNative();
  const client = strapi.db.connection.client;
  const connection = await client.acquireConnection();
  try {
    return connection.prepare(sql).raw(true).all(bindings);
  } finally {
    await client.releaseConnection(connection);
  }
};
