import type { Core } from '@strapi/strapi';
import { onTable, type QueryBuilder } from './in-transaction';

/** One write of a group: rows to insert into a table, or one keyed update. */
export type TableWrite =
  | { table: string; insert: Record<string, unknown>[] }
  | { table: string; update: { where: Record<string, unknown>; data: Record<string, unknown> } };

// SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535: far below both.
const MAX_PARAMETERS = 30000;
// knex inserts several rows into SQLite as one compound SELECT, which SQLite caps at 500 terms.
const MAX_ROWS = 500;

const parameters = (w: TableWrite) =>
  'insert' in w
    ? w.insert.reduce((n, row) => n + Object.keys(row).length, 0)
    : Object.keys(w.update.where).length + Object.keys(w.update.data).length;

/** A write split so that no statement binds more than MAX_PARAMETERS values or inserts more than MAX_ROWS rows. */
const chunks = (w: TableWrite): TableWrite[] => {
  if (!('insert' in w)) return [w];
  const perRow = Object.keys(w.insert[0] ?? {}).length;
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, perRow))));
  const out: TableWrite[] = [];
  for (let i = 0; i < w.insert.length; i += size) out.push({ table: w.table, insert: w.insert.slice(i, i + size) });
  return out;
};

/**
 * An insert of more rows than knex's SQLite insert takes at once (a compound SELECT of MAX_ROWS terms), as
 * multi-row `INSERT … VALUES` statements, which SQLite does not limit that way and writes several times
 * faster: what seeding a large ledger needs (bench/seed.cjs, the audience tests). A group of submissions
 * never has that many rows; its statements stay those knex writes.
 */
const insertValues = async (strapi: Core.Strapi, table: string, rows: Record<string, unknown>[]) => {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const per = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length)));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const run = async (trx?: unknown) => {
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      const raw = strapi.db.connection.raw(
        `insert into ?? (${columns.map(() => '??').join(', ')}) values ${part.map(() => tuple).join(', ')}`,
        [table, ...columns, ...part.flatMap((row) => columns.map((c) => row[c] ?? null))]
      );
      await (trx ? raw.transacting(trx as never) : raw);
    }
  };
  if (strapi.db.inTransaction()) await strapi.db.transaction(({ trx }) => run(trx));
  else await run();
};

const apply = (q: QueryBuilder, w: TableWrite): PromiseLike<unknown> & QueryBuilder =>
  ('insert' in w
    ? q.insert(w.insert)
    : q.where(w.update.where).update(w.update.data)) as unknown as PromiseLike<unknown> & QueryBuilder;

/**
 * Inserts into one table folded into one write (at the place of the first), so rows that several
 * submissions of a group add to a table go in one statement. Updates stay as they are, in order.
 */
export const mergeInserts = (writes: TableWrite[]): TableWrite[] => {
  const out: TableWrite[] = [];
  const byTable = new Map<string, Record<string, unknown>[]>();
  for (const w of writes) {
    if (!('insert' in w)) {
      out.push(w);
      continue;
    }
    const rows = byTable.get(w.table);
    if (rows) rows.push(...w.insert);
    else {
      const merged = { table: w.table, insert: [...w.insert] };
      byTable.set(w.table, merged.insert);
      out.push(merged);
    }
  }
  return out;
};

/**
 * Runs a group's writes in the current transaction. On PostgreSQL they go as one statement (data-modifying
 * WITH clauses), so a group costs one round trip to write whatever it holds; a group's time under the
 * ledger lock is what limits submissions there. Elsewhere (SQLite, MySQL, which have no data-modifying
 * WITH), one statement per write, in order.
 */
export const writeAll = async (strapi: Core.Strapi, writes: TableWrite[]): Promise<void> => {
  if (strapi.db.dialect.client === 'sqlite' && writes.some((w) => 'insert' in w && w.insert.length > MAX_ROWS)) {
    for (const w of writes) {
      if ('insert' in w && w.insert.length > MAX_ROWS) await insertValues(strapi, w.table, w.insert);
      else for (const part of chunks(w)) await onTable(strapi, part.table, (q) => apply(q, part));
    }
    return;
  }
  const all = writes.flatMap(chunks);
  if (all.length === 0) return;
  const combine =
    strapi.db.dialect.client === 'postgres' && all.reduce((n, w) => n + parameters(w), 0) <= MAX_PARAMETERS;
  if (!combine) {
    for (const w of all) await onTable(strapi, w.table, (q) => apply(q, w));
    return;
  }
  const knex = strapi.db.connection;
  const last = all[all.length - 1];
  await onTable(strapi, last.table, (q) => {
    all.slice(0, -1).forEach((w, i) => q.with(`w${i}`, apply(knex(w.table), w)));
    return apply(q, last);
  });
};
