import { defineContentType } from '../define';

/**
 * Named heads, no personal data. `main` is the head of the hash chain: the last sequence number and hash.
 * Every append locks this one row (SELECT … FOR UPDATE) before reading it, so appends from several Strapi
 * instances on one database queue up instead of forking the chain; it is the only mutable part of the
 * ledger. `catalogue` holds a random stamp replaced on every write to forms, purposes and notices, which
 * tells each instance whether its in-memory copy of them is current (services/catalogue.ts).
 */
export default defineContentType({
  collectionName: 'consent_ledger_heads',
  singularName: 'ledger-head',
  pluralName: 'ledger-heads',
  displayName: 'Ledger head',
  description: 'Last sequence number and hash of the consent ledger.',
  attributes: {
    name: { type: 'string', required: true, unique: true, maxLength: 32 },
    seq: { type: 'biginteger', required: true },
    hash: { type: 'string', required: true, maxLength: 64 },
  },
  indexes: [{ name: 'consent_ledger_heads_name_uq', columns: ['name'], type: 'unique' }],
});
