import type { Core } from '@strapi/strapi';
import { installCheckpointTriggers } from '../../server/src/database/checkpoint-guard';
import { installLedgerTriggers } from '../../server/src/database/ledger-guard';
import { TABLE } from '../../server/src/constants';

/**
 * Runs `fn` with a guarded table's triggers removed, as someone with full database rights could, then puts
 * them back with `reinstall`.
 */
const withoutTriggers = async (
  strapi: Core.Strapi,
  table: string,
  reinstall: (strapi: Core.Strapi) => Promise<boolean>,
  fn: () => Promise<void>
) => {
  const knex = strapi.db.connection;
  const client = strapi.db.dialect.client as string;
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
  // Every trigger on the table: the ledger's update one's name carries a version (database/ledger-guard.ts).
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
    await reinstall(strapi);
  }
};

/** The ledger's append-only triggers removed for `fn`: the way tests tamper with stored events to prove that `verify` notices. */
export const withoutLedgerTriggers = (strapi: Core.Strapi, fn: () => Promise<void>) =>
  withoutTriggers(strapi, TABLE.event, installLedgerTriggers, fn);

/** The same for the signed checkpoints (database/checkpoint-guard.ts). */
export const withoutCheckpointTriggers = (strapi: Core.Strapi, fn: () => Promise<void>) =>
  withoutTriggers(strapi, TABLE.ledgerCheckpoint, installCheckpointTriggers, fn);
