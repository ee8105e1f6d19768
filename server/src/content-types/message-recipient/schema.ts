import { defineContentType } from '../define';

/**
 * One recipient of a message and what became of them (services/messages.ts, its only writer):
 * `queued` → `claimed` (a worker holds it: `claim`, `claimed_at`) → `sending` (handed to the mail
 * provider) → `sent`, or `skipped` with the eligibility reason codes at the moment of sending, or `failed`.
 * The claim is a conditional update, so two instances never take the same row; a row left `sending` by a
 * stopped instance is never sent again (domain/message-rules `recoveredStatus`).
 */
export default defineContentType({
  collectionName: 'consent_message_recipients',
  singularName: 'message-recipient',
  pluralName: 'message-recipients',
  displayName: 'Message recipient',
  description: 'Recipients of consent-gated sends and their outcome.',
  attributes: {
    /** The message's id (a plain column, not a relation: read and written in pages with knex). */
    message: { type: 'integer', required: true },
    /** Position in the message, from 1: the order of the caller's list or of the audience. */
    position: { type: 'integer', required: true },
    email: { type: 'string', maxLength: 320 },
    /** The person's pseudonym once known (after sending), for their links and their `contacted` event. */
    subject: { type: 'string', maxLength: 64 },
    status: { type: 'string', required: true, maxLength: 16 },
    /** Eligibility reason codes of a skip, or the failure reason. */
    reasons: { type: 'json' },
    /** Extra placeholder values for this recipient (internal callers, e.g. a system mail's own link). */
    placeholders: { type: 'json' },
    /** Extra evidence for this recipient's `contacted` event (internal callers, e.g. a re-permission request). */
    evidence: { type: 'json' },
    claim: { type: 'string', maxLength: 40 },
    claimedAt: { type: 'datetime' },
    /** When the `contacted` event proving the send was written (null until then, e.g. after a crash). */
    recordedAt: { type: 'datetime' },
    sentAt: { type: 'datetime' },
  },
  indexes: [
    { name: 'consent_message_recipients_status_idx', columns: ['message', 'status', 'position'] },
    { name: 'consent_message_recipients_pos_uq', columns: ['message', 'position'], type: 'unique' },
    // Stale claims (recovery) and a person's rows (erasure) are found without reading every send.
    { name: 'consent_message_recipients_claim_idx', columns: ['status', 'claimed_at'] },
    { name: 'consent_message_recipients_email_idx', columns: ['email'] },
    { name: 'consent_message_recipients_subject_idx', columns: ['subject'] },
  ],
});
