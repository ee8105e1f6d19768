import { ACTIONS, CHANNELS, LEGAL_BASES, METHODS, STATES } from '../../../../shared/contracts/domain';
import { defineContentType } from '../define';

export default defineContentType({
  collectionName: 'consent_events',
  singularName: 'consent-event',
  pluralName: 'consent-events',
  displayName: 'Consent event',
  description: 'The append-only, hash-chained consent ledger.',
  attributes: {
    seq: { type: 'biginteger', required: true },
    eventId: { type: 'string', required: true, maxLength: 64 },
    subject: { type: 'string', required: true, maxLength: 64 },
    purpose: { type: 'string', required: true, maxLength: 64 },
    channel: { type: 'enumeration', enum: [...CHANNELS], required: true },
    action: { type: 'enumeration', enum: [...ACTIONS], required: true },
    state: { type: 'enumeration', enum: [...STATES], required: true },
    method: { type: 'enumeration', enum: [...METHODS], required: true },
    legalBasis: { type: 'enumeration', enum: [...LEGAL_BASES], required: true },
    noticeId: { type: 'integer' },
    noticeVersion: { type: 'integer' },
    noticeHash: { type: 'string', maxLength: 64 },
    noticeLanguage: { type: 'string', maxLength: 16 },
    formKey: { type: 'string', maxLength: 64 },
    pageUrl: { type: 'text' },
    context: { type: 'json' },
    evidence: { type: 'json' },
    actor: { type: 'string', required: true },
    receiptId: { type: 'string', maxLength: 64 },
    occurredAt: { type: 'datetime', required: true },
    prevHash: { type: 'string', required: true, maxLength: 64 },
    hash: { type: 'string', required: true, maxLength: 64 },
    // I5: set when the proof period ended and the personal fields were cleared (domain/proof-pruning.ts);
    // the seal (JWS) keeps the remaining fields checkable. Outside the hash: added after it was computed.
    prunedAt: { type: 'datetime' },
    pruneSeal: { type: 'text' },
  },
  // Experimental Strapi key (also used by @strapi/upload): column names, not attribute names.
  indexes: [
    { name: 'consent_events_seq_uq', columns: ['seq'], type: 'unique' },
    { name: 'consent_events_event_id_uq', columns: ['event_id'], type: 'unique' },
    { name: 'consent_events_subject_idx', columns: ['subject', 'purpose', 'channel'] },
    { name: 'consent_events_purpose_time_idx', columns: ['purpose', 'occurred_at'] },
    { name: 'consent_events_receipt_idx', columns: ['receipt_id'] },
    // The ledger explorer's date filters and the dashboard's counts span every purpose.
    { name: 'consent_events_time_idx', columns: ['occurred_at'] },
  ],
});
