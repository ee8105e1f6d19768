import { defineContentType } from '../define';

/**
 * Signed checkpoints of the hash chain (docs/ledger.md, "Checkpoints"): after a verification that passed,
 * the ledger records the last event it verified (`seq`, `eventId`), the chain's hash at that event and the
 * number of events up to it, with `seal`, a JWS over those and `createdAt` signed with the receipt key. A
 * later verification starts from the newest checkpoint whose seal verifies instead of the first event.
 * Never updated or deleted (database/checkpoint-guard.ts); owned by the ledger service. No personal data.
 */
export default defineContentType({
  collectionName: 'consent_ledger_checkpoints',
  singularName: 'ledger-checkpoint',
  pluralName: 'ledger-checkpoints',
  displayName: 'Ledger checkpoint',
  description: 'Signed positions of the verified hash chain (never changed).',
  attributes: {
    seq: { type: 'biginteger', required: true },
    eventId: { type: 'string', required: true, maxLength: 64 },
    hash: { type: 'string', required: true, maxLength: 64 },
    count: { type: 'biginteger', required: true },
    seal: { type: 'text', required: true },
  },
  // The newest checkpoint is the one with the highest seq: one index lookup.
  indexes: [{ name: 'consent_ledger_checkpoints_seq_idx', columns: ['seq'] }],
});
