import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { refuseChanges } from './immutable-rows';

/**
 * A ledger checkpoint is a signed statement that the chain verified up to it (docs/ledger.md,
 * "Checkpoints"): like the ledger (ledger-guard.ts) and the compliance reports (report-guard.ts), its rows
 * are never updated or deleted. Strapi's lifecycles refuse it on every Strapi path; database triggers
 * refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) below Strapi, reinstalled at every boot. Editing a
 * row anyway breaks its seal, which verification reports; deleting the newest only makes the next
 * verification start from an older one.
 */
export const CHECKPOINT_IMMUTABLE_MESSAGE = 'Ledger checkpoints are kept as signed: they cannot be updated or deleted';

export const subscribeCheckpointGuard = (strapi: Core.Strapi) =>
  refuseChanges(strapi, UID.ledgerCheckpoint, CHECKPOINT_IMMUTABLE_MESSAGE);

const TRIGGERS = { update: 'consent_ledger_checkpoints_no_update', delete: 'consent_ledger_checkpoints_no_delete' };

/** Installs the triggers (idempotent); false when the database refused them or has none. */
export const installCheckpointTriggers = async (strapi: Core.Strapi): Promise<boolean> => {
  const knex = strapi.db.connection;
  const client = strapi.db.dialect.client as string;
  const table = TABLE.ledgerCheckpoint;
  try {
    if (client === 'sqlite') {
      for (const [op, name] of [
        ['UPDATE', TRIGGERS.update],
        ['DELETE', TRIGGERS.delete],
      ]) {
        await knex.raw(
          `CREATE TRIGGER IF NOT EXISTS ${name} BEFORE ${op} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${CHECKPOINT_IMMUTABLE_MESSAGE}'); END`
        );
      }
    } else if (client === 'postgres') {
      const schema = strapi.db.getSchemaName?.() || undefined;
      const q = (name: string) => (schema ? `"${schema}"."${name}"` : `"${name}"`);
      const fn = q('consent_ledger_checkpoints_immutable');
      await knex.raw(
        `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
          `BEGIN RAISE EXCEPTION '${CHECKPOINT_IMMUTABLE_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$`
      );
      await knex.raw(
        `CREATE OR REPLACE TRIGGER consent_ledger_checkpoints_immutable BEFORE UPDATE OR DELETE ON ${q(table)} ` +
          `FOR EACH ROW EXECUTE FUNCTION ${fn}()`
      );
      await knex.raw(
        `CREATE OR REPLACE TRIGGER consent_ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ${q(table)} ` +
          `FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`
      );
    } else if (client === 'mysql') {
      const existing = async () => {
        const [rows] = await knex.raw(
          'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?',
          [table]
        );
        return new Set((rows as Array<{ name: string }>).map((r) => r.name));
      };
      const have = await existing();
      for (const [op, name] of [
        ['UPDATE', TRIGGERS.update],
        ['DELETE', TRIGGERS.delete],
      ]) {
        if (have.has(name)) continue;
        try {
          await knex.raw(
            `CREATE TRIGGER ${name} BEFORE ${op} ON \`${table}\` FOR EACH ROW ` +
              `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${CHECKPOINT_IMMUTABLE_MESSAGE}'`
          );
        } catch (error) {
          // Another instance booting at the same time may have created it first.
          if (!(await existing()).has(name)) throw error;
        }
      }
    } else {
      return false;
    }
    return true;
  } catch (error) {
    // As for the ledger's triggers: the lifecycles and the seals still hold; say so instead of not starting.
    strapi.log.warn(
      `[consent] could not install the triggers on ${table} (${(error as Error).message}); ` +
        'checkpoints are protected inside Strapi and by their seals only.'
    );
    return false;
  }
};
