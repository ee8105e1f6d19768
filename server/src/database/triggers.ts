import type { Core } from '@strapi/strapi';

type Knex = Core.Strapi['db']['connection'];

/** A guard's triggers, per database: each dialect's statements for a table in its own quoting. */
export interface TriggerSet {
  /** `CREATE TRIGGER IF NOT EXISTS …` statements. */
  sqlite: string[];
  /** `CREATE OR REPLACE …` statements, given the quoting of a name in Strapi's schema. */
  postgres: (quote: (name: string) => string) => string[];
  /** Trigger name → `CREATE TRIGGER …` (MySQL/MariaDB have no IF NOT EXISTS for triggers before 8.0.29). */
  mysql: Record<string, string>;
  /** Names of earlier versions' triggers to drop once the current ones stand (SQLite and MySQL). */
  stale?: (existing: Set<string>) => string[];
  /** What still protects the table when the database refuses the triggers, for the warning. */
  otherwise: string;
}

const existingTriggers = async (knex: Knex, client: string, table: string): Promise<Set<string>> => {
  const rows =
    client === 'sqlite'
      ? await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, [table])
      : (
          await knex.raw(
            'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?',
            [table]
          )
        )[0];
  return new Set((rows as Array<{ name: string }>).map((r) => r.name));
};

/**
 * Installs a guard's triggers on `table` (idempotent, at every boot: a table rebuild on SQLite drops them),
 * then drops the stale ones, so there is no instant without a guard. Answers false, with a warning, when the
 * database refused them (managed databases may deny CREATE TRIGGER, e.g. MySQL with binary logging and no
 * SUPER privilege) or has none: the caller's other protections still hold, so the plugin starts.
 */
export const installTriggers = async (strapi: Core.Strapi, table: string, set: TriggerSet): Promise<boolean> => {
  const knex = strapi.db.connection;
  const client = strapi.db.dialect.client as string;
  try {
    if (client === 'sqlite') {
      for (const sql of set.sqlite) await knex.raw(sql);
    } else if (client === 'postgres') {
      const schema = strapi.db.getSchemaName?.() || undefined;
      for (const sql of set.postgres((name) => (schema ? `"${schema}"."${name}"` : `"${name}"`))) await knex.raw(sql);
    } else if (client === 'mysql') {
      const existing = await existingTriggers(knex, client, table);
      for (const [name, sql] of Object.entries(set.mysql)) {
        if (existing.has(name)) continue;
        try {
          await knex.raw(sql);
        } catch (error) {
          // Another instance booting at the same time may have created it first.
          if (!(await existingTriggers(knex, client, table)).has(name)) throw error;
        }
      }
    } else {
      strapi.log.warn(`[consent] no trigger on ${table} for database client "${client}"; ${set.otherwise}`);
      return false;
    }
    if (set.stale && client !== 'postgres') {
      const q = client === 'mysql' ? (n: string) => `\`${n}\`` : (n: string) => n;
      for (const name of set.stale(await existingTriggers(knex, client, table))) {
        await knex.raw(`DROP TRIGGER IF EXISTS ${q(name)}`);
      }
    }
    return true;
  } catch (error) {
    strapi.log.warn(
      `[consent] could not install the triggers on ${table} (${(error as Error).message}); ${set.otherwise}`
    );
    return false;
  }
};
