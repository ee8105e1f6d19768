import type { Core } from '@strapi/strapi';
import { createHash } from 'node:crypto';
import { TABLE, UID } from '../constants';
import { refuseChanges } from './immutable-rows';
import { installTriggers, type TriggerSet } from './triggers';
import { PRUNE_MARKER_COLUMNS, PRUNED_COLUMNS } from './ledger-rows';

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
 * The one exception is pruning at the end of the proof period (I5): the triggers let exactly that UPDATE
 * through (`pruneOnlyCondition`). The lifecycles still refuse every update: the ledger service prunes with
 * knex, below the query engine, so no Strapi path can prune, and nothing else can update an event.
 *
 * Erasure never needs to touch the ledger: identifiers live on `subject`, the ledger holds pseudonyms.
 */
export const LEDGER_APPEND_ONLY_MESSAGE = 'The consent ledger is append-only: events cannot be updated or deleted';

export const subscribeLedgerGuard = (strapi: Core.Strapi) =>
  refuseChanges(strapi, UID.event, LEDGER_APPEND_ONLY_MESSAGE);

const TRIGGER = { delete: 'consent_events_no_delete' } as const;
/** Before 0.x (I5) every UPDATE was refused by this trigger; it is replaced by the prune-only one. */
const OLD_UPDATE_TRIGGER = 'consent_events_no_update';
const PRUNE_TRIGGER_PREFIX = 'consent_events_prune_only_';

/**
 * The one UPDATE the triggers let through (I5): an event not yet pruned gets `pruned_at` and its seal, its
 * prunable columns become NULL, and every other column (the table's own, read at boot, so a column added
 * later is guarded too) keeps its value. `same(c)` is the dialect's NULL-safe equality of NEW.c and OLD.c.
 */
const pruneOnlyCondition = (columns: string[], same: (column: string) => string, quote: (c: string) => string) => {
  const guarded = columns.filter((c) => !PRUNED_COLUMNS.includes(c) && !PRUNE_MARKER_COLUMNS.includes(c));
  return [
    `OLD.${quote('pruned_at')} IS NULL`,
    `NEW.${quote('pruned_at')} IS NOT NULL`,
    `NEW.${quote('prune_seal')} IS NOT NULL`,
    ...PRUNED_COLUMNS.map((c) => `NEW.${quote(c)} IS NULL`),
    ...guarded.map(same),
  ].join(' AND ');
};

/** Versioned by the guarded column list: a schema change installs a new trigger before the old one goes. */
const pruneTriggerName = (columns: string[]) =>
  PRUNE_TRIGGER_PREFIX +
  createHash('sha256')
    .update([...columns].sort().join(','))
    .digest('hex')
    .slice(0, 12);

const sqliteQuote = (c: string) => `"${c}"`;
const mysqlQuote = (c: string) => `\`${c}\``;

/** Update triggers of earlier versions (the refuse-all one, prune-only ones for another column list). */
const staleUpdateTriggers = (existing: Iterable<string>, current: string) =>
  [...existing].filter(
    (name) => name === OLD_UPDATE_TRIGGER || (name.startsWith(PRUNE_TRIGGER_PREFIX) && name !== current)
  );

const ledgerTriggers = (table: string, columns: string[]): TriggerSet => {
  const prune = pruneTriggerName(columns);
  const refuse = `'${LEDGER_APPEND_ONLY_MESSAGE}'`;
  return {
    sqlite: [
      `CREATE TRIGGER IF NOT EXISTS ${TRIGGER.delete} BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, ${refuse}); END`,
      `CREATE TRIGGER IF NOT EXISTS ${prune} BEFORE UPDATE ON ${table} ` +
        `WHEN NOT (${pruneOnlyCondition(columns, (c) => `NEW.${sqliteQuote(c)} IS OLD.${sqliteQuote(c)}`, sqliteQuote)}) ` +
        `BEGIN SELECT RAISE(ABORT, ${refuse}); END`,
    ],
    postgres: (q) => {
      const fn = q('consent_ledger_append_only');
      const allowed = pruneOnlyCondition(
        columns,
        (c) => `NEW."${c}" IS NOT DISTINCT FROM OLD."${c}"`,
        (c) => `"${c}"`
      );
      return [
        // NEW is NULL for DELETE and TRUNCATE: only an UPDATE reaches the prune test.
        `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
          `BEGIN IF TG_OP = 'UPDATE' THEN IF ${allowed} THEN RETURN NEW; END IF; END IF; ` +
          `RAISE EXCEPTION ${refuse} USING ERRCODE = 'insufficient_privilege'; END $$`,
        `CREATE OR REPLACE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON ${q(table)} ` +
          `FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
        `CREATE OR REPLACE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON ${q(table)} ` +
          `FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      ];
    },
    mysql: {
      [TRIGGER.delete]:
        `CREATE TRIGGER ${TRIGGER.delete} BEFORE DELETE ON \`${table}\` FOR EACH ROW ` +
        `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${refuse}`,
      [prune]:
        `CREATE TRIGGER ${prune} BEFORE UPDATE ON \`${table}\` FOR EACH ROW BEGIN ` +
        `IF NOT (${pruneOnlyCondition(columns, (c) => `NEW.${mysqlQuote(c)} <=> OLD.${mysqlQuote(c)}`, mysqlQuote)}) THEN ` +
        `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${refuse}; END IF; END`,
    },
    // The new trigger is in place before the old one goes: no instant without a guard.
    stale: (existing) => staleUpdateTriggers(existing, prune),
    otherwise: 'the ledger is protected inside Strapi only. Grant the TRIGGER privilege to close direct SQL access.',
  };
};

export const installLedgerTriggers = async (strapi: Core.Strapi): Promise<boolean> => {
  const table = TABLE.event;
  // The guarded column list is the table's own, read at boot: a column added later is guarded too.
  const columns = Object.keys(await strapi.db.connection(table).columnInfo());
  return installTriggers(strapi, table, ledgerTriggers(table, columns));
};
