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
  const client = strapi.db.connection.client;
  if (strapi.db.dialect.client === 'postgres') {
    return (await fastTimestamps(strapi, query).options({ rowMode: 'array' })) as unknown as unknown[][];
  }
  if (strapi.db.dialect.client !== 'sqlite') {
    return (await query.options({ rowsAsArray: true })) as unknown as unknown[][];
  }
  const { sql, bindings } = query.toSQL().toNative();
  const connection = await client.acquireConnection();
  try {
    return connection.prepare(sql).raw(true).all(bindings);
  } finally {
    await client.releaseConnection(connection);
  }
};

/** `query` reading PostgreSQL's timestamps with `parsePgTimestamp`; unchanged on other databases. */
export const fastTimestamps = (strapi: Core.Strapi, query: QueryBuilder): QueryBuilder =>
  strapi.db.dialect.client === 'postgres'
    ? query.options({ types: pgTypesOf(strapi.db.connection.client.driver.types) })
    : query;

const TIMESTAMP = 1114; // PostgreSQL's `timestamp without time zone`, Strapi's datetime column there

/**
 * pg's `timestamp` parser (postgres-date), for the one shape PostgreSQL prints with the ISO DateStyle,
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` with a year from 1000: the same Date (local time, the same milliseconds),
 * without its regular expressions, which were a sixth of an audience export's CPU time. Any other text (a
 * BC year, infinity, another DateStyle) goes to the driver's own parser.
 */
export const parsePgTimestamp = (fallback: (text: string) => unknown) => (text: string) => {
  const n = text.length;
  if (
    n < 19 ||
    (n > 19 && (n < 21 || text.charCodeAt(19) !== 46)) ||
    n > 26 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(0) === 48
  ) {
    return fallback(text);
  }
  const two = (i: number) => (text.charCodeAt(i) - 48) * 10 + text.charCodeAt(i + 1) - 48;
  return new Date(
    two(0) * 100 + two(2),
    two(5) - 1,
    two(8),
    two(11),
    two(14),
    two(17),
    // As postgres-date computes it (new Date drops what is below a millisecond).
    n > 19 ? 1000 * parseFloat(text.slice(19)) : 0
  );
};

interface PgTypes {
  getTypeParser(oid: number, format?: string): (text: string) => unknown;
}
const SAMPLES = ['2026-07-01 12:34:56.789012', '1999-12-31 23:59:59', '2026-03-29 02:30:00.5'];
let pgTypes: { driver: (text: string) => unknown; types: PgTypes } | undefined;
/**
 * The driver's type parsers (with Strapi's settings and the host's), timestamps read by `parsePgTimestamp`
 * only while the driver's own timestamp parser is one that gives the same Dates: an app that set its own
 * (timestamps read as UTC, say) keeps it.
 */
export const pgTypesOf = (driverTypes: PgTypes): PgTypes => {
  const driver = driverTypes.getTypeParser(TIMESTAMP, 'text');
  if (pgTypes?.driver !== driver) {
    const fast = parsePgTimestamp(driver);
    const same = SAMPLES.every((text) => {
      const a = fast(text);
      const b = driver(text);
      return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
    });
    const timestamp = same ? fast : driver;
    pgTypes = {
      driver,
      types: {
        getTypeParser: (oid, format = 'text') =>
          oid === TIMESTAMP && format === 'text' ? timestamp : driverTypes.getTypeParser(oid, format),
      },
    };
  }
  return pgTypes.types;
};
