import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';

/**
 * Creates the row `name` of `consent_ledger_heads` once, at boot (the ledger's head `main`, the catalogue
 * stamp). Several instances booting at once may race: the unique name lets one insert win.
 */
export const ensureHeadRow = async (strapi: Core.Strapi, name: string, hash: string): Promise<void> => {
  const exists = () => strapi.db.connection(TABLE.ledgerHead).where({ name }).first();
  if (await exists()) return;
  try {
    await strapi.db.query(UID.ledgerHead).create({ data: { name, seq: 0, hash } });
  } catch (error) {
    if (!(await exists())) throw error;
  }
};
