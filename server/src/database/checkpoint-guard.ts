import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { refuseChanges } from './immutable-rows';
import { installTriggers, type TriggerSet } from './triggers';

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
const REFUSE = `'${CHECKPOINT_IMMUTABLE_MESSAGE}'`;

const checkpointTriggers = (table: string): TriggerSet => ({
  sqlite: (['UPDATE', 'DELETE'] as const).map(
    (op) =>
      `CREATE TRIGGER IF NOT EXISTS ${op === 'UPDATE' ? TRIGGERS.update : TRIGGERS.delete} BEFORE ${op} ON ${table} ` +
      `BEGIN SELECT RAISE(ABORT, ${REFUSE}); END`
  ),
  postgres: (q) => {
    const fn = q('consent_ledger_checkpoints_immutable');
    return [
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
        `BEGIN RAISE EXCEPTION ${REFUSE} USING ERRCODE = 'insufficient_privilege'; END $$`,
      `CREATE OR REPLACE TRIGGER consent_ledger_checkpoints_immutable BEFORE UPDATE OR DELETE ON ${q(table)} ` +
        `FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
      `CREATE OR REPLACE TRIGGER consent_ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ${q(table)} ` +
        `FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    ];
  },
  mysql: Object.fromEntries(
    (['UPDATE', 'DELETE'] as const).map((op) => {
      const name = op === 'UPDATE' ? TRIGGERS.update : TRIGGERS.delete;
      return [
        name,
        `CREATE TRIGGER ${name} BEFORE ${op} ON \`${table}\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${REFUSE}`,
      ];
    })
  ),
  // As for the ledger's triggers: the lifecycles and the seals still hold.
  otherwise: 'checkpoints are protected inside Strapi and by their seals only.',
});

/** Installs the triggers (idempotent); false when the database refused them or has none. */
export const installCheckpointTriggers = (strapi: Core.Strapi): Promise<boolean> =>
  installTriggers(strapi, TABLE.ledgerCheckpoint, checkpointTriggers(TABLE.ledgerCheckpoint));
