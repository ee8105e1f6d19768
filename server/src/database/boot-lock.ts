import type { Core } from '@strapi/strapi';

/**
 * One boot at a time per database. Strapi's schema sync takes no lock: two instances starting together on
 * an empty PostgreSQL database both run `CREATE TABLE strapi_migrations …` and the second one dies
 * (`duplicate key value violates unique constraint "pg_type_typname_nsp_index"`); past the schema, both
 * would run the first-boot steps (Strapi's roles, the ledger's triggers and head row) at once. So the
 * plugin takes a session lock just before the schema sync (hook `strapi::content-types.beforeSync`) and
 * keeps it until the instance has loaded: the second instance waits, then finds everything in place.
 *
 * PostgreSQL: `pg_advisory_lock` on a key of the schema's name; MySQL/MariaDB: `GET_LOCK` on a name with
 * the database's. The lock lives on one pooled connection, kept aside for the boot, and goes with it if
 * the process dies. SQLite has one process per file: no lock.
 */
interface Held {
  connection: unknown;
  release: () => Promise<void>;
}

const held = new WeakMap<Core.Strapi, Held>();

/** How long a MySQL/MariaDB boot waits for the other one; PostgreSQL waits for as long as it takes. */
const MYSQL_WAIT_SECONDS = 600;

const lockName = (strapi: Core.Strapi) => {
  const client = strapi.db.dialect.client;
  const scope = client === 'postgres' ? (strapi.db.getSchemaName() ?? 'public') : '';
  return `strapi-plugin-consent:boot:${scope}`;
};

export const takeBootLock = async (strapi: Core.Strapi) => {
  const client = strapi.db.dialect.client;
  if ((client !== 'postgres' && client !== 'mysql') || held.has(strapi)) return;
  const knex = strapi.db.connection;
  // The lock's connection is kept aside until the start-up ends: with a pool of one, the schema sync would
  // wait for it for ever.
  const poolMax = Number((knex.client as { pool?: { max?: number } }).pool?.max ?? 2);
  if (poolMax < 2) {
    strapi.log.warn(
      '[consent] database pool max is 1: no boot lock, so start instances on an empty database one at a time (docs/operations.md)'
    );
    return;
  }
  const connection = await knex.client.acquireConnection();
  const raw = (sql: string, bindings: unknown[]) => knex.raw(sql, bindings as never[]).connection(connection);
  const name = lockName(strapi);
  try {
    if (client === 'postgres') {
      await raw('SELECT pg_advisory_lock(hashtext(?))', [name]);
    } else {
      // The database's name is part of the lock name (GET_LOCK names are server-wide), hashed: GET_LOCK
      // refuses a name over 64 characters, which a long database name would make.
      const result = await raw('SELECT GET_LOCK(SHA1(CONCAT(?, DATABASE())), ?) AS acquired', [
        name,
        MYSQL_WAIT_SECONDS,
      ]);
      const rows = (Array.isArray(result) ? result[0] : result) as Array<{ acquired: number | null }>;
      if (Number(rows?.[0]?.acquired) !== 1)
        throw new Error(`[consent] another instance held the boot lock for ${MYSQL_WAIT_SECONDS} s`);
    }
  } catch (error) {
    await knex.client.releaseConnection(connection);
    throw error;
  }
  held.set(strapi, {
    connection,
    release: async () => {
      try {
        if (client === 'postgres') await raw('SELECT pg_advisory_unlock(hashtext(?))', [name]);
        else await raw('SELECT RELEASE_LOCK(SHA1(CONCAT(?, DATABASE())))', [name]);
      } finally {
        await knex.client.releaseConnection(connection);
      }
    },
  });
};

export const releaseBootLock = async (strapi: Core.Strapi) => {
  const lock = held.get(strapi);
  if (!lock) return;
  held.delete(strapi);
  await lock.release();
};

/**
 * Releases the lock once the whole boot is over (`strapi.load()` sets `isLoaded` after every plugin's and
 * the app's bootstrap), so the other instance's bootstraps never overlap this one's. Strapi has no hook
 * after the app's bootstrap, hence the poll.
 */
export const releaseBootLockWhenLoaded = (strapi: Core.Strapi) => {
  const poll = () => {
    if (!held.has(strapi)) return;
    if (!strapi.isLoaded) {
      setTimeout(poll, 20).unref();
      return;
    }
    releaseBootLock(strapi).catch((error) => strapi.log.error(`[consent] releasing the boot lock: ${String(error)}`));
  };
  poll();
};
