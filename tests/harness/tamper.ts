import type { Core } from '@strapi/strapi';
import { installLedgerTriggers } from '../../server/src/database/ledger-guard';
import { TABLE } from '../../server/src/constants';

/**
 * Runs `fn` with the ledger's append-only triggers removed, as someone with full database rights could,
 * then puts them back: the way tests tamper with stored events to prove that `verify` notices.
 */
export const withoutLedgerTriggers = async (strapi: Core.Strapi, fn: () => Promise<void>) => {
  const knex = strapi.db.connection;
  const client = strapi.db.dialect.client as string;
  const table = TABLE.event;
  if (client === 'postgres') {
    const schema = strapi.db.getSchemaName?.();
    const q = schema ? `"${schema}"."${table}"` : `"${table}"`;
    await knex.raw(`ALTER TABLE ${q} DISABLE TRIGGER USER`);
    try {
      await fn();
    } finally {
      await knex.raw(`ALTER TABLE ${q} ENABLE TRIGGER USER`);
    }
    return;
  }
  // Every trigger on the table: the update one's name carries a version (database/ledger-guard.ts).
  const names: string[] =
    client === 'sqlite'
      ? (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, [table])).map(
          (r: { name: string }) => r.name
        )
      : (
          await knex.raw(
            'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?',
            [table]
          )
        )[0].map((r: { name: string }) => r.name);
  for (const name of names) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  try {
    await fn();
  } finally {
    await installLedgerTriggers(strapi);
  }
};
