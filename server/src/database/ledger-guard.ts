import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { TABLE, UID } from '../constants';

/**
 * The ledger is append-only (spec 3, consent-event). Two layers enforce it:
 *
 * 1. Strapi's query-engine lifecycles refuse update and delete. The Document Service, the Content
 *    Manager and `strapi.db.query()` all go through the query engine, so this covers every Strapi path
 *    and answers with a clear 403 instead of a database error.
 * 2. Database triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the table itself, for
 *    code that talks to knex directly or a person with a SQL console. They are (re)installed at every
 *    boot, after Strapi's schema sync, because a table rebuild on SQLite drops them.
 *
 * Erasure never needs to touch the ledger: identifiers live on `subject`, the ledger holds pseudonyms.
 */
export const LEDGER_APPEND_ONLY_MESSAGE = 'The consent ledger is append-only: events cannot be updated or deleted';

const refuse = () => {
  throw new errors.ForbiddenError(LEDGER_APPEND_ONLY_MESSAGE);
};

export const subscribeLedgerGuard = (strapi: Core.Strapi) => {
  strapi.db.lifecycles.subscribe({
    models: [UID.event],
    beforeUpdate: refuse,
    beforeUpdateMany: refuse,
    beforeDelete: refuse,
    beforeDeleteMany: refuse,
  });
};

type Knex = Core.Strapi['db']['connection'];

const TRIGGER = { update: 'consent_events_no_update', delete: 'consent_events_no_delete' } as const;

const sqliteStatements = (table: string) =>
  (['update', 'delete'] as const).map(
    (op) =>
      `CREATE TRIGGER IF NOT EXISTS ${TRIGGER[op]} BEFORE ${op.toUpperCase()} ON ${table} ` +
      `BEGIN SELECT RAISE(ABORT, '${LEDGER_APPEND_ONLY_MESSAGE}'); END`
  );

const postgresStatements = (schema: string | undefined, table: string) => {
  const q = (name: string) => (schema ? `"${schema}"."${name}"` : `"${name}"`);
  const fn = q('consent_ledger_append_only');
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
      `BEGIN RAISE EXCEPTION '${LEDGER_APPEND_ONLY_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$`,
    `CREATE OR REPLACE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON ${q(table)} ` +
      `FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `CREATE OR REPLACE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON ${q(table)} ` +
      `FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
};

const mysqlStatements = (table: string) =>
  (['update', 'delete'] as const).map(
    (op) =>
      `CREATE TRIGGER ${TRIGGER[op]} BEFORE ${op.toUpperCase()} ON \`${table}\` FOR EACH ROW ` +
      `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${LEDGER_APPEND_ONLY_MESSAGE}'`
  );

const mysqlExistingTriggers = async (knex: Knex, table: string): Promise<Set<string>> => {
  const [rows] = await knex.raw(
    'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?',
    [table]
  );
  return new Set((rows as Array<{ name: string }>).map((r) => r.name));
};

export const installLedgerTriggers = async (strapi: Core.Strapi): Promise<boolean> => {
  const knex = strapi.db.connection;
  const client = strapi.db.dialect.client as string;
  const table = TABLE.event;
  try {
    if (client === 'sqlite') {
      for (const sql of sqliteStatements(table)) await knex.raw(sql);
    } else if (client === 'postgres') {
      const schema = strapi.db.getSchemaName?.() || undefined;
      for (const sql of postgresStatements(schema, table)) await knex.raw(sql);
    } else if (client === 'mysql') {
      const existing = await mysqlExistingTriggers(knex, table);
      for (const [i, sql] of mysqlStatements(table).entries()) {
        if (existing.has(Object.values(TRIGGER)[i])) continue;
        try {
          await knex.raw(sql);
        } catch (error) {
          // Another instance booting at the same time may have created it first.
          if (!(await mysqlExistingTriggers(knex, table)).has(Object.values(TRIGGER)[i])) throw error;
        }
      }
    } else {
      strapi.log.warn(`[consent] no ledger trigger for database client "${client}"; relying on Strapi lifecycles only`);
      return false;
    }
    return true;
  } catch (error) {
    // Managed databases may deny CREATE TRIGGER (e.g. MySQL with binary logging and no SUPER privilege).
    // The lifecycle guard still protects every Strapi path, so say so loudly instead of refusing to start.
    strapi.log.warn(
      `[consent] could not install the append-only triggers on ${table} (${(error as Error).message}); ` +
        'the ledger is protected inside Strapi only. Grant the TRIGGER privilege to close direct SQL access.'
    );
    return false;
  }
};
