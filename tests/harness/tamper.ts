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
  for (const name of ['consent_events_no_update', 'consent_events_no_delete']) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  }
  try {
    await fn();
  } finally {
    await installLedgerTriggers(strapi);
  }
};
